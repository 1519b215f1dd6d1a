"""matplotlib drawing of the charts (imported only by ``charts.draw``).

Every function takes the chart's source data (plain JSON data) and returns a Figure; the
layout puts tiers in columns left to right, so arrows mostly run left to right too."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from generator.docs.charts import CLASS_COLOURS, COLOURS, LINE_H, LINKS, NODE_W, WIDTH_IN
from generator.graph.model import format_bytes

Box = tuple[float, float, float, float]  # x centre, y centre, width, height
TOP = 1.0  # inches above the columns for the title
# An arrow's second label (a canary weight) sits NOTE_GAP inside the box it points at; the
# estimated size of a note in inches (a character of 9 pt bold DejaVu Sans; its height).
NOTE_GAP = 0.1
NOTE_CHAR_W, NOTE_H = 0.078, 0.22


def _height(node: dict[str, Any], extra: float = 0.0) -> float:
    return LINE_H * len(node["lines"]) + 0.3 + extra


def _layout(columns: list[dict[str, Any]], extra: dict[str, float]) -> tuple[dict[str, Box], float]:
    gap = 0.35
    heights = [sum(_height(n, extra.get(n["id"], 0)) + gap for n in c["nodes"]) for c in columns]
    total = max(heights, default=1.0) + 0.6
    boxes: dict[str, Box] = {}
    for number, column in enumerate(columns):
        x = WIDTH_IN * number + WIDTH_IN / 2
        y = total - (total - heights[number]) / 2 - gap / 2
        for node in column["nodes"]:
            height = _height(node, extra.get(node["id"], 0))
            boxes[node["id"]] = (x, y - height / 2, NODE_W, height)
            y -= height + gap
    return boxes, total


def _figure(columns: list[dict[str, Any]], total: float, title: str, footer: str) -> tuple[Figure, Any]:
    width = max(WIDTH_IN * len(columns), 12.0)
    height = total + TOP + 0.6
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(-0.6, total + TOP)
    axes.axis("off")
    axes.text(0.3, total + TOP - 0.45, title, fontsize=16, fontweight="bold", va="center")
    axes.text(0.3, -0.3, footer, fontsize=9, color="#555555", va="center")
    for number, column in enumerate(columns):
        x = WIDTH_IN * number + 0.15
        axes.add_patch(Rectangle((x, 0), WIDTH_IN - 0.3, total, facecolor="#f4f6f7", edgecolor="#d5dbdb"))
        axes.text(x + (WIDTH_IN - 0.3) / 2, total + 0.22, column["title"], ha="center", va="center",
                  fontsize=12, fontweight="bold", color="#34495e")
    return figure, axes


def _box(axes: Any, node: dict[str, Any], box: Box, lines: list[str] | None = None) -> None:
    x, y, width, height = box
    fill, edge = COLOURS.get(node["kind"], ("#ffffff", "#333333"))
    axes.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                  boxstyle="round,pad=0,rounding_size=0.12",
                                  facecolor=fill, edgecolor=edge, linewidth=1.4, zorder=3))
    shown = lines if lines is not None else node["lines"]
    for number, line in enumerate(shown):
        axes.text(x, _line_y(y, height, number), line, ha="center", va="center", zorder=4,
                  fontsize=11 if number == 0 else 9, fontweight="bold" if number == 0 else "normal",
                  color="#ffffff" if node["kind"] == "host" else "#17202a")


def _arrows(axes: Any, links: list[dict[str, Any]], boxes: dict[str, Box], colour: Any = None) -> None:
    outgoing: dict[str, list[dict[str, Any]]] = {}
    incoming: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        outgoing.setdefault(link["source"], []).append(link)
        incoming.setdefault(link["target"], []).append(link)
    placed: list[tuple[float, float, float]] = []  # notes drawn: x, y, width (inches)
    notes: list[tuple[tuple[float, float], float, str, str]] = []  # head, inward (+1 right), text, colour
    for link in links:
        if link["source"] not in boxes or link["target"] not in boxes:
            continue
        sx, sy, sw, sh = boxes[link["source"]]
        tx, ty, tw, th = boxes[link["target"]]
        if link.get("anchor"):
            start_y = _line_y(sy, sh, link["anchor"])
        else:
            start_y = _spread(sy, sh, outgoing[link["source"]].index(link), len(outgoing[link["source"]]))
        end_y = _spread(ty, th, incoming[link["target"]].index(link), len(incoming[link["target"]]))
        same_column = abs(sx - tx) < 0.01
        start = (sx + sw / 2, start_y)
        end = (tx + tw / 2, end_y) if same_column else (tx - tw / 2, end_y)
        style = "arc3,rad=-0.6" if same_column else "arc3,rad=0"
        paint = colour(link) if colour else LINKS.get(link["kind"], "#555555")
        dashed = link.get("blocked") or link["kind"] in ("mount", "bind")
        axes.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=paint,
                                       linewidth=link.get("width", 1.3), linestyle="--" if dashed else "-",
                                       connectionstyle=style, zorder=2, shrinkA=0, shrinkB=2))
        if link.get("note"):  # drawn inside the target, at the arrow's head (right edge for an arc)
            notes.append((end, -1.0 if same_column else 1.0, link["note"], paint))
        if link.get("label") and not link.get("anchor"):
            if same_column:
                at = (start[0] + 0.45, (start[1] + end[1]) / 2)
            else:
                at = (start[0] + (end[0] - start[0]) * 0.22, start[1] + (end[1] - start[1]) * 0.22)
            axes.text(*at, link["label"], fontsize=8, ha="center", va="center", color=paint, zorder=5,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    # Second labels (canary weights) last, each where it covers no note drawn before it.
    for head, inward, text, paint in notes:
        at = _free_spot(head, inward, text, placed)
        axes.text(*at, text, fontsize=9, fontweight="bold", ha="center", va="center", color=paint, zorder=6,
                  bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": paint, "linewidth": 0.8})


def _free_spot(head: tuple[float, float], inward: float, text: str,
               placed: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Where a note goes: beside an arrow's head, inside the box it points at, moved further in
    while it would cover a note placed before; recorded in ``placed``. Sizes are estimated
    from the text's length, so the choice is the same on every machine."""
    width = NOTE_CHAR_W * len(text) + 0.12
    spots = [(head[0] + inward * (NOTE_GAP + width / 2 + step * (width + NOTE_GAP)), head[1]) for step in range(3)]

    def overlap(spot: tuple[float, float]) -> float:
        return sum(max(0.0, (width + w) / 2 - abs(spot[0] - x)) * max(0.0, NOTE_H - abs(spot[1] - y))
                   for x, y, w in placed)

    at = min(spots, key=overlap)  # the first free spot, else the least covered one
    placed.append((at[0], at[1], width))
    return at


