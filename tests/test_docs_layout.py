"""The charts as drawn: no two texts overlap, no text or box straddles a box, no link crosses
a box, legends name only what is drawn, axes end at the data. Measured on the drawn figure
(matplotlib's window extents after an Agg draw), for every env and a generated platform."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from generator import graph, pipeline
from generator.docs import charts
from generator.graph import view
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import copy_repo_project

EPSILON = 0.5  # pixels: touching is not overlapping

# A platform CloudMart does not have: two new namespaces, a web service with a long name
# behind its own Ingress host, a PostgreSQL and a Redis in a new data namespace.
GENERATED = (
    "namespaces=[{name: payments-eu, tier: payments}, {name: warehouse, tier: warehouse}]",
    "volumes=[{name: warehouse-db-data, namespace: warehouse, storageClass: fast-ssd, size: 50Gi,"
    " purpose: warehouse data}]",
    "components=[{name: fraud-detection-scoring-engine-eu-west, namespace: payments-eu, description: Fraud scoring,"
    " engine: web, image: 'nginxinc/nginx-unprivileged:1.28.0-alpine', port: 8081,"
    " service: {name: fraud-detection-scoring-engine-eu-west, port: 8081}, replicas: 4,"
    " ingress: {host: fraud, paths: [/score, /explain]},"
    " connects: [{to: warehouse-db, env: WAREHOUSE_DB}, {to: session-cache, env: SESSION_CACHE}, {to: order-service, env: ORDERS}]},"
    " {name: warehouse-db, namespace: warehouse, description: Warehouse DB, engine: postgres,"
    " image: 'postgres:16.9-bookworm', port: 5432, service: {name: warehouse-db-service, port: 5432}, replicas: 1,"
    " database: {name: warehouse, user: analyst, secret: warehouse-db-credentials}, storage: {data: warehouse-db-data}},"
    " {name: session-cache, namespace: warehouse, description: Session cache, engine: redis,"
    " image: 'redis:7.4.1-alpine', port: 6379, service: {name: session-cache-service, port: 6379}, replicas: 1}]",
)
# The templates the new namespaces need: none. CloudMart's templates loop over every
# namespace, component and volume, and cmgen.yaml's layout gives the new namespaces their files.
GENERATED_TEMPLATES: dict[str, str] = {}
PLATFORMS = {"minikube": (), "kind": (), "prod": (), "generated": GENERATED}


def copy_project(root: Path) -> Project:
    """A copy of the repo's project (its inputs, not its out/)."""
    return Project.load(copy_repo_project(root))


def generated_project(root: Path) -> Project:
    """A copy of the repo's project with the generated platform's templates added."""
    copy_project(root)
    for name, text in GENERATED_TEMPLATES.items():
        (root / "templates" / "k8s-manifests" / name).write_text(text)
    return Project.load(root)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return generated_project(tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="session")
def builds(repo_project: Project, generated: Project) -> dict[str, Build]:
    """Every env and the generated platform, built once per session (without the docs stage)."""
    found = {}
    for name, sets in PLATFORMS.items():
        env, project = ("prod", generated) if name == "generated" else (name, repo_project)
        found[name] = pipeline.build(project, env, pipeline.Options(sets=sets, docs=False))
    return found


@pytest.fixture(scope="session")
def drawn(builds: dict[str, Build]) -> dict[str, dict[str, Figure]]:
    """Every chart of every env and of the generated platform, drawn once per session."""
    found = {}
    for name, build in builds.items():
        platform = graph.build(build.manifests)
        if name == "generated":
            assert {"payments-eu/fraud-detection-scoring-engine-eu-west", "warehouse/warehouse-db",
                    "warehouse/session-cache"} <= {w.key for w in platform.workloads}
        figures = {}
        for chart, (kind, source) in charts.charts(platform).items():
            figure = charts.figure(kind, source)
            figure.canvas.draw()
            figures[chart] = figure
        found[name] = figures
    return found


def _extent(artist: Any, renderer: Any) -> Bbox:
    extent = artist.get_window_extent(renderer)
    if isinstance(artist, Text) and artist.get_bbox_patch() is not None:
        extent = Bbox.union([extent, artist.get_bbox_patch().get_window_extent(renderer)])
    return extent


def _intersection(first: Bbox, second: Bbox) -> tuple[float, float]:
    return (min(first.x1, second.x1) - max(first.x0, second.x0), min(first.y1, second.y1) - max(first.y0, second.y0))


def _overlap(first: Bbox, second: Bbox) -> bool:
    width, height = _intersection(first, second)
    return width > EPSILON and height > EPSILON


def _inside(inner: Bbox, outer: Bbox) -> bool:
    return (inner.x0 >= outer.x0 - EPSILON and inner.x1 <= outer.x1 + EPSILON
            and inner.y0 >= outer.y0 - EPSILON and inner.y1 <= outer.y1 + EPSILON)


def _parts(figure: Figure) -> tuple[list[tuple[str, Bbox]], list[tuple[str, Bbox]]]:
    renderer = figure.canvas.get_renderer()
    texts = [(t.get_text(), _extent(t, renderer)) for t in figure.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.figure is not None]
    boxes = [(type(p).__name__, p.get_window_extent(renderer))
             for p in figure.findobj(lambda a: isinstance(a, (FancyBboxPatch, Rectangle)))
             if p.get_visible() and p is not figure.patch]
    return texts, [(name, box) for name, box in boxes if box.width > EPSILON and box.height > EPSILON]


