"""Commands that work on a project: envs, render, check and diff.

The stages are imported inside the commands that use them: ``cmgen validate`` and
``cmgen lint`` then start without loading the pipeline, Jinja2 and the docs stage.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import typer

from generator import progress
from generator.cli.app import FINDINGS, OK, ProjectOption, command, project
from generator.errors import CmgenError
from generator.findings import NO_SCHEMA, Finding, has_errors
from generator.options import Options
from generator.project import OutputTarget, Project

if TYPE_CHECKING:
    from generator import pipeline, render

EnvOption = typer.Option(None, "--env", "-e", help="Environment (see: cmgen envs).")
AllEnvsOption = typer.Option(False, "--all-envs", help="Every environment.")
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


@command("render")
def render_command(
    env: str | None = EnvOption,
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Write DIR/<tree> (DIR/<env>/<tree> with --all-envs) instead of out/<env>/<tree>; "
        "symlinks in DIR are followed, none below it.",
    ),
    no_overlays: bool = typer.Option(False, "--no-overlays", help="Render the base alone."),
    sets: list[str] = typer.Option([], "--set", help="Override a value: KEY.PATH=VALUE."),
    all_envs: bool = AllEnvsOption,
    kube_version: str | None = KubeVersionOption,
    crd: list[Path] = CrdOption,
    require_schemas: bool = RequireSchemasOption,
    project_dir: Path | None = ProjectOption,
) -> None:
    """Render, validate and lint; write the tree only when there are no errors."""
    from generator import buildcache, write

    current = project(project_dir)
    names = _envs(current, env, all_envs)
    renderer = functools.cache(lambda: _renderer(current))  # made only when a build runs
    options = Options(
        overlays=not no_overlays,
        sets=tuple(sets),
        out=out,
        out_per_env=all_envs,
        kube_version=kube_version,
        crds=tuple(crd),
        require_schemas=require_schemas,
    )
    builds: list[pipeline.Build | _Unchanged] = []
    for name in names:
        digest = buildcache.key(current, name, options)
        unchanged = _unchanged(current, name, options, digest)
        if unchanged is not None:
            builds.append(unchanged)
            continue
        built = _build(current, name, options, renderer())
        buildcache.store(digest, current, name, options, built)
        builds.append(built)
    for build in builds:
        write.check(build.target)  # a symlinked output folder: one line, before any finding
    findings = [finding for build in builds for finding in build.findings]
    _report(findings)
    if has_errors(findings):
        print("cmgen: nothing written: fix the errors above", file=sys.stderr)
        raise typer.Exit(FINDINGS)
    for build in builds:
        unwritten = write.Written((), (), ())
        written = unwritten if isinstance(build, _Unchanged) else write.write(build.target, build.files)
        where = current.display(build.target.tree)
        print(
            f"{build.env}: {len(build.files)} files in {where} "
            f"({len(written.changed)} changed, {len(written.removed)} removed)"
        )
        for name in written.kept:
            print(f"{build.env}: kept {name}: no longer generated, but edited by hand", file=sys.stderr)


class _Unchanged(NamedTuple):  # not a dataclass: creating one costs ~0.7 ms at every start
    """An env whose inputs are those of a stored build (``buildcache``) that its tree and
    cmgen's record hold exactly: rendering it would write nothing, so it is not built."""

    env: str
    target: OutputTarget
    files: dict[str, tuple[str, bool]]
    findings: list[Finding]


def _unchanged(current: Project, env: str, options: Options, digest: str | None) -> _Unchanged | None:
    from generator import buildcache, drift, write

    entry = buildcache.lookup(digest)
    if entry is None:
        return None
    target = current.output(env, options.out, options.out_per_env)
    if not (drift.in_sync(target, entry.files) and write.settled(target, entry.files)):
        return None
    return _Unchanged(env, target, entry.files, entry.findings)


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
    kube_version: str | None = KubeVersionOption,
    crd: list[Path] = CrdOption,
    require_schemas: bool = RequireSchemasOption,
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Build again even when the inputs are unchanged since the last build."
    ),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Render in memory, validate, lint and compare with the tree on disk.

    Exit 1 on any error: an invalid object, a lint error, a drifted, missing or stray file.
    """
    current = project(project_dir)
    options = Options(kube_version=kube_version, crds=tuple(crd), require_schemas=require_schemas)
    names = _envs(current, env, all_envs)
    renderer = functools.cache(lambda: _renderer(current))  # made only when a build runs
    findings = [
        finding for name in names for finding in _check(current, name, options, renderer, no_cache)
    ]
    _report(findings)
    if has_errors(findings):
        raise typer.Exit(FINDINGS)
    print(f"cmgen: {len(names)} env(s) in sync")


def _check(
    current: Project,
    env: str,
    options: Options,
    renderer: Callable[[], render.Renderer],
    no_cache: bool,
) -> list[Finding]:
    """One env's findings: stored ones when the inputs are those of a stored build and the
    tree on disk is what that build wrote (``buildcache``), else those of a full build."""
    from generator import buildcache, drift

    digest = buildcache.key(current, env, options)
    entry = None if no_cache else buildcache.lookup(digest)
    if entry is not None and drift.in_sync(current.output(env), entry.files):
        return entry.findings
    build = _build(current, env, options, renderer())
    buildcache.store(digest, current, env, options, build)
    return [*build.findings, *drift.findings(build, drift.compare(build), current)]


@command("diff")
def diff_command(
    env: str | None = EnvOption,
    color: bool | None = typer.Option(None, "--color/--no-color", help="Default: on a terminal."),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Unified diff of what is on disk against a fresh render (exit 1 if they differ)."""
    from generator import drift, pipeline

    current = project(project_dir)
    (name,) = _envs(current, env, False)
    build = pipeline.build(current, name)
    differences = drift.compare(build)
    paint = sys.stdout.isatty() if color is None else color
    for line in drift.unified(build, differences, current):
        sys.stdout.write(_paint(line) if paint else line)
        if not line.endswith("\n"):
            sys.stdout.write("\n")
    raise typer.Exit(FINDINGS if differences else OK)


def _renderer(current: Project) -> render.Renderer:
    from generator import render

    return render.Renderer(current)


def _build(
    current: Project, env: str, options: Options, renderer: render.Renderer
) -> pipeline.Build:
    """``pipeline.build`` with a progress line on stderr when it is a terminal and the
    build takes more than a second (silent otherwise)."""
    from generator import pipeline

    observer = progress.for_terminal(label=f"{env}: ")
    try:
        return pipeline.build(current, env, options, renderer, observer)
    finally:
        observer.close()


def _paint(line: str) -> str:
    colour = {"+": "32", "-": "31", "@": "36"}.get(line[:1])
    if colour is None or line.startswith(("+++", "---")):
        return f"\x1b[1m{line.rstrip(chr(10))}\x1b[0m\n" if line.startswith(("+++", "---")) else line
    return f"\x1b[{colour}m{line.rstrip(chr(10))}\x1b[0m\n"


def _envs(current: Project, env: str | None, all_envs: bool) -> list[str]:
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


def _report(findings: list[Finding]) -> None:
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
            f"cmgen: {skipped} lint finding(s) skipped by annotation with a reason (see: cmgen lint)",
            file=sys.stderr,
        )
    if unvalidated:
        print(
            f"cmgen: {unvalidated} custom resource(s) not validated: no CRD given (use --crd)",
            file=sys.stderr,
        )
