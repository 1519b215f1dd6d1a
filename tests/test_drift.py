"""Drift: byte comparison, except charts, which compare by the data they were drawn from."""

from __future__ import annotations

from pathlib import Path

from generator import drift, pngmeta
from generator.pipeline import Build
from generator.project import OutputTarget
from generator.write import OutputFile
from tests.test_pngmeta import png

CHART = "docs/screenshots/chart.png"


def _build(tmp_path: Path, files: dict[str, OutputFile]) -> Build:
    return Build("dev", OutputTarget(tmp_path, tmp_path / "tree"), files)


def _on_disk(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "tree" / CHART
    path.parent.mkdir(parents=True)
    path.write_bytes(data)


def test_chart_with_the_same_source_hash_but_other_bytes_is_in_sync(tmp_path: Path) -> None:
    fresh = png(4, 4, {pngmeta.SOURCE_KEY: "same-data"})
    other_machine = png(5, 4, {pngmeta.SOURCE_KEY: "same-data"})
    assert fresh != other_machine
    _on_disk(tmp_path, other_machine)
    assert drift.compare(_build(tmp_path, {CHART: OutputFile(fresh)})) == []


def test_chart_drawn_from_other_data_is_drifted(tmp_path: Path) -> None:
    _on_disk(tmp_path, png(4, 4, {pngmeta.SOURCE_KEY: "old-data"}))
    fresh = png(4, 4, {pngmeta.SOURCE_KEY: "new-data"})
    [difference] = drift.compare(_build(tmp_path, {CHART: OutputFile(fresh)}))
    assert (difference.name, difference.status) == (CHART, "drifted")


def test_png_without_a_source_hash_compares_by_bytes(tmp_path: Path) -> None:
    _on_disk(tmp_path, png(4, 4, {}))
    [difference] = drift.compare(_build(tmp_path, {CHART: OutputFile(png(5, 4, {}))}))
    assert difference.status == "drifted"
