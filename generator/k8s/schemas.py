"""The official Kubernetes JSON schemas, as shipped by the ``kubernetes-validate`` package.

This module only finds and reads the schema files (strict variant: no unknown fields);
it knows nothing about validating. Everything is read once per process.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from generator.errors import CmgenError

_VERSION = re.compile(r"v(\d+)\.(\d+)\.\d+-local-strict")


@cache
def _root() -> Path:
    # find_spec locates the package without importing it: its __init__ imports
    # python-jsonschema and more (~100 ms of cold start) that cmgen does not use here.
    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise CmgenError("the kubernetes-validate package (the official schemas) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"


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
    """``v1.33``, ``1.33`` or ``1.33.2`` -> ``1.33``; unknown versions are bad input.

    Schemas exist per minor version, so a patch version is dropped, but only from a minor
    version that exists: an error names the version as typed, never the shortened one
    (``1.3.5`` is not quietly read as 1.3, and is likely 1.35 mistyped)."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(\.\d+)?", version.strip())
    if not match:
        raise CmgenError(f"invalid Kubernetes version {version!r}: expected X.Y, e.g. 1.33")
    short = f"{int(match.group(1))}.{int(match.group(2))}"
    if short not in available_versions():
        known = ", ".join(available_versions())
        typed = version.strip().removeprefix("v")
        guess = f"{match.group(1)}.{match.group(2)}{(match.group(3) or '').removeprefix('.')}"
        hint = f"; did you mean {guess}?" if match.group(3) and guess in available_versions() else ""
        raise CmgenError(f"no schemas for Kubernetes {typed} (available: {known}){hint}")
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
    pending = _refs(schema)
    while pending:
        name = pending.pop()
        if name not in needed:
            if name in _UNIONS:
                needed[name] = {"type": _UNIONS[name]}
            else:
                needed[name] = everything[name]
                pending.extend(_definition_refs(version, name))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "$defs": needed}


@cache
def _definition_refs(version: str, name: str) -> list[str]:
    return _refs(definitions(version)[name])


def _refs(schema: Any) -> list[str]:
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
                found.append(ref.removeprefix(_REF_PREFIX))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
