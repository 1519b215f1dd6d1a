"""What Jinja2's sandbox costs the render stage: the same templates and values rendered by a
sandboxed and by a plain environment, in one process, interleaved.

Run from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/sandbox_bench.py [--project DIR] [--rounds N]

Every env of the project is rendered (templates only: no overlay, validation, lint or docs)
by two ``render.Renderer`` objects that differ only in the environment class; templates are
compiled once per renderer before timing (a real run loads them from the compiled-template
cache). Rounds alternate sandboxed and plain; the medians and their ratio are printed, and
the two outputs are checked to be identical.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import jinja2

from generator import render, values
from generator.project import Project


class _Plain(render.Renderer):
    """The renderer of cmgen before the sandbox: the same environment, unsandboxed."""

    def environment(self, suffix: str) -> jinja2.Environment:
        env = self._environments.get(suffix)
        if env is None:
            sandboxed = super().environment(suffix)
            env = jinja2.Environment(
                loader=sandboxed.loader, undefined=sandboxed.undefined, keep_trailing_newline=True,
                trim_blocks=True, lstrip_blocks=True, autoescape=False, extensions=["jinja2.ext.do"],
                finalize=sandboxed.finalize,
            )
            env.filters.update(sandboxed.filters)
            env.globals.update(sandboxed.globals)
            self._environments[suffix] = env
        return env


def _render(renderer: render.Renderer, contexts: list[dict[str, Any]]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    texts = [item.text for context in contexts for item in render.render_all(renderer, context)]
    return time.perf_counter() - start, texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--rounds", type=int, default=40)
    options = parser.parse_args()
    project = Project.load(options.project)
    contexts = [
        dict(values.load(project, env, ()).data, env=env, output_path=f"out/{env}") for env in project.envs()
    ]
    sandboxed, plain = render.Renderer(project), _Plain(project)
    assert isinstance(sandboxed.environment(".yaml"), jinja2.sandbox.SandboxedEnvironment)
    _, expected = _render(sandboxed, contexts)  # compiles every template once
    _, actual = _render(plain, contexts)
    assert actual == expected, "the sandbox changed the rendered text"
    times: dict[str, list[float]] = {"sandboxed": [], "plain": []}
    for _ in range(options.rounds):
        times["sandboxed"].append(_render(sandboxed, contexts)[0])
        times["plain"].append(_render(plain, contexts)[0])
    medians = {name: statistics.median(runs) for name, runs in times.items()}
    print(f"{len(contexts)} envs x {len(project.templates())} templates, {options.rounds} rounds each")
    for name, median in medians.items():
        print(f"  {name:9} median {median * 1000:6.1f} ms")
    print(f"  sandbox cost: x{medians['sandboxed'] / medians['plain']:.2f}")


if __name__ == "__main__":
    main()
