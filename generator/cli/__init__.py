"""cmgen's command line: Typer options in, a pipeline call, a report out, an exit code."""

from __future__ import annotations

import gc

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


__all__ = ["app", "main"]
