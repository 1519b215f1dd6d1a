"""Views of the graph for drawing: columns of nodes (tiers, left to right) and links.

Mermaid, DOT and the PNG charts all draw these views, so every picture of the platform
shows the same facts in the same order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.graph.model import Graph, Workload, format_bytes


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple[str, ...]  # first line is the name
    kind: str  # client, host, workload, service, claim, class


@dataclass(frozen=True)
class Column:
    title: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str
    kind: str  # route, call, mount, bind
    anchor: int = 0  # the line of the source node this link leaves from (0: anywhere)


@dataclass(frozen=True)
class View:
    title: str
    columns: tuple[Column, ...]
    links: tuple[Link, ...]


def node_id(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).strip("_")


def _workload_node(graph: Graph, workload: Workload) -> tuple[Node, list[Link]]:
    """A workload with the Services selecting it, then one line per call it makes (the
    call's link leaves from that line)."""
    lines = [workload.name, f"{workload.kind} {workload.scale}"]
    for service in graph.services:
        if workload.key in service.backends:
            ports = ",".join(str(port.port) for port in service.ports)
            kind = "headless" if service.headless else service.type
            lines.append(f"svc {service.name} :{ports} {kind}")
    links = []
    for edge in graph.edges:
        if edge.source == workload.key:
            port = f":{edge.port}" if edge.port else ""
            name = edge.service.partition("/")[2]
            lines.append(f"{edge.variable} → {name}{port}")
            for target in _targets(graph, edge.service):
                links.append(Link(node_id("w", workload.key), target, f"{edge.variable}{port}", "call", len(lines) - 1))
    return Node(node_id("w", workload.key), tuple(lines), "workload"), links


def _hosts(graph: Graph) -> tuple[Column, list[Link]]:
    """One node per Ingress host, one line per path (its route leaves from that line)."""
    nodes, links = [], []
    for host in sorted({route.host for route in graph.routes}):
        lines = [host]
        for route in (r for r in graph.routes if r.host == host):
            lines.append(f"{route.path} → {route.service.partition('/')[2]}:{route.port}")
            for target in _targets(graph, route.service):
                links.append(Link(node_id("h", host), target, f"{route.path} :{route.port}", "route", len(lines) - 1))
        nodes.append(Node(node_id("h", host), tuple(lines), "host"))
    return Column("Ingress", tuple(nodes)), links


def _namespace_columns(graph: Graph) -> tuple[list[Column], list[Link]]:
    columns, links = [], []
    for tier in graph.tiers():
        for namespace in tier:
            nodes = []
            for workload in graph.workloads:
                if workload.namespace == namespace:
                    node, calls = _workload_node(graph, workload)
                    nodes.append(node)
                    links.extend(calls)
            orphans = [
                Node(node_id("s", s.key), (s.name, f"Service {s.type}", "no backing workload"), "service")
                for s in graph.services
                if s.namespace == namespace and not s.backends
            ]
            if nodes or orphans:
                columns.append(Column(f"namespace {namespace}", tuple(nodes + orphans)))
    return columns, links


def _targets(graph: Graph, service_key: str) -> list[str]:
    service = graph.service(service_key)
    if service is None:
        return []
    if not service.backends:
        return [node_id("s", service.key)]
    return [node_id("w", key) for key in service.backends]


SINKS = "Declared endpoints"


def _sinks(graph: Graph) -> tuple[list[Column], list[Link]]:
    """Where logs and traces go when no Service of the manifests receives them: an endpoint
    the pods declare (an Elasticsearch, a collector), drawn so no sender sits alone."""
    known = {service.dns for service in graph.services}
    outside = [t for t in graph.telemetry if t.target.rpartition(":")[0] not in known and t.target not in known]
    nodes = tuple(
        Node(node_id("t", target), (target.split(".")[0], target, f"receives {signal}, not in these manifests"), "sink")
        for signal, target in sorted({(t.signal, t.target) for t in outside})
    )
    links = [Link(node_id("w", t.source), node_id("t", t.target), t.signal, "telemetry") for t in outside]
    return ([Column(SINKS, nodes)] if nodes else []), links


def topology(graph: Graph) -> View:
    """Clients -> Ingress hosts -> workloads (with their Services) by namespace tier, then
    the endpoints outside the manifests that logs and traces are sent to."""
    clients = Column("Clients", (Node("clients", ("clients",), "client"),))
    hosts, routes = _hosts(graph)
    links = [Link("clients", node.id, "HTTP", "route") for node in hosts.nodes]
    columns = [clients, hosts] if hosts.nodes else []
    namespaces, calls = _namespace_columns(graph)
    sinks, sent = _sinks(graph)
    return View(
        f"{graph.platform} network topology",
        tuple(columns + namespaces + sinks),
        tuple(links + routes + calls + sent),
    )


def dataflow(graph: Graph) -> View:
    """The topology plus where data rests: workloads -> PVCs -> StorageClasses."""
    base = topology(graph)
    claims = tuple(
        Node(node_id("c", c.key), (c.name, f"{c.request} {c.storage_class or '(default class)'}"), "claim")
        for c in graph.claims
    )
    classes = tuple(
        Node(node_id("sc", sc.name), (sc.name, sc.provisioner, f"reclaim {sc.reclaim_policy}"), "class")
        for sc in graph.storage_classes
    )
    links = list(base.links)
    for claim in graph.claims:
        for user in claim.mounted_by:
            links.append(Link(node_id("w", user), node_id("c", claim.key), "mounts", "mount"))
        if claim.storage_class:
            links.append(Link(node_id("c", claim.key), node_id("sc", claim.storage_class), "", "bind"))
    columns = list(base.columns)
    if claims:
        columns.append(Column("PersistentVolumeClaims", claims))
    if classes:
        columns.append(Column("StorageClasses", classes))
    return View(f"{graph.platform} data flow", tuple(columns), tuple(links))


def storage_summary(graph: Graph) -> list[tuple[str, int, str]]:
    """(class, requested bytes, as a quantity) per StorageClass, in name order."""
    totals: dict[str, int] = {}
    for claim in graph.claims:
        totals[claim.storage_class or "(default)"] = totals.get(claim.storage_class or "(default)", 0) + claim.bytes
    return [(name, amount, format_bytes(amount)) for name, amount in sorted(totals.items())]


def observability(graph: Graph) -> View:
    """Mesh routes and telemetry: weighted splits Service -> workloads, and the traces and
    logs workloads send to collectors outside the platform."""
    routed = sorted({split.service for split in graph.splits})
    services: list[Node] = []
    links: list[Link] = []
    for key in routed:
        namespace, _, name = key.partition("/")
        shares = [s for s in graph.splits if s.service == key]
        lines = [name, f"mTLS {graph.mtls.get(namespace, 'none')}", " / ".join(f"{s.subset} {s.weight}%" for s in shares)]
        services.append(Node(node_id("s", key), tuple(lines), "service"))
        for share in shares:
            links.extend(Link(node_id("s", key), node_id("w", w), f"{share.subset} {share.weight}%", "split")
                         for w in share.workloads)
    sources = sorted({w for s in graph.splits for w in s.workloads} | {t.source for t in graph.telemetry})
    workloads = tuple(
        Node(node_id("w", key), (key.partition("/")[2], f"namespace {key.partition('/')[0]}"), "workload")
        for key in sources
    )
    sinks = sorted({(t.signal, t.target) for t in graph.telemetry})
    targets = tuple(Node(node_id("t", signal, target), (target.split(".")[0], f"{signal} ← {target}"), "sink")
                    for signal, target in sinks)
    links.extend(Link(node_id("w", t.source), node_id("t", t.signal, t.target), t.signal, t.signal) for t in graph.telemetry)
    columns = [Column(title, nodes) for title, nodes in
               (("Mesh routes", tuple(services)), ("Workloads", workloads), ("Telemetry sinks", targets)) if nodes]
    return View(f"{graph.platform} mesh and observability", tuple(columns), tuple(links))
