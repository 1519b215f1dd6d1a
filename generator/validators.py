"""Compiled validators: one per Kubernetes version and kind, built once per process.

The hot path is ``jsonschema_rs`` (``is_valid``); only an invalid object is walked again
for its errors, which ``generator.explain`` turns into messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema_rs

from generator import explain, schemas
from generator.crds import CrdVersion
from generator.errors import CmgenError
from generator.findings import Finding
from generator.manifests import Manifest

RULE = "schema"


@dataclass(frozen=True)
class Validator:
    schema: dict[str, Any]
    compiled: jsonschema_rs.Validator

    def check(self, manifest: Manifest) -> list[Finding]:
        if self.compiled.is_valid(manifest.data):
            return []
        errors = self.compiled.iter_errors(manifest.data)
        return [
            manifest.finding("error", RULE, violation.text(), violation.path, key=violation.key)
            for violation in explain.violations(errors, self.schema)
        ]


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