def _line_y(centre: float, height: float, line: int) -> float:
    return centre + height / 2 - 0.15 - LINE_H / 2 - line * LINE_H


def _spread(centre: float, height: float, index: int, count: int) -> float:
    if count == 1:
        return centre
    usable = height * 0.7
    return centre + usable / 2 - usable * index / (count - 1)


def topology(data: dict[str, Any]) -> Figure:
    columns = data["columns"]
    boxes, total = _layout(columns, {})
    figure, axes = _figure(columns, total, data["title"],
                           "Boxes: workloads with the Services that select them. Red: Ingress routes, from the "
                           "line naming the path. Blue: calls the pods make (container env vars holding a "
                           "Service's DNS name), from the line naming the variable.")
    _arrows(axes, data["links"], boxes)
    for column in columns:
        for node in column["nodes"]:
            _box(axes, node, boxes[node["id"]])
    return figure


def mesh(data: dict[str, Any]) -> Figure:
    columns: list[dict[str, Any]] = []
    if data["routed"]:
        columns.append({"title": "Ingress controller", "nodes": [
            {"id": "ingress", "lines": ["ingress controller"], "kind": "host"}]})
    columns += [{"title": c["title"], "nodes": [{**n, "lines": n["lines"][:1]} for n in c["nodes"]]}
                for c in data["columns"]]
    pods = {key: count for key, count in data["replicas"].items()}
    extra = {key: 0.45 for key in pods}
    boxes, total = _layout(columns, extra)
    links = [{**link, "label": link["label"].rpartition(":")[2] and ":" + link["label"].rpartition(":")[2],
              "anchor": 0} for link in data["links"]]
    for link in links:
        if "split" in link:  # a canary split: its weight on the arrow, the arrow as thick as its share
            link["note"] = f"{link['split']['subset']} {link['split']['weight']}%".lstrip()
            link["width"] = 0.8 + 2.4 * link["split"]["weight"] / 100
    links += [{"source": "ingress", "target": key, "label": "", "kind": "route"} for key in data["routed"]]
    policies = data["policies"]
    if policies is None:
        footer = ("NetworkPolicies: none in this env, so every pod may reach every pod. Blue: the calls the pods make "
                  "(:port); purple: the ingress controller forwarding to routed pods. Squares: pods (replicas).")
    else:
        footer = (f"{len(policies['names'])} NetworkPolicies isolate {len(policies['isolated'])} workloads. "
                  "Green: call allowed by the policies; red dashed: call the policies block; "
                  "purple: the ingress controller forwarding to routed pods. Squares: pods (replicas).")
    if data.get("splits"):
        footer += "\n" + _splits_note(data["splits"])
    figure, axes = _figure(columns, total, data["title"].replace("network topology", "service mesh (pod to pod)"), footer)

    def colour(link: dict[str, Any]) -> str:
        if link["kind"] == "route":
            return "#8e44ad"
        if policies is None:
            return LINKS["call"]
        return "#c0392b" if link.get("blocked") else "#1e8449"

    _arrows(axes, links, boxes, colour)
    for column in columns:
        for node in column["nodes"]:
            box = boxes[node["id"]]
            _box(axes, node, box)
            count = pods.get(node["id"], 0)
            x, y, width, height = box
            for number in range(min(count, 8)):
                px = x - (min(count, 8) - 1) * 0.22 + number * 0.44
                axes.add_patch(Rectangle((px - 0.16, y - height / 2 + 0.15), 0.32, 0.3, facecolor="#5dade2",
                                         edgecolor="#1b4f72", zorder=4))
            if count:
                axes.text(x + width / 2 - 0.1, y - height / 2 + 0.3, f"{count} pod{'s' if count > 1 else ''}",
                          ha="right", va="center", fontsize=8, color="#1b4f72", zorder=5)
    return figure


