"""Engines as the docs and graph stages know them: the ``engines`` table of a project's
values (what runs in a workload), read once into plain data.

A workload's engine is the ``app.kubernetes.io/component`` label of its pod template
(``ENGINE_LABEL``, the Kubernetes recommended label for "the component within the
architecture"), looked up in this table. Nothing in cmgen knows an engine by name: the
table says, for each, what the report calls it (``title``), how its official image is told
its account (``credentials``: the container variables naming the user, the database and the
password file, and the image's defaults) and how scripts/test-connectivity.sh checks that
its data survives a pod restart (``check``). Keys of an engine that these stages do not
read (ports, exporter, backup) belong to the project's templates alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from generator.errors import CmgenError

SECTION = "engines"
ENGINE_LABEL = "app.kubernetes.io/component"


@dataclass(frozen=True)
class Credentials:
    """The container variables an image reads its account from."""

    user: str
    database: str
    password_file: str
    default_user: str | None = None  # the image's user when ``user`` is unset; None: required
    default_database: str | None = None  # the image's database when unset; None: the user's name


@dataclass(frozen=True)
class Check:
    """Shell text: ``write``/``read``/``delete`` statements of a row holding ``@TOKEN@``, and
    ``run`` (``sh -c``: $1 password file, $2 user, $3 database, $4 port, $5 statement)."""

    client: str
    write: str
    read: str
    delete: str
    run: str


@dataclass(frozen=True)
class Engine:
    name: str
    title: str
    credentials: Credentials | None = None
    check: Check | None = None


def engines(values: Mapping[str, Any]) -> dict[str, Engine]:
    """The engines of one env's merged ``values`` (already checked against its schema);
    an empty table when the values have none."""
    table = values.get(SECTION)
    if not isinstance(table, Mapping):
        return {}
    return {str(name): _engine(str(name), data) for name, data in table.items()}


def _engine(name: str, data: Any) -> Engine:
    if not isinstance(data, Mapping):
        raise CmgenError(f"values {SECTION}.{name}: expected a mapping")
    credentials = data.get("credentials")
    check = data.get("check")
    return Engine(
        name,
        str(data.get("title", name)),
        Credentials(
            str(credentials["user"]), str(credentials["database"]), str(credentials["passwordFile"]),
            _optional(credentials.get("defaultUser")), _optional(credentials.get("defaultDatabase")),
        ) if isinstance(credentials, Mapping) else None,
        Check(*(str(check[field.name]) for field in fields(Check))) if isinstance(check, Mapping) else None,
    )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)
