"""The console script: Ctrl-C while the CLI loads is one line and exit 130 (issue 22, class 12)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from generator.entry import INTERRUPTED
from tests.conftest import REPO

# Stands in for Typer, which the CLI imports while it starts: the process sends itself a
# real SIGINT in the middle of start-up, at the same point every run.
_INTERRUPTING_TYPER = "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\n"


def _interrupted_at_start_up(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "typer.py").write_text(_INTERRUPTING_TYPER)
    return subprocess.run(
        [sys.executable, *command, "envs"], capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "CMGEN_DEBUG": ""},
        # A shell's background job starts with SIGINT ignored, and then Python installs no
        # KeyboardInterrupt handler: the child starts with the default, as from a terminal.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_python_m_generator(tmp_path: Path) -> None:
    result = _interrupted_at_start_up(tmp_path, "-m", "generator")
    assert (result.returncode, result.stderr, result.stdout) == (130, "cmgen: interrupted\n", "")


def test_the_console_script_entry_point(tmp_path: Path) -> None:
    """What pip's ``cmgen`` script runs: ``generator.entry:main`` (pyproject.toml)."""
    script = "import sys; from generator.entry import main; sys.argv[0] = 'cmgen'; main()"
    result = _interrupted_at_start_up(tmp_path, "-c", script)
    assert (result.returncode, result.stderr) == (INTERRUPTED, "cmgen: interrupted\n")
    assert 'cmgen = "generator.entry:main"' in (REPO / "pyproject.toml").read_text()
