"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
# The real CRDs live next to the repository (``<x>/main`` + ``<x>/shared`` in CI); a git
# worktree under ``<x>/wt/<name>`` finds them one level further up.
_CRD_CANDIDATES = (REPO.parent / "shared" / "crds", REPO.parent.parent / "shared" / "crds")


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The CloudMart project of this repository (read-only: never render into it)."""
    return Project.load(REPO)


@pytest.fixture
def shared_crds() -> Path:
    """The folder of real upstream CRDs (test data, never copied into the project)."""
    for candidate in _CRD_CANDIDATES:
        if candidate.is_dir():
            return candidate
    pytest.skip(f"real CRDs not found (looked in {', '.join(map(str, _CRD_CANDIDATES))})")
