"""``lint:`` in ``cmgen.yaml``: read with the project, every mistake located there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import cmgen
from tests.sarif_judge import schema_errors

from generator.errors import CmgenError
from generator.lintsettings import RuleSetting
from generator.project import Project

GOOD = """\
tree: week3/day3
lint:
  rules:
    - rule: read-only-root-fs
      severity: off
      reason: the databases write to their data dirs
      paths: ["*/k8s-manifests/databases/*"]
      kinds: [StatefulSet]
    - rule: pdb-missing
      severity: error
      reason: "  every workload with replicas needs one here  "
"""


def _load(tmp_path: Path, text: str) -> Project:
    (tmp_path / "cmgen.yaml").write_text(text, encoding="utf-8")
    return Project.load(tmp_path)


def test_settings_are_read_with_their_lines(tmp_path: Path) -> None:
    off, raised = _load(tmp_path, GOOD).config.lint
    assert off == RuleSetting(
        "read-only-root-fs", "off", "the databases write to their data dirs",
        ("*/k8s-manifests/databases/*",), ("StatefulSet",), "cmgen.yaml", 4, 7, 4, 13)
    assert (raised.severity, raised.reason, raised.paths, raised.kinds, raised.line) == (
        "error", "every workload with replicas needs one here", (), (), 9)


def test_no_lint_setting_is_no_settings(tmp_path: Path) -> None:
    assert _load(tmp_path, "tree: week3/day3\n").config.lint == ()


def test_paths_and_kinds_narrow_a_setting() -> None:
    setting = RuleSetting("seccomp", "off", "why", ("*/databases/*",), ("StatefulSet",),
                          "cmgen.yaml", 1, 1)
    assert setting.applies("seccomp", "out/prod/week3/day3/k8s-manifests/databases/pg.yaml",
                           "StatefulSet")
    assert not setting.applies("seccomp", "out/prod/k8s-manifests/apps/web.yaml", "StatefulSet")
    assert not setting.applies("seccomp", "out/prod/databases/pg.yaml", "Deployment")
    assert not setting.applies("capabilities", "out/prod/databases/pg.yaml", "StatefulSet")


@pytest.mark.parametrize("entry, line, column, words", [
    ("- rule: seccomp\n      severity: off\n", 4, 7, "seccomp: a lint setting needs a reason"),
    ("- rule: seccomp\n      severity: off\n      reason: '  '\n", 4, 7, "needs a reason"),
    ("- rule: seccomp\n      severity: loud\n      reason: r\n", 5, 17,
     "seccomp: severity must be one of off, warning, error"),
    ("- rule: seccomp\n      reason: r\n", 4, 7, "severity must be one of"),
    ("- severity: off\n      reason: r\n", 4, 7, "needs 'rule'"),
    ("- rule: seccomp\n      severity: off\n      reason: r\n      kind: [Pod]\n", 7, 7,
     "unknown key 'kind' in a lint setting"),
    ("- rule: seccomp\n      severity: off\n      reason: r\n      paths: a/*\n", 7, 14,
     "paths must be a list of strings"),
    ("- seccomp\n", 4, 7, "a lint setting is a mapping"),
])
def test_a_bad_setting_is_located_in_cmgen_yaml(
    tmp_path: Path, entry: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(CmgenError) as caught:
        _load(tmp_path, f"tree: week3/day3\nlint:\n  rules:\n    {entry}")
    location = caught.value.location
    assert (location.file, location.line, location.column) == ("cmgen.yaml", line, column)
    assert words in caught.value.message


@pytest.mark.parametrize("text, words", [
    ("lint: [seccomp]\n", "lint must be a mapping with 'rules'"),
    ("lint:\n  ignore: [seccomp]\n", "unknown lint setting 'ignore' (known: rules)"),
    ("lint:\n  rules: {seccomp: off}\n", "lint.rules must be a list"),
])
def test_a_bad_lint_mapping_is_located(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(CmgenError) as caught:
        _load(tmp_path, text)
    assert caught.value.location.file == "cmgen.yaml"
    assert caught.value.location.line in (1, 2)
    assert words in caught.value.message


# --- acceptance: render and lint honour the settings --------------------------------------

SETTING = """\
lint:
  rules:
    - rule: {rule}
      severity: {severity}
      reason: this shop must not route to pods that are not ready
