"""The runs of ``cmgen validate`` and ``cmgen lint``: manifest files in, findings out, and
the resources checked (for the reports with a test per resource)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.findings import Finding, has_errors
from generator.manifests import Manifest, by_tree, load_paths
from generator.project import Config, Project
from generator.reporting.model import Checked, Summary


@dataclass(frozen=True)
class ManifestsRun:
    findings: list[Finding]
    checked: list[Checked]
    summary: Summary | None = None  # validate: what it counted

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def validate_paths(
    paths: Sequence[str],
    kube_version: str | None,
    crds: Sequence[Path],
    require_schemas: bool,
    skip: Sequence[str],
    project_dir: Path | None,
) -> ManifestsRun:
    """Validate the manifests of ``paths`` (files, folders, ``-``), but the kinds of ``skip``
    (``KIND`` or ``GROUP/VERSION/KIND``, comma-separated), which count as skipped. Settings
    not given come from the project (``project_dir``, else the one around the current
    folder), else the defaults."""
    from generator.validate import validate  # jsonschema-rs: only for this run

    kinds = {kind.strip() for entry in skip for kind in entry.split(",") if kind.strip()}
    config = _config(project_dir)
    manifests = load_paths(list(paths))
    skipped = [manifest for manifest in manifests if _skipped(manifest, kinds)]
    kept = [manifest for manifest in manifests if not _skipped(manifest, kinds)]
    result = validate(kept, kube_version or config.kube_version, [*config.crds, *crds], require_schemas=require_schemas)
    checked = [Checked(m.source.name, m.ref, "") for m in kept] + [
        Checked(m.source.name, m.ref, f"{m.kind} skipped (--skip)") for m in skipped
    ]
    resources, skips = result.resources + len(skipped), result.skipped + len(skipped)
    summary = Summary(
        resources=resources,
        files=len({manifest.source.name for manifest in manifests}),
        valid=resources - result.invalid - skips,
        invalid=result.invalid,
        skipped=skips,
    )
    return ManifestsRun(result.findings, checked, summary)


def lint_paths(paths: Sequence[str]) -> ManifestsRun:
    """Lint the manifests of ``paths``, each tree on its own; inside a project, with the
    lint settings of its cmgen.yaml and the scope its CRDs give their kinds."""
    from generator.lint import lint

    project = Project.find(Path.cwd())
    settings = project.config.lint if project is not None else ()
    # The project's CRDs (cmgen.yaml crds:) say which of their kinds are cluster-scoped.
    known = None
    if project is not None and project.config.crds:
        from generator.validate import crds

        known = crds.scope_of(project.config.crds)
    manifests = load_paths(list(paths))
    findings = sorted(finding for group in by_tree(manifests) for finding in lint(group, settings, known=known))
    return ManifestsRun(findings, [Checked(manifest.source.name, manifest.ref) for manifest in manifests])


def _skipped(manifest: Manifest, kinds: set[str]) -> bool:
    return manifest.kind in kinds or f"{manifest.api_version}/{manifest.kind}" in kinds


def _config(project_dir: Path | None) -> Config:
    """The project's settings; outside a project, the defaults."""
    found = Project.load(project_dir) if project_dir else Project.find(Path.cwd())
    return found.config if found is not None else Config()
