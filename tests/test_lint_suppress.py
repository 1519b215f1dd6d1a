"""Skips by annotation: reported as info with the reason, never silent."""

from __future__ import annotations

from typing import Any

from tests.lintcase import container, findings, hardened, load

from generator.findings import Skip
from generator.lint import suppress
from generator.lint.rules import BY_ID


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
