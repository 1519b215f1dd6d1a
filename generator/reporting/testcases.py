"""JUnit XML and TAP 13 for CI test reports: one test per checked resource, as kubeconform
reports them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from generator.findings import Finding
from generator.reporting.model import Checked, Report

if TYPE_CHECKING:
    from xml.etree import ElementTree


class JUnitReporter:
    name = "junit"
    document = False

    def render(self, report: Report) -> str:
        return junit_text(report.findings, report.checked)


class TapReporter:
    name = "tap"
    document = False

    def render(self, report: Report) -> str:
        text = tap_text(report.findings, report.checked)
        return text + (f"# {report.summary.line()}\n" if report.summary and report.show_summary else "")


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
