"""Geometry of the box charts (imported only when drawing): columns as wide as their text,
links routed through the gaps between boxes, and labels placed where they cover nothing.

Text is measured with the Agg renderer that draws it (DejaVu Sans, fixed DPI), so the layout
is the same on every machine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from generator.docs.style import DPI, LINE_H, NODE_W

PAD = 0.25  # inches between a box's widest line and its sides
GAP_X = 1.3  # inches between the boxes of neighbouring columns: links and their labels
GAP_Y = 0.35  # inches between boxes of one column: the lanes links pass through
BAND = 0.2  # inches of column background around its boxes


@dataclass(frozen=True)
class Box:
    x: float  # centre
    y: float
    w: float
    h: float
    column: int

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2

    @property
    def top(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        return self.y - self.h / 2

    def line_y(self, line: int) -> float:
        return self.top - 0.15 - LINE_H / 2 - line * LINE_H


class Measure:
    """Widths of text in inches, as Agg will draw it."""

    def __init__(self) -> None:
        self._renderer = RendererAgg(10, 10, DPI)
        self._fonts: dict[tuple[float, bool], FontProperties] = {}

    def width(self, text: str, size: float, bold: bool = False) -> float:
        key = (size, bold)
        if key not in self._fonts:
            self._fonts[key] = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
        width, _, _ = self._renderer.get_text_width_height_descent(text, self._fonts[key], ismath=False)
        return float(width) / DPI


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    columns: list[tuple[float, float]]  # left and right of each column's boxes
    height: float  # of the tallest column

    @property
    def width(self) -> float:
        return self.columns[-1][1] + BAND + 0.3 if self.columns else 12.0


def _height(node: dict[str, Any], extra: float) -> float:
    return LINE_H * len(node["lines"]) + 0.3 + extra


def layout(columns: list[dict[str, Any]], extra: dict[str, float]) -> Layout:
    """Columns left to right, each as wide as its widest line (at least ``NODE_W``); boxes
    stacked from the top (``extra`` inches taller for some), columns centred vertically."""
    measure = Measure()
    heights = [sum(_height(n, extra.get(n["id"], 0)) + GAP_Y for n in c["nodes"]) for c in columns]
    total = max(heights, default=1.0) + 0.6
    boxes: dict[str, Box] = {}
    spans = []
    left = 0.3 + BAND
    for number, column in enumerate(columns):
        width = max(
            [NODE_W]
            + [measure.width(line, 11 if i == 0 else 9, i == 0) + 2 * PAD
               for n in column["nodes"] for i, line in enumerate(n["lines"])]
            + [measure.width(column["title"], 12, True) - 2 * BAND + 0.2]
        )
        y = total - (total - heights[number]) / 2 - GAP_Y / 2
        for node in column["nodes"]:
            height = _height(node, extra.get(node["id"], 0))
            boxes[node["id"]] = Box(left + width / 2, y - height / 2, width, height, number)
            y -= height + GAP_Y
        spans.append((left, left + width))
        left += width + GAP_X
    return Layout(boxes, spans, total)


def _lane(boxes: list[Box], wanted: float, height: float) -> float:
    """The y of the free band of a column (between two boxes, above or below them) nearest
    to ``wanted``."""
    ordered = sorted(boxes, key=lambda box: -box.y)
    lanes = [min(height, ordered[0].top + GAP_Y)] if ordered else [wanted]
    lanes += [(upper.bottom + lower.top) / 2 for upper, lower in zip(ordered, ordered[1:])]
    lanes += [max(0.0, ordered[-1].bottom - GAP_Y)] if ordered else []
    return min(lanes, key=lambda lane: (abs(lane - wanted), lane))


def route(start: tuple[float, float], end: tuple[float, float], source: Box, target: Box,
          plan: Layout, loop: int = 0) -> list[tuple[float, float]]:
    """The points of a link: straight through the gaps between columns, and through a free
    lane of every column it passes, so it crosses no box. A link within one column leaves
    and re-enters on the right, ``loop`` steps out."""
    if source.column == target.column:
        out = source.right + 0.2 + 0.12 * loop
        return [start, (out, start[1]), (out, end[1]), end]
    step = 1 if target.column > source.column else -1
    points = [start]
    between = range(source.column + step, target.column, step)
    for number, column in enumerate(between, start=1):
        share = number / (len(between) + 1)
        wanted = start[1] + (end[1] - start[1]) * share
        lane = _lane([b for b in plan.boxes.values() if b.column == column], wanted, plan.height)
        left, right = plan.columns[column]
        near, far = (left - 0.1, right + 0.1) if step == 1 else (right + 0.1, left - 0.1)
        points += [(near, lane), (far, lane)]
    return points + [end]


class Placer:
    """Places labels one by one at the first candidate position whose drawn extent covers no
    box and no text placed before (else the least covered one)."""

    def __init__(self, axes: Any) -> None:
        self.axes = axes
        self.renderer = axes.figure.canvas.get_renderer()
        self.taken: list[Bbox] = []
        self.boxes: dict[str, Bbox] = {}
        self.regions: list[Bbox] = []  # a label lies wholly inside or wholly outside each
        self.inner: dict[str, list[Any]] = {}  # what a box holds: measured only for a note in it

    def region(self, left: float, bottom: float, right: float, top: float) -> None:
        self.regions.append(Bbox(self.axes.transData.transform([(left, bottom), (right, top)])))

    def extent(self, artist: Any) -> Bbox:
        return artist.get_window_extent(self.renderer).padded(2)

    def box(self, key: str, box: Box) -> None:
        corners = self.axes.transData.transform([(box.left, box.bottom), (box.right, box.top)])
        self.boxes[key] = Bbox(corners)

    def block(self, artist: Any) -> None:
        self.taken.append(self.extent(artist))

    def hold(self, key: str, artist: Any) -> None:
        """``artist`` lies inside box ``key``: only a note placed in that box must avoid it."""
        self.inner.setdefault(key, []).append(artist)

    def put(self, candidates: list[tuple[float, float]], text: str, inside: str | None = None,
            **style: Any) -> Text:
        if inside is not None:  # a note in a box must clear what the box holds
            self.taken += [self.extent(artist) for artist in self.inner.pop(inside, [])]
        label = self.axes.text(*candidates[0], text, **style)
        best: tuple[float, tuple[float, float]] | None = None
        for spot in candidates:
            label.set_position(spot)
            covered = self._covered(self.extent(label), inside)
            if best is None or covered < best[0]:
                best = (covered, spot)
            if covered == 0:
                break
        assert best is not None
        label.set_position(best[1])
        self.taken.append(self.extent(label))
        return label

    def _covered(self, extent: Bbox, inside: str | None) -> float:
        def area(other: Bbox) -> float:
            width = min(extent.x1, other.x1) - max(extent.x0, other.x0)
            height = min(extent.y1, other.y1) - max(extent.y0, other.y0)
            return max(0.0, width) * max(0.0, height)

        covered = sum(area(other) for other in self.taken)
        whole = extent.width * extent.height
        covered += sum(area(other) for other in self.regions if 0 < area(other) < whole)
        covered += sum(area(other) for key, other in self.boxes.items() if key != inside)
        if inside is not None:  # a note belongs wholly inside its box, clear of what it holds
            own = self.boxes[inside]
            covered += extent.width * extent.height - area(own)
        return covered
