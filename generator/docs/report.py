"""The facts of docs/network-storage-analysis.md, computed from the graph (the template
``network-storage-analysis.md.j2`` only lays them out)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from generator.docs.disks import Disk, disk
from generator.docs.settings import Settings
from generator.graph import Graph, format_bytes
from generator.graph.model import Claim, StorageClass
from generator.graph.export import mermaid
from generator.graph.view import dataflow, observability, storage_summary, topology


@dataclass(frozen=True)
class Advice:
    """A recommendation the objects call for; the template words it (``key``) per language."""

    term: str  # short, mid, long
    key: str  # policies, tls, monitoring, autoscaling, backups, snapshots, recovery
    names: tuple[str, ...] = ()  # what it is about (workloads, provisioners)


@dataclass(frozen=True)
class ClassPerformance:
    """A StorageClass, its documented disk (None: not in cmgen's data), and per claim of
    it: (claim, read IOPS, write IOPS, MiB/s) by the documented per-GiB figures."""

    storage_class: StorageClass
    disk: Disk | None
    claims: tuple[tuple[Claim, int, int, float], ...]


def readme_link(files: dict[str, bytes]) -> tuple[str, int] | None:
    """The link (relative to docs/) to the README section listing the tutorial's defects that
    cmgen fixes, and how many rows it has; None when the tree has no such section."""
    data = files.get("README.md")
    if data is None:
        return None
    text = data.decode("utf-8", "replace")
    for match in re.finditer(r"^## (.*fix.*)$", text, flags=re.MULTILINE | re.IGNORECASE):
        body = text[match.end():].split("\n## ", 1)[0]
        rows = len(re.findall(r"^\| *[0-9]+ *\|", body, flags=re.MULTILINE))
        return f"../README.md#{_anchor(match.group(1))}", rows
    return "../README.md", 0


def _anchor(heading: str) -> str:
    """GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def service_types(graph: Graph) -> str:
    counts = Counter("headless" if s.headless else s.type for s in graph.services)
    return ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "none"


def matrix(graph: Graph) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the allow matrix: sources down, targets across (workloads and
    outside peers); a cell lists the allowed ports."""
    if graph.policies is None:
        return [], []
    allows = graph.policies.allows
    sources = sorted({a.source for a in allows}, key=lambda key: (graph.workload(key) is not None, key))
    targets = sorted({a.target for a in allows}, key=lambda key: (graph.workload(key) is None, key))
    cells = {(a.source, a.target): ", ".join(a.ports) for a in allows}
    rows = [[source] + [cells.get((source, target), "·") for target in targets] for source in sources]
    return ["from \\ to"] + targets, rows


def advice(graph: Graph, kinds: set[str], settings: Settings) -> list[Advice]:
    """Recommendations: the env's features that are off, on the horizon the values schema
    gives them; without ``features`` in the values, what the objects lack."""
    if settings.features:
        found = [Advice(f.horizon, "feature", (f.name,)) for f in settings.features if not f.on]
    else:
        found = _lacking(graph, kinds)
    return found + [Advice("long", "recovery")]


def _lacking(graph: Graph, kinds: set[str]) -> list[Advice]:
    found = []
    if graph.policies is None:
        found.append(Advice("short", "policies"))
    if graph.routes and not any(route.tls for route in graph.routes):
        found.append(Advice("short", "tls"))
    if "ServiceMonitor" not in kinds and "PodMonitor" not in kinds:
        found.append(Advice("short", "monitoring"))
    scaled = [w.name for w in graph.workloads if w.kind == "Deployment" and w.replicas > 1 and w.autoscaled is None]
    if scaled and "HorizontalPodAutoscaler" not in kinds:
        found.append(Advice("mid", "autoscaling", tuple(scaled)))
    if graph.claims and "CronJob" not in kinds:
        found.append(Advice("mid", "backups"))
    if graph.claims and "VolumeSnapshotClass" not in kinds:
        provisioners = tuple(sorted({sc.provisioner for sc in graph.storage_classes}))
        found.append(Advice("mid", "snapshots", provisioners))
    return found


def storage_performance(graph: Graph, known: tuple[Disk, ...] = ()) -> list[ClassPerformance]:
    found = []
    for storage_class in graph.storage_classes:
        documented = disk(storage_class, known)
        claims = tuple(
            (claim, *(documented.iops(claim.bytes) if documented else (0, 0)),
             documented.throughput(claim.bytes) if documented else 0.0)
            for claim in graph.claims
            if claim.storage_class == storage_class.name
        )
        found.append(ClassPerformance(storage_class, documented, claims))
    return found


def context(
    graph: Graph, env: str, files: dict[str, bytes], kinds: set[str], settings: Settings = Settings()
) -> dict[str, object]:
    header, rows = matrix(graph)
    by_class = storage_summary(graph)
    return {
        "graph": graph,
        "env": env,
        "readme": readme_link(files),
        "service_types": service_types(graph),
        "matrix_header": header,
        "matrix_rows": rows,
        "by_class": by_class,
        "total": format_bytes(graph.requested_bytes) if graph.requested_bytes else "0",
        "unmounted_workloads": [w.name for w in graph.workloads if not w.mounts],
        "advice": advice(graph, kinds, settings),
        "settings": settings,
        "features": {f.name: f for f in settings.features},
        "storage_performance": storage_performance(graph, settings.disks),
        "topology": mermaid(topology(graph)),
        "dataflow": mermaid(dataflow(graph)),
        "observability": mermaid(observability(graph)) if graph.splits or graph.telemetry else "",
        "kinds": kinds,
    }
