"""``cmgen lint PATH...``: cross-resource and hardening checks on manifests."""

from __future__ import annotations

from pathlib import Path

import typer

from generator import report
from generator.cli.app import BAD_INPUT, FINDINGS, OK, command, echo_lines
from generator.errors import CmgenError
from generator.findings import Finding, has_errors
from generator.manifests import by_tree, load_paths
from generator.project import Project


def rule_infos() -> dict[str, report.RuleInfo]:
    from generator.lint import RULES

    return {
        rule.id: report.RuleInfo(rule.id, rule.summary, rule.hint, rule.severity) for rule in RULES
    }


@command("lint")
def lint_command(
    paths: list[str] = typer.Argument(None, help="Files or folders of manifests; - is stdin."),
    output: str = typer.Option("text", "--output", "-o", help="text, json, sarif, junit or tap."),
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
    if output not in report.FORMATS:
        raise CmgenError(f"--output must be one of {', '.join(report.FORMATS)}, not {output!r}")
    try:
        if not paths:
            raise CmgenError("no PATH given: name manifest files or folders (or - for stdin)")
        project = Project.find(Path.cwd())
        settings = project.config.lint if project is not None else ()
        manifests = load_paths(paths)
        findings = sorted(finding for group in by_tree(manifests) for finding in lint(group, settings))
    except CmgenError as error:  # bad input: the document still comes, carrying the error
        if output in ("json", "sarif"):
            typer.echo(_document(output, [], error), nl=False)
        raise
    checked = [report.Checked(manifest.source.name, manifest.ref) for manifest in manifests]
    if output == "junit":
        typer.echo(report.junit_text(findings, checked), nl=False)
    elif output == "tap":
        typer.echo(report.tap_text(findings, checked), nl=False)
    elif output == "text":
        echo_lines(report.text_lines(findings))
    else:
        typer.echo(_document(output, findings), nl=False)
    raise typer.Exit(FINDINGS if has_errors(findings) else OK)


def _document(output: str, findings: list[Finding], error: CmgenError | None = None) -> str:
    if output == "json":
        return report.json_text(findings, error)
    from importlib import metadata  # ~10 ms of start-up: only SARIF needs the version

    return report.sarif_text(findings, rule_infos(), metadata.version("cmgen"), error)


__all__ = ["BAD_INPUT", "lint_command"]