"""


def _configure(project: Path, rule: str, severity: str) -> None:
    config = project / "cmgen.yaml"
    config.write_text(config.read_text() + SETTING.format(rule=rule, severity=severity))


def test_render_reports_a_raised_severity_and_blocks_the_write(project_dir: Path) -> None:
    _configure(project_dir, "readiness-probe", "error")
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 1, result.output
    assert ": error[readiness-probe] Deployment/shop: container 'app' has no readinessProbe" in (
        result.output)
    assert ("[error by cmgen.yaml:7, rule default warning: this shop must not route to pods "
            "that are not ready]") in result.output


def test_render_counts_a_rule_turned_off(project_dir: Path) -> None:
    before = cmgen("render", "--env", "dev", project=project_dir)
    assert "warning[readiness-probe]" in before.output
    _configure(project_dir, "readiness-probe", "off")
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 0, result.output
    assert "readiness-probe" not in result.output
    assert "cmgen: 1 lint finding(s) skipped with a reason, by annotation or in cmgen.yaml" in (
        result.output)


def test_render_refuses_an_unknown_rule_at_its_line(project_dir: Path) -> None:
    _configure(project_dir, "readines-probe", "off")
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 2
    assert ("cmgen.yaml:7:13: error: unknown lint rule 'readines-probe' "
            "(did you mean 'readiness-probe'?)") in result.output


def test_lint_in_a_project_suppresses_externally_in_sarif(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(project_dir, "readiness-probe", "off")
    monkeypatch.chdir(project_dir)
    result = cmgen("lint", "-o", "sarif", "out/dev")
    document = json.loads(result.stdout)
    assert schema_errors(document) == []
    [skipped] = [r for r in document["runs"][0]["results"] if r["ruleId"] == "readiness-probe"]
    assert skipped["level"] == "warning"
    assert skipped["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "this shop must not route to pods that are not ready",
        "location": {"physicalLocation": {"artifactLocation": {"uri": "cmgen.yaml"},
                                          "region": {"startLine": 7}}},
    }]
    others = [r for r in document["runs"][0]["results"] if r["ruleId"] != "readiness-probe"]
    assert others and all(r["suppressions"] == [] for r in others)


def test_lint_in_a_project_shows_a_raised_severity_in_sarif_and_json(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(project_dir, "readiness-probe", "error")
    monkeypatch.chdir(project_dir)
    sarif = cmgen("lint", "-o", "sarif", "out/dev")
    assert sarif.exit_code == 1
    document = json.loads(sarif.stdout)
    assert schema_errors(document) == []
    [raised] = [r for r in document["runs"][0]["results"] if r["ruleId"] == "readiness-probe"]
    assert raised["level"] == "error"
    assert raised["properties"] == {"cmgen": {
        "ruleLevel": "warning", "setting": "cmgen.yaml", "line": 7,
        "reason": "this shop must not route to pods that are not ready"}}
    findings = json.loads(cmgen("lint", "-o", "json", "out/dev").stdout)["findings"]
    [finding] = [f for f in findings if f["rule"] == "readiness-probe"]
    assert finding["severity"] == "error"
    assert finding["override"] == {
        "reason": "this shop must not route to pods that are not ready",
        "severity": "warning", "setting": "cmgen.yaml", "line": 7}


def test_check_applies_the_settings(project_dir: Path) -> None:
    assert cmgen("check", "--env", "dev", project=project_dir).exit_code == 0
    _configure(project_dir, "readiness-probe", "error")
    result = cmgen("check", "--env", "dev", project=project_dir)
    assert result.exit_code == 1
    assert "error[readiness-probe]" in result.output


def test_json_shows_where_a_rule_was_turned_off(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(project_dir, "readiness-probe", "off")
    monkeypatch.chdir(project_dir)
    findings = json.loads(cmgen("lint", "-o", "json", "out/dev").stdout)["findings"]
    [finding] = [f for f in findings if f["rule"] == "readiness-probe"]
    assert (finding["severity"], finding["skip"]) == ("info", {
        "reason": "this shop must not route to pods that are not ready",
        "severity": "warning", "setting": "cmgen.yaml", "line": 7})
