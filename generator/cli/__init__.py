"""cmgen's command line: Typer options in, a pipeline call, a report out, an exit code."""

from __future__ import annotations

from generator.cli import commands  # noqa: F401  (registers the commands)
from generator.cli import graph  # noqa: F401  (registers cmgen graph)
from generator.cli import lint  # noqa: F401  (registers cmgen lint)
from generator.cli import validate  # noqa: F401  (registers cmgen validate)
from generator.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
