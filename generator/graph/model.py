"""The platform graph: what the rendered objects say about namespaces, workloads, traffic
and storage, as plain frozen data (sorted, so every export of it is deterministic)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Binary suffixes first: Kubernetes writes a quantity with the largest exact suffix.
_SUFFIXES = (
    ("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10),
    ("E", 10**18), ("P", 10**15), ("T", 10**12), ("G", 10**9), ("M", 10**6), ("k", 10**3),
)  # fmt: skip


def format_bytes(amount: int) -> str:
    """``53687091200`` -> ``50Gi``: the largest suffix that divides exactly, else bytes."""
    for suffix, factor in _SUFFIXES:
        if amount and amount % factor == 0:
            return f"{amount // factor}{suffix}"
    return str(amount)


@dataclass(frozen=True)
class Namespace:
    name: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Port:
    name: str
    number: int
    protocol: str


@dataclass(frozen=True)
class Mount:
    """A PersistentVolumeClaim mounted by a container."""

    claim: str
    container: str
    path: str


@dataclass(frozen=True)
class SecretUse:
    """A Secret the pods read; ``keys`` are the files they read from it (when known)."""

    name: str
    keys: tuple[str, ...]
    external: bool  # declared in the annotation cmgen.io/external-secrets


@dataclass(frozen=True)
class Database:
    """A database server in a workload's container, as its official image is configured: the
    account the image creates, with the password it reads from ``password_file``."""

    engine: str  # a key of the values' engines
    container: str
    user: str
    name: str  # the database the image creates
    password_file: str
    port: int


@dataclass(frozen=True)
class Workload:
    kind: str
    namespace: str
    name: str
    replicas: int
    labels: dict[str, str]  # the pods' labels
    selector: dict[str, str]  # spec.selector.matchLabels
    container: str  # the first container
    images: tuple[str, ...]
    ports: tuple[Port, ...]
    mounts: tuple[Mount, ...] = ()
    secrets: tuple[SecretUse, ...] = ()
    health: str | None = None  # path of the first HTTP readiness probe
    description: str = ""
    autoscaled: tuple[int, int] | None = None  # (min, max) of the HPA that scales it
    database: Database | None = None

    @property
    def scale(self) -> str:
        """``×3``, or ``×3–9 (HPA)`` when an autoscaler owns the replica count."""
        if self.autoscaled is None:
            return f"×{self.replicas}"
        low, high = self.autoscaled
        return f"×{low}–{high} (HPA)"

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def ref(self) -> str:
        """``deployment/user-service``, as kubectl names it."""
        return f"{self.kind.lower()}/{self.name}"


@dataclass(frozen=True)
class ServicePort:
    name: str
    port: int
    target: str  # targetPort: a number or a port name, as text
    protocol: str


@dataclass(frozen=True)
class Service:
    namespace: str
    name: str
    type: str
    headless: bool
    ports: tuple[ServicePort, ...]
    selector: dict[str, str]
    backends: tuple[str, ...]  # keys of the workloads whose pods the selector matches

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def dns(self) -> str:
        return f"{self.name}.{self.namespace}.svc.cluster.local"


@dataclass(frozen=True)
class Route:
    """One Ingress rule path: ``host`` + ``path`` -> ``service:port``."""

    ingress: str  # namespace/name of the Ingress
    ingress_class: str
    host: str
    path: str
    path_type: str
    service: str  # namespace/name
    port: str  # number or port name, as text
    tls: bool


@dataclass(frozen=True)
class Edge:
    """A container env var holding a Service's cluster DNS name: ``source`` calls ``service``."""

    source: str  # workload key
    variable: str
    service: str  # service key
    port: int | None
    http: bool


