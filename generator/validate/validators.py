"""Compiled validators: one per Kubernetes version and kind, built once per process.

The hot path is ``jsonschema_rs`` (``is_valid``); only an invalid object is walked again
for its errors, which ``generator.validate.explain`` turns into messages.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema_rs

from generator.k8s import schemas
from generator.validate import explain
from generator.validate.crds import CrdVersion
from generator.errors import CmgenError
from generator.findings import Finding
from generator.k8s.objects import Manifest

RULE = "schema"


@dataclass(frozen=True)
class Validator:
    schema: dict[str, Any]
    compiled: jsonschema_rs.Validator

    def check(self, manifest: Manifest) -> list[Finding]:
        try:
            return self._check(manifest, manifest.data)
        except ValueError:  # a key or value JSON cannot hold: rare, so converted only then
            return self._check(manifest, as_json(manifest.data))

    def _check(self, manifest: Manifest, data: Any) -> list[Finding]:
        if self.compiled.is_valid(data):
            return []
        errors = list(self.compiled.iter_errors(data))
        return [
            manifest.finding("error", RULE, violation.text(), violation.path, key=violation.key)
            for violation in explain.violations(errors, self.schema)
        ]


def as_json(value: Any) -> Any:
    """What Kubernetes' YAML-to-JSON conversion makes of ``value``.

    Mapping keys become strings (``1`` -> ``"1"``, ``true`` -> ``"true"``) and ``!!binary``
    becomes its base64 text.
    """
    if isinstance(value, dict):
        return {_key(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        return str(key)
    return json.dumps(as_json(key))


def compile_schema(schema: dict[str, Any]) -> Validator:
    return Validator(schema, jsonschema_rs.validator_for(schema, offline=True))


@cache
def builtin(version: str, definition: str) -> Validator:
    """The validator of a Kubernetes kind (``definition`` is its ``$defs`` key)."""
    return compile_schema(schemas.bundle(version, schemas.definitions(version)[definition]))


def custom(version: str, crd: CrdVersion) -> Validator | None:
    """The validator of a custom resource version, or None when its CRD gives no schema."""
    if version not in crd.compiled:
        schema = crd.json_schema()
        crd.compiled[version] = None if schema is None else _compile_crd(version, crd, schema)
    validator: Validator | None = crd.compiled[version]
    return validator


def _compile_crd(version: str, crd: CrdVersion, schema: dict[str, Any]) -> Validator:
    try:
        return compile_schema(schemas.bundle(version, schema))
    except (ValueError, jsonschema_rs.ReferencingError) as exc:
        raise CmgenError(
            f"the CRD schema of {crd.api_version} {crd.kind} is not valid: {exc}", crd.file, crd.line
        ) from None
