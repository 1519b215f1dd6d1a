"""What every reporter reads: a ``Report`` of one command, and the counts of its findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from generator.errors import CmgenError
from generator.findings import Finding

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF says about a rule: its id, a one-line summary, the fix, the level."""

    id: str
    summary: str
    hint: str
    severity: str


@dataclass(frozen=True)
class Checked:
    """A resource that was checked: its file, ``Kind/name``, and why it was not, if it was
    skipped on request (``--skip``)."""

    file: str
    resource: str
    skipped: str = ""


@dataclass(frozen=True)
class Summary:
    """What ``cmgen validate`` counts, as kubeconform's ``--summary`` does."""

    resources: int
    files: int
    valid: int
    invalid: int
    skipped: int
    errors: int = 0

    def line(self) -> str:
        return (
            f"Summary: {self.resources} resources found in {self.files} files - Valid: {self.valid}, "
            f"Invalid: {self.invalid}, Errors: {self.errors}, Skipped: {self.skipped}"
        )


@dataclass(frozen=True)
class Report:
    """What one command found: the input of every reporter.

    ``errors``: bad input that stopped the run (or one env of it). ``checked``: the
    resources checked, for the formats with a test per resource. ``summary`` (validate): its
    counts; ``show_summary``: ``--summary`` asks for them in text and TAP too. ``diagnostics``:
    the text is the diagnostics of a build (render, check: errors and warnings, reasoned
    skips as a count) rather than a listing (lint, validate: every finding, then a total).
    ``hints``: a listing adds each finding's fix.
    """

    command: str
    findings: list[Finding]
    errors: list[CmgenError] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    envs: list[str] = field(default_factory=list)
    summary: Summary | None = None
    show_summary: bool = False
    hints: bool = True
    diagnostics: bool = False
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)  # SARIF: the rules that can fire
    tool_version: bool = True  # SARIF: name cmgen's version (validate's log never did)


class Reporter(Protocol):
    """Renders a ``Report``. ``document``: a document for a program (printed on stdout,
    also when bad input stopped the run), not text for people."""

    name: str
    document: bool

    def render(self, report: Report) -> str: ...


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    counted: Counter[str] = Counter(finding.severity for finding in findings)
    return {severity: counted[severity] for severity in SEVERITIES}
