"""The version is written once (pyproject.toml); everything that names a release agrees."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO, cmgen

VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_the_version_is_semantic_and_cmgen_reports_it() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert cmgen("--version").stdout == f"cmgen {VERSION}\n"


def test_no_module_repeats_the_version() -> None:
    for path in (REPO / "generator").rglob("*.py"):
        assert "__version__ =" not in path.read_text(), path


def test_the_changelog_has_a_section_for_the_version() -> None:
    assert f"\n## {VERSION}\n" in (REPO / "CHANGELOG.md").read_text()


def test_the_pre_commit_example_and_the_argocd_image_use_the_release_tag() -> None:
    revs = re.findall(r"^\s+rev: (\S+)$", (REPO / "docs" / "git-workflow.md").read_text(), re.M)
    assert revs == [f"v{VERSION}"]
    cmp = REPO / "deploy" / "argocd-cmp"
    assert f"ARG CMGEN_VERSION=v{VERSION}\n" in (cmp / "Dockerfile").read_text()
    assert re.search(rf"image: \S+:{re.escape(VERSION)}\n", (cmp / "sidecar.yaml").read_text())
