"""``cmgen lint PATH...``: cross-resource and hardening checks on manifests."""

from __future__ import annotations

import typer

from generator import report
from generator.cli.app import BAD_INPUT, FINDINGS, OK, command, echo_lines
from generator.errors import CmgenError
from generator.findings import has_errors
from generator.manifests import by_tree, load_paths


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

    Exit 0 without errors (warnings allowed), 1 with errors, 2 on bad input.
    """
    from generator.lint import RULES, lint

    if rules:
        echo_lines([f"{rule.id}\t{rule.severity}\t{rule.summary}" for rule in RULES])
        return
    if output not in report.FORMATS:
        raise CmgenError(f"--output must be one of {', '.join(report.FORMATS)}, not {output!r}")
    if not paths:
        raise CmgenError("no PATH given: name manifest files or folders (or - for stdin)")
    manifests = load_paths(paths)
    findings = sorted(finding for group in by_tree(manifests) for finding in lint(group))
    checked = [report.Checked(manifest.source.name, manifest.ref) for manifest in manifests]
    if output == "junit":
        typer.echo(report.junit_text(findings, checked), nl=False)
    elif output == "tap":
        typer.echo(report.tap_text(findings, checked), nl=False)
    elif output == "json":
        typer.echo(report.json_text(findings), nl=False)
    elif output == "sarif":
        from importlib import metadata  # ~10 ms of start-up: only SARIF needs the version

        typer.echo(report.sarif_text(findings, rule_infos(), metadata.version("cmgen")), nl=False)
    else:
        echo_lines(report.text_lines(findings))
    raise typer.Exit(FINDINGS if has_errors(findings) else OK)


__all__ = ["BAD_INPUT", "lint_command"]
