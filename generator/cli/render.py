"""``cmgen render``: build envs (in parallel processes with ``--all-envs``), report, write;
or, with ``--stdout``, print one env's manifests as a YAML stream and write nothing."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from generator import parallel
from generator.cli.app import BAD_INPUT, FINDINGS, OK, ProjectOption, command, project
from generator.cli.commands import (
    AllEnvsOption,
    CrdOption,
    EnvOption,
    JobsOption,
    KubeVersionOption,
    RequireSchemasOption,
    build_env,
    forget_renderers,
    jobs_or_default,
    report_findings,
    select_envs,
)
from generator.errors import CmgenError
from generator.findings import Finding, has_errors
from generator.options import Options
from generator.project import JOURNAL_FILE, OutputTarget, Project

if TYPE_CHECKING:
    from generator.outputs import OutputFile


@dataclass(frozen=True)
class Rendered:
    """What a worker returns for one env: plain data, drawn charts included."""

    target: OutputTarget
    files: dict[str, tuple[bytes, bool]]
    findings: list[Finding]
    unchanged: int = 0  # replayed from the build cache: this many files, none to write

    def output_files(self) -> dict[str, OutputFile]:
        from generator.outputs import OutputFile

        return {name: OutputFile(data, executable) for name, (data, executable) in self.files.items()}


@command("render")
def render_command(
    env: str | None = EnvOption,
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Write DIR/<tree> (DIR/<env>/<tree> with --all-envs) instead of out/<env>/<tree>; "
        "symlinks in DIR are followed, none below it. '-' is --stdout.",
    ),
    stdout: bool = typer.Option(
        False, "--stdout", help="Print the manifests as one YAML stream; write nothing."
    ),
    show_only: list[str] = typer.Option(
        [], "--show-only", "-s", help="With --stdout: only this file of the tree (path or glob; repeatable)."
    ),
    no_overlays: bool = typer.Option(False, "--no-overlays", help="Render the base alone."),
    values_files: list[Path] = typer.Option(
        [], "--values", "-f", help="A values file merged after values/<env>.yaml (repeatable)."
    ),
    sets: list[str] = typer.Option([], "--set", help="Override a value: KEY.PATH=VALUE (YAML)."),
    set_strings: list[str] = typer.Option(
        [], "--set-string", help="Override a value with a string: KEY.PATH=VALUE."
    ),
    set_files: list[str] = typer.Option(
        [], "--set-file", help="Set a value to a file's text: KEY.PATH=FILE."
    ),
    all_envs: bool = AllEnvsOption,
    jobs: int | None = JobsOption,
    kube_version: str | None = KubeVersionOption,
    crd: list[Path] = CrdOption,
    require_schemas: bool = RequireSchemasOption,
    allow_removals: bool = typer.Option(
        False, "--allow-removals", help="Allow a render to remove more than half of the files it wrote."
    ),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Render, validate and lint; write the tree only when there are no errors."""
    if out == Path("-"):  # the Unix spelling of stdout, not a folder named "-"
        stdout, out = True, None
    if stdout and (out is not None or all_envs):
        raise CmgenError("--stdout prints one env: give --env ENV, without --out or --all-envs")
    if show_only and not stdout:
        raise CmgenError("--show-only selects what --stdout prints: add --stdout")
    current = project(project_dir)
    names = select_envs(current, env, all_envs)
    forget_renderers()
    options = Options(
        overlays=not no_overlays,
        sets=tuple(sets),
        values_files=tuple(values_files),
        set_strings=tuple(set_strings),
        set_files=tuple(set_files),
        out=out,
        out_per_env=all_envs,
        kube_version=kube_version,
        crds=tuple(crd),
        require_schemas=require_schemas,
    )
    if stdout:
        _print(current, names[0], options, show_only)
        return
    from generator import buildcache

    digests = {name: buildcache.key(current, name, options) for name in names}  # once per env
    stored = _stored(current, names, options, digests)
    job = functools.partial(render_env, current, options, digests)
    missed = [name for name in names if name not in stored]
    outcomes_now = parallel.run(job, missed, jobs_or_default(jobs), ["generator.pipeline"])
    built = {outcome.env: outcome for outcome in outcomes_now}
    outcomes = [built.get(name) or parallel.Outcome(name, result=stored[name]) for name in names]
    _write(current, outcomes, refuse_mass_removal=not allow_removals)


