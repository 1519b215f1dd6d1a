"""A render killed (SIGKILL) while writing leaves the old tree, or one the next run completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import cmgen, snapshot
from generator.project import JOURNAL_FILE, STAGING_DIR

# Runs the CLI in a child that SIGKILLs itself at the Nth call of a write primitive.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    import generator.write as write
    what, after = sys.argv[1], int(sys.argv[2])
    calls = [0]
    def dying(real):
        def call(*args, **kwargs):
            calls[0] += 1
            if calls[0] > after:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return call
    if what == "replace":
        write.os.replace = dying(os.replace)
    else:
        write.os.fsync = dying(os.fsync)
    sys.argv = ["cmgen", *sys.argv[3:]]
    from generator.cli import main
    main()
    """
)
CHANGE = ("--set", "app.message=changed", "--set", "app.replicas=7", "--set", "components.cron.port=1")


def _killed(project: Path, what: str, after: int) -> subprocess.CompletedProcess[str]:
    # The counted primitives are os-wide; the compiled-template cache renames its files
    # with os.replace too, so it is off here: only write's calls are counted.
    env = {**os.environ, "CMGEN_CACHE_DIR": "off"}
    return subprocess.run(
        [sys.executable, "-c", CHILD, what, str(after), "render", "--env", "dev", *CHANGE, "--project", str(project)],
        capture_output=True, text=True, timeout=60, env=env,
    )


def _new_tree(project_dir: Path, tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "expected"
    assert cmgen("render", "--env", "dev", *CHANGE, "--out", str(out), project=project_dir).exit_code == 0
    return snapshot(out / "week3")


# Staging fsyncs one file per changed file (3 here), then the journal: kills inside staging.
@pytest.mark.parametrize("after", [0, 1, 2])
def test_killed_while_staging_leaves_the_old_tree(project_dir: Path, tmp_path: Path, after: int) -> None:
    new = _new_tree(project_dir, tmp_path)
    before = snapshot(project_dir)
    result = _killed(project_dir, "fsync", after)
    assert result.returncode == -signal.SIGKILL, result.stderr
    root = project_dir / "out" / "dev"
    assert (root / STAGING_DIR).exists()
    assert not (root / JOURNAL_FILE).exists()
    tree = {k: v for k, v in snapshot(project_dir).items() if STAGING_DIR not in k}
    assert tree == before  # the old tree, byte for byte
    again = cmgen("render", "--env", "dev", *CHANGE, project=project_dir)
    assert again.exit_code == 0, again.output
    assert not (root / STAGING_DIR).exists()
    assert snapshot(root / "week3") == new


# The journal is written with one os.replace; then one os.replace per changed file (3), then
# the record: kills after the commit point, between the moves.
@pytest.mark.parametrize("after", [1, 2, 3])
def test_killed_while_moving_rolls_forward(project_dir: Path, tmp_path: Path, after: int) -> None:
    new = _new_tree(project_dir, tmp_path)
    old = snapshot(project_dir / "out" / "dev" / "week3")
    result = _killed(project_dir, "replace", after)
    assert result.returncode == -signal.SIGKILL, result.stderr
    root = project_dir / "out" / "dev"
    assert (root / JOURNAL_FILE).is_file()
    current = snapshot(root / "week3")
    assert current != old or after == 1
    # the next cmgen command that writes rolls the journal forward, whatever it renders
    again = cmgen("render", "--env", "dev", *CHANGE, project=project_dir)
    assert again.exit_code == 0, again.output
    assert snapshot(root / "week3") == new
    assert sorted(p.name for p in root.iterdir()) == [".cmgen-manifest.json", "week3"]
    check = cmgen("check", "--env", "dev", project=project_dir)
    assert check.exit_code == 1  # the new tree is not the fixture's values: drift, not damage


def test_killed_before_the_journal_rename(project_dir: Path) -> None:
    before = snapshot(project_dir)
    result = _killed(project_dir, "replace", 0)
    assert result.returncode == -signal.SIGKILL
    root = project_dir / "out" / "dev"
    assert (root / f"{JOURNAL_FILE}.tmp").exists() and not (root / JOURNAL_FILE).exists()
    leftovers = {k for k in snapshot(project_dir) if k not in before}
    assert all(STAGING_DIR in k or k.endswith(".tmp") for k in leftovers)
    assert cmgen("render", "--env", "dev", project=project_dir).exit_code == 0
    assert snapshot(project_dir) == before


def test_a_killed_process_is_really_killed() -> None:
    """The harness itself: the child dies by SIGKILL, not by an exception it could catch."""
    result = subprocess.run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
    assert result.returncode == -signal.SIGKILL
