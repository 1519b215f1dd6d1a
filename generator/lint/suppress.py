"""Skipping a rule, always with a reason: for one object by annotation, or for the project
(some files, some kinds) in ``cmgen.yaml`` (``generator.lintsettings``).

cmgen's own form is one annotation per rule on the object's ``metadata.annotations``::

    cmgen.io/lint-skip.read-only-root-fs: "the database writes to its data dir; emptyDir planned"

checkov's form is honoured for the checkov ids a rule lists (``Rule.checkov``), so one
reasoned skip serves both tools::

    checkov.io/skip1: CKV_K8S_22=the database writes to its data dir

A rule that corresponds to several checkov checks (``resources`` = CKV_K8S_10..13) is
skipped only when all of them are. A skip never hides a finding: it is reported with
severity ``info`` and its reason. A skip without a reason is ignored and reported itself
(``lint-skip-reason``); a cmgen skip naming no rule is reported (``lint-skip-unknown``).
Annotations of the object itself count (for workloads: not those of the pod template).

A project setting (``lint: rules:`` in ``cmgen.yaml``) turns a rule ``off`` (its findings
are reported as skipped, like an annotation's, with the setting's reason) or gives its
findings another severity; an annotation on the object wins over it. The two suppression
rules themselves cannot be configured, and a setting naming no rule is an error located
in ``cmgen.yaml``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from generator.errors import CmgenError
from generator.findings import Finding, Override
from generator.findings import Skip as Skipped
from generator.k8s.index import Index, mapping
from generator.lintsettings import RuleSetting
from generator.lint.registry import Hit, Rule
from generator.k8s.objects import Manifest

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


def check_settings(
    settings: Sequence[RuleSetting], rules: Mapping[str, Rule], fixed: Collection[str]
) -> None:
    """Every project setting names a rule that can be configured."""
    for setting in settings:
        where = (setting.file, setting.rule_line, setting.rule_column)
        if setting.rule in fixed:
            raise CmgenError(f"{setting.rule} cannot be configured: it reports skips "
                             "themselves", *where)
        if setting.rule not in rules:
            close = difflib.get_close_matches(setting.rule, list(rules), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (see `cmgen lint --rules`)"
            raise CmgenError(f"unknown lint rule {setting.rule!r}{hint}", *where)


def setting_for(settings: Sequence[RuleSetting], rule: str, manifest: Manifest) -> RuleSetting | None:
    """The project setting that applies to a finding of ``rule`` on ``manifest``: the last
    one that matches."""
    found = None
    for setting in settings:
        if setting.applies(rule, manifest.source.name, manifest.kind):
            found = setting
    return found


def configured(finding: Finding, setting: RuleSetting) -> Finding:
    """The finding as the project setting has it: skipped (``off``) or at its severity."""
    if setting.severity == "off":
        skip = Skipped(setting.reason, finding.severity, setting.file, setting.line)
        return replace(finding, severity="info", skip=skip)
    if setting.severity == finding.severity:
        return finding
    override = Override(setting.reason, finding.severity, setting.file, setting.line)
    return replace(finding, severity=setting.severity, override=override)
