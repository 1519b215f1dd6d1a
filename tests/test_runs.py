"""The runs of cmgen's commands, called as plain functions (no Typer, no CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import engines, graph, pipeline, values
from generator.options import Options
from generator.project import Project
from generator.runs import graph_env, manifests
from generator.runs.check import check_envs, diff_env
from generator.runs.render import render_envs, write_envs
from tests.test_pipeline import CRD


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))


def test_a_render_run_writes_nothing_until_asked(project_dir: Path) -> None:
    project = Project.load(project_dir)
    tree = project_dir / "out/dev/week3/day3/app/configmap.yaml"
    committed = tree.read_bytes()
    tree.write_bytes(b"stale\n")
    run = render_envs(project, ["dev"], Options(), jobs=1, refuse_mass_removal=True)
    assert run.ok and not run.errors and run.findings
    assert tree.read_bytes() == b"stale\n"  # render_envs builds and checks; it does not write
    [wrote] = list(write_envs(run, refuse_mass_removal=True))
    assert (wrote.env, wrote.written.changed) == ("dev", ("week3/day3/app/configmap.yaml",))
    assert tree.read_bytes() == committed


def test_a_render_run_of_unchanged_inputs_replays_the_stored_build(project_dir: Path) -> None:
    project = Project.load(project_dir)
    first = render_envs(project, ["dev"], Options(), jobs=1, refuse_mass_removal=True)
    list(write_envs(first, refuse_mass_removal=True))
    again = render_envs(project, ["dev"], Options(), jobs=1, refuse_mass_removal=True)
    [outcome] = again.outcomes
    assert outcome.result is not None and outcome.result.unchanged == 4  # README, configmap, deployment, hello.sh
    assert sorted(again.findings) == sorted(first.findings)


def test_a_check_run_reports_drift_as_findings(project_dir: Path) -> None:
    project = Project.load(project_dir)
    assert check_envs(project, ["dev"], Options(), jobs=1).ok
    (project_dir / "out/dev/week3/day3/app/configmap.yaml").write_text("stale\n")
    run = check_envs(project, ["dev"], Options(), jobs=1)
    assert not run.ok and not run.errors
    assert [finding.rule for finding in run.findings if finding.severity == "error"] == ["drifted"]


def test_a_diff_names_the_drifted_file(project_dir: Path) -> None:
    project = Project.load(project_dir)
    assert diff_env(project, "dev").lines == []
    (project_dir / "out/dev/week3/day3/app/configmap.yaml").write_text("stale\n")
    diff = diff_env(project, "dev")
    assert [difference.name for difference in diff.differences] == ["app/configmap.yaml"]
    assert "-stale\n" in diff.lines


def test_the_graph_of_an_env_is_the_one_its_docs_are_drawn_from(repo_project: Project) -> None:
    """``cmgen graph`` and the docs stage share one graph stage: a build with docs carries
    the graph they were drawn from, so a caller with the build at hand builds no other."""
    build = pipeline.build(repo_project, "minikube")
    assert build.graph is not None
    table = engines.engines(values.load(repo_project, "minikube").data)
    assert build.graph == graph.build(build.manifests, repo_project.display(build.target.tree), table)
    assert graph_env(repo_project, "minikube") == build.graph


_COUNT_CHART_READS = """
import collections, json, sys
from pathlib import Path
from generator.options import Options
from generator.project import Project
from generator.runs.render import render_envs, write_envs
opened = collections.Counter()
def hook(event, args):
    if event == "open" and str(args[0]).endswith(".png"):
        opened[Path(args[0]).name] += 1
project = Project.load(Path(sys.argv[1]))
sys.addaudithook(hook)
run = render_envs(project, ["minikube"], Options(), jobs=1, refuse_mass_removal=True)
written = [wrote.written.changed for wrote in write_envs(run, refuse_mass_removal=True)]
print(json.dumps([dict(opened), written]))
"""


def test_a_render_reads_each_unchanged_chart_once(tmp_path: Path) -> None:
    """The worker reads a chart on disk to keep it instead of drawing it (``write.reused``);
    the write then trusts what was read while the file's stat is the same, instead of
    reading it a second time for its digest."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import REPO, copy_repo_project

    project = copy_repo_project(tmp_path / "project", "out")
    env = {**os.environ, "CMGEN_CACHE_DIR": "off"}  # no replay: a full build, then the write
    result = subprocess.run(
        [sys.executable, "-c", _COUNT_CHART_READS, str(project)], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert result.returncode == 0, result.stderr
    opened, written = json.loads(result.stdout)
    assert written == [[]]  # the committed tree: nothing to change
    assert opened == {"network-topology.png": 1, "service-mesh.png": 1, "storage-requests.png": 1}


def test_validate_and_lint_runs_take_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.runs.manifests import lint_paths, validate_paths

    monkeypatch.chdir(tmp_path)  # no project around: the defaults
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: eighty}]\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    )
    run = validate_paths(["a.yaml"], "1.35", [], False, ["ConfigMap"], None)
    assert not run.ok and [finding.rule for finding in run.findings] == ["schema"]
    assert run.summary is not None and (run.summary.resources, run.summary.invalid, run.summary.skipped) == (2, 1, 1)
    assert [(item.resource, item.skipped) for item in run.checked] == [
        ("Service/s", ""), ("ConfigMap/c", "ConfigMap skipped (--skip)")
    ]
    linted = lint_paths(["a.yaml"])
    assert [item.resource for item in linted.checked] == ["Service/s", "ConfigMap/c"]
    assert linted.summary is None


@pytest.mark.parametrize(("crd_scope", "duplicates"), [("Cluster", 1), ("Namespaced", 0)])
def test_lint_of_paths_inside_a_project_reads_the_scope_its_crds_give(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, crd_scope: str, duplicates: int
) -> None:
    """Two Widgets named w in two namespaces are one object twice when the project's CRD
    makes Widget cluster-scoped; outside the project, Widget is namespaced (unknown)."""
    (project_dir / "crds").mkdir()
    (project_dir / "crds" / "crd.yaml").write_text(
        CRD.format(kind="Widget", plural="widgets", singular="widget", scope=crd_scope))
    config = project_dir / "cmgen.yaml"
    config.write_text(config.read_text().replace("crds: []", "crds: [crds]"))
    widgets = project_dir / "widgets.yaml"
    widgets.write_text("".join(f"---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
                               f"  namespace: {ns}\n" for ns in ("a", "b")))
    monkeypatch.chdir(project_dir)
    inside = [f.rule for f in manifests.lint_paths([str(widgets)]).findings if f.rule == "duplicate-object"]
    monkeypatch.chdir(project_dir.parent)
    outside = [f.rule for f in manifests.lint_paths([str(widgets)]).findings if f.rule == "duplicate-object"]
    assert (len(inside), outside) == (duplicates, [])
