"""Findings: what validation, lint and drift checks report about valid input.

A finding is data until the report: stages collect them, the CLI sorts and prints
them and picks the exit code (1 when any has severity ``error``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]

# The info finding of a custom resource that has no CRD to validate it by (``validate``);
# render and check count these apart from reasoned lint skips.
NO_SCHEMA = "no-schema"


@dataclass(frozen=True)
class Skip:
    """Why an object skips the rule of a finding (its annotation's reason), and the severity
    the finding has where it is not skipped. A skipped finding is reported as ``info``."""

    reason: str
    severity: Severity


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    resource: str
    message: str
    hint: str = ""
    origin: str = ""
    # Not compared (None does not order against a Skip); ``severity`` is "info" when set.
    skip: Skip | None = field(default=None, compare=False)

    def text(self) -> str:
        """``FILE:LINE:COL: SEVERITY[RULE] KIND/NAME: message [skipped: reason]``, then
        where it came from."""
        where = f"{self.file}:{self.line}:{self.column}"
        resource = f" {self.resource}:" if self.resource else ""
        line = f"{where}: {self.severity}[{self.rule}]{resource} {self.message}"
        if self.skip is not None:
            line += f" [skipped: {self.skip.reason}]"
        if self.origin:
            line += f" (from {self.origin})"
        return line

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in ("", None)}


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)
