"""Text for people: ``FILE:LINE:COL: SEVERITY[RULE] KIND/NAME: message`` lines.

A listing (lint, validate) has every finding, sorted, then a total; the diagnostics of a
build (render, check) have the errors and warnings, and reasoned skips as a count."""

from __future__ import annotations

from collections.abc import Iterable

from generator.findings import NO_SCHEMA, Finding
from generator.reporting.model import Report, counts

_WORDS = {"error": "error", "warning": "warning", "info": "skipped"}


class TextReporter:
    name = "text"
    document = False

    def render(self, report: Report) -> str:
        if report.diagnostics:
            lines = diagnostics(report.findings)
        elif report.summary is not None:  # validate's listing: its findings as found, then its counts
            summary = report.summary
            lines = [finding.text() for finding in report.findings]
            lines.append(f"{summary.resources} resources, {summary.invalid} invalid, {summary.skipped} skipped")
            lines.extend([summary.line()] if report.show_summary else [])
        else:
            lines = text_lines(report.findings, report.hints)
        return "".join(line + "\n" for line in lines)


def summary(findings: list[Finding]) -> str:
    numbers = counts(findings)
    if not findings:
        return "no findings"
    parts = []
    for severity, word in _WORDS.items():
        number = numbers[severity]
        if number:
            plural = "s" if number != 1 and severity != "info" else ""
            parts.append(f"{number} {word}{plural}")
    return ", ".join(parts)


def text_lines(findings: Iterable[Finding], hints: bool = True) -> list[str]:
    """One line per finding, sorted, then the summary line."""
    ordered = sorted(findings)
    lines = []
    for finding in ordered:
        line = finding.text()
        if hints and finding.hint and finding.severity != "info":
            line += f" (fix: {finding.hint})"
        lines.append(line)
    lines.append(summary(ordered))
    return lines


def diagnostics(findings: Iterable[Finding]) -> list[str]:
    """Errors and warnings in full, reasoned skips (info) as a count (``cmgen lint`` lists
    them), each finding once (every env reports a symlinked out/)."""
    lines = []
    skipped = unvalidated = 0
    for finding in sorted(set(findings)):
        if finding.severity != "info":
            lines.append(finding.text())
        elif finding.rule == NO_SCHEMA:
            unvalidated += 1
        else:
            skipped += 1
    if skipped:
        lines.append(
            f"cmgen: {skipped} lint finding(s) skipped with a reason, by annotation or in "
            f"cmgen.yaml (see: cmgen lint)"
        )
    if unvalidated:
        lines.append(f"cmgen: {unvalidated} custom resource(s) not validated: no CRD given (use --crd)")
    return lines
