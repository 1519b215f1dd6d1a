"""``cmgen validate PATH...``: files and folders against the official Kubernetes schemas."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from generator.cli.app import FINDINGS, OK, ProjectOption, command, echo_lines
from generator.errors import CmgenError
from generator.manifests import load_paths
from generator.report import error_dict
from generator.project import Config, Project


class Output(str, Enum):
    text = "text"
    json = "json"


@command("validate")
def validate_command(
    paths: list[str] = typer.Argument(
        ..., help="YAML files or folders (*.yaml, *.yml, recursively); '-' reads stdin."
    ),
    kube_version: str | None = typer.Option(
        None, "--kube-version", help="Kubernetes version X.Y (default: kubeVersion of cmgen.yaml)."
    ),
    crd: list[Path] = typer.Option(
        [], "--crd", help="CRD file or folder for custom resources (repeatable)."
    ),
    output: Output = typer.Option(Output.text, "--output", "-o", help="text or json."),
    require_schemas: bool = typer.Option(
        False, "--require-schemas", help="A custom resource without a CRD is an error."
    ),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Validate manifests strictly and offline; exit 1 when any is invalid."""
    from generator.validate import Report, validate  # jsonschema-rs: only for this command

    try:
        config = _config(project_dir)
        report = validate(
            load_paths(paths),
            kube_version or config.kube_version,
            [*config.crds, *crd],
            require_schemas=require_schemas,
        )
    except CmgenError as error:  # bad input: the JSON document still comes, with the error
        if output is Output.json:
            document = {**Report([], 0, 0, 0).as_dict(), "error": error_dict(error)}
            echo_lines([json.dumps(document, indent=2)])
        raise
    if output is Output.json:
        echo_lines([json.dumps(report.as_dict(), indent=2)])
    else:
        echo_lines([finding.text() for finding in report.findings] + [report.summary()])
    raise typer.Exit(OK if report.ok else FINDINGS)


def _config(project_dir: Path | None) -> Config:
    """The project's settings; outside a project, the defaults."""
    found = Project.load(project_dir) if project_dir else Project.find(Path.cwd())
    return found.config if found is not None else Config()