@dataclass(frozen=True)
class StorageClass:
    name: str
    provisioner: str
    reclaim_policy: str
    expansion: bool
    binding_mode: str
    default: bool = False
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    namespace: str
    name: str
    storage_class: str  # "" = the cluster's default class
    request: str  # as written, e.g. 10Gi
    bytes: int
    access_modes: tuple[str, ...]
    mounted_by: tuple[str, ...]  # workload keys
    template: bool = False  # created by a StatefulSet's volumeClaimTemplates

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True)
class Allow:
    """Traffic the NetworkPolicies let through, from ``source`` to ``target`` on ``ports``.

    ``source``/``target`` are workload keys, or a peer outside the manifests in words
    (``namespace ingress-nginx``)."""

    source: str
    target: str
    ports: tuple[str, ...]  # "TCP/8080"; ("any",) when every port is allowed


@dataclass(frozen=True)
class Policies:
    names: tuple[str, ...]  # namespace/name of every NetworkPolicy
    isolated: tuple[str, ...]  # workload keys selected by some policy (ingress or egress)
    allows: tuple[Allow, ...]


@dataclass(frozen=True)
class Split:
    """One weighted destination of an Istio VirtualService route to a Service."""

    service: str  # namespace/name
    subset: str
    weight: int
    workloads: tuple[str, ...]  # keys of the workloads whose pods the subset selects


@dataclass(frozen=True)
class Telemetry:
    """Observability traffic leaving a workload: ``traces`` (OTLP) or ``logs`` (a node log
    shipper); ``target`` is host:port."""

    source: str  # workload key
    signal: str
    target: str


@dataclass(frozen=True)
class Graph:
    platform: str
    namespaces: tuple[Namespace, ...] = ()
    workloads: tuple[Workload, ...] = ()
    services: tuple[Service, ...] = ()
    routes: tuple[Route, ...] = ()
    edges: tuple[Edge, ...] = ()
    storage_classes: tuple[StorageClass, ...] = ()
    claims: tuple[Claim, ...] = ()
    policies: Policies | None = None
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # file -> kinds in it
    mtls: dict[str, str] = field(default_factory=dict)  # namespace -> Istio mTLS mode
    splits: tuple[Split, ...] = ()
    telemetry: tuple[Telemetry, ...] = ()

    def workload(self, key: str) -> Workload | None:
        return next((item for item in self.workloads if item.key == key), None)

    def service(self, key: str) -> Service | None:
        return next((item for item in self.services if item.key == key), None)

    @property
    def requested_bytes(self) -> int:
        return sum(claim.bytes for claim in self.claims)

    def tiers(self) -> list[list[str]]:
        """Namespaces left to right: by how many hops from the Ingress their first workload is;
        namespaces no request reaches (a log shipper's) come last."""
        depth = self.depths()
        connected = {edge.source for edge in self.edges} | {
            backend
            for service in self.services
            if any(edge.service == service.key for edge in self.edges)
            or any(route.service == service.key for route in self.routes)
            for backend in service.backends
        }
        rank: dict[str, int] = {}
        for workload in self.workloads:
            if workload.key in connected:
                level = depth.get(workload.key, 0)
                rank[workload.namespace] = min(rank.get(workload.namespace, level), level)
        names = sorted({ns.name for ns in self.namespaces} | set(rank))
        columns: dict[int, list[str]] = {}
        for name in names:
            columns.setdefault(rank.get(name, max(rank.values(), default=0) + 1), []).append(name)
        return [columns[level] for level in sorted(columns)]

    def depths(self) -> dict[str, int]:
        """Workload key -> longest call path from the Ingress (1 = routed by an Ingress)."""
        calls: dict[str, set[str]] = {}
        for edge in self.edges:
            service = self.service(edge.service)
            for backend in service.backends if service else ():
                calls.setdefault(edge.source, set()).add(backend)
        depth: dict[str, int] = {}
        for route in self.routes:
            service = self.service(route.service)
            for backend in service.backends if service else ():
                depth[backend] = 1
        for workload in self.workloads:
            depth.setdefault(workload.key, 0 if any(workload.key in t for t in calls.values()) else 1)
        for _ in range(len(self.workloads)):  # longest paths; a cycle stops after n rounds
            changed = False
            for source, targets in calls.items():
                for target in targets:
                    if depth.get(source, 1) + 1 > depth.get(target, 0):
                        depth[target] = depth.get(source, 1) + 1
                        changed = True
            if not changed:
                break
        return depth
