"""The runs of cmgen's commands: every sequence around ``pipeline.build``.

``pipeline.build`` knows the order of the stages of one build. A command runs more than one
build, or none: it replays the stored build of unchanged inputs (``buildcache``), builds the
other envs in parallel processes (``parallel``), compares with the tree on disk (``drift``)
and writes (``write``). Those sequences live here, as plain functions over plain data, so
the CLI only translates options in and a report out, and tests call them without Typer:

- ``render.render_envs`` then ``render.write_envs``: cache replay -> build -> write;
- ``check.check_envs``: cache replay -> build -> drift;
- ``check.diff_env``: build -> drift, as a unified diff;
- ``graph_env``: the platform graph of one env's build.

The stages are imported inside the functions that use them: a replayed run loads no stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator import parallel, progress
from generator.options import Options
from generator.project import Project

if TYPE_CHECKING:
    from generator import pipeline, render
    from generator.graph import Graph

_renderers: dict[Path, render.Renderer] = {}


def forget_renderers() -> None:
    """At the start of a run: templates may have changed since the last one that ran in
    this process (tests run many)."""
    _renderers.clear()


def build_env(project: Project, env: str, options: Options) -> pipeline.Build:
    """``pipeline.build`` with one renderer per project and process, and a progress line on
    stderr when it is a terminal and the build takes more than a second (not in a worker
    process of ``--all-envs``: lines of several envs would overwrite each other)."""
    from generator import pipeline, render

    renderer = _renderers.get(project.root)
    if renderer is None:
        renderer = _renderers[project.root] = render.Renderer(project)
    observer = progress.NULL if parallel.in_worker() else progress.for_terminal(label=f"{env}: ")
    try:
        return pipeline.build(project, env, options, renderer, observer)
    finally:
        observer.close()


def graph_env(project: Project, env: str) -> Graph:
    """The platform graph of ``env``: the one the build's graph stage made, without the docs
    drawn from it."""
    from generator import pipeline

    project.env_values(env)
    build = pipeline.build(project, env, Options(docs=False, graph=True))
    assert build.graph is not None  # Options(graph=True)
    return build.graph
