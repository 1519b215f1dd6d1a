"""The three PNG charts of docs/screenshots/ (the topology, the pod-to-pod mesh, and the
storage the claims request), drawn from graph views with matplotlib.

matplotlib is imported inside ``draw`` only, so the rest of cmgen starts fast. The output
is deterministic: the Agg canvas, DejaVu Sans (shipped with matplotlib), fixed sizes, no
date or software name in the file. Each PNG records in a tEXt chunk the sha256 of the data
it was drawn from (``pngmeta.SOURCE_KEY``); drift checks compare that, not pixels.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
from typing import Any

from generator import pngmeta
from generator.graph import Graph, view
from generator.graph import mesh as mesh_graph
from generator.docs.style import DPI
from generator.graph.model import format_bytes

# Bump when the drawing code changes what a chart shows: it is part of the source hash.
CHART_VERSION = 2


def source(kind: str, data: Any) -> str:
    """What a chart is drawn from, as canonical JSON (its hash goes into the PNG)."""
    return json.dumps({"chart": kind, "version": CHART_VERSION, "data": data}, sort_keys=True)


def charts(graph: Graph) -> dict[str, tuple[str, str]]:
    """File name -> (chart kind, source JSON) for the three charts of a graph."""
    mesh = _mesh_data(graph)
    storage = [dataclasses.asdict(claim) for claim in graph.claims]
    classes = [dataclasses.asdict(sc) for sc in graph.storage_classes]
    return {
        "network-topology.png": ("topology", source("topology", dataclasses.asdict(view.topology(graph)))),
        "service-mesh.png": ("mesh", source("mesh", mesh)),
        "storage-requests.png": ("storage", source("storage", {"claims": storage, "classes": classes})),
    }


def _mesh_data(graph: Graph) -> dict[str, Any]:
    mesh = dataclasses.asdict(view.topology(graph))
    mesh["columns"] = [c for c in (mesh["columns"][2:] if graph.routes else mesh["columns"]) if c["title"] != view.SINKS]
    edges = {(view.node_id("w", e.source), f"{e.variable}:{e.port}" if e.port else e.variable): e
             for e in graph.edges}
    keys = {view.node_id("w", w.key): w.key for w in graph.workloads}
    links = []
    for link in mesh["links"]:
        if link["kind"] != "call":
            continue
        edge = edges.get((link["source"], link["label"]))
        links.append({**link, "blocked": edge is not None and not _allowed(graph, edge.source, edge.service, edge.port)})
        share = mesh_graph.shares(graph, edge.source, edge.service).get(keys.get(link["target"], "")) if edge else None
        if share is not None:  # only on split calls, so charts without a canary keep their data
            links[-1]["split"] = {"subset": share[0], "weight": share[1]}
    mesh["links"] = links
    if graph.splits:
        mesh["splits"] = [dataclasses.asdict(split) for split in graph.splits]
    mesh["replicas"] = {view.node_id("w", w.key): w.replicas for w in graph.workloads}
    mesh["policies"] = dataclasses.asdict(graph.policies) if graph.policies else None
    routed: set[str] = set()
    for route in graph.routes:
        service = graph.service(route.service)
        routed.update(view.node_id("w", key) for key in (service.backends if service else ()))
    mesh["routed"] = sorted(routed)
    return mesh


def _allowed(graph: Graph, source_key: str, service_key: str, port: int | None) -> bool:
    """Whether the NetworkPolicies let ``source`` reach every backend of the Service."""
    if graph.policies is None:
        return True
    service = graph.service(service_key)
    for backend in service.backends if service else ():
        target = graph.workload(backend)
        number = _target_port(service, target, port) if service and target else None
        allow = next((a for a in graph.policies.allows if a.source == source_key and a.target == backend), None)
        if allow is None or (allow.ports != ("any",) and number is not None
                             and not any(p.endswith(f"/{number}") for p in allow.ports)):
            return False
    return True


def _target_port(service: Any, target: Any, port: int | None) -> int | None:
    for entry in service.ports:
        if port is None or entry.port == port:
            if entry.target.isdigit():
                return int(entry.target)
            return next((p.number for p in target.ports if p.name == entry.target), None)
    return None


def digest(source_json: str) -> str:
    return hashlib.sha256(source_json.encode()).hexdigest()


def figure(kind: str, source_json: str) -> Any:
    """The matplotlib Figure of a chart, laid out (tests measure what it draws)."""
    import matplotlib

    matplotlib.use("Agg")
    from generator.docs import painter

    data = json.loads(source_json)["data"]
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 10}):
        return {"topology": painter.topology, "mesh": painter.mesh, "storage": painter.storage}[kind](data)


@functools.lru_cache(maxsize=32)
def draw(kind: str, source_json: str) -> bytes:
    """The PNG of a chart; cached per process by its source (same data, same picture)."""
    import matplotlib

    chart = figure(kind, source_json)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 10}):
        chart.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None, pngmeta.SOURCE_KEY: digest(source_json)})
    return buffer.getvalue()


__all__ = ["charts", "digest", "draw", "figure", "format_bytes", "source"]
