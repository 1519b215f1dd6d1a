"""The reporters: text, JSON, SARIF (JUnit and TAP: tests/test_cli_validate.py, test_cli_lint.py)."""

from __future__ import annotations

import json

from generator.findings import Finding, Skip
from generator.reporting import REPORTER_BY_NAME, Report, RuleInfo
from generator.reporting import text as report
from generator.reporting.sarif import sarif_text
from tests.sarif_judge import schema_errors

ERROR = Finding(
    "b.yaml", 3, 5, "error", "service-selector", "Service/x", "matches nothing", "fix it"
)
WARNING = Finding("a.yaml", 9, 1, "warning", "seccomp", "Deployment/y", "no seccomp", "set it")
SKIPPED = Finding(
    "a.yaml", 2, 1, "info", "seccomp", "Deployment/z", "no seccomp", "set it", skip=Skip("ok", "warning")
)
RULES = {"seccomp": RuleInfo("seccomp", "seccomp is set", "set it", "warning")}


def test_text_sorted_with_hints_then_summary() -> None:
    lines = report.text_lines([ERROR, WARNING, SKIPPED])
    assert lines[0].startswith("a.yaml:2:1: info[seccomp] Deployment/z:") and "fix:" not in lines[0]
    assert lines[1] == "a.yaml:9:1: warning[seccomp] Deployment/y: no seccomp (fix: set it)"
    assert lines[2].startswith("b.yaml:3:5: error[service-selector]")
    assert lines[3] == "1 error, 1 warning, 1 skipped"
    assert report.text_lines([]) == ["no findings"]


def test_json_has_findings_and_counts() -> None:
    document = json.loads(REPORTER_BY_NAME["json"].render(Report("lint", [ERROR, WARNING])))
    assert document["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert document["findings"][0]["file"] == "a.yaml"
    assert document["findings"][1]["rule"] == "service-selector"


def test_sarif_structure() -> None:
    document = json.loads(sarif_text([ERROR, WARNING, SKIPPED], RULES, "0.1.0"))
    assert document["version"] == "2.1.0" and "sarif-2.1.0" in document["$schema"]
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cmgen" and driver["version"] == "0.1.0"
    assert [rule["id"] for rule in driver["rules"]] == ["seccomp", "service-selector"]
    assert driver["rules"][0]["help"]["text"] == "set it"
    assert driver["rules"][0]["defaultConfiguration"]["level"] == "warning"
    levels = [result["level"] for result in run["results"]]
    assert levels == ["warning", "warning", "error"]  # the skipped one keeps its rule's level
    result = run["results"][2]
    assert result["ruleId"] == "service-selector"
    assert driver["rules"][result["ruleIndex"]]["id"] == "service-selector"
    location = result["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "b.yaml"},
        "region": {"startLine": 3, "startColumn": 5},
    }
    assert result["message"]["text"] == "Service/x: matches nothing"


def test_text_shows_the_reason_of_a_skip() -> None:
    assert report.text_lines([SKIPPED])[0] == (
        "a.yaml:2:1: info[seccomp] Deployment/z: no seccomp [skipped: ok]"
    )


def test_sarif_result_of_a_skip_is_suppressed_in_source_with_its_reason() -> None:
    [run] = json.loads(sarif_text([ERROR, WARNING, SKIPPED], RULES))["runs"]
    skipped, warning, error = run["results"]
    assert skipped["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "ok"}
    ]
    assert skipped["message"]["text"] == "Deployment/z: no seccomp"  # the reason is not in it
    # SARIF: every result of a run has suppressions, or none has; [] means not suppressed.
    assert warning["suppressions"] == error["suppressions"] == []


def test_sarif_info_finding_that_is_not_a_skip_is_a_note() -> None:
    no_schema = Finding("c.yaml", 1, 1, "info", "no-schema", "Widget/w", "no schema: skipped")
    [run] = json.loads(sarif_text([no_schema], {}))["runs"]
    assert [(r["level"], r["suppressions"]) for r in run["results"]] == [("note", [])]


def test_sarif_is_valid_against_the_official_schema() -> None:
    unknown_rule = Finding("d.yaml", 4, 2, "error", "drifted", "", "differs")
    document = json.loads(sarif_text([ERROR, WARNING, SKIPPED, unknown_rule], RULES, "1.0"))
    assert schema_errors(document) == []
    assert schema_errors(json.loads(sarif_text([], {}))) == []


def test_the_schema_judge_is_not_vacuous() -> None:
    document = json.loads(sarif_text([SKIPPED], RULES))
    document["runs"][0]["results"][0]["suppressions"][0]["kind"] = "inComment"
    del document["runs"][0]["tool"]["driver"]["name"]
    errors = schema_errors(document)
    assert len(errors) == 2, errors
    assert any("'inComment' is not one of ['inSource', 'external']" in e for e in errors)
