"""``cmgen validate PATH...``: files and folders against the official Kubernetes schemas.

Output formats and flags follow kubeconform's: ``--output text|json|sarif|junit|tap``,
``--skip KIND,...``, ``--summary``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from enum import Enum
from pathlib import Path

import typer

from generator import report as formats
from generator.cli.app import FINDINGS, OK, command, echo_lines
from generator.cli.flags import ProjectOption
from generator.errors import CmgenError
from generator.manifests import Manifest, load_paths
from generator.report import error_dict
from generator.project import Config, Project


class Output(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    tap = "tap"


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
    output: Output = typer.Option(Output.text, "--output", "-o", help="text, json, sarif, junit or tap."),
    skip: list[str] = typer.Option(
        [], "--skip", help="Kinds not to validate: KIND or GROUP/VERSION/KIND, comma-separated (repeatable)."
    ),
    summary: bool = typer.Option(
        False, "--summary", help="Add a summary: resources, files, valid, invalid, skipped."
    ),
    require_schemas: bool = typer.Option(
        False, "--require-schemas", help="A custom resource without a CRD is an error."
    ),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Validate manifests strictly and offline.

    Exit 0 when every resource is valid (skipped ones allowed), 1 when any is invalid, 2 on
    bad input (an unreadable file, broken YAML, an unknown --kube-version), 3 on a bug.
    """
    from generator.validate import Report, validate  # jsonschema-rs: only for this command

    kinds = {kind.strip() for entry in skip for kind in entry.split(",") if kind.strip()}
    try:
        config = _config(project_dir)
        manifests = load_paths(paths)
        skipped = [manifest for manifest in manifests if _skipped(manifest, kinds)]
        kept = [manifest for manifest in manifests if not _skipped(manifest, kinds)]
        result = validate(
            kept, kube_version or config.kube_version, [*config.crds, *crd], require_schemas=require_schemas
        )
    except CmgenError as error:  # bad input: a JSON or SARIF document still comes, with the error
        if output is Output.json:
            document = {**Report([], 0, 0, 0).as_dict(), "error": error_dict(error)}
            echo_lines([json.dumps(document, indent=2)])
        elif output is Output.sarif:
            echo_lines([formats.sarif_text([], {}, error=error).rstrip("\n")])
        raise
    result = replace(
        result, resources=result.resources + len(skipped), skipped=result.skipped + len(skipped)
    )
    checked = [formats.Checked(m.source.name, m.ref, "") for m in kept] + [
        formats.Checked(m.source.name, m.ref, f"{m.kind} skipped (--skip)") for m in skipped
    ]
    files = len({manifest.source.name for manifest in manifests})
    valid = result.resources - result.invalid - result.skipped
    counts = {"resources": result.resources, "files": files, "valid": valid,
              "invalid": result.invalid, "errors": 0, "skipped": result.skipped}
    line = (
        f"Summary: {result.resources} resources found in {files} files - Valid: {valid}, "
        f"Invalid: {result.invalid}, Errors: 0, Skipped: {result.skipped}"
    )
    if output is Output.json:
        document = result.as_dict() | ({"summary": counts} if summary else {})
        echo_lines([json.dumps(document, indent=2)])
    elif output is Output.sarif:
        echo_lines([formats.sarif_text(result.findings, {}).rstrip("\n")])
    elif output is Output.junit:
        echo_lines([formats.junit_text(result.findings, checked).rstrip("\n")])
    elif output is Output.tap:
        tap = formats.tap_text(result.findings, checked).rstrip("\n")
        echo_lines([tap, *([f"# {line}"] if summary else [])])
    else:
        echo_lines(
            [finding.text() for finding in result.findings]
            + [result.summary()]
            + ([line] if summary else [])
        )
    raise typer.Exit(OK if result.ok else FINDINGS)


def _skipped(manifest: Manifest, kinds: set[str]) -> bool:
    return manifest.kind in kinds or f"{manifest.api_version}/{manifest.kind}" in kinds


def _config(project_dir: Path | None) -> Config:
    """The project's settings; outside a project, the defaults."""
    found = Project.load(project_dir) if project_dir else Project.find(Path.cwd())
    return found.config if found is not None else Config()
