"""CustomResourceDefinitions: where they come from and which schema a custom resource gets.

CRDs are read from files and folders (``--crd``, ``crds:`` in cmgen.yaml) and learned from
the manifests being validated. Only ``apiextensions.k8s.io/v1`` CRDs are read (v1beta1 was
removed in Kubernetes 1.22 and is reported as such by validation). Later definitions of the
same group and kind replace earlier ones, so a CRD in the input wins over ``--crd``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator import cachedir
from generator import manifests as manifests_
from generator.errors import CmgenError
from generator.k8s.identity import group_of
from generator.k8s.objects import Manifest
from generator.k8s import scope
from generator.k8s.scope import Scope
from generator.validate.openapi import to_json_schema

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
OBJECT_META = "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


@dataclass(frozen=True)
class CrdVersion:
    """One version of a custom resource, as one CRD defines it."""

    group: str
    version: str
    kind: str
    served: bool
    openapi: dict[str, Any] | None
    file: str
    line: int
    cluster_scoped: bool = False
    """The CRD's ``spec.scope`` is ``Cluster``."""
    # Compiled validators per Kubernetes version, filled by ``generator.validate.validators``.
    compiled: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    def json_schema(self) -> dict[str, Any] | None:
        """The strict JSON Schema of the whole object; ``metadata`` refers to ObjectMeta."""
        if self.openapi is None:
            return None
        root = to_json_schema(self.openapi)
        root["type"] = "object"
        root["properties"] = {
            **root.get("properties", {}),
            "apiVersion": {"enum": [self.api_version]},
            "kind": {"enum": [self.kind]},
            "metadata": {"$ref": OBJECT_META},
        }
        if self.openapi.get("x-kubernetes-preserve-unknown-fields") is not True:
            root["additionalProperties"] = False
        return root


class Catalog:
    """Custom resource kinds by group and kind, each with its versions."""

    def __init__(self, versions: Iterable[CrdVersion] = ()) -> None:
        self._kinds: dict[tuple[str, str], dict[str, CrdVersion]] = {}
        for version in versions:
            self._kinds.setdefault((version.group, version.kind), {})[version.version] = version

    def find(self, api_version: str, kind: str) -> CrdVersion | None:
        """The served version of ``api_version``/``kind``, if a CRD defines it."""
        group, _, version = api_version.rpartition("/")
        found = self._kinds.get((group, kind), {}).get(version)
        return found if found is not None and found.served else None

    def served(self, api_version: str, kind: str) -> list[str]:
        """Every served ``group/version`` of the kind (empty: no CRD defines the kind)."""
        group = group_of(api_version)
        versions = self._kinds.get((group, kind), {}).values()
        return sorted(version.api_version for version in versions if version.served)

    def scope(self, base: Scope) -> Scope:
        """``base`` with every kind these CRDs define set by its CRD's ``spec.scope``."""
        return base.with_kinds(
            (version.kind, version.cluster_scoped)
            for versions in self._kinds.values()
            for version in versions.values()
        )

    def __len__(self) -> int:
        return sum(len(versions) for versions in self._kinds.values())


def scope_of(paths: Sequence[Path]) -> Scope:
    """The default scope (built-in and well-known kinds) with the kinds of the CRDs in
    ``paths`` set by their ``spec.scope``: what a project's ``crds:`` teach lint, the graph
    and the deploy scripts."""
    return catalog(paths).scope(scope.default())


def catalog(paths: Sequence[Path], manifests: Iterable[Manifest] = ()) -> Catalog:
    """CRDs of ``paths`` (files or folders; each must hold one), then those in ``manifests``."""
    versions: list[CrdVersion] = []
    for path in paths:
        if str(path) == "-":
            raise CmgenError("CRDs are read from files or folders, not from stdin")
        found = [
            version
            for name in manifests_.expand_paths([str(path)])
            for version in _file_versions(*_file_key(Path(name)))
        ]
        if not found:
            raise CmgenError(f"no {CRD_API_VERSION} {CRD_KIND} found", str(path))
        versions.extend(found)
    for manifest in manifests:
        versions.extend(crd_versions(manifest))
    return Catalog(versions)


def is_crd(manifest: Manifest) -> bool:
    return manifest.api_version == CRD_API_VERSION and manifest.kind == CRD_KIND


def crd_versions(manifest: Manifest) -> list[CrdVersion]:
    """The versions a CRD manifest defines; anything else (or a malformed CRD) gives none.

    A malformed CRD in the input is still reported: by its own schema, as any object.
    """
    if not is_crd(manifest):
        return []
    spec = manifest.data.get("spec")
    if not isinstance(spec, dict):
        return []
    group, names, versions = spec.get("group"), spec.get("names"), spec.get("versions")
    if not isinstance(group, str) or not isinstance(names, dict) or not isinstance(versions, list):
        return []
    kind = names.get("kind")
    if not isinstance(kind, str):
        return []
    cluster_scoped = spec.get("scope") == "Cluster"
    found = []
    for entry in versions:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            schema = entry.get("schema")
            openapi = schema.get("openAPIV3Schema") if isinstance(schema, dict) else None
            found.append(
                CrdVersion(
                    group,
                    entry["name"],
                    kind,
                    entry.get("served") is True,
                    openapi if isinstance(openapi, dict) else None,
                    manifest.source.name,
                    manifest.line,
                    cluster_scoped,
                )
            )
    return found


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=256)
def _file_versions(name: str, mtime_ns: int, size: int) -> tuple[CrdVersion, ...]:
    """The CRD versions of one file, parsed once per process while the file is unchanged,
    and kept in cmgen's cache by the file's digest: a CRD file is large YAML (the example project's
    ten: 1.1 MB, ~0.25 s to parse) that changes rarely, and its parsed form reads back as JSON
    in a tenth of the time. A cache that cannot be read or written is only slower."""
    data = Path(name).read_bytes()
    stored = _stored(hashlib.sha256(data).hexdigest())
    if stored is not None:
        cached = _read_stored(stored, name)
        if cached is not None:
            return cached
    versions = tuple(
        version for manifest in manifests_.load_paths([name]) for version in crd_versions(manifest)
    )
    if stored is not None:
        _store(stored, versions)
    return versions


_FORMAT = 2  # bump when the stored layout changes


def _stored(digest: str) -> Path | None:
    folder = cachedir.folder("crds")
    return None if folder is None else folder / f"{digest}.json"


def _read_stored(path: Path, name: str) -> tuple[CrdVersion, ...] | None:
    try:
        entry = json.loads(path.read_bytes())
        if entry["format"] != _FORMAT:
            return None
        return tuple(
            CrdVersion(
                row["group"], row["version"], row["kind"], row["served"], row["openapi"], name,
                row["line"], row["clusterScoped"],
            )
            for row in entry["versions"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(path: Path, versions: tuple[CrdVersion, ...]) -> None:
    rows = [
        {"group": v.group, "version": v.version, "kind": v.kind, "served": v.served, "openapi": v.openapi,
         "line": v.line, "clusterScoped": v.cluster_scoped}
        for v in versions
    ]
    staged = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        staged.write_text(json.dumps({"format": _FORMAT, "versions": rows}))
        os.replace(staged, path)
    except (OSError, TypeError, ValueError):
        staged.unlink(missing_ok=True)
