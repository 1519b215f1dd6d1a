"""The runs of ``cmgen check`` (cache replay -> build -> drift) and ``cmgen diff`` (build ->
drift, as a unified diff)."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator import parallel
from generator.errors import CmgenError
from generator.findings import Finding, has_errors
from generator.options import Options
from generator.project import Project
from generator.runs import build_env, forget_renderers

if TYPE_CHECKING:
    from generator.drift import Difference

# In a pre-commit hook, cmgen lives in pre-commit's environment, not on PATH: the fix for a
# drifted tree is the manual render hook of .pre-commit-hooks.yaml. (pre-commit sets
# PRE_COMMIT=1 for every hook it runs.)
PRECOMMIT_FIX = "pre-commit run cmgen-render --hook-stage manual"


@dataclass(frozen=True)
class CheckRun:
    """The findings of every env, in env order, and the bad input of those that had it."""

    findings: list[Finding]
    errors: list[CmgenError]
    checked: list[tuple[str, str]] = field(default_factory=list)  # (file, Kind/name) of each object

    @property
    def ok(self) -> bool:
        return not self.errors and not has_errors(self.findings)


def check_envs(project: Project, envs: Sequence[str], options: Options, jobs: int, cache: bool = True) -> CheckRun:
    """Each env's findings: those of its stored build when the tree on disk is what that
    build wrote (``buildcache``), else those of a full build (``jobs`` processes at most)
    and of its comparison with the tree on disk."""
    from generator import buildcache

    forget_renderers()
    digests = {env: buildcache.key(project, env, options) for env in envs}  # once per env
    stored = {env: _stored(project, env, digests[env]) for env in envs} if cache else {}
    missed = [env for env in envs if stored.get(env) is None]
    job = functools.partial(check_env, project, options, digests)
    built = {
        outcome.env: outcome
        for outcome in parallel.run(job, missed, jobs, ["generator.pipeline", "generator.drift"])
    }
    findings: list[Finding] = []
    errors: list[CmgenError] = []
    checked: list[tuple[str, str]] = []
    for env in envs:
        outcome = built.get(env)
        if outcome is not None and outcome.cause is not None:
            errors.append(outcome.cause)
        found, objects = stored.get(env) or (outcome.result if outcome else None) or ([], [])
        findings.extend(found)
        checked.extend(objects)
    return CheckRun(findings, errors, checked)


def check_env(
    project: Project, options: Options, digests: dict[str, str | None], env: str
) -> tuple[list[Finding], list[tuple[str, str]]]:
    """One env's findings from a full build, stored in the build cache under ``digests[env]``
    (the key of its inputs computed before any build ran), and its objects (file, Kind/name)."""
    from generator import buildcache, drift
    from generator.runs.render import checked_of

    build = build_env(project, env, options)
    buildcache.store(digests[env], project, env, options, build)
    fix = PRECOMMIT_FIX if os.environ.get("PRE_COMMIT") == "1" else ""
    return [*build.findings, *drift.findings(build, drift.compare(build), project, fix)], checked_of(build)


@dataclass(frozen=True)
class Diff:
    """One env's differences from a fresh render, and the unified diff that shows them."""

    differences: list[Difference]
    lines: list[str]


def diff_envs(project: Project, envs: Sequence[str]) -> list[parallel.Outcome[Diff]]:
    """Each env's diff, in env order; with several envs, one's bad input is its outcome and
    the others are diffed (``parallel.run``, one process: a diff is read in order)."""
    return parallel.run(functools.partial(diff_env, project), envs, jobs=1)


def diff_env(project: Project, env: str) -> Diff:
    """What is on disk against a fresh render of ``env``."""
    from generator import drift, pipeline

    build = pipeline.build(project, env)
    differences = drift.compare(build)
    return Diff(differences, list(drift.unified(build, differences, project)))


def _stored(project: Project, env: str, digest: str | None) -> tuple[list[Finding], list[tuple[str, str]]] | None:
    """The stored findings and objects when the inputs (their key: ``digest``) are those of
    a stored build and the tree on disk is what that build wrote (``buildcache``); None when
    the env must be built."""
    from generator import buildcache, drift

    entry = buildcache.lookup(digest)
    if entry is not None and drift.in_sync(project.output(env), entry.files):
        return entry.findings, entry.checked
    return None
