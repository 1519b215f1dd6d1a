"""The ``cmgen`` console script: the CLI, with an interrupt during start-up handled.

Loading the CLI (Typer, Click, the commands) takes a tenth of a second or more; a Ctrl-C
then raised KeyboardInterrupt outside every command's error handling, and the user saw a
traceback. Here it ends the run as an interrupt during a command does: one line, exit 130.
This module imports nothing else at the top, so that window is as small as it can be.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command it interrupted


def main() -> None:
    try:
        from generator.cli import run  # main, then an exit without interpreter teardown

        run()
    except KeyboardInterrupt:
        sys.stderr.write("cmgen: interrupted\n")
        sys.exit(INTERRUPTED)
