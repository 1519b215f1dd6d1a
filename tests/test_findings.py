"""A finding's text and JSON form, with and without a skip."""

from __future__ import annotations

from dataclasses import replace

from generator.findings import Finding, Skip, has_errors

PLAIN = Finding("a.yaml", 3, 5, "warning", "seccomp", "Deployment/x", "no seccomp", "set it", "t.j2:4")
SKIPPED = Finding(
    "a.yaml", 3, 5, "info", "seccomp", "Deployment/x", "no seccomp", "set it", "t.j2:4",
    skip=Skip("legacy image", "warning"),
)  # fmt: skip


def test_text() -> None:
    assert PLAIN.text() == "a.yaml:3:5: warning[seccomp] Deployment/x: no seccomp (from t.j2:4)"
    assert SKIPPED.text() == (
        "a.yaml:3:5: info[seccomp] Deployment/x: no seccomp [skipped: legacy image] (from t.j2:4)"
    )


def test_as_dict_carries_the_skip_as_data() -> None:
    assert "skip" not in PLAIN.as_dict()
    assert SKIPPED.as_dict()["skip"] == {"reason": "legacy image", "severity": "warning"}
    assert SKIPPED.as_dict()["message"] == "no seccomp"
    assert "resource" not in Finding("a.yaml", 1, 1, "error", "stray", "", "m").as_dict()


def test_findings_sort_whether_skipped_or_not() -> None:
    twin = replace(SKIPPED, skip=None)  # a skip is not compared: None does not order against it
    assert [f.skip for f in sorted([SKIPPED, PLAIN, twin])] == [SKIPPED.skip, None, None]


def test_has_errors() -> None:
    assert not has_errors([PLAIN, SKIPPED])
    assert has_errors([PLAIN, Finding("b", 1, 1, "error", "r", "", "m")])
