"""The charts are real PNGs of the stated size, deterministic, and carry their data's hash."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from generator import pipeline, pngmeta
from generator.docs import charts
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of

NAMES = ("network-topology.png", "service-mesh.png", "storage-requests.png")


@pytest.mark.parametrize("name", NAMES)
def test_each_chart_is_a_wide_png_recording_its_source_hash(minikube_build: Build, name: str) -> None:
    data = minikube_build.files[f"docs/screenshots/{name}"].data
    size = pngmeta.size(data)
    assert size is not None
    width, height = size
    assert width >= 1200 and height >= 400
    text = pngmeta.text(data)
    assert "Software" not in text and "Creation Time" not in text
    assert len(text[pngmeta.SOURCE_KEY]) == 64


def test_drawing_twice_gives_the_same_bytes(minikube_build: Build, repo_project: Project) -> None:
    kind, source = charts.charts(graph_of(minikube_build, repo_project))["service-mesh.png"]
    first = charts.draw(kind, source)
    charts.draw.cache_clear()
    assert charts.draw(kind, source) == first
    assert pngmeta.source_hash(first) == charts.digest(source)


def test_the_hash_follows_the_data_not_the_drawing(minikube_build: Build, secured_build: Build, repo_project: Project) -> None:
    plain = charts.charts(graph_of(minikube_build, repo_project))
    secured = charts.charts(graph_of(secured_build, repo_project))
    assert plain["storage-requests.png"] == secured["storage-requests.png"]  # same claims
    assert plain["service-mesh.png"] != secured["service-mesh.png"]  # policies changed


def test_importing_the_cli_does_not_load_matplotlib() -> None:
    code = "import sys, generator.cli; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def _mesh_source(project: Project, weight: int) -> str:
    sets = ("features.mesh=true", f"mesh.canary.weight={weight}")
    build = pipeline.build(project, "minikube", pipeline.Options(sets=sets))
    return charts.charts(graph_of(build, project))["service-mesh.png"][1]


def test_the_mesh_chart_data_holds_the_canary_weights_of_the_split_calls(repo_project: Project) -> None:
    data = json.loads(_mesh_source(repo_project, 30))["data"]
    split = {(link["source"], link["target"]): link["split"] for link in data["links"] if "split" in link}
    assert split == {
        ("w_frontend_admin_dashboard", "w_backend_product_service"): {"subset": "v1", "weight": 70},
        ("w_frontend_admin_dashboard", "w_backend_product_service_v2"): {"subset": "v2", "weight": 30},
        ("w_frontend_web_frontend", "w_backend_product_service"): {"subset": "v1", "weight": 70},
        ("w_frontend_web_frontend", "w_backend_product_service_v2"): {"subset": "v2", "weight": 30},
    }
    assert [(s["subset"], s["weight"]) for s in data["splits"]] == [("v1", 70), ("v2", 30)]


def test_a_changed_canary_weight_changes_the_mesh_chart_hash(repo_project: Project) -> None:
    ten, thirty = _mesh_source(repo_project, 10), _mesh_source(repo_project, 30)
    assert charts.digest(ten) != charts.digest(thirty)
    png = charts.draw("mesh", thirty)
    assert pngmeta.source_hash(png) == charts.digest(thirty) != charts.digest(ten)


def test_without_a_canary_the_mesh_chart_data_has_no_split(minikube_build: Build, repo_project: Project) -> None:
    data = json.loads(charts.charts(graph_of(minikube_build, repo_project))["service-mesh.png"][1])["data"]
    assert "splits" not in data and not any("split" in link for link in data["links"])
