"""Findings out: text lines, JSON, SARIF 2.1.0 for GitHub code scanning, and JUnit XML and
TAP 13 for CI test reports (one test per checked resource, as kubeconform reports them).

Every format takes the findings already collected (any stage: validate, lint, drift) and
sorts them; nothing here decides an exit code.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.errors import CmgenError
from generator.findings import Finding, Skip

if TYPE_CHECKING:
    from xml.etree import ElementTree

FORMATS = ("text", "json", "sarif", "junit", "tap")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_ORDER = ("error", "warning", "info")


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF says about a rule: its id, a one-line summary, the fix, the level."""

    id: str
    summary: str
    hint: str
    severity: str


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    counted: Counter[str] = Counter(finding.severity for finding in findings)
    return {severity: counted[severity] for severity in _ORDER}


def summary(findings: list[Finding]) -> str:
    numbers = counts(findings)
    if not findings:
        return "no findings"
    words = {"error": "error", "warning": "warning", "info": "skipped"}
    parts = []
    for severity in _ORDER:
        number = numbers[severity]
        if number:
            plural = "s" if number != 1 and severity != "info" else ""
            parts.append(f"{number} {words[severity]}{plural}")
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


def error_dict(error: CmgenError) -> dict[str, Any]:
    """Bad input that stopped a run, for a JSON document (the findings are then empty)."""
    where = error.location
    return {"file": where.file, "line": where.line, "column": where.column, "message": error.message}


def json_text(findings: Iterable[Finding], error: CmgenError | None = None) -> str:
    """``error``: the run stopped on bad input (exit 2); the document says so under
    ``error``, so a CI parser still gets a document."""
    ordered = sorted(findings)
    document: dict[str, Any] = {
        "findings": [finding.as_dict() for finding in ordered], "counts": counts(ordered)
    }
    if error is not None:
        document["error"] = error_dict(error)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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


@dataclass(frozen=True)
class Checked:
    """A resource that was checked: its file, ``Kind/name``, and why it was not, if it was
    skipped on request (``--skip``)."""

    file: str
    resource: str
    skipped: str = ""


def _cases(findings: Iterable[Finding], checked: Iterable[Checked]) -> dict[tuple[str, str], tuple[Checked, list[Finding]]]:
    """One test case per checked resource, in file order, with its findings; a finding of no
    checked resource is a case of its own."""
    cases: dict[tuple[str, str], tuple[Checked, list[Finding]]] = {}
    for item in checked:
        cases.setdefault((item.file, item.resource), (item, []))
    for finding in sorted(findings):
        key = (finding.file, finding.resource)
        cases.setdefault(key, (Checked(*key), []))[1].append(finding)
    return dict(sorted(cases.items()))


def _outcome(item: Checked, found: list[Finding]) -> tuple[str, str]:
    """``failure``, ``skipped`` or ``ok``, and the text that says why."""
    errors = [finding.text() for finding in found if finding.severity == "error"]
    if errors:
        return "failure", "\n".join(errors)
    if item.skipped:
        return "skipped", item.skipped
    infos = [finding.message for finding in found if finding.severity == "info" and finding.skip is None]
    if infos:
        return "skipped", "\n".join(infos)
    return "ok", ""


def junit_text(findings: Iterable[Finding], checked: Iterable[Checked], name: str = "cmgen") -> str:
    """JUnit XML: a test suite per file, a test case per resource; an error is a failure, a
    resource without a schema (or skipped with ``--skip``) is skipped, warnings go to the
    case's system-out. No timings: the same input gives the same bytes."""
    from xml.etree import ElementTree  # only this format needs it

    suites: dict[str, list[ElementTree.Element]] = {}
    totals = Counter[str]()
    for (file, resource), (item, found) in _cases(findings, checked).items():
        case = ElementTree.Element("testcase", name=resource or file, classname=file)
        outcome, why = _outcome(item, found)
        if outcome != "ok":
            first = why.partition("\n")[0]
            ElementTree.SubElement(case, outcome, message=first).text = why
        warnings = [finding.text() for finding in found if finding.severity == "warning"]
        if warnings:
            ElementTree.SubElement(case, "system-out").text = "\n".join(warnings)
        suites.setdefault(file, []).append(case)
        totals[outcome] += 1
    root = ElementTree.Element(
        "testsuites",
        name=name,
        tests=str(sum(totals.values())),
        failures=str(totals["failure"]),
        errors="0",
        skipped=str(totals["skipped"]),
    )
    for number, (file, cases) in enumerate(suites.items()):
        counted = Counter(next((child.tag for child in case if child.tag != "system-out"), "ok") for case in cases)
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=file,
            id=str(number),
            tests=str(len(cases)),
            failures=str(counted["failure"]),
            errors="0",
            skipped=str(counted["skipped"]),
        )
        suite.extend(cases)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def tap_text(findings: Iterable[Finding], checked: Iterable[Checked]) -> str:
    """TAP version 13: one test point per resource; a failure carries its findings in a
    YAML diagnostic block, a skipped resource a ``# SKIP`` directive."""
    cases = _cases(findings, checked)
    lines = ["TAP version 13", f"1..{len(cases)}"]
    for number, ((file, resource), (item, found)) in enumerate(cases.items(), start=1):
        outcome, why = _outcome(item, found)
        description = f"{file} {resource}".strip().replace("#", "\\#")
        if outcome == "failure":
            lines.append(f"not ok {number} - {description}")
            lines.append("  ---")
            lines.append("  findings:")
            lines.extend(f"    - {json.dumps(text, ensure_ascii=False)}" for text in why.split("\n"))
            lines.append("  ...")
        elif outcome == "skipped":
            reason = why.partition("\n")[0].replace("#", "\\#")
            lines.append(f"ok {number} - {description} # SKIP {reason}")
        else:
            lines.append(f"ok {number} - {description}")
    return "\n".join(lines) + "\n"
