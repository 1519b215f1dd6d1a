from __future__ import annotations

from pathlib import Path

import pytest

from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The CloudMart project of this repository (read-only: never render into it)."""
    return Project.load(REPO)
