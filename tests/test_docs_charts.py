"""The charts are real PNGs of the stated size, deterministic, and carry their data's hash."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator import pngmeta
from generator.docs import charts
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of

NAMES = ("network-topology.png", "service-mesh.png", "storage-usage.png")


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
    assert plain["storage-usage.png"] == secured["storage-usage.png"]  # same claims
    assert plain["service-mesh.png"] != secured["service-mesh.png"]  # policies changed


def test_importing_the_cli_does_not_load_matplotlib() -> None:
    code = "import sys, generator.cli; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
