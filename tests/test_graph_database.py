"""generator.graph.database: database servers recognised by their official images' variables."""

from __future__ import annotations

from generator.graph.database import database, first
from generator.graph.model import Database
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of


def _env(**values: str) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in values.items()]


def test_postgres_with_a_password_file_and_the_image_defaults() -> None:
    container = {"name": "db", "env": _env(POSTGRES_PASSWORD_FILE="/run/secrets/db/password")}
    assert database(container) == Database("postgres", "db", "postgres", "postgres", "/run/secrets/db/password", 5432)
    named = {"name": "db", "ports": [{"containerPort": 6543}],
             "env": _env(POSTGRES_USER="app", POSTGRES_PASSWORD_FILE="/p")}
    assert database(named) == Database("postgres", "db", "app", "app", "/p", 6543)  # POSTGRES_DB defaults to the user


def test_mongodb_needs_the_root_user_and_its_password_file() -> None:
    env = _env(MONGO_INITDB_ROOT_USERNAME="root", MONGO_INITDB_ROOT_PASSWORD_FILE="/p")
    assert database({"name": "mongo", "env": env}) == Database("mongodb", "mongo", "root", "test", "/p", 27017)
    assert database({"name": "mongo", "env": env[1:]}) is None


def test_a_password_from_the_environment_or_an_exporter_is_no_database() -> None:
    secret = [{"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "s", "key": "password"}}}]
    exporter = {"name": "metrics", "env": _env(DATA_SOURCE_PASS_FILE="/run/secrets/db/password")}
    assert database({"name": "db", "env": secret}) is None
    assert first([exporter, {"name": "db", "env": _env(POSTGRES_PASSWORD_FILE="/p")}]) is not None
    assert first([exporter]) is None


def test_the_platform_databases_from_the_rendered_statefulsets(minikube_build: Build, repo_project: Project) -> None:
    found = {w.key: w.database for w in graph_of(minikube_build, repo_project).workloads if w.database}
    assert found == {
        "data/mongodb-product": Database("mongodb", "mongodb-product", "cloudmart", "productdb", "/run/secrets/db/password", 27017),
        "data/postgres-order": Database("postgres", "postgres-order", "cloudmart", "orderdb", "/run/secrets/db/password", 5432),
        "data/postgres-user": Database("postgres", "postgres-user", "cloudmart", "userdb", "/run/secrets/db/password", 5432),
    }
