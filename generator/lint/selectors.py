"""Pod selection: workload selectors, PDBs, NetworkPolicies, and the HPA's target.

NetworkPolicy coverage is checked always, also when the set holds no policy at all: then
every pod accepts traffic from anywhere, which is the case the rule exists for (NSA/CISA:
default-deny plus explicit allows; checkov CKV2_K8S_6).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.k8s.index import Index, dig, mapping, matches, sequence
from generator.lint.registry import Hit

_SELECTOR_REQUIRED = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")


def selector_mismatch(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        workload = pod.manifest
        selector = dig(workload.data, "spec", "selector")
        if workload.kind == "Job" and dig(workload.data, "spec", "manualSelector") is not True:
            continue  # the Job controller generates the selector
        if workload.kind not in (*_SELECTOR_REQUIRED, "Job", "ReplicationController"):
            continue
        plain = workload.kind == "ReplicationController"
        if not mapping(selector):
            if workload.kind in _SELECTOR_REQUIRED:
                yield Hit(workload, "spec.selector is required and must not be empty", ("spec",))
            continue
        if not matches(pod.labels, selector, plain=plain):
            yield Hit(
                workload,
                "spec.selector does not match the pod template's labels "
                f"({_describe(pod.labels) or 'none'}); the API server rejects this",
                ("spec", "selector"),
            )


def _describe(labels: dict[str, Any]) -> str:
    return ",".join(f"{key}={value}" for key, value in labels.items())


def hpa_target(index: Index) -> Iterator[Hit]:
    for hpa in index.of_kind("HorizontalPodAutoscaler"):
        target = mapping(dig(hpa.data, "spec", "scaleTargetRef"))
        kind, name = str(target.get("kind", "")), str(target.get("name", ""))
        if index.get(kind, index.namespace_of(hpa), name) is None:
            yield Hit(
                hpa,
                f"scaleTargetRef {kind}/{name} is not in namespace {index.namespace_of(hpa)} of this set",
                ("spec", "scaleTargetRef"),
            )


def _selected_by(index: Index, kind: str) -> dict[int, list[Any]]:
    """For each pod number, the objects of ``kind`` whose podSelector/selector picks it."""
    field = "podSelector" if kind == "NetworkPolicy" else "selector"
    chosen: dict[int, list[Any]] = {}
    for manifest in index.of_kind(kind):
        for pod in index.select(index.namespace_of(manifest), dig(manifest.data, "spec", field)):
            chosen.setdefault(pod.number, []).append(manifest)
    return chosen


def pdb_selector(index: Index) -> Iterator[Hit]:
    for pdb in index.of_kind("PodDisruptionBudget"):
        if not index.select(index.namespace_of(pdb), dig(pdb.data, "spec", "selector")):
            yield Hit(
                pdb, "selector matches no pod template in its namespace", ("spec", "selector")
            )


def netpol_selector(index: Index) -> Iterator[Hit]:
    for policy in index.of_kind("NetworkPolicy"):
        if not index.select(index.namespace_of(policy), dig(policy.data, "spec", "podSelector")):
            yield Hit(
                policy,
                "podSelector matches no pod template in its namespace",
                ("spec", "podSelector"),
            )


def pdb_missing(index: Index) -> Iterator[Hit]:
    covered = _selected_by(index, "PodDisruptionBudget")
    for pod in index.pods:
        if pod.replicas > 1 and pod.number not in covered:
            yield Hit(
                pod.manifest,
                f"{pod.replicas} replicas but no PodDisruptionBudget selects them; a node drain "
                "may evict all at once",
                ("spec", "replicas"),
            )


def _policy_types(policy: Any) -> set[str]:
    spec = mapping(dig(policy.data, "spec"))
    declared = sequence(spec.get("policyTypes"))
    if declared:
        return {str(kind) for kind in declared}
    return {"Ingress", "Egress"} if "egress" in spec else {"Ingress"}


def network_policy(index: Index) -> Iterator[Hit]:
    covering = _selected_by(index, "NetworkPolicy")
    for pod in index.pods:
        types: set[str] = set()
        for policy in covering.get(pod.number, []):
            types |= _policy_types(policy)
        missing = [kind for kind in ("Ingress", "Egress") if kind not in types]
        if missing:
            yield Hit(
                pod.manifest,
                f"no NetworkPolicy restricts {' or '.join(missing).lower()} traffic of these pods",
                (*pod.template_path, "metadata", "labels") if pod.template_path else ("metadata",),
            )
