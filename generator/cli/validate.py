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
from generator.manifests import Manifest, load_paths
from generator.project import Config, Project
from generator.reporting import Checked, Report, Summary


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
    from generator.validate import validate  # jsonschema-rs: only for this command

    kinds = {kind.strip() for entry in skip for kind in entry.split(",") if kind.strip()}
    empty = Report("validate", [], summary=Summary(0, 0, 0, 0, 0), tool_version=False)
    with bad_input_reported(output, empty) as reporter:
        config = _config(project_dir)
        manifests = load_paths(paths)
        skipped = [manifest for manifest in manifests if _skipped(manifest, kinds)]
        kept = [manifest for manifest in manifests if not _skipped(manifest, kinds)]
        result = validate(
            kept, kube_version or config.kube_version, [*config.crds, *crd], require_schemas=require_schemas
        )
    checked = [Checked(m.source.name, m.ref, "") for m in kept] + [
        Checked(m.source.name, m.ref, f"{m.kind} skipped (--skip)") for m in skipped
    ]
    resources, skips = result.resources + len(skipped), result.skipped + len(skipped)
    counted = Summary(
        resources=resources,
        files=len({manifest.source.name for manifest in manifests}),
        valid=resources - result.invalid - skips,
        invalid=result.invalid,
        skipped=skips,
    )
    report = Report("validate", result.findings, checked=checked, summary=counted, show_summary=summary,
                    hints=False, tool_version=False)
    emit(report, reporter)
    raise typer.Exit(OK if result.ok else FINDINGS)


def _skipped(manifest: Manifest, kinds: set[str]) -> bool:
    return manifest.kind in kinds or f"{manifest.api_version}/{manifest.kind}" in kinds


def _config(project_dir: Path | None) -> Config:
    """The project's settings; outside a project, the defaults."""
    found = Project.load(project_dir) if project_dir else Project.find(Path.cwd())
    return found.config if found is not None else Config()
