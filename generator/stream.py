"""A build's manifests as one YAML stream (``cmgen render --stdout``), as ``helm template``
prints them: every manifest file of the tree in path order, each under a ``# Source:``
line, its documents as written to disk. Docs, scripts and charts are not manifests."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.errors import CmgenError
from generator.project import Project

if TYPE_CHECKING:
    from generator.pipeline import Build


def manifest_files(build: Build, project: Project) -> list[str]:
    """The names (relative to the tree) of the files that hold the build's objects."""
    sources = {manifest.source.name for manifest in build.manifests}
    return [
        name for name in sorted(build.files) if project.display(build.target.tree / name) in sources
    ]


def select(names: list[str], show_only: Sequence[str]) -> list[str]:
    """The names matching any ``--show-only`` pattern (a path in the tree, or a glob such
    as ``k8s-manifests/workloads/*``); every pattern must match a manifest file."""
    if not show_only:
        return names
    for pattern in show_only:
        if not any(_matches(name, pattern) for name in names):
            raise CmgenError(
                f"--show-only {pattern}: no manifest file of the tree matches it "
                f"(files: {', '.join(names) or 'none'})"
            )
    return [name for name in names if any(_matches(name, pattern) for pattern in show_only)]


def _matches(name: str, pattern: str) -> bool:
    pattern = pattern.removeprefix("./")
    return name == pattern or fnmatch.fnmatchcase(name, pattern)


def text(build: Build, project: Project, show_only: Sequence[str] = ()) -> str:
    parts = []
    for name in select(manifest_files(build, project), show_only):
        body = build.files[name].data.decode("utf-8")
        parts.append(f"# Source: {name}\n{body}")
    return "".join(parts)
