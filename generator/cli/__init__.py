"""cmgen's command line: Typer options in, a pipeline call, a report out, an exit code."""

from __future__ import annotations

import gc
import os
import sys

from generator.cli import commands  # noqa: F401  (registers the commands)
from generator.cli import graph  # noqa: F401  (registers cmgen graph)
from generator.cli import lint  # noqa: F401  (registers cmgen lint)
from generator.cli import render  # noqa: F401  (registers cmgen render)
from generator.cli import validate  # noqa: F401  (registers cmgen validate)
from generator.cli.app import app


def main() -> None:
    # The objects of a render are plain dicts and lists without cycles; with the default
    # threshold (700) the cyclic collector runs thousands of times over them: ~12% of a
    # 10,000-object render (docs/performance.md). It still runs, 140x less often.
    gc.set_threshold(100_000, 50, 100)
    app()


def run() -> None:
    """The ``cmgen`` command: ``main``, then the exit without tearing the interpreter down.

    Freeing every module and object at exit is ~20% of a full check's CPU (~90 of ~500 ms,
    docs/performance.md); the OS reclaims them anyway (mypy exits the same way). cmgen
    closes every file it writes before ``main`` returns; stdout and stderr are flushed here.
    A flush that fails (a closed pipe) takes the ordinary exit, which reports it."""
    try:
        main()
        code: object = 0
    except SystemExit as exit_:
        code = exit_.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what SystemExit does with a message
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code or 0)


__all__ = ["app", "main", "run"]
