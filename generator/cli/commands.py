"""Commands that work on a project: envs (render, check and diff join them)."""

from __future__ import annotations

from pathlib import Path

from generator.cli.app import ProjectOption, command, project


@command("envs")
def envs(project_dir: Path | None = ProjectOption) -> None:
    """List the environments, one per line, name first."""
    for name in project(project_dir).envs():
        print(name)
