"""Findings: what validation, lint and drift checks report about valid input.

A finding is data until the report: stages collect them, the CLI sorts and prints
them and picks the exit code (1 when any has severity ``error``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]

# The info finding of a custom resource that has no CRD to validate it by (``validate``);
# render and check count these apart from reasoned lint skips.
NO_SCHEMA = "no-schema"


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

    def text(self) -> str:
        """``FILE:LINE:COL: SEVERITY[RULE] KIND/NAME: message``, then where it came from."""
        where = f"{self.file}:{self.line}:{self.column}"
        resource = f" {self.resource}:" if self.resource else ""
        line = f"{where}: {self.severity}[{self.rule}]{resource} {self.message}"
        if self.origin:
            line += f" (from {self.origin})"
        return line

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value != ""}


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)
