"""The database servers of the graph: containers of the official PostgreSQL and MongoDB
images, recognised by the environment variables those images document (``postgres``:
POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD_FILE; ``mongo``: MONGO_INITDB_ROOT_USERNAME,
MONGO_INITDB_DATABASE, MONGO_INITDB_ROOT_PASSWORD_FILE), with the images' defaults.

Only a server whose password is read from a file is described: that file is how a check can
log in the way the server was set up, without the password leaving the pod."""

from __future__ import annotations

from typing import Any

from generator.graph import model
from generator.k8s.index import mapping, sequence

DEFAULT_PORTS = {"postgres": 5432, "mongodb": 27017}


def database(container: dict[str, Any]) -> model.Database | None:
    env = {str(e.get("name")): str(e["value"]) for e in map(mapping, sequence(container.get("env"))) if "value" in e}
    ports = [p["containerPort"] for p in map(mapping, sequence(container.get("ports")))
             if isinstance(p.get("containerPort"), int)]
    name = str(container.get("name", ""))
    if "POSTGRES_PASSWORD_FILE" in env:
        engine, user = "postgres", env.get("POSTGRES_USER", "postgres")
        dbname, password = env.get("POSTGRES_DB", user), env["POSTGRES_PASSWORD_FILE"]
    elif "MONGO_INITDB_ROOT_PASSWORD_FILE" in env and "MONGO_INITDB_ROOT_USERNAME" in env:
        engine, user = "mongodb", env["MONGO_INITDB_ROOT_USERNAME"]
        dbname, password = env.get("MONGO_INITDB_DATABASE", "test"), env["MONGO_INITDB_ROOT_PASSWORD_FILE"]
    else:
        return None
    return model.Database(engine, name, user, dbname, password, ports[0] if ports else DEFAULT_PORTS[engine])


def first(containers: list[dict[str, Any]]) -> model.Database | None:
    """The database of the first container that runs one."""
    return next((found for found in map(database, containers) if found is not None), None)
