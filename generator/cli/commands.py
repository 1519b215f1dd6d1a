"""Commands that work on a project: envs, check and diff (render: ``cli/render.py``).

The stages are imported inside the commands that use them: ``cmgen validate`` and
``cmgen lint`` then start without loading the pipeline, Jinja2 and the docs stage.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from generator import parallel, progress
from generator.cli.app import BAD_INPUT, FINDINGS, OK, ProjectOption, command, project
from generator.errors import CmgenError
from generator.findings import NO_SCHEMA, Finding, has_errors
from generator.options import Options
from generator.project import Project

if TYPE_CHECKING:
    from generator import pipeline, render

def _complete_envs(incomplete: str) -> list[str]:
    """Shell completion of ``--env``: the envs of the project around the current folder."""
    found = Project.find(Path.cwd())
    return [name for name in (found.envs() if found else []) if name.startswith(incomplete)]


EnvOption = typer.Option(
    None, "--env", "-e", help="Environment (see: cmgen envs).", autocompletion=_complete_envs
)
AllEnvsOption = typer.Option(False, "--all-envs", help="Every environment.")
# In a pre-commit hook, cmgen lives in pre-commit's environment, not on PATH: the fix for a
# drifted tree is the manual render hook of .pre-commit-hooks.yaml. (pre-commit sets
# PRE_COMMIT=1 for every hook it runs.)
PRECOMMIT_FIX = "pre-commit run cmgen-render --hook-stage manual"
JobsOption = typer.Option(
    None, "--jobs", "-j", help="With --all-envs: envs built in parallel (default: the CPU count)."
)
KubeVersionOption = typer.Option(
    None, "--kube-version", help="Kubernetes version X.Y (default: kubeVersion of cmgen.yaml)."
)
CrdOption = typer.Option([], "--crd", help="CRD file or folder for custom resources (repeatable).")
RequireSchemasOption = typer.Option(
    False, "--require-schemas", help="A custom resource without a CRD is an error."
)


@command("envs")
def envs(project_dir: Path | None = ProjectOption) -> None:
    """List the environments, one per line, name first."""
    for name in project(project_dir).envs():
        print(name)


@command("init")
def init_command(
    directory: Path = typer.Argument(..., help="The new project's folder (new or empty)."),
) -> None:
    """Create a new project (templates, values with a schema, pre-commit config) and render it."""
    from generator import pipeline, scaffolding, write

    created = scaffolding.create(directory)
    current = Project.load(directory)
    for name in current.envs():
        build = pipeline.build(current, name)
        written = write.write(build.target, build.files)
        created.extend(build.target.root / file for file in written.changed)
    for path in created:
        print(current.display(path))
    print(f"cmgen: created {directory}; next: cd {directory} && cmgen check --all-envs")


@command("check")
def check_command(
    env: str | None = EnvOption,
    all_envs: bool = AllEnvsOption,
    jobs: int | None = JobsOption,
    kube_version: str | None = KubeVersionOption,
    crd: list[Path] = CrdOption,
    require_schemas: bool = RequireSchemasOption,
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Build again even when the inputs are unchanged since the last build."
    ),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Render in memory, validate, lint and compare with the tree on disk.

    Exit 1 on any error: an invalid object, a lint error, a drifted, missing or stray file;
    2 on bad input (every env is checked and reported first).
    """
    current = project(project_dir)
    options = Options(kube_version=kube_version, crds=tuple(crd), require_schemas=require_schemas)
    names = select_envs(current, env, all_envs)
    forget_renderers()
    from generator import buildcache

    digests = {name: buildcache.key(current, name, options) for name in names}  # once per env
    stored = {} if no_cache else {name: _stored(current, name, digests[name]) for name in names}
    missed = [name for name in names if stored.get(name) is None]
    job = functools.partial(check_env, current, options, digests)
    outcomes = parallel.run(job, missed, jobs_or_default(jobs), ["generator.pipeline", "generator.drift"])
    built = {outcome.env: outcome for outcome in outcomes}
    findings: list[Finding] = []
    for name in names:
        outcome = built.get(name)
        if outcome is not None and outcome.error is not None:
            print(outcome.error, file=sys.stderr)
        findings.extend(stored.get(name) or (outcome.result if outcome else None) or [])
    report_findings(findings)
    if any(outcome.error is not None for outcome in built.values()):
        raise typer.Exit(BAD_INPUT)
    if has_errors(findings):
        raise typer.Exit(FINDINGS)
    print(f"cmgen: {len(names)} env(s) in sync")


def jobs_or_default(jobs: int | None) -> int:
    """``-j N``, else the CPUs this process may run on."""
    return parallel.default_jobs() if jobs is None else jobs