def _splits_note(splits: list[dict[str, Any]]) -> str:
    services: dict[str, list[str]] = {}
    for split in splits:
        services.setdefault(split["service"].partition("/")[2], []).append(f"{split['subset']} {split['weight']}%")
    routes = "; ".join(f"{name} {' / '.join(shares)}" for name, shares in services.items())
    return (f"Boxed percentages, arrows as thick as their share: the Istio VirtualService split ({routes}) that "
            "callers with a sidecar follow; the ingress controller has none, so it spreads over every version.")


def storage(data: dict[str, Any]) -> Figure:
    claims = sorted(data["claims"], key=lambda c: (c["storage_class"], c["namespace"], c["name"]))
    classes = {sc["name"]: sc for sc in data["classes"]}
    names = sorted({c["storage_class"] for c in claims} | set(classes))
    colour = {name: CLASS_COLOURS[n % len(CLASS_COLOURS)] for n, name in enumerate(names)}
    total = sum(c["bytes"] for c in claims)
    unit, scale = ("GiB", 2**30) if total >= 2**30 else ("MiB", 2**20)
    figure = Figure(figsize=(14, 2.6 + 0.55 * max(len(claims), len(names), 2)), dpi=100)
    figure.suptitle(f"Storage requested by PersistentVolumeClaims: {format_bytes(total) if total else '0'} in total",
                    fontsize=16, fontweight="bold", x=0.02, ha="left")
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 1.4]})
    figure.subplots_adjust(left=0.2, right=0.97, top=0.85, bottom=0.2, wspace=0.3)
    labels = [f"{c['namespace']}/{c['name']}" for c in claims]
    values = [c["bytes"] / scale for c in claims]
    left.barh(range(len(claims)), values, color=[colour[c["storage_class"]] for c in claims])
    left.set_yticks(range(len(claims)), labels, fontsize=10)
    left.invert_yaxis()
    left.set_xlabel(f"requested ({unit})")
    left.set_title("per claim (who mounts it)", fontsize=12, loc="left")
    limit = max(values, default=1) * 1.9 or 1
    left.set_xlim(0, limit)
    for number, claim in enumerate(claims):
        users = ", ".join(u.split("/")[-1] for u in claim["mounted_by"]) or "not mounted"
        left.text(values[number] + limit * 0.01, number, f"{claim['request']}  {users}", va="center", fontsize=9)
    sums = [sum(c["bytes"] for c in claims if c["storage_class"] == name) / scale for name in names]
    right.bar(range(len(names)), sums, color=[colour[name] for name in names])
    right.set_xticks(range(len(names)), [name or "(default)" for name in names], fontsize=10)
    right.set_ylabel(f"requested ({unit})")
    right.set_title("per StorageClass", fontsize=12, loc="left")
    right.set_ylim(0, max(sums, default=1) * 1.3 or 1)
    for number, name in enumerate(names):
        amount = sum(c["bytes"] for c in claims if c["storage_class"] == name)
        right.text(number, sums[number], format_bytes(amount) if amount else "0", ha="center", va="bottom", fontsize=10)
    notes = [f"{name}: {sc['provisioner']}, reclaim {sc['reclaim_policy']}, "
             f"{'expandable' if sc['expansion'] else 'fixed size'}, binds {sc['binding_mode']}"
             for name, sc in sorted(classes.items())]
    figure.text(0.02, 0.04, "\n".join(notes), fontsize=9, color="#555555", va="bottom")
    return figure
