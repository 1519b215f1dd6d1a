"""``--output``: the reporter a command prints its findings with, picked by name
(``reporting.REPORTER_BY_NAME``), and where the report goes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TextIO

import typer

from generator.errors import CmgenError
from generator.reporting import FORMATS, Report, Reporter, reporter

_HELP = f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}."
OutputOption = typer.Option("text", "--output", "-o", help=_HELP)
LongOutputOption = typer.Option("text", "--output", help=_HELP)  # cmgen render: -o is --out


def emit(report: Report, chosen: Reporter) -> None:
    """The report on stdout; the text diagnostics of a build on stderr (stdout then keeps
    the summary of what was done)."""
    stream = sys.stderr if chosen.name == "text" and report.diagnostics else sys.stdout
    stream.write(chosen.render(report))


def said(chosen: Reporter) -> TextIO:
    """Where a command says what it did: stdout, unless a report for a program goes there."""
    return sys.stdout if chosen.name == "text" else sys.stderr


@contextmanager
def bad_input_reported(output: str, empty: Report) -> Iterator[Reporter]:
    """The reporter named ``output``; when bad input stops the command, a document format
    (json, sarif) still prints one (``empty`` with the error) before the error propagates
    to its exit code 2: a CI parser always gets a document."""
    chosen = reporter(output)
    try:
        yield chosen
    except CmgenError as error:
        if chosen.document:
            emit(replace(empty, errors=[error]), chosen)
        raise
