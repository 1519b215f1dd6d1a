"""The validate stage: every object against the official schema of its kind, offline and strict.

Which schema an object gets, in order:

1. the Kubernetes kind of that ``apiVersion``/``kind`` in the chosen Kubernetes version;
2. a served version of a CRD (``crd_paths``, then CRDs in ``manifests`` themselves);
3. none. Then it is an error (rule ``unknown-api``) when the API belongs to Kubernetes or
   to a known CRD: a removed API names its replacement (``removed_apis.yaml``), an
   unserved CRD version names the served ones. Otherwise the object is a custom resource
   whose CRD was not given: it is *skipped* and reported as an ``info`` finding (rule
   ``no-schema``), or as an ``error`` with ``require_schemas``.

Rule ``api-server`` reports what the API server's own validation rejects although the
schema allows it (``generator.validate.apirules``): replicas, ports, sizes, label values.

Rule ``schema`` reports what the schema rejects: wrong types, unknown fields (strict),
missing required fields, a missing ``apiVersion`` or ``kind``. Each finding is located at
the offending node (the key, for an unknown field).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.k8s import schemas
from generator.validate import apirules, crds, deprecations, validators
from generator.validate.explain import json_path, show
from generator.findings import NO_SCHEMA, Finding, Severity, has_errors
from generator.k8s.identity import group_of
from generator.k8s.objects import Manifest

UNKNOWN_API = "unknown-api"


@dataclass(frozen=True)
class Report:
    findings: list[Finding]
    resources: int
    invalid: int
    skipped: int

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def validate(
    manifests: list[Manifest],
    kube_version: str,
    crd_paths: Sequence[Path] = (),
    *,
    require_schemas: bool = False,
) -> Report:
    """Validate every manifest; bad input (unknown version, unreadable CRD) raises CmgenError."""
    version = schemas.normalise_version(kube_version)
    catalog = crds.catalog(crd_paths, manifests)
    findings: list[Finding] = []
    invalid = skipped = 0
    for manifest in manifests:
        found = _check(manifest, version, catalog, require_schemas)
        if found is None:
            skipped += 1
            found = [_no_schema(manifest, "info")]
        found.extend(apirules.check(manifest))
        if has_errors(found):
            invalid += 1
        findings.extend(found)
    return Report(sorted(findings), len(manifests), invalid, skipped)


def _check(
    manifest: Manifest, version: str, catalog: crds.Catalog, require_schemas: bool
) -> list[Finding] | None:
    """The findings of one object; None when it has no schema and is skipped."""
    missing = _type_errors(manifest)
    if missing:
        return missing
    api_version, kind = manifest.api_version, manifest.kind
    definition = schemas.definition_for(version, api_version, kind)
    if definition is not None:
        return validators.builtin(version, definition).check(manifest)
    crd = catalog.find(api_version, kind)
    if crd is not None:
        validator = validators.custom(version, crd)
        if validator is not None:
            return validator.check(manifest)
    elif (message := _unknown_api(version, catalog, api_version, kind)) is not None:
        return [manifest.finding("error", UNKNOWN_API, message, ["apiVersion"])]
    if require_schemas:
        return [_no_schema(manifest, "error")]
    return None


def _type_errors(manifest: Manifest) -> list[Finding]:
    """``apiVersion`` and ``kind`` must be non-empty strings before a schema can be chosen."""
    found = []
    for field in ("apiVersion", "kind"):
        value = manifest.data.get(field)
        if value is None:
            message = f"$: {field!r} is a required property"
            found.append(manifest.finding("error", validators.RULE, message))
        elif not isinstance(value, str) or not value:
            message = f"{json_path([field])}: {show(value)} is not a non-empty string"
            found.append(manifest.finding("error", validators.RULE, message, [field]))
    return found


def _unknown_api(version: str, catalog: crds.Catalog, api_version: str, kind: str) -> str | None:
    """Why Kubernetes or a known CRD does not serve this API; None if nothing knows it."""
    name = f"{api_version} {kind}"
    served = catalog.served(api_version, kind)
    if served:
        return f"{name} is not served by its CRD (served: {', '.join(served)})"
    removed = deprecations.removed(api_version, kind)
    if removed is not None:
        return (
            f"{name} is not served by Kubernetes {version} "
            f"(removed in {removed.removed_in}): {removed.advice()}"
        )
    group = group_of(api_version)
    if group in schemas.builtin_groups(version) or group in deprecations.removed_groups():
        return f"Kubernetes {version} has no {name}{_did_you_mean(version, api_version, kind)}"
    return None


def _did_you_mean(version: str, api_version: str, kind: str) -> str:
    others = schemas.api_versions_of(version, kind)
    if others:
        return f" (it is served as {', '.join(others)})"
    close = difflib.get_close_matches(kind, schemas.kinds_in(version, api_version), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _no_schema(manifest: Manifest, severity: Severity) -> Finding:
    outcome = "a schema is required" if severity == "error" else "skipped"
    message = (
        f"no schema for {manifest.api_version} {manifest.kind}: {outcome} "
        "(pass its CRD with --crd or list it under crds: in cmgen.yaml)"
    )
    return manifest.finding(severity, NO_SCHEMA, message)
