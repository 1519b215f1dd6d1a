"""Project-level lint settings: ``lint:`` in ``cmgen.yaml`` (read with the project, applied
by the lint stage; see ``generator.lint.suppress``).

::

    lint:
      rules:
        - rule: read-only-root-fs
          severity: off                 # off, warning or error
          reason: "the databases write to their data dirs; emptyDir volumes are planned"
          paths: ["*/k8s-manifests/databases/*"]   # optional: globs on the file of a finding
          kinds: [StatefulSet]                      # optional

Every entry needs a reason: it is shown with each finding the entry changes. ``paths``
are ``fnmatch`` globs (``*`` also crosses ``/``) matched against the file as findings show
it; ``kinds`` against the object's kind. When several entries match a finding, the last
one counts. This module only reads the settings (it is loaded with every project, so it
imports nothing of the lint stage); rule ids are checked against the rules when the lint
stage runs, with the line of ``cmgen.yaml`` that names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Literal, cast

from generator import yamlio
from generator.errors import CmgenError

Level = Literal["off", "warning", "error"]
SEVERITIES = ("off", "warning", "error")
_KEYS = ("rule", "severity", "reason", "paths", "kinds")


@dataclass(frozen=True)
class RuleSetting:
    rule: str
    severity: Level
    """``off`` (the finding is reported as skipped), ``warning`` or ``error``."""
    reason: str
    paths: tuple[str, ...]
    kinds: tuple[str, ...]
    file: str
    line: int
    column: int
    """Where the entry is (for messages and SARIF); ``rule_line`` is where its rule is named."""
    rule_line: int = 0
    rule_column: int = 0

    def applies(self, rule: str, file: str, kind: str) -> bool:
        return (
            rule == self.rule
            and (not self.paths or any(fnmatchcase(file, glob) for glob in self.paths))
            and (not self.kinds or kind in self.kinds)
        )


def read(value: Any, text: str, file: str) -> tuple[RuleSetting, ...]:
    """The ``lint:`` setting of ``cmgen.yaml`` (``text``), each error located there."""
    if value is None:
        return ()
    reader = _Reader(text, file)
    if not isinstance(value, dict):
        raise reader.error(("lint",), "lint must be a mapping with 'rules'")
    for key in value:
        if key != "rules":
            raise reader.error(("lint", key), f"unknown lint setting {key!r} (known: rules)", key=True)
    entries = value.get("rules") or []
    if not isinstance(entries, list):
        raise reader.error(("lint", "rules"), "lint.rules must be a list of settings")
    return tuple(reader.entry(entry, ("lint", "rules", index)) for index, entry in enumerate(entries))


@dataclass(frozen=True)
class _Reader:
    text: str
    file: str

    def error(self, path: tuple[str | int, ...], message: str, key: bool = False) -> CmgenError:
        line, column = yamlio.locate(self.text, 0, list(path), key=key)
        return CmgenError(message, self.file, line, column)

    def entry(self, entry: Any, path: tuple[str | int, ...]) -> RuleSetting:
        if not isinstance(entry, dict):
            raise self.error(path, "a lint setting is a mapping: rule, severity, reason, "
                                   "and optionally paths and kinds")
        for key in entry:
            if key not in _KEYS:
                raise self.error((*path, key), f"unknown key {key!r} in a lint setting "
                                               f"(known: {', '.join(_KEYS)})", key=True)
        rule = entry.get("rule")
        if not isinstance(rule, str) or not rule:
            raise self.error(path, "a lint setting needs 'rule': the id of a lint rule")
        severity = "off" if entry.get("severity") is False else entry.get("severity")
        if severity not in SEVERITIES:
            raise self.error((*path, "severity") if "severity" in entry else path,
                             f"{rule}: severity must be one of {', '.join(SEVERITIES)}")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise self.error(path, f"{rule}: a lint setting needs a reason (why the rule "
                                   "does not apply here); it is shown with every finding it changes")
        line, column = yamlio.locate(self.text, 0, list(path))
        rule_line, rule_column = yamlio.locate(self.text, 0, [*path, "rule"])
        return RuleSetting(rule, cast(Level, severity), reason.strip(), self._strings(entry, path, "paths"),
                           self._strings(entry, path, "kinds"), self.file, line, column,
                           rule_line, rule_column)

    def _strings(self, entry: dict[str, Any], path: tuple[str | int, ...], key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            raise self.error((*path, key), f"{key} must be a list of strings")
        return tuple(value)
