"""The committed out/<env> trees are the golden files: a fresh render must equal them.

On failure the test prints a unified diff. To accept a change on purpose, re-render:
``cmgen render --all-envs`` (or run pytest with ``CMGEN_UPDATE_GOLDEN=1``), review
``git diff out/`` and commit it.
"""

from __future__ import annotations

import os

import pytest

from generator import drift, pipeline, write
from generator.project import Project
from tests.conftest import REPO

ENVS = Project.load(REPO).envs()


@pytest.mark.parametrize("env", ENVS)
def test_committed_tree_equals_a_fresh_render(repo_project: Project, env: str) -> None:
    build = pipeline.build(repo_project, env)
    if os.environ.get("CMGEN_UPDATE_GOLDEN") == "1":
        write.write(build.target, build.files)
    differences = drift.compare(build)
    diff = "".join(drift.unified(build, differences, repo_project))
    assert not differences, f"out/{env} is stale; re-render it and review:\n{diff}"


def test_every_env_has_a_committed_tree() -> None:
    assert ENVS, "the project defines no env"
    for env in ENVS:
        assert (REPO / "out" / env / "week3" / "day3" / "README.md").is_file()