def _stored(current: Project, env: str, digest: str | None) -> list[Finding] | None:
    """The stored findings when the inputs (their key: ``digest``) are those of a stored
    build and the tree on disk is what that build wrote (``buildcache``); None when the env
    must be built."""
    from generator import buildcache, drift

    entry = buildcache.lookup(digest)
    if entry is not None and drift.in_sync(current.output(env), entry.files):
        return entry.findings
    return None


def check_env(current: Project, options: Options, digests: dict[str, str | None], env: str) -> list[Finding]:
    """One env's findings from a full build, stored in the build cache under ``digests[env]``,
    the key of its inputs computed before any build ran."""
    from generator import buildcache, drift

    build = build_env(current, env, options)
    buildcache.store(digests[env], current, env, options, build)
    fix = PRECOMMIT_FIX if os.environ.get("PRE_COMMIT") == "1" else ""
    return [*build.findings, *drift.findings(build, drift.compare(build), current, fix)]


@command("diff")
def diff_command(
    env: str | None = EnvOption,
    all_envs: bool = AllEnvsOption,
    color: bool | None = typer.Option(None, "--color/--no-color", help="Default: on a terminal."),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Unified diff of what is on disk against a fresh render (exit 1 if they differ)."""
    from generator import drift, pipeline

    current = project(project_dir)
    paint = sys.stdout.isatty() if color is None else color
    code = OK
    for name in select_envs(current, env, all_envs):
        try:
            build = pipeline.build(current, name)
        except CmgenError as error:
            if not all_envs:
                raise
            print(error.render(), file=sys.stderr)  # every env is diffed, then the worst code
            code = BAD_INPUT
            continue
        differences = drift.compare(build)
        for line in drift.unified(build, differences, current):
            sys.stdout.write(_paint(line) if paint else line)
            if not line.endswith("\n"):
                sys.stdout.write("\n")
        code = max(code, FINDINGS if differences else OK)
    raise typer.Exit(code)


_renderers: dict[Path, render.Renderer] = {}


def forget_renderers() -> None:
    """At the start of a command: templates may have changed since the last one that ran
    in this process (tests run many)."""
    _renderers.clear()


def build_env(current: Project, env: str, options: Options) -> pipeline.Build:
    """``pipeline.build`` with one renderer per project and process, and a progress line on
    stderr when it is a terminal and the build takes more than a second (not in a worker
    process of ``--all-envs``: lines of several envs would overwrite each other)."""
    from generator import pipeline, render

    renderer = _renderers.get(current.root)
    if renderer is None:
        renderer = _renderers[current.root] = render.Renderer(current)
    observer = progress.NULL if parallel.in_worker() else progress.for_terminal(label=f"{env}: ")
    try:
        return pipeline.build(current, env, options, renderer, observer)
    finally:
        observer.close()


def _paint(line: str) -> str:
    colour = {"+": "32", "-": "31", "@": "36"}.get(line[:1])
    if colour is None or line.startswith(("+++", "---")):
        return f"\x1b[1m{line.rstrip(chr(10))}\x1b[0m\n" if line.startswith(("+++", "---")) else line
    return f"\x1b[{colour}m{line.rstrip(chr(10))}\x1b[0m\n"


def select_envs(current: Project, env: str | None, all_envs: bool) -> list[str]:
    if all_envs and env is not None:
        raise CmgenError("give --env or --all-envs, not both")
    if all_envs:
        names = current.envs()
        if not names:
            raise CmgenError("the project has no environments (values/<env>.yaml)")
        return names
    if env is None:
        raise CmgenError("which env? give --env ENV or --all-envs (see: cmgen envs)")
    current.env_values(env)
    return [env]


def report_findings(findings: list[Finding]) -> None:
    """Diagnostics go to stderr: errors and warnings in full, reasoned skips (info) as a
    count (``cmgen lint`` lists them). stdout keeps the summary of what was done."""
    skipped = unvalidated = 0
    for finding in sorted(set(findings)):  # once: every env reports a symlinked out/
        if finding.severity != "info":
            print(finding.text(), file=sys.stderr)
        elif finding.rule == NO_SCHEMA:
            unvalidated += 1
        else:
            skipped += 1
    if skipped:
        print(
            f"cmgen: {skipped} lint finding(s) skipped with a reason, by annotation or in "
            f"cmgen.yaml (see: cmgen lint)",
            file=sys.stderr,
        )
    if unvalidated:
        print(
            f"cmgen: {unvalidated} custom resource(s) not validated: no CRD given (use --crd)",
            file=sys.stderr,
        )
