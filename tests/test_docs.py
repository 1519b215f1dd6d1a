"""The docs stage in the pipeline: which files, executable scripts, templates win."""

from __future__ import annotations

from generator import docs, pipeline
from generator.pipeline import Build
from generator.project import Project
from generator.write import OutputFile


def test_the_pipeline_adds_report_charts_and_executable_scripts(minikube_build: Build) -> None:
    names = {name for name in minikube_build.files if name.startswith(("docs/", "scripts/"))}
    assert names == {docs.REPORT} | {f"docs/screenshots/{n}" for n in
                                     ("network-topology.png", "service-mesh.png", "storage-usage.png")} | {
        f"scripts/{n}" for n in docs.SCRIPTS}
    assert all(minikube_build.files[f"scripts/{n}"].executable for n in docs.SCRIPTS)
    assert not minikube_build.files[docs.REPORT].executable


def test_a_project_template_wins_over_a_generated_file(minikube_build: Build, repo_project: Project) -> None:
    own = {"scripts/cleanup.sh": OutputFile(b"#!/bin/sh\n", True)}
    tree = repo_project.display(minikube_build.target.tree)
    generated = docs.generate(minikube_build.manifests, tree, "minikube", own)
    assert "scripts/cleanup.sh" not in generated and "scripts/deploy-all.sh" in generated


def test_docs_can_be_left_out(repo_project: Project) -> None:
    build = pipeline.build(repo_project, "minikube", pipeline.Options(docs=False))
    assert not [name for name in build.files if name.startswith(("docs/", "scripts/"))]
