"""``cmgen lint PATH...``: cross-resource and hardening checks on manifests."""

from __future__ import annotations

import typer

from generator.cli.app import FINDINGS, OK, command, echo_lines
from generator.cli.output import OutputOption, bad_input_reported, emit
from generator.errors import CmgenError
from generator.reporting import Report, RuleInfo


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
    from generator.lint import RULES

    if rules:
        echo_lines([f"{rule.id}\t{rule.severity}\t{rule.summary}" for rule in RULES])
        return
    from generator.runs.manifests import lint_paths

    with bad_input_reported(output, Report("lint", [], rules=rule_infos())) as reporter:
        if not paths:
            raise CmgenError("no PATH given: name manifest files or folders (or - for stdin)")
        run = lint_paths(paths)
    emit(Report("lint", run.findings, checked=run.checked, rules=rule_infos()), reporter)
    raise typer.Exit(OK if run.ok else FINDINGS)
