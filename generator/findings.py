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
    """Why the rule of a finding is skipped (an annotation's reason, or a project setting's),
    and the severity the finding has where it is not skipped. A skipped finding is reported
    as ``info``. ``setting`` is empty for an annotation on the object, else the file of the
    project setting (``cmgen.yaml``), and ``line`` its line there."""

    reason: str
    severity: Severity
    setting: str = ""
    line: int = 0


@dataclass(frozen=True)
class Override:
    """A project setting (in file ``setting``, at ``line``) gave the finding its severity,
    for ``reason``; ``severity`` is the rule's own."""

    reason: str
    severity: Severity
    setting: str
    line: int


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
    override: Override | None = field(default=None, compare=False)

    def text(self) -> str:
        """``FILE:LINE:COL: SEVERITY[RULE] KIND/NAME: message [skipped: reason]``, then
        where it came from."""
        where = f"{self.file}:{self.line}:{self.column}"
        resource = f" {self.resource}:" if self.resource else ""
        line = f"{where}: {self.severity}[{self.rule}]{resource} {self.message}"
        if self.skip is not None:
            where = f" by {self.skip.setting}:{self.skip.line}" if self.skip.setting else ""
            line += f" [skipped{where}: {self.skip.reason}]"
        if self.override is not None:
            override = self.override
            line += (f" [{self.severity} by {override.setting}:{override.line}, rule default "
                     f"{override.severity}: {override.reason}]")
        if self.origin:
            line += f" (from {self.origin})"
        return line

    def as_dict(self) -> dict[str, Any]:
        found = {key: value for key, value in asdict(self).items() if value not in ("", None)}
        if self.skip is not None and not self.skip.setting:  # an annotation's: no setting
            found["skip"] = {"reason": self.skip.reason, "severity": self.skip.severity}
        return found


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)
