"""matplotlib drawing of the charts (imported only by ``charts.draw``).

Every function takes the chart's source data (plain JSON data) and returns a Figure; the
layout puts tiers in columns left to right, so arrows mostly run left to right too."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path

from generator.docs.style import CLASS_COLOURS, COLOURS, DPI, LINKS
from generator.docs.layout import BAND, Box, Layout, Placer, layout, route
from generator.graph.model import format_bytes

TOP = 1.0  # inches above the columns for the title
FOOT = 0.9  # inches below the columns for the legend
SQUARES = 5  # pod squares drawn at most per box (the count is written beside them)


def _figure(columns: list[dict[str, Any]], plan: Layout, title: str, footer: str) -> tuple[Figure, Any, Placer]:
    width = max(plan.width, 12.0)
    height = plan.height + TOP + FOOT
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(-FOOT, plan.height + TOP)
    axes.axis("off")
    placer = Placer(axes)
    placer.block(axes.text(0.3, plan.height + TOP - 0.45, title, fontsize=16, fontweight="bold", va="center"))
    wrapped = "\n".join(textwrap.fill(part, width=int(width * 13)) for part in footer.split("\n"))
    placer.block(axes.text(0.3, -0.15, wrapped, fontsize=9, color="#555555", va="top"))
    for number, column in enumerate(columns):
        left, right = plan.columns[number]
        axes.add_patch(Rectangle((left - BAND, 0), right - left + 2 * BAND, plan.height,
                                 facecolor="#f4f6f7", edgecolor="#d5dbdb"))
        placer.region(left - BAND, 0, right + BAND, plan.height)
        placer.block(axes.text((left + right) / 2, plan.height + 0.22, column["title"], ha="center", va="center",
                               fontsize=12, fontweight="bold", color="#34495e"))
    for key, box in plan.boxes.items():
        placer.box(key, box)
    return figure, axes, placer


def _box(placer: Placer, node: dict[str, Any], box: Box) -> None:
    fill, edge = COLOURS.get(node["kind"], ("#ffffff", "#333333"))
    placer.axes.add_patch(FancyBboxPatch((box.left, box.bottom), box.w, box.h,
                                         boxstyle="round,pad=0,rounding_size=0.12",
                                         facecolor=fill, edgecolor=edge, linewidth=1.4, zorder=3))
    for number, line in enumerate(node["lines"]):
        placer.hold(node["id"], placer.axes.text(
            box.x, box.line_y(number), line, ha="center", va="center", zorder=4,
            fontsize=11 if number == 0 else 9, fontweight="bold" if number == 0 else "normal",
            color="#ffffff" if node["kind"] == "host" else "#17202a"))


def _spread(box: Box, index: int, count: int) -> float:
    if count == 1:
        return box.y
    usable = box.h * 0.7
    return box.y + usable / 2 - usable * index / (count - 1)


def _arrows(placer: Placer, links: list[dict[str, Any]], plan: Layout, colour: Any = None) -> None:
    """Each link routed around the boxes; its label (once per source and text) near its
    start, its note (a canary weight, once per target and text) inside the box it points at."""
    boxes = plan.boxes
    links = [link for link in links if link["source"] in boxes and link["target"] in boxes]
    outgoing: dict[str, list[dict[str, Any]]] = {}
    incoming: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        outgoing.setdefault(link["source"], []).append(link)
        incoming.setdefault(link["target"], []).append(link)
    loops: dict[int, int] = {}
    labelled: set[tuple[str, str]] = set()
    notes: dict[tuple[str, str], str] = {}
    for link in links:
        source, target = boxes[link["source"]], boxes[link["target"]]
        if link.get("anchor"):
            start_y = source.line_y(link["anchor"])
        else:
            start_y = _spread(source, outgoing[link["source"]].index(link), len(outgoing[link["source"]]))
        end_y = _spread(target, incoming[link["target"]].index(link), len(incoming[link["target"]]))
        forward = target.column >= source.column
        start = (source.right if forward else source.left, start_y)
        end = (target.left if target.column > source.column else target.right, end_y)
        loop = loops.get(source.column, 0) if source.column == target.column else 0
        if source.column == target.column:
            loops[source.column] = loop + 1
        points = route(start, end, source, target, plan, loop)
        paint = colour(link) if colour else LINKS.get(link["kind"], "#555555")
        dashed = link.get("blocked") or link["kind"] in ("mount", "bind", "telemetry")
        placer.axes.add_patch(FancyArrowPatch(
            path=Path(points), arrowstyle="-|>", mutation_scale=14, color=paint,
            linewidth=link.get("width", 1.3), linestyle="--" if dashed else "-", zorder=2))
        if link.get("note"):
            notes.setdefault((link["target"], link["note"]), paint)
        if link.get("label") and not link.get("anchor") and (link["source"], link["label"]) not in labelled:
            labelled.add((link["source"], link["label"]))
            (x0, y0), (x1, y1) = points[1:3] if source.column == target.column else points[:2]
            dx = 0.3 if source.column == target.column else 0.0  # beside a loop's vertical run
            spots = [(x0 + (x1 - x0) * t + dx, y0 + (y1 - y0) * t + dy)
                     for dy in (0.0, 0.14, -0.14) for t in (0.25, 0.45, 0.65, 0.85, 0.12)]
            placer.put(spots, link["label"], fontsize=8, ha="center", va="center", color=paint, zorder=5,
                       bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    for (key, text), paint in notes.items():
        box = boxes[key]
        spots = [(box.left + 0.15 + step * 0.1, box.y + dy) for dy in (0.0, -0.12, 0.12) for step in range(0, 12, 2)]
        placer.put(spots, text, inside=key, fontsize=9, fontweight="bold", ha="left", va="center", color=paint,
                   zorder=6, bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": paint,
                                   "linewidth": 0.8})


def topology(data: dict[str, Any]) -> Figure:
    columns = data["columns"]
    plan = layout(columns, {})
    kinds = {link["kind"] for link in data["links"]}
    legend = ["Boxes: workloads with the Services that select them."]
    if "route" in kinds:
        legend.append("Red: Ingress routes, from the line naming the path.")
    if "call" in kinds:
        legend.append("Blue: calls the pods make (container env vars holding a Service's DNS name), "
                      "from the line naming the variable.")
    if "telemetry" in kinds:
        legend.append("Grey dashed: logs and traces sent to endpoints the pods declare, outside these manifests.")
    figure, axes, placer = _figure(columns, plan, data["title"], " ".join(legend))
    for column in columns:
        for node in column["nodes"]:
            _box(placer, node, plan.boxes[node["id"]])
    _arrows(placer, data["links"], plan)
    return figure


def mesh(data: dict[str, Any]) -> Figure:
    columns: list[dict[str, Any]] = []
    if data["routed"]:
        columns.append({"title": "Ingress controller", "nodes": [
            {"id": "ingress", "lines": ["ingress controller"], "kind": "host"}]})
    columns += [{"title": c["title"], "nodes": [{**n, "lines": n["lines"][:1]} for n in c["nodes"]]}
                for c in data["columns"]]
    pods = {key: count for key, count in data["replicas"].items()}
    plan = layout(columns, {key: 0.45 for key in pods})
    links = [{**link, "label": link["label"].rpartition(":")[2] and ":" + link["label"].rpartition(":")[2],
              "anchor": 0} for link in data["links"]]
    for link in links:
        if "split" in link:  # a canary split: its weight in the box, the arrow as thick as its share
            link["note"] = f"{link['split']['subset']} {link['split']['weight']}%".lstrip()
            link["width"] = 0.8 + 2.4 * link["split"]["weight"] / 100
    links += [{"source": "ingress", "target": key, "label": "", "kind": "route"} for key in data["routed"]]
    policies = data["policies"]
    calls = [link for link in links if link["kind"] == "call"]
    if policies is None:
        legend = ["NetworkPolicies: none in this env, so every pod may reach every pod."]
        legend += ["Blue: the calls the pods make (:port)."] if calls else []
    else:
        legend = [f"{len(policies['names'])} NetworkPolicies isolate {len(policies['isolated'])} workloads."]
        legend += ["Green: call allowed by the policies (:port)."] if any(not c.get("blocked") for c in calls) else []
        legend += ["Red dashed: call the policies block."] if any(c.get("blocked") for c in calls) else []
    legend += ["Purple: the ingress controller forwarding to routed pods."] if data["routed"] else []
    legend += ["Squares: pods (replicas)."] if pods else []
    footer = " ".join(legend)
    if data.get("splits"):
        footer += "\n" + _splits_note(data["splits"])
    title = data["title"].replace("network topology", "service mesh (pod to pod)")
    figure, axes, placer = _figure(columns, plan, title, footer)

    def colour(link: dict[str, Any]) -> str:
        if link["kind"] == "route":
            return "#8e44ad"
        if policies is None:
            return LINKS["call"]
        return "#c0392b" if link.get("blocked") else "#1e8449"

    for column in columns:
        for node in column["nodes"]:
            box = plan.boxes[node["id"]]
            _box(placer, node, box)
            count = pods.get(node["id"], 0)
            shown = min(count, SQUARES)
            for number in range(shown):
                px = box.x - (shown - 1) * 0.22 + number * 0.44
                placer.hold(node["id"], axes.add_patch(Rectangle((px - 0.16, box.bottom + 0.15), 0.32, 0.3, facecolor="#5dade2",
                                                      edgecolor="#1b4f72", zorder=4)))
            if count:
                placer.hold(node["id"], axes.text(box.right - 0.1, box.bottom + 0.3, f"{count} pod{'s' if count > 1 else ''}",
                                       ha="right", va="center", fontsize=8, color="#1b4f72", zorder=5))
    _arrows(placer, links, plan, colour)
    return figure


def _splits_note(splits: list[dict[str, Any]]) -> str:
    services: dict[str, list[str]] = {}
    for split in splits:
        services.setdefault(split["service"].partition("/")[2], []).append(f"{split['subset']} {split['weight']}%")
    routes = "; ".join(f"{name} {' / '.join(shares)}" for name, shares in services.items())
    return (f"Boxed percentages, arrows as thick as their share: the Istio VirtualService split ({routes}) that "
            "callers with a sidecar follow; the ingress controller has none, so it spreads over every version.")


def storage(data: dict[str, Any]) -> Figure:
    """Requested capacity: per claim (with who mounts it) and per StorageClass; each axis
    runs to its largest value (constrained layout makes room for the labels)."""
    claims = sorted(data["claims"], key=lambda c: (c["storage_class"], c["namespace"], c["name"]))
    classes = {sc["name"]: sc for sc in data["classes"]}
    names = sorted({c["storage_class"] for c in claims} | set(classes))
    colour = {name: CLASS_COLOURS[n % len(CLASS_COLOURS)] for n, name in enumerate(names)}
    total = sum(c["bytes"] for c in claims)
    unit, scale = ("GiB", 2**30) if total >= 2**30 else ("MiB", 2**20)
    figure = Figure(figsize=(14, 2.8 + 0.4 * max(len(claims), len(names), 2)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(f"Storage requested by PersistentVolumeClaims: {format_bytes(total) if total else '0'} in total",
                    fontsize=16, fontweight="bold", x=0.01, ha="left")
    left, right = figure.subplots(1, 2, width_ratios=[3, 1.2])
    values = [c["bytes"] / scale for c in claims]
    labels = [f"{c['namespace']}/{c['name']}  {c['request']}, "
              f"{', '.join(u.split('/')[-1] for u in c['mounted_by']) or 'not mounted'}" for c in claims]
    left.barh(range(len(claims)), values, color=[colour[c["storage_class"]] for c in claims])
    left.set_yticks(range(len(claims)), labels, fontsize=9)
    left.invert_yaxis()
    left.set_xlim(0, max(values, default=0) * 1.05 or 1)
    left.set_xlabel(f"requested ({unit})")
    left.set_title("per claim: request, who mounts it", fontsize=12, loc="left")
    sums = [sum(c["bytes"] for c in claims if c["storage_class"] == name) for name in names]
    right.bar(range(len(names)), [amount / scale for amount in sums], color=[colour[name] for name in names])
    right.set_xticks(range(len(names)), [f"{name or '(default)'}\n{format_bytes(amount) if amount else '0'}"
                                         for name, amount in zip(names, sums)], fontsize=9)
    right.set_ylim(0, max(sums, default=0) / scale * 1.05 or 1)
    right.set_ylabel(f"requested ({unit})")
    right.set_title("per StorageClass", fontsize=12, loc="left")
    notes = [f"{name}: {sc['provisioner']}, reclaim {sc['reclaim_policy']}, "
             f"{'expandable' if sc['expansion'] else 'fixed size'}, binds {sc['binding_mode']}"
             for name, sc in sorted(classes.items())]
    if notes:
        figure.supxlabel("\n".join(notes), fontsize=9, color="#555555", x=0.01, ha="left")
    return figure
