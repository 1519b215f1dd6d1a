"""generator.graph.database: database servers recognised through the values' engine table
(never by variable names cmgen knows)."""

from __future__ import annotations

from generator.engines import Credentials, Engine
from generator.graph.database import database, first
from generator.graph.model import Database
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of

# An engine cmgen has never heard of: the table alone says how its image is configured.
KEEPER = Engine("keeper", "Keeper DB", Credentials("KEEPER_USER", "KEEPER_DB", "KEEPER_PASSWORD_FILE", default_user="admin"))
STRICT = Engine("strict", "Strict DB", Credentials("S_USER", "S_DB", "S_PASSWORD_FILE", default_database="main"))


def _env(**values: str) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in values.items()]


def _container(**values: str) -> dict[str, object]:
    return {"name": "db", "ports": [{"containerPort": 7000}], "env": _env(**values)}


def test_the_account_comes_from_the_variables_the_engine_names_with_its_defaults() -> None:
    assert database(_container(KEEPER_PASSWORD_FILE="/p"), KEEPER) == Database("keeper", "db", "admin", "admin", "/p", 7000)
    named = _container(KEEPER_USER="app", KEEPER_DB="shop", KEEPER_PASSWORD_FILE="/p")
    assert database(named, KEEPER) == Database("keeper", "db", "app", "shop", "/p", 7000)


def test_an_engine_without_a_default_user_needs_the_user_variable() -> None:
    assert database(_container(S_PASSWORD_FILE="/p"), STRICT) is None
    assert database(_container(S_USER="u", S_PASSWORD_FILE="/p"), STRICT) == Database("strict", "db", "u", "main", "/p", 7000)


def test_no_password_file_no_port_or_no_credentials_is_no_database() -> None:
    secret = {"name": "db", "ports": [{"containerPort": 7000}],
              "env": [{"name": "KEEPER_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "s", "key": "password"}}}]}
    assert database(secret, KEEPER) is None
    assert database({"name": "db", "env": _env(KEEPER_PASSWORD_FILE="/p")}, KEEPER) is None
    assert database(_container(KEEPER_PASSWORD_FILE="/p"), Engine("web", "web")) is None


def test_the_variables_of_another_engine_are_not_a_database() -> None:
    # what cmgen once recognised by name, in a workload whose engine says nothing of it
    assert database(_container(POSTGRES_PASSWORD_FILE="/p"), KEEPER) is None


def test_first_skips_the_exporter_and_needs_an_engine() -> None:
    exporter = {"name": "metrics", "env": _env(DATA_SOURCE_PASS_FILE="/p")}
    server = _container(KEEPER_PASSWORD_FILE="/p")
    assert first([exporter, server], KEEPER) == Database("keeper", "db", "admin", "admin", "/p", 7000)
    assert first([exporter], KEEPER) is None
    assert first([exporter, server], None) is None


def test_the_platform_databases_from_the_rendered_statefulsets(minikube_build: Build, repo_project: Project) -> None:
    found = {w.key: w.database for w in graph_of(minikube_build, repo_project).workloads if w.database}
    assert found == {
        "data/mongodb-product": Database("mongodb", "mongodb-product", "cloudmart", "productdb", "/run/secrets/db/password", 27017),
        "data/postgres-order": Database("postgres", "postgres-order", "cloudmart", "orderdb", "/run/secrets/db/password", 5432),
        "data/postgres-user": Database("postgres", "postgres-user", "cloudmart", "userdb", "/run/secrets/db/password", 5432),
    }
