"""The database servers of the graph: a container whose engine (its pod's
``app.kubernetes.io/component`` label, looked up in the values' ``engines``) has
``credentials``, configured the way that engine's image documents: the account from the
variables the credentials name, with the image's defaults.

Only a server whose password is read from a file is described: that file is how a check can
log in the way the server was set up, without the password leaving the pod."""

from __future__ import annotations

from typing import Any

from generator.engines import Engine
from generator.graph import model
from generator.k8s.index import mapping, sequence


def database(container: dict[str, Any], engine: Engine) -> model.Database | None:
    credentials = engine.credentials
    if credentials is None:
        return None
    env = {str(e.get("name")): str(e["value"]) for e in map(mapping, sequence(container.get("env"))) if "value" in e}
    ports = [p["containerPort"] for p in map(mapping, sequence(container.get("ports")))
             if isinstance(p.get("containerPort"), int)]
    user = env.get(credentials.user, credentials.default_user)
    if credentials.password_file not in env or user is None or not ports:
        return None
    name = env.get(credentials.database, credentials.default_database or user)
    return model.Database(engine.name, str(container.get("name", "")), user, name,
                          env[credentials.password_file], ports[0])


def first(containers: list[dict[str, Any]], engine: Engine | None) -> model.Database | None:
    """The database of the first container that runs one of ``engine``."""
    if engine is None:
        return None
    return next((found for found in (database(c, engine) for c in containers) if found is not None), None)
