"""The same cmgen command with two versions of cmgen's code, side by side in one run.

Run from the repository root with the project's virtualenv::

    git archive e568472 generator | tar -x -C /tmp/before     # the version to compare with
    .venv/bin/python benchmarks/before_after.py /tmp/before . --project DIR -- render --env bench

Each version runs as ``python -m generator ARGS`` with ``PYTHONPATH`` set to its tree,
pinned to one core, in DIR; runs are interleaved (before, after, before, ...) after one
untimed warm-up each, and the median is printed. ``out/`` of DIR is deleted before every
run, so each one writes the whole tree. Only the code differs: same interpreter, same
installed dependencies.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _run(tree: Path, project: Path, args: list[str], clean: bool) -> float:
    if clean:
        shutil.rmtree(project / "out", ignore_errors=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree.resolve())
    # -P: the current folder (maybe a checkout with its own generator/) is not on sys.path.
    command = [sys.executable, "-P", "-m", "generator", *args]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{tree}: exit {result.returncode}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="a folder holding generator/")
    parser.add_argument("after", type=Path, help="a folder holding generator/")
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep-out", action="store_true", help="do not delete out/ first")
    parser.add_argument("args", nargs="+", help="cmgen's arguments (after --)")
    options = parser.parse_args()
    trees = (options.before, options.after)
    clean = not options.keep_out
    for tree in trees:
        _run(tree, options.project, options.args, clean)
    times: list[list[float]] = [[], []]
    for _ in range(options.repeat):
        for position, tree in enumerate(trees):
            times[position].append(_run(tree, options.project, options.args, clean))
    before, after = (statistics.median(series) for series in times)
    print(
        f"cmgen {' '.join(options.args)}: before {before:.2f} s, after {after:.2f} s "
        f"({before / after:.2f}x faster; median of {options.repeat})"
    )


if __name__ == "__main__":
    main()
