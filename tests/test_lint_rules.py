"""The rule table: stable, documented, one line per hint."""

from __future__ import annotations

import re

from generator.lint.rules import BY_ID, RULES

CHECKOV_ID = re.compile(r"CKV2?_K8S_[0-9]+")


def test_ids_are_kebab_case_and_unique() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id) for rule in RULES)
    assert len(BY_ID) == len(RULES)


def test_each_rule_has_a_one_line_summary_and_hint() -> None:
    for rule in RULES:
        assert rule.summary and "\n" not in rule.summary, rule.id
        assert rule.hint and "\n" not in rule.hint and len(rule.hint) <= 100, rule.id
        assert rule.severity in ("error", "warning")


def test_checkov_ids_are_well_formed_and_map_to_one_rule_each() -> None:
    seen: dict[str, str] = {}
    for rule in RULES:
        for check_id in rule.checkov:
            assert CHECKOV_ID.fullmatch(check_id)
            assert seen.setdefault(check_id, rule.id) == rule.id


def test_rules_fit_the_annotation_key_limit() -> None:
    # cmgen.io/lint-skip.<id>: the name part after "/" must be at most 63 characters
    assert all(len(f"lint-skip.{rule.id}") <= 63 for rule in RULES)
