"""The one scope list, against its sources of truth: real Kustomize over every kind of the
official schemas, and ``spec.scope`` of every real CRD under ../shared/crds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import yamlio
from generator.k8s import schemas
from generator.k8s import scope
from generator.k8s.index import namespace_of
from generator.manifests import from_text
from generator.project import Project
from tests.kustomize_judge import kubectl_path, kustomize_build


def _official_kinds(version: str) -> set[tuple[str, str, str]]:
    return set(schemas._kinds(version))


def _crds(folder: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        for document in yamlio.load_all(path.read_text(encoding="utf-8"), str(path)):
            if isinstance(document.data, dict) and scope.crd_scope(document.data):
                found.append(document.data)
    return found


@pytest.mark.skipif(kubectl_path() is None, reason="kubectl (the Kustomize judge) is missing")
def test_every_kind_kustomize_leaves_without_namespace_is_cluster_scoped(
    tmp_path: Path, repo_project: Project
) -> None:
    kinds = sorted(_official_kinds(repo_project.config.kube_version))
    assert len(kinds) > 200
    objects = [
        {"apiVersion": f"{g}/{v}" if g else v, "kind": k, "metadata": {"name": f"o{n}"}}
        for n, (g, v, k) in enumerate(kinds)
    ]
    (tmp_path / "all.yaml").write_text("\n---\n".join(map(json.dumps, objects)))
    (tmp_path / "kustomization.yaml").write_text("namespace: zz\nresources: [all.yaml]\n")
    built = kustomize_build(tmp_path)
    assert len(built) == len(objects)
    judged = {o["kind"] for o in built if "namespace" not in o["metadata"]}
    assert {"Namespace", "ClusterRole", "StorageClass", "PersistentVolume"} <= judged
    for kind in sorted({k for _, _, k in kinds}):
        if kind in judged:
            assert scope.kustomize().is_cluster_scoped(kind), kind
            assert scope.is_cluster_scoped(kind), kind
    # The rest of the list are kinds newer than Kustomize's embedded API: each is a real
    # kind that Kubernetes serves in some shipped schema version, or PodSecurityPolicy
    # (removed in 1.25, before the oldest shipped version).
    served = {k for version in schemas.available_versions() for _, _, k in _official_kinds(version)}
    assert scope.builtin() - served == {"PodSecurityPolicy"}


def test_builtin_and_crd_lists_do_not_overlap() -> None:
    assert scope.builtin().isdisjoint(scope.known_crds())
    assert len(scope.builtin()) == 38


def test_every_shared_crd_has_the_scope_it_declares(shared_crds: Path) -> None:
    crds = _crds(shared_crds)
    assert len(crds) >= 20
    for crd in crds:
        kind, cluster = scope.crd_scope(crd) or ("", False)
        assert scope.is_cluster_scoped(kind) == (crd["spec"]["scope"] == "Cluster"), kind
    learned = scope.Scope(frozenset()).with_crds(crds)
    assert learned.cluster == scope.known_crds()


def test_a_loaded_crd_overrides_the_list() -> None:
    crd = {
        "kind": "CustomResourceDefinition",
        "spec": {"scope": "Namespaced", "names": {"kind": "ClusterIssuer"}},
    }
    assert not scope.default().with_crds([crd]).is_cluster_scoped("ClusterIssuer")
    widget = {
        "kind": "CustomResourceDefinition",
        "spec": {"scope": "Cluster", "names": {"kind": "W"}},
    }
    assert scope.default().with_crds([widget, {"kind": "ConfigMap"}]).is_cluster_scoped("W")
    assert scope.crd_scope({"kind": "CustomResourceDefinition", "spec": {}}) is None


def test_kinds_set_one_by_one_the_later_winning() -> None:
    base = scope.Scope(frozenset({"A", "B"}))
    assert base.with_kinds([("B", False), ("C", True), ("D", True), ("D", False)]).cluster == {"A", "C"}


def test_lint_treats_every_cluster_scoped_kind_as_namespaceless() -> None:
    for kind in sorted(scope.builtin() | scope.known_crds()):
        text = f"apiVersion: v1\nkind: {kind}\nmetadata: {{name: x, namespace: shop}}\n"
        (manifest,) = from_text(text, "x.yaml")
        assert namespace_of(manifest) == "", kind
