"""SARIF 2.1.0 for GitHub code scanning: one run, the rules that can fire, results with
physical locations."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from generator.errors import CmgenError
from generator.findings import Finding, Skip
from generator.reporting.model import Report, RuleInfo

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


class SarifReporter:
    name = "sarif"
    document = True

    def render(self, report: Report) -> str:
        version = ""
        if report.tool_version:
            from importlib import metadata  # ~10 ms of start-up: only SARIF needs the version

            version = metadata.version("cmgen")
        error = report.errors[0] if report.errors else None
        return sarif_text(report.findings, report.rules, version, error)


def sarif_text(
    findings: Iterable[Finding],
    rules: Mapping[str, RuleInfo],
    version: str = "",
    error: CmgenError | None = None,
) -> str:
    """SARIF 2.1.0: one run, the rules that can fire, results with physical locations; a
    finding skipped by annotation is a result suppressed in source, one skipped by a project
    setting is suppressed externally (in ``cmgen.yaml``). ``error``: the run stopped on bad
    input; its invocation failed, with the error as a tool execution notification (SARIF
    3.20.21), so a CI parser still gets a valid log."""
    ordered = sorted(findings)
    rule_ids = list(rules) + sorted({finding.rule for finding in ordered} - set(rules))
    position = {rule_id: number for number, rule_id in enumerate(rule_ids)}
    driver: dict[str, Any] = {
        "name": "cmgen",
        "rules": [_sarif_rule(rule_id, rules.get(rule_id)) for rule_id in rule_ids],
    }
    if version:
        driver["version"] = version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(finding, position) for finding in ordered],
    }
    if error is not None:
        run["invocations"] = [
            {"executionSuccessful": False, "toolExecutionNotifications": [_notification(error)]}
        ]
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _notification(error: CmgenError) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    where = error.location
    if where.file is not None:
        location: dict[str, Any] = {"artifactLocation": {"uri": where.file.removeprefix("./")}}
        if where.line is not None:
            location["region"] = {"startLine": where.line, "startColumn": where.column or 1}
        notification["locations"] = [{"physicalLocation": location}]
    return notification


def _sarif_rule(rule_id: str, info: RuleInfo | None) -> dict[str, Any]:
    if info is None:
        return {"id": rule_id, "name": rule_id}
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": info.summary},
        "help": {"text": info.hint},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(info.severity, "warning")},
    }


def _sarif_result(finding: Finding, position: Mapping[str, int]) -> dict[str, Any]:
    """A skipped finding keeps its rule's level and is suppressed in source, with the
    annotation's reason. Every result has ``suppressions`` (SARIF: all results of a run have
    it or none does); ``[]`` says the result is not suppressed."""
    message = f"{finding.resource}: {finding.message}" if finding.resource else finding.message
    uri = finding.file.removeprefix("./")
    skip = finding.skip
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": position[finding.rule],
        "level": _SARIF_LEVEL[finding.severity if skip is None else skip.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
        "suppressions": [] if skip is None else [_suppression(skip)],
    }
    if finding.override is not None:
        # The level is the project's; the rule's own and the reason go in the property bag.
        result["properties"] = {"cmgen": {"ruleLevel": _SARIF_LEVEL[finding.override.severity],
                                          "setting": finding.override.setting,
                                          "line": finding.override.line,
                                          "reason": finding.override.reason}}
    return result


def _suppression(skip: Skip) -> dict[str, Any]:
    # "accepted": cmgen honours only a skip that gives its reason, committed with the object
    # (inSource) or in the project's cmgen.yaml (external, located there).
    if not skip.setting:
        return {"kind": "inSource", "status": "accepted", "justification": skip.reason}
    location = {"physicalLocation": {"artifactLocation": {"uri": skip.setting},
                                     "region": {"startLine": skip.line}}}
    return {"kind": "external", "status": "accepted", "justification": skip.reason,
            "location": location}