def _stored(
    current: Project, names: list[str], options: Options, digests: dict[str, str | None]
) -> dict[str, Rendered]:
    """The envs whose tree and record hold exactly what a stored build of the same inputs
    wrote : rendering them would change nothing, so they are not
    built; their findings come from the store."""
    from generator import buildcache, drift, write

    found = {}
    for name in names:
        entry = buildcache.lookup(digests[name])
        if entry is None:
            continue
        target = current.output(name, options.out, options.out_per_env)
        if drift.in_sync(target, entry.files) and write.settled(target, entry.files):
            found[name] = Rendered(target, {}, entry.findings, unchanged=len(entry.files))
    return found


def render_env(current: Project, options: Options, digests: dict[str, str | None], env: str) -> Rendered:
    """One env's build, stored in the build cache under ``digests[env]`` (the key of its
    inputs computed before any build ran), as plain data a process can return."""
    from generator import buildcache

    build = build_env(current, env, options)
    buildcache.store(digests[env], current, env, options, build)
    from generator import write  # a chart whose file on disk has the same source is kept, not drawn

    reused = write.reused(build.target, build.files)
    files = {name: (file.data, file.executable) for name, file in reused.items()}
    return Rendered(build.target, files, build.findings)


def _write(
    current: Project, outcomes: list[parallel.Outcome[Rendered]], refuse_mass_removal: bool
) -> None:
    """Report every env; write them all only when none has bad input or an error."""
    from generator import write

    rendered = [outcome.result for outcome in outcomes if outcome.result is not None]
    for result in rendered:  # a symlinked output folder, a tree about to be emptied: one line, first
        if not result.unchanged:
            write.check(result.target, result.output_files(), refuse_mass_removal=refuse_mass_removal)
    for outcome in outcomes:
        if outcome.error is not None:
            print(outcome.error, file=sys.stderr)
    findings = [finding for result in rendered for finding in result.findings]
    report_findings(findings)
    failed = len(rendered) < len(outcomes)
    if failed or has_errors(findings):
        print("cmgen: nothing written: fix the errors above", file=sys.stderr)
        raise typer.Exit(BAD_INPUT if failed else FINDINGS)
    for outcome in outcomes:
        assert outcome.result is not None
        if outcome.result.unchanged:
            where = current.display(outcome.result.target.tree)
            print(f"{outcome.env}: {outcome.result.unchanged} files in {where} (0 changed, 0 removed)")
            continue
        written = write.write(
            outcome.result.target, outcome.result.output_files(), refuse_mass_removal=refuse_mass_removal
        )
        where = current.display(outcome.result.target.tree)
        print(
            f"{outcome.env}: {len(outcome.result.files)} files in {where} "
            f"({len(written.changed)} changed, {len(written.removed)} removed)"
        )
        for name in written.kept:
            print(f"{outcome.env}: kept {name}: no longer generated, but edited by hand", file=sys.stderr)
        if written.finished:
            journal = current.display(outcome.result.target.root / JOURNAL_FILE)
            print(f"{outcome.env}: finished the write an earlier run left halfway ({journal})", file=sys.stderr)
        for name in written.overwritten:
            edited = f"{outcome.env}: overwrote {name}: it was edited by hand since cmgen wrote it"
            print(edited, file=sys.stderr)


def _print(current: Project, env: str, options: Options, show_only: list[str]) -> None:
    from generator import buildcache, stream

    digest = buildcache.key(current, env, options)
    build = build_env(current, env, options)
    buildcache.store(digest, current, env, options, build)
    text = stream.text(build, current, show_only)  # a bad --show-only: before any finding
    report_findings(build.findings)
    if has_errors(build.findings):
        print("cmgen: nothing printed: fix the errors above", file=sys.stderr)
        raise typer.Exit(FINDINGS)
    sys.stdout.write(text)
    raise typer.Exit(OK)
