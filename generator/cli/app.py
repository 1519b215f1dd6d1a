"""The Typer app and the one place where errors become exit codes.

Exit codes: 0 ok, 1 findings (invalid, lint, drift), 2 bad input or usage, 3 a bug.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from generator.errors import CmgenError
from generator.project import Project

OK, FINDINGS, BAD_INPUT, BUG = 0, 1, 2, 3

app = typer.Typer(
    name="cmgen",
    help="Render, validate and lint Kubernetes manifests from templates and per-env values.",
    add_completion=True,  # --install-completion / --show-completion: bash, zsh, fish
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])
_debug = {"on": False}


def _show_version(asked: bool) -> None:
    if asked:
        from importlib import metadata  # ~10 ms of start-up: only when asked

        typer.echo(f"cmgen {metadata.version('cmgen')}")
        raise typer.Exit(OK)


@app.callback()
def _options(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for every error."),
    version: bool = typer.Option(
        False, "--version", help="Print cmgen's version and exit.", is_eager=True, callback=_show_version
    ),
) -> None:
    """Render, validate and lint Kubernetes manifests from templates and per-env values."""
    _debug["on"] = debug or os.environ.get("CMGEN_DEBUG", "") not in ("", "0")


def command(name: str | None = None, **options: Any) -> Callable[[F], F]:
    """``app.command`` with cmgen's error handling around the command body."""

    def register(function: F) -> F:
        @functools.wraps(function)
        def handled(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except (typer.Exit, typer.Abort):
                raise
            except CmgenError as error:
                if _debug["on"]:
                    typer.echo(traceback.format_exc(), err=True)
                typer.echo(error.render(), err=True)
                raise typer.Exit(BAD_INPUT) from None
            except BrokenPipeError:
                # The reader went away (cmgen diff | head): stop quietly, as cat does.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(OK) from None
            except KeyboardInterrupt:
                typer.echo("cmgen: interrupted", err=True)
                raise typer.Exit(130) from None
            except Exception:
                typer.echo("cmgen: internal error (a bug; please report it):", err=True)
                typer.echo(traceback.format_exc(), err=True)
                raise typer.Exit(BUG) from None

        app.command(name, **options)(handled)
        return function

    return register


def project(path: Path | None) -> Project:
    """The project named by ``--project``, else the one around the current folder."""
    return Project.load(path) if path is not None else Project.discover(Path.cwd())


def echo_lines(lines: list[str], err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    for line in lines:
        stream.write(line + "\n")
