"""Lint: cross-resource and hardening checks over a set of manifests.

``lint(manifests, settings)`` builds the index once, runs every rule of ``RULES`` and
returns the findings sorted; a finding on an object that skips its rule, or whose rule a
project setting turns off (see ``suppress``), comes back with severity ``info`` and a
``Skip`` (the reason, the severity it would have), never dropped; one whose severity a
setting changes has it, with an ``Override`` (the reason, the rule's own severity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from generator.addons import Addons
from generator.findings import Finding, Skip
from generator.lint import suppress
from generator.k8s.scope import Scope
from generator.lint.registry import LintIndex
from generator.lint.rules import BY_ID, RULES, UNSKIPPABLE
from generator.lintsettings import RuleSetting
from generator.k8s.objects import Manifest


def lint(
    manifests: list[Manifest],
    settings: Sequence[RuleSetting] = (),
    *,
    addons: Addons | None = None,
    known: Scope | None = None,
) -> list[Finding]:
    """``settings``: the project's lint settings (``cmgen.yaml``). ``addons``: the env's
    add-ons (from a project's values); without them the deploy-readiness rule has nothing to
    check against and stays silent. ``known``: which kinds are cluster-scoped before the
    set's own CRDs are read (a project's CRDs teach it their kinds' scope)."""
    suppress.check_settings(settings, BY_ID, UNSKIPPABLE)
    index = LintIndex.build(manifests, known)
    index.addons = addons
    hits = [(rule, hit) for rule in RULES for hit in rule.check(index)]
    # Locating a finding parses its file; grouped by file, each file is parsed once.
    hits.sort(key=lambda pair: pair[1].manifest.source.name)
    skips: dict[int, dict[str, str]] = {}
    findings = []
    for rule, hit in hits:
        key = id(hit.manifest)
        if key not in skips:
            skips[key] = suppress.reasons(hit.manifest, BY_ID)
        reason = skips[key].get(rule.id) if rule.id not in UNSKIPPABLE else None
        setting = None if reason else suppress.setting_for(settings, rule.id, hit.manifest)
        off = bool(reason) or (setting is not None and setting.severity == "off")
        # A skipped finding is counted, not shown, by render and check: its template line
        # (a second parse of the rendered text) would be wasted (~1/3 of a check's lint stage).
        finding = hit.manifest.finding(
            rule.severity, rule.id, hit.message, hit.path, hint=rule.hint, traced=not off
        )
        if reason:
            finding = replace(finding, severity="info", skip=Skip(reason, finding.severity))
        elif setting is not None:
            finding = suppress.configured(finding, setting)
        findings.append(finding)
    return sorted(findings)


__all__ = ["RULES", "lint"]
