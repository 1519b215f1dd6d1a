"""The run of ``cmgen render``: cache replay -> build (in parallel processes) -> write.

``render_envs`` builds every env that a stored build does not already describe and checks
every target; the caller reports its findings, then calls ``write_envs`` only when the run
is ``ok``: nothing is written when any env has bad input or an error finding.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import parallel
from generator.errors import CmgenError
from generator.findings import Finding, has_errors
from generator.options import Options
from generator.project import OutputTarget, Project
from generator.runs import build_env, forget_renderers

if TYPE_CHECKING:
    from generator.outputs import OutputFile
    from generator.write import Stamp, Written
    from generator.pipeline import Build


@dataclass(frozen=True)
class Rendered:
    """What a worker returns for one env: plain data, drawn charts included."""

    target: OutputTarget
    files: dict[str, tuple[bytes, bool]]
    findings: list[Finding]
    unchanged: int = 0  # replayed from the build cache: this many files, none to write
    read: dict[str, Stamp] = field(default_factory=dict)  # charts read from the tree (write.reused)
    checked: list[tuple[str, str]] = field(default_factory=list)  # (file, Kind/name) of each object

    def output_files(self) -> dict[str, OutputFile]:
        from generator.outputs import OutputFile

        return {name: OutputFile(data, executable) for name, (data, executable) in self.files.items()}


@dataclass(frozen=True)
class RenderRun:
    """Every env's outcome, in env order: a ``Rendered`` or its bad input (rendered text)."""

    outcomes: list[parallel.Outcome[Rendered]]

    @property
    def errors(self) -> list[CmgenError]:
        return [outcome.cause for outcome in self.outcomes if outcome.cause is not None]

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self._rendered() for finding in result.findings]

    @property
    def checked(self) -> list[tuple[str, str]]:
        """(file, Kind/name) of every object rendered: the test cases of JUnit and TAP."""
        return [item for result in self._rendered() for item in result.checked]

    @property
    def bad_input(self) -> bool:
        return len(self._rendered()) < len(self.outcomes)

    @property
    def ok(self) -> bool:
        return not self.bad_input and not has_errors(self.findings)

    def _rendered(self) -> list[Rendered]:
        return [outcome.result for outcome in self.outcomes if outcome.result is not None]


@dataclass(frozen=True)
class EnvWritten:
    """One env's write: the tree, how many files it holds, and what changed on disk."""

    env: str
    target: OutputTarget
    files: int
    written: Written


def render_envs(
    project: Project, envs: Sequence[str], options: Options, jobs: int, refuse_mass_removal: bool
) -> RenderRun:
    """Build the envs a stored build does not describe (``jobs`` processes at most), then
    check every target it would write (a symlinked output folder, a tree about to be
    emptied: raises ``CmgenError`` before anything is written)."""
    from generator import buildcache, write

    forget_renderers()
    digests = {env: buildcache.key(project, env, options) for env in envs}  # once per env
    stored = _stored(project, envs, options, digests)
    job = functools.partial(render_env, project, options, digests)
    missed = [env for env in envs if env not in stored]
    built = {outcome.env: outcome for outcome in parallel.run(job, missed, jobs, ["generator.pipeline"])}
    run = RenderRun([built.get(env) or parallel.Outcome(env, result=stored[env]) for env in envs])
    for outcome in run.outcomes:
        result = outcome.result
        if result is not None and not result.unchanged:
            write.check(result.target, result.output_files(), refuse_mass_removal=refuse_mass_removal)
    return run


def write_envs(run: RenderRun, refuse_mass_removal: bool) -> Iterator[EnvWritten]:
    """Write every env of an ``ok`` run, in env order; a replayed env changes nothing."""
    from generator import write

    assert run.ok
    for outcome in run.outcomes:
        result = outcome.result
        assert result is not None
        if result.unchanged:
            yield EnvWritten(outcome.env, result.target, result.unchanged, write.Written((), (), ()))
            continue
        written = write.write(result.target, result.output_files(), refuse_mass_removal, result.read)
        yield EnvWritten(outcome.env, result.target, len(result.files), written)


def create_project(directory: Path) -> tuple[Project, list[Path]]:
    """A new project in ``directory`` (``cmgen init``), every env of it built and written;
    the files created."""
    from generator import pipeline, scaffolding, write

    created = scaffolding.create(directory)
    project = Project.load(directory)
    for env in project.envs():
        build = pipeline.build(project, env)
        written = write.write(build.target, build.files)
        created.extend(build.target.root / name for name in written.changed)
    return project, created


def checked_of(build: Build) -> list[tuple[str, str]]:
    """(file, Kind/name) of every object of ``build``, as its findings name them."""
    return [(manifest.source.name, manifest.ref) for manifest in build.manifests]


def render_env(project: Project, options: Options, digests: dict[str, str | None], env: str) -> Rendered:
    """One env's build, stored in the build cache under ``digests[env]`` (the key of its
    inputs computed before any build ran), as plain data a process can return."""
    from generator import buildcache, write

    build = build_env(project, env, options)
    buildcache.store(digests[env], project, env, options, build)
    # A chart whose file on disk has the same source is kept, not drawn; the write then
    # does not read it again (``read``).
    read: dict[str, Stamp] = {}
    reused = write.reused(build.target, build.files, read)
    files = {name: (file.data, file.executable) for name, file in reused.items()}
    return Rendered(build.target, files, build.findings, read=read, checked=checked_of(build))


def print_env(project: Project, env: str, options: Options, show_only: Sequence[str]) -> tuple[str, list[Finding]]:
    """``render --stdout``: one env's manifests as one YAML stream, and its findings. A bad
    ``--show-only`` raises before any finding is reported."""
    from generator import buildcache, stream

    forget_renderers()
    digest = buildcache.key(project, env, options)
    build = build_env(project, env, options)
    buildcache.store(digest, project, env, options, build)
    return stream.text(build, project, show_only), build.findings


def _stored(
    project: Project, envs: Sequence[str], options: Options, digests: dict[str, str | None]
) -> dict[str, Rendered]:
    """The envs whose tree and record hold exactly what a stored build of the same inputs
    wrote: rendering them would change nothing, so they are not built; their findings come
    from the store."""
    from generator import buildcache, drift, write

    found = {}
    for env in envs:
        entry = buildcache.lookup(digests[env])
        if entry is None:
            continue
        target = project.output(env, options.out, options.out_per_env)
        if drift.in_sync(target, entry.files) and write.settled(target, entry.files):
            found[env] = Rendered(target, {}, entry.findings, unchanged=len(entry.files), checked=entry.checked)
    return found
