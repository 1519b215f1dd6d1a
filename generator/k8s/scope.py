"""Which kinds are cluster-scoped: one list of data, extended by what CRDs declare.

``cluster-scoped.yaml`` holds the built-in kinds (``builtin``: the list Kustomize's
namespace transformer skips, which cmgen's overlay copies exactly) and the kinds of
well-known CRDs declared ``spec.scope: Cluster`` (``crds``: cert-manager's ClusterIssuer,
the snapshot controller's classes and contents), so a manifest set is linted right even
when its CRDs are not loaded. A CRD that is loaded (a project's ``crds:``, then a CRD in the
manifest set) sets its own kind by its ``spec.scope``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from generator import yamlio

CRD_KIND = "CustomResourceDefinition"


@cache
def _data() -> dict[str, frozenset[str]]:
    name = "cluster-scoped.yaml"
    loaded = yamlio.load_one((files("generator.k8s") / name).read_text(encoding="utf-8"), name)
    return {key: frozenset(loaded[key]) for key in ("builtin", "crds")}


def builtin() -> frozenset[str]:
    """The built-in cluster-scoped kinds (Kustomize's list)."""
    return _data()["builtin"]


def known_crds() -> frozenset[str]:
    """The cluster-scoped kinds of well-known CRDs."""
    return _data()["crds"]


def crd_scope(crd: dict[str, Any]) -> tuple[str, bool] | None:
    """A CRD's kind and whether it is cluster-scoped (``None`` if not a CRD with a kind)."""
    if crd.get("kind") != CRD_KIND:
        return None
    spec = crd.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    names = spec.get("names")
    kind = names.get("kind") if isinstance(names, dict) else None
    if not isinstance(kind, str) or not kind:
        return None
    return kind, spec.get("scope") == "Cluster"


@dataclass(frozen=True)
class Scope:
    cluster: frozenset[str]

    def is_cluster_scoped(self, kind: str) -> bool:
        return kind in self.cluster

    def with_crds(self, crds: Iterable[dict[str, Any]]) -> Scope:
        """This scope with each CRD's kind set by its ``spec.scope``."""
        return self.with_kinds(found for crd in crds if (found := crd_scope(crd)) is not None)

    def with_kinds(self, kinds: Iterable[tuple[str, bool]]) -> Scope:
        """This scope with each ``(kind, cluster_scoped)`` set as given; later pairs win."""
        cluster = set(self.cluster)
        for kind, is_cluster in kinds:
            (cluster.add if is_cluster else cluster.discard)(kind)
        return Scope(frozenset(cluster))


@cache
def kustomize() -> Scope:
    """Built-in kinds only: what Kustomize knows without CRDs (the overlay's semantics)."""
    return Scope(builtin())


@cache
def default() -> Scope:
    """Built-in kinds and well-known CRDs' kinds (lint, graph, docs)."""
    return Scope(builtin() | known_crds())


def is_cluster_scoped(kind: str) -> bool:
    return default().is_cluster_scoped(kind)
