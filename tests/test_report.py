from __future__ import annotations

import json

from generator import report
from generator.findings import Finding

ERROR = Finding(
    "b.yaml", 3, 5, "error", "service-selector", "Service/x", "matches nothing", "fix it"
)
WARNING = Finding("a.yaml", 9, 1, "warning", "seccomp", "Deployment/y", "no seccomp", "set it")
SKIPPED = Finding(
    "a.yaml", 2, 1, "info", "seccomp", "Deployment/z", "no seccomp [skipped: ok]", "set it"
)
RULES = {"seccomp": report.RuleInfo("seccomp", "seccomp is set", "set it", "warning")}


def test_text_sorted_with_hints_then_summary() -> None:
    lines = report.text_lines([ERROR, WARNING, SKIPPED])
    assert lines[0].startswith("a.yaml:2:1: info[seccomp] Deployment/z:") and "fix:" not in lines[0]
    assert lines[1] == "a.yaml:9:1: warning[seccomp] Deployment/y: no seccomp (fix: set it)"
    assert lines[2].startswith("b.yaml:3:5: error[service-selector]")
    assert lines[3] == "1 error, 1 warning, 1 skipped"
    assert report.text_lines([]) == ["no findings"]


def test_json_has_findings_and_counts() -> None:
    document = json.loads(report.json_text([ERROR, WARNING]))
    assert document["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert document["findings"][0]["file"] == "a.yaml"
    assert document["findings"][1]["rule"] == "service-selector"


def test_sarif_structure() -> None:
    document = json.loads(report.sarif_text([ERROR, WARNING, SKIPPED], RULES, "0.1.0"))
    assert document["version"] == "2.1.0" and "sarif-2.1.0" in document["$schema"]
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cmgen" and driver["version"] == "0.1.0"
    assert [rule["id"] for rule in driver["rules"]] == ["seccomp", "service-selector"]
    assert driver["rules"][0]["help"]["text"] == "set it"
    assert driver["rules"][0]["defaultConfiguration"]["level"] == "warning"
    levels = [result["level"] for result in run["results"]]
    assert levels == ["note", "warning", "error"]
    result = run["results"][2]
    assert result["ruleId"] == "service-selector"
    assert driver["rules"][result["ruleIndex"]]["id"] == "service-selector"
    location = result["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "b.yaml"},
        "region": {"startLine": 3, "startColumn": 5},
    }
    assert result["message"]["text"] == "Service/x: matches nothing"
