from __future__ import annotations

from pathlib import Path

import pytest

from generator import graph, pipeline
from generator.graph import Graph
from generator.pipeline import Build
from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The CloudMart project of this repository (read-only: never render into it)."""
    return Project.load(REPO)


@pytest.fixture(scope="session")
def minikube_build(repo_project: Project) -> Build:
    """The repo's minikube env, rendered in memory (docs included)."""
    return pipeline.build(repo_project, "minikube")


@pytest.fixture(scope="session")
def secured_build(repo_project: Project) -> Build:
    """minikube with NetworkPolicies and TLS switched on (the features prod-like envs use)."""
    sets = ("features.networkPolicies=true", "features.tls=true")
    return pipeline.build(repo_project, "minikube", pipeline.Options(sets=sets))


def graph_of(build: Build, project: Project) -> Graph:
    return graph.build(build.manifests, project.display(build.target.tree))
