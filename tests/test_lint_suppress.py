"""Skips by annotation: reported as info with the reason, never silent."""

from __future__ import annotations

from typing import Any

import pytest
from tests.lintcase import container, findings, hardened, load

from generator.errors import CmgenError
from generator.findings import Override, Skip
from generator.lint import lint, suppress
from generator.lint.rules import BY_ID
from generator.lintsettings import Level, RuleSetting


def _with(annotations: dict[str, Any]) -> list[dict[str, Any]]:
    objects = hardened()
    deployment = objects[1]
    del container(deployment)["securityContext"]["readOnlyRootFilesystem"]
    deployment["metadata"]["annotations"] = annotations
    return objects


def test_unskipped_finding_is_a_warning() -> None:
    [finding] = findings(*_with({}))
    assert (finding.rule, finding.severity) == ("read-only-root-fs", "warning")


def test_cmgen_skip_with_reason_becomes_info_with_the_reason() -> None:
    [finding] = findings(
        *_with({"cmgen.io/lint-skip.read-only-root-fs": "nginx writes /var/cache"})
    )
    assert finding.severity == "info"
    assert finding.skip == Skip("nginx writes /var/cache", "warning")
    assert "skipped" not in finding.message  # the reason is data, shown by text()
    assert " [skipped: nginx writes /var/cache]" in finding.text()


def test_skip_without_reason_is_ignored_and_reported() -> None:
    result = findings(*_with({"cmgen.io/lint-skip.read-only-root-fs": ""}))
    assert {(f.rule, f.severity) for f in result} == {
        ("read-only-root-fs", "warning"),
        ("lint-skip-reason", "error"),
    }


def test_unknown_rule_in_skip_is_reported() -> None:
    result = findings(*_with({"cmgen.io/lint-skip.read-only-rootfs": "typo"}))
    assert {f.rule for f in result} == {"read-only-root-fs", "lint-skip-unknown"}


def test_checkov_skip_serves_both_tools() -> None:
    [finding] = findings(*_with({"checkov.io/skip1": "CKV_K8S_22=nginx writes /var/cache"}))
    assert finding.severity == "info" and finding.skip == Skip("nginx writes /var/cache", "warning")


def test_checkov_skip_without_reason_for_a_mapped_check_is_reported() -> None:
    result = findings(*_with({"checkov.io/skip1": "CKV_K8S_22", "checkov.io/skip2": "CKV_K8S_999"}))
    assert {(f.rule, f.severity) for f in result} == {
        ("read-only-root-fs", "warning"),
        ("lint-skip-reason", "error"),
    }


def test_rule_of_several_checkov_checks_needs_all_of_them() -> None:
    objects = hardened()
    del container(objects[1])["resources"]
    objects[1]["metadata"]["annotations"] = {"checkov.io/skip1": "CKV_K8S_11=BestEffort QoS"}
    assert [f.severity for f in findings(*objects)] == ["warning"]
    objects[1]["metadata"]["annotations"] = {
        f"checkov.io/skip{n}": f"CKV_K8S_1{n}=BestEffort QoS" for n in range(4)
    }
    assert [f.severity for f in findings(*objects)] == ["info"]


def test_skip_checks_cannot_themselves_be_skipped() -> None:
    result = findings(*_with({
        "cmgen.io/lint-skip.read-only-root-fs": "",
        "cmgen.io/lint-skip.lint-skip-reason": "please",
    }))  # fmt: skip
    assert ("lint-skip-reason", "error") in {(f.rule, f.severity) for f in result}


def test_parse_and_reasons() -> None:
    [manifest] = load({"kind": "ConfigMap", "metadata": {"name": "x", "annotations": {
        "bridgecrew.io/skip": "ckv_k8s_38= token needed ",
        "cmgen.io/lint-skip.seccomp": "  legacy  ",
        "other": "y",
    }}})  # fmt: skip
    assert [(s.check_id, s.reason, s.checkov) for s in suppress.parse(manifest)] == [
        ("CKV_K8S_38", "token needed", True),
        ("seccomp", "legacy", False),
    ]
    assert suppress.reasons(manifest, BY_ID) == {
        "automount-token": "token needed",
        "seccomp": "legacy",
    }


# --- project settings (lint: rules: in cmgen.yaml) ---------------------------------------


def _setting(rule: str = "read-only-root-fs", severity: Level = "off", reason: str = "r",
             paths: tuple[str, ...] = (), kinds: tuple[str, ...] = (), line: int = 3,
             ) -> RuleSetting:
    return RuleSetting(rule, severity, reason, paths, kinds, "cmgen.yaml", line, 7, line, 13)


def test_a_project_setting_turns_a_rule_off_with_its_reason() -> None:
    [finding] = lint(load(*_with({})), [_setting(reason="the cache is on a volume")])
    assert finding.severity == "info"
    assert finding.skip == Skip("the cache is on a volume", "warning", "cmgen.yaml", 3)
    assert " [skipped by cmgen.yaml:3: the cache is on a volume]" in finding.text()


def test_a_project_setting_changes_the_severity_with_its_reason() -> None:
    [finding] = lint(load(*_with({})), [_setting(severity="error", reason="prod policy")])
    assert finding.severity == "error"
    assert finding.override == Override("prod policy", "warning", "cmgen.yaml", 3)
    assert finding.skip is None
    assert " [error by cmgen.yaml:3, rule default warning: prod policy]" in finding.text()


def test_a_project_setting_applies_only_to_its_paths_and_kinds() -> None:
    for setting in (_setting(paths=("elsewhere/*",)), _setting(kinds=("StatefulSet",))):
        [finding] = lint(load(*_with({})), [setting])
        assert (finding.severity, finding.skip) == ("warning", None)
    [finding] = lint(load(*_with({})), [_setting(paths=("test.*",), kinds=("Deployment",))])
    assert finding.severity == "info"


def test_the_last_matching_setting_counts() -> None:
    settings = [_setting(severity="error", line=3), _setting(reason="later", line=7)]
    [finding] = lint(load(*_with({})), settings)
    assert finding.skip == Skip("later", "warning", "cmgen.yaml", 7)


def test_an_annotation_wins_over_a_project_setting() -> None:
    objects = _with({"cmgen.io/lint-skip.read-only-root-fs": "nginx writes /var/cache"})
    [finding] = lint(load(*objects), [_setting(severity="error")])
    assert finding.skip == Skip("nginx writes /var/cache", "warning")


def test_an_unknown_rule_in_a_setting_is_located_with_a_suggestion() -> None:
    with pytest.raises(CmgenError) as caught:
        lint(load(*_with({})), [_setting(rule="read-only-rootfs", line=5)])
    assert caught.value.message == (
        "unknown lint rule 'read-only-rootfs' (did you mean 'read-only-root-fs'?)")
    location = caught.value.location
    assert (location.file, location.line, location.column) == ("cmgen.yaml", 5, 13)


def test_the_suppression_rules_cannot_be_configured() -> None:
    with pytest.raises(CmgenError) as caught:
        lint(load(*_with({})), [_setting(rule="lint-skip-reason")])
    assert "lint-skip-reason cannot be configured" in caught.value.message
