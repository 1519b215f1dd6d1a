"""``cmgen lint PATH...``: cross-resource and hardening checks on manifests."""

from __future__ import annotations

from pathlib import Path

import typer

from generator.cli.app import FINDINGS, OK, command, echo_lines
from generator.cli.output import OutputOption, bad_input_reported, emit
from generator.errors import CmgenError
from generator.findings import has_errors
from generator.manifests import by_tree, load_paths
from generator.project import Project
from generator.reporting import Checked, Report, RuleInfo


def rule_infos() -> dict[str, RuleInfo]:
    from generator.lint import RULES

    return {rule.id: RuleInfo(rule.id, rule.summary, rule.hint, rule.severity) for rule in RULES}


@command("lint")
def lint_command(
    paths: list[str] = typer.Argument(None, help="Files or folders of manifests; - is stdin."),
    output: str = OutputOption,
    rules: bool = typer.Option(False, "--rules", help="List the rules and exit."),
) -> None:
    """Lint manifests: references between objects, API-server rules, hardening.

    Inside a project, the lint settings of its cmgen.yaml apply.
    Exit 0 without errors (warnings allowed), 1 with errors, 2 on bad input.
    """
    from generator.lint import RULES, lint

    if rules:
        echo_lines([f"{rule.id}\t{rule.severity}\t{rule.summary}" for rule in RULES])
        return
    with bad_input_reported(output, Report("lint", [], rules=rule_infos())) as reporter:
        if not paths:
            raise CmgenError("no PATH given: name manifest files or folders (or - for stdin)")
        project = Project.find(Path.cwd())
        settings = project.config.lint if project is not None else ()
        manifests = load_paths(paths)
        findings = sorted(finding for group in by_tree(manifests) for finding in lint(group, settings))
    checked = [Checked(manifest.source.name, manifest.ref) for manifest in manifests]
    emit(Report("lint", findings, checked=checked, rules=rule_infos()), reporter)
    raise typer.Exit(FINDINGS if has_errors(findings) else OK)
