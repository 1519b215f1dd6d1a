"""The objects an overlay works on, with the identity Kustomize tracks for each.

A ``Resource`` is the engine's private, mutable copy of one ``Placed`` object (whose
``origin``, the template trace, it keeps as ``trace``). Its ``origin`` is the identity
before any transform (Kustomize's ``OrgId``): patches without a target, name references
and generator behaviours are resolved against it. ``history`` is Kustomize's
``PrevIds``: the id stored by each transform that may rename (namespace, prefix, suffix,
a ``patches`` JSON patch, a patch allowed to change the name or kind, the hash suffix),
oldest first; name references find their targets by it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from generator.errors import CmgenError
from generator.k8s import scope
from generator.k8s.identity import ObjectId, effective_namespace
from generator.k8s.objects import Traceable
from generator.overlay.gvk import Gvk


@dataclass(frozen=True)
class ResId:
    gvk: Gvk
    name: str
    namespace: str

    @property
    def effective_namespace(self) -> str:
        return effective_namespace(self.namespace)

    @property
    def key(self) -> ObjectId:
        """Kustomize's identity: the core id with the version, in the effective namespace."""
        gvk = self.gvk
        return ObjectId(gvk.group, gvk.kind, self.effective_namespace, self.name, gvk.version)

    def __str__(self) -> str:
        where = f" in namespace {self.namespace}" if self.namespace else ""
        return f"{self.gvk.kind}/{self.name}{where} ({self.gvk.group or 'core'}/{self.gvk.version})"


def res_id(data: dict[str, Any]) -> ResId:
    metadata = data.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    return ResId(Gvk.of(data), str(metadata.get("name") or ""), str(metadata.get("namespace") or ""))


def is_cluster_scoped(gvk: Gvk) -> bool:
    return scope.kustomize().is_cluster_scoped(gvk.kind)


@dataclass
class Resource:
    data: dict[str, Any]
    file: str
    origin: ResId
    needs_hash: bool = False
    where: tuple[str, int | None] = ("", None)
    """Where the object came from, for errors: (file, line)."""
    trace: Traceable | None = None
    """The object's template origin, carried to the output untouched."""
    history: list[ResId] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    """The name prefixes (and suffixes) added, as Kustomize records them for name references."""
    suffixes: list[str] = field(default_factory=list)

    @classmethod
    def make(
        cls, data: dict[str, Any], file: str, where: tuple[str, int | None], trace: Traceable | None = None
    ) -> Resource:
        return cls(copy.deepcopy(data), file, res_id(data), where=where, trace=trace)

    @property
    def current(self) -> ResId:
        return res_id(self.data)

    def remember_id(self) -> None:
        """Kustomize's ``StorePreviousId``: called before a transform that may rename."""
        self.history.append(self.current)

    @property
    def gvk(self) -> Gvk:
        return Gvk.of(self.data)

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.data.get("metadata")
        if not isinstance(metadata, dict):
            metadata = self.data["metadata"] = {}
        return metadata

    @property
    def name(self) -> str:
        return str(self.metadata.get("name") or "")

    def labels(self) -> dict[str, Any]:
        labels = self.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}

    def annotations(self) -> dict[str, Any]:
        annotations = self.metadata.get("annotations")
        return annotations if isinstance(annotations, dict) else {}


@dataclass(frozen=True)
class Unique:
    """Refuse two objects with one id after ``what`` (a step of the engine's list)."""

    what: str

    def apply(self, resources: list[Resource]) -> list[Resource]:
        check_unique(resources, self.what)
        return resources


def check_unique(resources: list[Resource], what: str) -> None:
    """Two objects with one kind, name and namespace: Kustomize refuses, so do we."""
    seen: dict[ObjectId, Resource] = {}
    for resource in resources:
        rid = resource.current
        first = seen.setdefault(rid.key, resource)
        if first is not resource:
            file, line = resource.where
            raise CmgenError(
                f"{what} produces two objects with the same id {rid} "
                f"(the other from {first.where[0] or first.file})",
                file or None,
                line,
            )
