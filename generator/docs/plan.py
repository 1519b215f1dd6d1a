"""What the scripts do, computed from the graph: files per apply stage, Secrets to create,
rollouts and claims to wait for, and the checks of test-connectivity.sh."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.graph import Graph
from generator.graph.model import Database, Workload

STAGES = ("namespaces", "storage", "networking", "workloads", "custom", "gitops")
# The kinds a GitOps controller reconciles (Argo CD's, Flux's): a file that holds only these
# is applied by deploy-all.sh --gitops alone; every other manifest file, always.
GITOPS_KINDS = frozenset({"Application", "ApplicationSet", "AppProject", "Kustomization", "HelmRelease",
                          "GitRepository", "HelmRepository", "OCIRepository"})


def gitops_file(kinds: Iterable[str]) -> bool:
    """Whether a file of objects of ``kinds`` is for a GitOps controller only."""
    found = tuple(kinds)
    return bool(found) and all(kind in GITOPS_KINDS for kind in found)
_STAGE_OF_KIND = {
    "Namespace": 0,
    "StorageClass": 1, "PersistentVolumeClaim": 1, "PersistentVolume": 1, "VolumeSnapshotClass": 1,
    "Service": 2, "Ingress": 2, "IngressClass": 2, "NetworkPolicy": 2, "EndpointSlice": 2,
}  # fmt: skip
# Within a stage, files apply in this order of their kinds (after Helm's install order), so
# a StorageClass exists before its claims and a ConfigMap before the pods that mount it.
_ORDER = (
    "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodDisruptionBudget",
    "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume",
    "PersistentVolumeClaim", "Role", "RoleBinding", "Service", "DaemonSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
)  # fmt: skip
# The kinds ``kubectl rollout status`` waits for (a Job or CronJob has no rollout).
ROLLOUT_KINDS = ("Deployment", "StatefulSet", "DaemonSet")


@dataclass(frozen=True)
class Secret:
    """An external Secret the workloads of ``namespaces`` read (``keys``): copied from
    ``source``, the namespace where an add-on of the env creates it, or else created with a
    random value."""

    name: str
    namespaces: tuple[str, ...]
    keys: tuple[str, ...]
    source: str | None = None

    @property
    def origin(self) -> str:
        """``source/name``: where the copies come from (the name alone without a source)."""
        return f"{self.source}/{self.name}" if self.source else self.name


@dataclass(frozen=True)
class Probe:
    """A call of ``source`` to ``host:port``, tried from inside the caller's container."""

    namespace: str
    workload: str  # kubectl ref
    container: str
    host: str
    port: int
    health: str | None  # HTTP path to time (None: a TCP connect)


@dataclass(frozen=True)
class Persistence:
    """A claim-mounting workload: a row written through its ``database`` (else a file written
    at ``path``) must still be there after its pod is replaced."""

    namespace: str
    workload: str
    selector: str
    container: str
    path: str
    database: Database | None = None


@dataclass(frozen=True)
class Plan:
    env: str
    files: dict[str, tuple[str, ...]]  # stage -> files
    ingress_classes: tuple[str, ...]
    secrets: tuple[Secret, ...]
    workloads: tuple[Workload, ...]
    claims_now: tuple[tuple[str, str], ...]  # (namespace, claim) bound without a consumer
    claims_later: tuple[tuple[str, str], ...]  # WaitForFirstConsumer: bound once a pod mounts them
    claims_unmounted: tuple[tuple[str, str], ...]  # WaitForFirstConsumer, mounted by no running pod
    probes: tuple[Probe, ...]
    persistence: tuple[Persistence, ...]


def stage_of(kinds: tuple[str, ...], custom: frozenset[str] = frozenset()) -> int:
    """A file is applied in the latest stage any of its kinds needs; custom resources
    (kinds served by CRDs) after every built-in object."""
    return max((4 if kind in custom else _STAGE_OF_KIND.get(kind, 3) for kind in kinds), default=3)


def _rank(kinds: tuple[str, ...]) -> int:
    return min((_ORDER.index(kind) if kind in _ORDER else len(_ORDER) for kind in kinds), default=len(_ORDER))


def plan(
    graph: Graph, env: str, custom: frozenset[str] = frozenset(), sources: Mapping[str, str] | None = None
) -> Plan:
    """``sources``: Secret name -> the namespace where an add-on of the env creates it."""
    files: dict[str, list[str]] = {stage: [] for stage in STAGES}
    for name, kinds in graph.files.items():
        files["gitops" if gitops_file(kinds) else STAGES[stage_of(kinds, custom)]].append(name)
    modes = {sc.name: sc.binding_mode for sc in graph.storage_classes}
    waiting = tuple((c.namespace, c.name) for c in graph.claims
                    if not c.template and modes.get(c.storage_class) == "WaitForFirstConsumer")
    # A Deployment's, StatefulSet's or DaemonSet's pods mount their claims as soon as they
    # run; a CronJob's only at its schedule, so its claims are not waited for.
    mounted = {(w.namespace, mount.claim) for w in graph.workloads if w.kind in ROLLOUT_KINDS for mount in w.mounts}
    later = tuple(claim for claim in waiting if claim in mounted)
    now = tuple((c.namespace, c.name) for c in graph.claims if not c.template and (c.namespace, c.name) not in waiting)
    return Plan(
        env=env,
        files={stage: tuple(sorted(names, key=lambda n: (_rank(graph.files[n]), n))) for stage, names in files.items()},
        ingress_classes=tuple(sorted({r.ingress_class for r in graph.routes if r.ingress_class})),
        secrets=_secrets(graph, sources or {}),
        workloads=tuple(w for w in graph.workloads if w.kind in ROLLOUT_KINDS),
        claims_now=now,
        claims_later=later,
        claims_unmounted=tuple(claim for claim in waiting if claim not in mounted),
        probes=_probes(graph),
        persistence=_persistence(graph),
    )


def _secrets(graph: Graph, sources: Mapping[str, str]) -> tuple[Secret, ...]:
    """External Secrets: every namespace whose workloads read one gets a copy (same value)."""
    namespaces: dict[str, set[str]] = {}
    keys: dict[str, set[str]] = {}
    for workload in graph.workloads:
        for use in workload.secrets:
            if use.external:
                namespaces.setdefault(use.name, set()).add(workload.namespace)
                keys.setdefault(use.name, set()).update(use.keys)
    return tuple(Secret(name, tuple(sorted(found)), tuple(sorted(keys[name])), sources.get(name))
                 for name, found in sorted(namespaces.items()))


def _probes(graph: Graph) -> tuple[Probe, ...]:
    probes = []
    for edge in graph.edges:
        source = graph.workload(edge.source)
        service = graph.service(edge.service)
        if source is None or service is None or edge.port is None:
            continue
        backends = [graph.workload(key) for key in service.backends]
        health = next((w.health for w in backends if w is not None and w.health), None) if edge.http else None
        probes.append(Probe(source.namespace, source.ref, source.container, service.dns, edge.port, health))
    return tuple(probes)


def _persistence(graph: Graph) -> tuple[Persistence, ...]:
    found = []
    for workload in graph.workloads:
        if workload.mounts and workload.selector and workload.kind in ROLLOUT_KINDS:
            mount = workload.mounts[0]
            selector = ",".join(f"{key}={value}" for key, value in workload.selector.items())
            found.append(Persistence(workload.namespace, workload.ref, selector, mount.container, mount.path,
                                     workload.database))
    return tuple(found)
