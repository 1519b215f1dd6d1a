"""Commands that work on a project: envs, init, check and diff (render: ``cli/render.py``).

Each command translates its options, calls a run of ``generator.runs`` and reports. The
runs import the stages inside the functions that use them: ``cmgen validate`` and
``cmgen lint`` then start without loading the pipeline, Jinja2 and the docs stage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from generator import parallel
from generator.cli.app import BAD_INPUT, FINDINGS, OK, command, project
from generator.cli.flags import (
    AllEnvsOption,
    CrdOption,
    EnvOption,
    JobsOption,
    KubeVersionOption,
    ProjectOption,
    RequireSchemasOption,
)
from generator.cli.output import OutputOption, bad_input_reported, emit, said
from generator.errors import CmgenError
from generator.options import Options
from generator.project import Project
from generator.reporting import Checked, Report


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
    from generator.runs.render import create_project

    current, created = create_project(directory)
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
    output: str = OutputOption,
    project_dir: Path | None = ProjectOption,
) -> None:
    """Render in memory, validate, lint and compare with the tree on disk.

    Exit 1 on any error: an invalid object, a lint error, a drifted, missing or stray file;
    2 on bad input (every env is checked and reported first).
    """
    from generator.runs.check import check_envs

    with bad_input_reported(output, Report("check", [], diagnostics=True)) as reporter:
        current = project(project_dir)
        options = Options(kube_version=kube_version, crds=tuple(crd), require_schemas=require_schemas)
        names = select_envs(current, env, all_envs)
        run = check_envs(current, names, options, jobs_or_default(jobs), cache=not no_cache)
    for error in run.errors:
        print(error.render(), file=sys.stderr)
    emit(Report("check", run.findings, errors=run.errors, envs=names, diagnostics=True,
                checked=[Checked(file, resource) for file, resource in run.checked]), reporter)
    if run.errors:
        raise typer.Exit(BAD_INPUT)
    if not run.ok:
        raise typer.Exit(FINDINGS)
    print(f"cmgen: {len(names)} env(s) in sync", file=said(reporter))


def jobs_or_default(jobs: int | None) -> int:
    """``-j N``, else the CPUs this process may run on."""
    return parallel.default_jobs() if jobs is None else jobs


@command("diff")
def diff_command(
    env: str | None = EnvOption,
    all_envs: bool = AllEnvsOption,
    color: bool | None = typer.Option(None, "--color/--no-color", help="Default: on a terminal."),
    project_dir: Path | None = ProjectOption,
) -> None:
    """Unified diff of what is on disk against a fresh render (exit 1 if they differ)."""
    from generator.runs.check import diff_envs

    current = project(project_dir)
    paint = sys.stdout.isatty() if color is None else color
    code = OK
    for outcome in diff_envs(current, select_envs(current, env, all_envs)):
        if outcome.result is None:
            print(outcome.error, file=sys.stderr)  # every env is diffed, then the worst code
            code = BAD_INPUT
            continue
        for line in outcome.result.lines:
            sys.stdout.write(_paint(line) if paint else line)
            if not line.endswith("\n"):
                sys.stdout.write("\n")
        code = max(code, FINDINGS if outcome.result.differences else OK)
    raise typer.Exit(code)


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
