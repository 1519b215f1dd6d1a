"""Skipping a rule for one object, by annotation and always with a reason.

cmgen's own form is one annotation per rule on the object's ``metadata.annotations``::

    cmgen.io/lint-skip.read-only-root-fs: "postgres writes to its data dir; emptyDir planned"

checkov's form is honoured for the checkov ids a rule lists (``Rule.checkov``), so one
reasoned skip serves both tools::

    checkov.io/skip1: CKV_K8S_22=postgres writes to its data dir

A rule that corresponds to several checkov checks (``resources`` = CKV_K8S_10..13) is
skipped only when all of them are. A skip never hides a finding: it is reported with
severity ``info`` and its reason. A skip without a reason is ignored and reported itself
(``lint-skip-reason``); a cmgen skip naming no rule is reported (``lint-skip-unknown``).
Annotations of the object itself count (for workloads: not those of the pod template).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.lint.index import Index, mapping
from generator.lint.registry import Hit, Rule
from generator.manifests import Manifest

PREFIX = "cmgen.io/lint-skip."
_CHECKOV_KEY = re.compile(r"(checkov|bridgecrew)\.io/skip\d*")


@dataclass(frozen=True)
class Skip:
    key: str
    check_id: str
    reason: str
    checkov: bool


def parse(manifest: Manifest) -> list[Skip]:
    skips = []
    for key, value in mapping(manifest.metadata.get("annotations")).items():
        key = str(key)
        if key.startswith(PREFIX):
            skips.append(Skip(key, key.removeprefix(PREFIX), str(value or "").strip(), False))
        elif _CHECKOV_KEY.fullmatch(key):
            check_id, _, reason = str(value or "").partition("=")
            skips.append(Skip(key, check_id.strip().upper(), reason.strip(), True))
    return skips


def _checkov_rules(rules: Mapping[str, Rule]) -> dict[str, list[Rule]]:
    table: dict[str, list[Rule]] = {}
    for rule in rules.values():
        for check_id in rule.checkov:
            table.setdefault(check_id, []).append(rule)
    return table


def reasons(manifest: Manifest, rules: Mapping[str, Rule]) -> dict[str, str]:
    """Rule id -> reason, for every rule the object skips (with a reason)."""
    skipped: dict[str, str] = {}
    checkov: dict[str, dict[str, str]] = {}
    for skip in parse(manifest):
        if not skip.reason:
            continue
        if not skip.checkov:
            skipped[skip.check_id] = skip.reason
            continue
        for rule in _checkov_rules(rules).get(skip.check_id, []):
            checkov.setdefault(rule.id, {})[skip.check_id] = skip.reason
    for rule_id, given in checkov.items():
        if rule_id not in skipped and set(given) >= set(rules[rule_id].checkov):
            skipped[rule_id] = "; ".join(dict.fromkeys(given.values()))
    return skipped


def reasonless(index: Index, rules: Mapping[str, Rule]) -> Iterator[Hit]:
    mapped = _checkov_rules(rules)
    for manifest in index.manifests:
        for skip in parse(manifest):
            if not skip.reason and (not skip.checkov or skip.check_id in mapped):
                yield Hit(
                    manifest,
                    f"{skip.key} gives no reason, so {skip.check_id} is not skipped",
                    ("metadata", "annotations", skip.key),
                )


def unknown(index: Index, rules: Mapping[str, Rule]) -> Iterator[Hit]:
    for manifest in index.manifests:
        for skip in parse(manifest):
            if not skip.checkov and skip.check_id not in rules:
                yield Hit(
                    manifest,
                    f"{skip.key} names no lint rule (see `cmgen lint --rules`)",
                    ("metadata", "annotations", skip.key),
                )
