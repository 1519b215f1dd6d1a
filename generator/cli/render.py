"""``cmgen render``: build envs (in parallel processes with ``--all-envs``), report, write;
or, with ``--stdout``, print one env's manifests as a YAML stream and write nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import typer

from generator.cli.app import BAD_INPUT, FINDINGS, OK, command, project
from generator.cli.commands import jobs_or_default, select_envs
from generator.cli.flags import (
    AllEnvsOption,
    CrdOption,
    EnvOption,
    JobsOption,
    KubeVersionOption,
    ProjectOption,
    RequireSchemasOption,
)
from generator.cli.output import LongOutputOption, bad_input_reported, emit, said
from generator.errors import CmgenError
from generator.findings import has_errors
from generator.options import Options
from generator.project import JOURNAL_FILE, Project
from generator.reporting import Checked, Report

if TYPE_CHECKING:
    from generator.runs.render import EnvWritten


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
    output: str = LongOutputOption,
    project_dir: Path | None = ProjectOption,
) -> None:
    """Render, validate and lint; write the tree only when there are no errors."""
    from generator.runs.render import print_env, render_envs, write_envs

    if out == Path("-"):  # the Unix spelling of stdout, not a folder named "-"
        stdout, out = True, None

    with bad_input_reported(output, Report("render", [], diagnostics=True)) as reporter:
        if stdout and (out is not None or all_envs):
            raise CmgenError("--stdout prints one env: give --env ENV, without --out or --all-envs")
        if show_only and not stdout:
            raise CmgenError("--show-only selects what --stdout prints: add --stdout")
        if stdout and output != "text":
            raise CmgenError("--stdout prints the manifests: --output must be text")
        current = project(project_dir)
        names = select_envs(current, env, all_envs)
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
            text, findings = print_env(current, names[0], options, show_only)  # a bad --show-only: first
        else:
            run = render_envs(current, names, options, jobs_or_default(jobs), refuse_mass_removal=not allow_removals)
    if stdout:
        emit(Report("render", findings, envs=names, diagnostics=True), reporter)
        if has_errors(findings):
            print("cmgen: nothing printed: fix the errors above", file=sys.stderr)
            raise typer.Exit(FINDINGS)
        sys.stdout.write(text)
        raise typer.Exit(OK)
    for error in run.errors:
        print(error.render(), file=sys.stderr)
    emit(Report("render", run.findings, errors=run.errors, envs=names, diagnostics=True,
                checked=[Checked(file, resource) for file, resource in run.checked]), reporter)
    if not run.ok:
        print("cmgen: nothing written: fix the errors above", file=sys.stderr)
        raise typer.Exit(BAD_INPUT if run.bad_input else FINDINGS)
    for wrote in write_envs(run, refuse_mass_removal=not allow_removals):
        _say(current, wrote, said(reporter))


def _say(current: Project, wrote: EnvWritten, stream: TextIO) -> None:
    env, written = wrote.env, wrote.written
    where = current.display(wrote.target.tree)
    print(f"{env}: {wrote.files} files in {where} ({len(written.changed)} changed, {len(written.removed)} removed)",
          file=stream)
    for name in written.kept:
        print(f"{env}: kept {name}: no longer generated, but edited by hand", file=sys.stderr)
    if written.finished:
        journal = current.display(wrote.target.root / JOURNAL_FILE)
        print(f"{env}: finished the write an earlier run left halfway ({journal})", file=sys.stderr)
    for name in written.overwritten:
        print(f"{env}: overwrote {name}: it was edited by hand since cmgen wrote it", file=sys.stderr)
