"""Drift: byte comparison, except charts, which compare by the data they were drawn from."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import drift, pipeline, pngmeta
from generator.pipeline import Build
from generator.project import OutputTarget, Project
from generator.outputs import OutputFile
from tests.test_pngmeta import png

def _build(project_dir: Path) -> tuple[Project, pipeline.Build]:
    project = Project.load(project_dir)
    return project, pipeline.build(project, "dev")


def test_committed_tree_is_in_sync(project_dir: Path) -> None:
    _, build = _build(project_dir)
    assert drift.compare(build) == []


def test_drifted_missing_stray_and_mode(project_dir: Path) -> None:
    project, build = _build(project_dir)
    tree = build.target.tree
    appended = len((tree / "app" / "configmap.yaml").read_text().splitlines()) + 1
    with (tree / "app" / "configmap.yaml").open("a") as handle:
        handle.write("  extra: x\n")
    (tree / "README.md").unlink()
    (tree / "app" / "stray.yaml").write_text("a: 1\n")
    (tree / "scripts" / "hello.sh").chmod(0o644)
    differences = drift.compare(build)
    assert [(d.name, d.status) for d in differences] == [
        ("README.md", "missing"),
        ("app/configmap.yaml", "drifted"),
        ("app/stray.yaml", "stray"),
        ("scripts/hello.sh", "drifted"),
    ]
    findings = drift.findings(build, differences, project)
    assert [f.text().split(" ", 1)[0] for f in findings[:3]] == [
        "out/dev/week3/day3/README.md:1:1:",
        f"out/dev/week3/day3/app/configmap.yaml:{appended}:1:",
        "out/dev/week3/day3/app/stray.yaml:1:1:",
    ]
    assert findings[3].file == "out/dev/week3/day3/scripts/hello.sh"
    assert all(f.severity == "error" for f in findings)
    diff = "".join(drift.unified(build, differences, project))
    assert "--- /dev/null\n+++ b/out/dev/week3/day3/README.md\n" in diff
    assert "-  extra: x\n" in diff
    assert "--- a/out/dev/week3/day3/app/stray.yaml\n+++ /dev/null\n" in diff


def test_missing_tree_and_undecodable_files(project_dir: Path) -> None:
    project, build = _build(project_dir)
    (build.target.tree / "app" / "configmap.yaml").write_bytes(b"\xff\xfe")
    diff = "".join(drift.unified(build, drift.compare(build), project))
    assert diff == "Binary or undecodable file out/dev/week3/day3/app/configmap.yaml differs\n"


def test_a_symlink_in_the_tree_is_stray_and_not_followed(project_dir: Path, tmp_path: Path) -> None:
    project, build = _build(project_dir)
    secret = tmp_path / "secret"
    secret.write_text("do not show\n")
    (build.target.tree / "app" / "link.yaml").symlink_to(secret)
    differences = drift.compare(build)
    assert [(d.name, d.status) for d in differences] == [("app/link.yaml", "stray")]
    assert differences[0].actual is None or b"do not show" not in differences[0].actual


@pytest.mark.parametrize("where", ["out", "out/dev/week3"])
def test_a_symlink_on_the_way_to_the_tree_is_one_difference_and_not_followed(
    project_dir: Path, tmp_path: Path, where: str
) -> None:
    project, build = _build(project_dir)
    moved = tmp_path / "moved"
    (project_dir / where).rename(moved)
    (project_dir / where).symlink_to(moved)
    # What lies behind the link would be in sync: it is still not compared.
    differences = drift.compare(build)
    assert differences == [drift.Difference(where, "symlink", None, None)]
    [finding] = drift.findings(build, differences, project)
    assert finding.text() == (
        f"{where}:1:1: error[symlink] is a symlink: cmgen neither reads nor writes through it "
        "(it could point outside the project); make it a real folder"
    )
    diff = "".join(drift.unified(build, differences, project))
    assert diff == f"Symlink {where} (not followed): the tree below it is not compared\n"


# --- charts -----------------------------------------------------------------------

CHART = "docs/screenshots/chart.png"


def _chart_build(tmp_path: Path, files: dict[str, OutputFile]) -> Build:
    return Build("dev", OutputTarget(tmp_path, tmp_path / "tree", tmp_path), files)


def _on_disk(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "tree" / CHART
    path.parent.mkdir(parents=True)
    path.write_bytes(data)


def test_chart_with_the_same_source_hash_but_other_bytes_is_in_sync(tmp_path: Path) -> None:
    fresh = png(4, 4, {pngmeta.SOURCE_KEY: "same-data"})
    other_machine = png(5, 4, {pngmeta.SOURCE_KEY: "same-data"})
    assert fresh != other_machine
    _on_disk(tmp_path, other_machine)
    assert drift.compare(_chart_build(tmp_path, {CHART: OutputFile(fresh)})) == []


def test_chart_drawn_from_other_data_is_drifted(tmp_path: Path) -> None:
    _on_disk(tmp_path, png(4, 4, {pngmeta.SOURCE_KEY: "old-data"}))
    fresh = png(4, 4, {pngmeta.SOURCE_KEY: "new-data"})
    [difference] = drift.compare(_chart_build(tmp_path, {CHART: OutputFile(fresh)}))
    assert (difference.name, difference.status) == (CHART, "drifted")


def test_png_without_a_source_hash_compares_by_bytes(tmp_path: Path) -> None:
    _on_disk(tmp_path, png(4, 4, {}))
    [difference] = drift.compare(_chart_build(tmp_path, {CHART: OutputFile(png(5, 4, {}))}))
    assert difference.status == "drifted"


def test_a_chart_in_sync_by_its_source_hash_is_never_drawn(tmp_path: Path) -> None:
    def draw() -> bytes:
        raise AssertionError("drawn although the chart on disk records the same source")

    _on_disk(tmp_path, png(5, 4, {pngmeta.SOURCE_KEY: "same-data"}))
    assert drift.compare(_chart_build(tmp_path, {CHART: OutputFile.drawn("same-data", draw)})) == []


def test_a_drifted_chart_is_drawn_for_the_diff(tmp_path: Path) -> None:
    _on_disk(tmp_path, png(5, 4, {pngmeta.SOURCE_KEY: "old-data"}))
    fresh = png(4, 4, {pngmeta.SOURCE_KEY: "new-data"})
    [difference] = drift.compare(_chart_build(tmp_path, {CHART: OutputFile.drawn("new-data", lambda: fresh)}))
    assert (difference.status, difference.expected) == ("drifted", fresh)


def test_check_of_the_repo_draws_no_chart(repo_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    def draw(kind: str, source: str) -> bytes:
        raise AssertionError(f"chart {kind} drawn by a check")

    monkeypatch.setattr("generator.docs.charts.draw", draw)
    build = pipeline.build(repo_project, "minikube")
    assert [d.name for d in drift.compare(build)] == []
