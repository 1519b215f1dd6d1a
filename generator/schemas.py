"""The official Kubernetes JSON schemas, as shipped by the ``kubernetes-validate`` package.

This module only finds and reads the schema files (strict variant: no unknown fields);
it knows nothing about validating. Everything is read once per process.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from generator.errors import CmgenError

_VERSION = re.compile(r"v(\d+)\.(\d+)\.\d+-local-strict")


def _root() -> Path:
    return Path(str(files("kubernetes_validate"))) / "kubernetes-json-schema"


@cache
def available_versions() -> tuple[str, ...]:
    """``("1.25", ..., "1.37")``: the Kubernetes versions with strict schemas."""
    found = []
    for child in _root().iterdir():
        match = _VERSION.fullmatch(child.name)
        if match:
            found.append((int(match.group(1)), int(match.group(2))))
    return tuple(f"{major}.{minor}" for major, minor in sorted(found))


def normalise_version(version: str) -> str:
    """``v1.33``, ``1.33`` or ``1.33.2`` -> ``1.33``; unknown versions are bad input."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(\.\d+)?", version.strip())
    if not match:
        raise CmgenError(f"invalid Kubernetes version {version!r}: expected X.Y, e.g. 1.33")
    short = f"{int(match.group(1))}.{int(match.group(2))}"
    if short not in available_versions():
        known = ", ".join(available_versions())
        raise CmgenError(f"no schemas for Kubernetes {short} (available: {known})")
    return short


def schema_dir(version: str) -> Path:
    return _root() / f"v{normalise_version(version)}.0-local-strict"


@cache
def definitions(version: str) -> dict[str, Any]:
    """The ``$defs`` of every Kubernetes type, keyed like ``io.k8s.api.core.v1.PodSpec``."""
    with (schema_dir(version) / "_definitions.json").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)["$defs"]
    return loaded


def schema_file(version: str, api_version: str, kind: str) -> Path:
    """``apps/v1`` + ``Deployment`` -> ``deployment-apps-v1.json`` (may not exist)."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return schema_dir(version) / f"{kind.lower()}-{group_version}.json"


def definition_for(version: str, api_version: str, kind: str) -> str | None:
    """The ``$defs`` key of a top-level kind, found by its group-version-kind."""
    group, _, short_version = api_version.rpartition("/")
    return _kinds(version).get((group, short_version, kind))


def builtin_groups(version: str) -> frozenset[str]:
    """API groups served by Kubernetes itself (``""`` is the core group)."""
    return frozenset(group for group, _, _ in _kinds(version))


def api_versions_of(version: str, kind: str) -> list[str]:
    """Every ``group/version`` that serves ``kind`` (``v1`` for the core group)."""
    return sorted(
        f"{group}/{short}" if group else short
        for group, short, name in _kinds(version)
        if name == kind
    )


def kinds_in(version: str, api_version: str) -> list[str]:
    """Every kind Kubernetes serves in ``api_version``."""
    group, _, short_version = api_version.rpartition("/")
    return sorted(name for g, v, name in _kinds(version) if (g, v) == (group, short_version))


@cache
def _kinds(version: str) -> dict[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for key, schema in definitions(version).items():
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            index.setdefault((gvk.get("group", ""), gvk["version"], gvk["kind"]), key)
    return index


# The official schemas write these two as ``oneOf`` of nullable types, which rejects
# ``null`` (it matches both branches) and hides the real type in error messages.
_UNIONS = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ["integer", "string", "null"],
    "io.k8s.apimachinery.pkg.api.resource.Quantity": ["number", "string", "null"],
}
_REF_PREFIX = "#/$defs/"


def bundle(version: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` plus the ``$defs`` its ``#/$defs/...`` references reach, self-contained.

    A kind needs ~100 of the ~700 definitions; compiling only those keeps a validator
    small and fast to build.
    """
    everything = definitions(version)
    needed: dict[str, Any] = {}
    pending = [schema]
    while pending:
        for ref in _refs(pending.pop()):
            name = ref.removeprefix(_REF_PREFIX)
            if name not in needed:
                if name in _UNIONS:
                    needed[name] = {"type": _UNIONS[name]}
                else:
                    needed[name] = everything[name]
                    pending.append(needed[name])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "$defs": needed}


def _refs(schema: Any) -> list[str]:
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
                found.append(ref)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
