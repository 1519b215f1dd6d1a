"""``cmgen graph --env ENV --format mermaid|dot|json``: the platform graph of a render."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from generator.cli.app import command, project
from generator.cli.flags import OneEnvOption, ProjectOption
from generator.errors import CmgenError


@command("graph")
def graph_command(
    env: str = OneEnvOption,
    format: str = typer.Option("mermaid", "--format", "-f", help="mermaid, dot or json."),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Print the platform graph of an env's rendered objects.

    Namespaces, workloads, Services, routes, calls and storage: the graph the docs and
    charts are drawn from.
    """
    from generator.graph import export
    from generator.runs import graph_env

    if format not in export.FORMATS:
        raise CmgenError(f"--format must be one of {', '.join(export.FORMATS)}, not {format!r}")
    sys.stdout.write(export.export(graph_env(project(project_dir), env), format))
