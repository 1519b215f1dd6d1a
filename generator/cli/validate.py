"""``cmgen validate PATH...``: files and folders against the official Kubernetes schemas.

Output formats and flags follow kubeconform's: ``--output text|json|sarif|junit|tap``,
``--skip KIND,...``, ``--summary``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from generator.cli.app import FINDINGS, OK, command
from generator.cli.flags import CrdOption, KubeVersionOption, ProjectOption, RequireSchemasOption
from generator.cli.output import OutputOption, bad_input_reported, emit
from generator.reporting import Report, Summary


@command("validate")
def validate_command(
    paths: list[str] = typer.Argument(
        ..., help="YAML files or folders (*.yaml, *.yml, recursively); '-' reads stdin."
    ),
    kube_version: str | None = KubeVersionOption,
    crd: list[Path] = CrdOption,
    output: str = OutputOption,
    skip: list[str] = typer.Option(
        [], "--skip", help="Kinds not to validate: KIND or GROUP/VERSION/KIND, comma-separated (repeatable)."
    ),
    summary: bool = typer.Option(
        False, "--summary", help="Add a summary: resources, files, valid, invalid, skipped."
    ),
    require_schemas: bool = RequireSchemasOption,
    project_dir: Path | None = ProjectOption,
) -> None:
    """Validate manifests strictly and offline.

    Exit 0 when every resource is valid (skipped ones allowed), 1 when any is invalid, 2 on
    bad input (an unreadable file, broken YAML, an unknown --kube-version), 3 on a bug.
    """
    from generator.runs.manifests import validate_paths

    empty = Report("validate", [], summary=Summary(0, 0, 0, 0, 0), tool_version=False)
    with bad_input_reported(output, empty) as reporter:
        run = validate_paths(paths, kube_version, crd, require_schemas, skip, project_dir)
    report = Report("validate", run.findings, checked=run.checked, summary=run.summary, show_summary=summary,
                    hints=False, tool_version=False)
    emit(report, reporter)
    raise typer.Exit(OK if run.ok else FINDINGS)
