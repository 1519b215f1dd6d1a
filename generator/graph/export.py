"""The graph as text: Mermaid, Graphviz DOT or JSON (``cmgen graph --format``)."""

from __future__ import annotations

import dataclasses
import json

from generator.graph.model import Graph, format_bytes
from generator.graph.view import View, dataflow

FORMATS = ("mermaid", "dot", "json")
_ARROWS = {"route": "-->", "call": "-->", "mount": "-.->", "bind": "-.->", "split": "==>", "traces": "-.->", "logs": "-.->", "telemetry": "-.->"}
_STYLES = {
    "client": "fill:#fde2e2,stroke:#c0392b",
    "host": "fill:#ff6b6b,stroke:#c0392b,color:#fff",
    "workload": "fill:#d6eaf8,stroke:#2874a6",
    "service": "fill:#fadbd8,stroke:#922b21",
    "claim": "fill:#d5f5e3,stroke:#1e8449",
    "class": "fill:#fcf3cf,stroke:#b7950b",
    "sink": "fill:#e8daef,stroke:#6c3483",
}


def _quote(text: str) -> str:
    return text.replace('"', "#quot;")


def mermaid(view: View) -> str:
    """A ``graph LR`` flowchart: one subgraph per column, tiers left to right."""
    lines = ["graph LR"]
    kinds: dict[str, list[str]] = {}
    for number, column in enumerate(view.columns):
        lines.append(f'  subgraph col{number}["{_quote(column.title)}"]')
        for node in column.nodes:
            label = "<br/>".join(_quote(line) for line in node.lines)
            lines.append(f'    {node.id}["{label}"]')
            kinds.setdefault(node.kind, []).append(node.id)
        lines.append("  end")
    for link in view.links:
        arrow = _ARROWS.get(link.kind, "-->")
        label = f'|"{_quote(link.label)}"|' if link.label else ""
        lines.append(f"  {link.source} {arrow}{label} {link.target}")
    for kind, ids in sorted(kinds.items()):
        lines.append(f"  classDef k_{kind} {_STYLES.get(kind, '')}")
        lines.append(f"  class {','.join(ids)} k_{kind}")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(view: View) -> str:
    lines = [f"digraph {_dot_quote(view.title)} {{", "  rankdir=LR;", "  node [shape=box, fontname=\"DejaVu Sans\"];"]
    for number, column in enumerate(view.columns):
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(f"    label={_dot_quote(column.title)};")
        for node in column.nodes:
            label = "\\n".join(_dot_quote(line)[1:-1] for line in node.lines)
            lines.append(f'    {node.id} [label="{label}"];')
        lines.append("  }")
    for link in view.links:
        style = ", style=dashed" if link.kind in ("mount", "bind") else ""
        lines.append(f"  {link.source} -> {link.target} [label={_dot_quote(link.label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def as_json(graph: Graph) -> str:
    data = dataclasses.asdict(graph)
    data["tiers"] = graph.tiers()
    data["requested_storage"] = format_bytes(graph.requested_bytes)
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def export(graph: Graph, format: str) -> str:
    if format == "json":
        return as_json(graph)
    view = dataflow(graph)
    return mermaid(view) if format == "mermaid" else dot(view)