def overlaps(figure: Figure) -> list[str]:
    """Every pair of texts that overlap, of boxes that overlap without one holding the other,
    and of a text that straddles a box's edge."""
    texts, boxes = _parts(figure)
    found = []
    for number, (text, extent) in enumerate(texts):
        found += [f"text {text!r} on text {other!r}" for other, box in texts[number + 1:] if _overlap(extent, box)]
        found += [f"text {text!r} across the edge of a {kind}" for kind, box in boxes
                  if _overlap(extent, box) and not _inside(extent, box)]
    for number, (kind, extent) in enumerate(boxes):
        found += [f"{kind} {extent.bounds} on {other} {box.bounds}" for other, box in boxes[number + 1:]
                  if _overlap(extent, box) and not _inside(extent, box) and not _inside(box, extent)]
    return found


def crossings(figure: Figure) -> list[str]:
    """Links whose drawn path passes through a node box (its own ends excepted: they touch edges)."""
    renderer = figure.canvas.get_renderer()
    nodes = [p.get_window_extent(renderer).padded(-3) for p in figure.findobj(FancyBboxPatch)]
    found = []
    for arrow in figure.findobj(FancyArrowPatch):
        lines = [arrow.get_transform().transform(line) for line in arrow.get_path().to_polygons(closed_only=False)]
        for (x0, y0), (x1, y1) in [(line[n - 1], line[n]) for line in lines for n in range(1, len(line))]:
            steps = max(2, int(max(abs(x1 - x0), abs(y1 - y0))))
            for step in range(steps + 1):
                x, y = x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps
                if any(n.x0 < x < n.x1 and n.y0 < y < n.y1 for n in nodes):
                    found.append(f"link through a box at {x:.0f},{y:.0f}")
                    break
    return found


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("chart", ["network-topology.png", "service-mesh.png", "storage-requests.png"])
def test_no_text_or_box_overlaps_another(drawn: dict[str, dict[str, Figure]], platform: str, chart: str) -> None:
    assert overlaps(drawn[platform][chart]) == []


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("chart", ["network-topology.png", "service-mesh.png"])
def test_links_go_around_the_boxes(drawn: dict[str, dict[str, Figure]], platform: str, chart: str) -> None:
    assert crossings(drawn[platform][chart]) == []


def test_the_checks_find_an_overlap_and_a_crossing() -> None:
    figure = Figure(figsize=(4, 3))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 4)
    axes.set_ylim(0, 3)
    axes.add_patch(FancyBboxPatch((1, 1), 1, 1, boxstyle="square,pad=0"))
    axes.text(1.5, 2.0, "straddles the edge", ha="center", va="center")
    axes.text(1.5, 2.05, "on top of it", ha="center", va="center")
    axes.add_patch(FancyArrowPatch(path=Path([(0.5, 1.5), (3.5, 1.5)]), arrowstyle="-|>"))
    figure.canvas.draw()
    found = overlaps(figure)
    assert any("on text" in item for item in found) and any("across the edge" in item for item in found)
    assert crossings(figure)


def _dashed(figure: Figure, colour: str) -> bool:
    return any(a.get_linestyle() == "--" and a.get_edgecolor() == to_rgba(colour) for a in figure.findobj(FancyArrowPatch))


def _texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_legends_name_only_what_is_drawn(drawn: dict[str, dict[str, Figure]], platform: str) -> None:
    mesh = " ".join(_texts(drawn[platform]["service-mesh.png"]))
    assert ("Red dashed" in mesh) == _dashed(drawn[platform]["service-mesh.png"], "#c0392b")
    topology = " ".join(_texts(drawn[platform]["network-topology.png"]))
    assert ("Grey dashed" in topology) == _dashed(drawn[platform]["network-topology.png"], "#7f8c8d")


def test_the_canary_weights_are_drawn_once(drawn: dict[str, dict[str, Figure]]) -> None:
    texts = _texts(drawn["prod"]["service-mesh.png"])
    assert texts.count("v1 90%") == 1 and texts.count("v2 10%") == 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_storage_axis_ends_at_the_largest_request(drawn: dict[str, dict[str, Figure]], platform: str) -> None:
    claims = drawn[platform]["storage-requests.png"].axes[0]
    largest = max(bar.get_width() for bar in claims.patches)
    assert largest <= claims.get_xlim()[1] <= largest * 1.1
    assert "requested" in claims.figure.get_suptitle().lower()


def test_fluent_bit_sends_to_its_declared_sink_in_prod(builds: dict[str, Build]) -> None:
    topology = view.topology(graph.build(builds["prod"].manifests))
    sinks = {node.id: node for column in topology.columns for node in column.nodes if node.kind == "sink"}
    sent = [link for link in topology.links if link.source == view.node_id("w", "logging/fluent-bit")]
    assert [sinks[link.target].lines[1] for link in sent] == ["elasticsearch-master.elastic.svc:9200"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_claim_charted_not_mounted_has_no_pod_template_mounting_it(
    drawn: dict[str, dict[str, Figure]], builds: dict[str, Build], platform: str
) -> None:
    from tests.test_docs_report import _mounted_claims

    labels = [t.get_text() for t in drawn[platform]["storage-requests.png"].axes[0].get_yticklabels()]
    assert labels
    mounted = {f"{namespace}/{claim}" for namespace, claim in _mounted_claims(builds[platform])}
    for label in labels:
        claim = label.split()[0]
        assert (claim in mounted) != label.endswith("not mounted"), label
