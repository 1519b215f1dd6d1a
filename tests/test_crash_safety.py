"""A render killed (SIGKILL) while writing leaves the old tree, or one the next run completes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


# --- a write that cannot finish is refused before its commit point (issue 22.7) -------------

LOCATED_ERROR = re.compile(r"^\S+: error: ", re.MULTILINE)
_NO_DAC = ("--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search")


def _run(project: Path, *args: str, drop_dac: bool = False, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """cmgen in a real process; with ``drop_dac``, without the capability that lets root
    write into a read-only folder (so a permission test means something as root)."""
    prefix: list[str] = []
    if drop_dac and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: root would write into a read-only folder")
        if subprocess.run([setpriv, *_NO_DAC, "true"], capture_output=True).returncode != 0:
            pytest.skip("running as root, and setpriv may not drop CAP_DAC_OVERRIDE here")
        prefix = [setpriv, *_NO_DAC]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "generator", *args, "--project", str(project)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "CMGEN_DEBUG": ""}, **kwargs,
    )


def _read_only_subfolder(tree: Path) -> None:
    (tree / "scripts").chmod(0o555)


def _file_where_a_folder_goes(tree: Path) -> None:
    shutil.rmtree(tree / "scripts")
    (tree / "scripts").write_text("a user's file\n")


def _folder_where_a_file_goes(tree: Path) -> None:
    (tree / "scripts" / "hello.sh").unlink()
    (tree / "scripts" / "hello.sh").mkdir()
    (tree / "scripts" / "hello.sh" / "notes.txt").write_text("a user's folder\n")


@pytest.mark.parametrize(
    ("obstacle", "where", "message"),
    [
        (_read_only_subfolder, "scripts", "the folder is not writable"),
        (_file_where_a_folder_goes, "scripts", "a file is where cmgen needs a folder"),
        (_folder_where_a_file_goes, "scripts/hello.sh", "a folder \\(not a file\\) is where cmgen writes"),
    ],
    ids=["read-only-subfolder", "file-where-a-folder-goes", "folder-where-a-file-goes"],
)
def test_a_write_that_cannot_finish_changes_nothing(
    project_dir: Path, obstacle: Callable[[Path], None], where: str, message: str
) -> None:
    tree = project_dir / "out" / "dev" / "week3" / "day3"
    obstacle(tree)
    before = snapshot(project_dir)
    try:
        result = _run(project_dir, "render", "--env", "dev", *CHANGE, drop_dac=True)
    finally:
        (tree / "scripts").chmod(0o755) if (tree / "scripts").is_dir() else None
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = LOCATED_ERROR.findall(result.stderr)
    assert re.search(f"^{tree / where}: error: cannot write: {message}", result.stderr, re.MULTILINE), result.stderr
    assert snapshot(project_dir) == before  # nothing replaced, no journal, no staging left


def test_an_interrupted_write_is_reported_by_check_and_diff(project_dir: Path) -> None:
    result = _killed(project_dir, "replace", 2)  # the commit point passed, one file moved
    assert result.returncode == -signal.SIGKILL, result.stderr
    journal = f"out/dev/{JOURNAL_FILE}"
    check = cmgen("check", "--env", "dev", "--no-cache", project=project_dir)
    assert check.exit_code == 1, check.output
    assert re.search(
        f"^{re.escape(journal)}:1:1: error\\[interrupted\\] .*a write was interrupted.*run: cmgen render --env dev",
        check.stderr, re.MULTILINE,
    ), check.stderr
    diff = cmgen("diff", "--env", "dev", project=project_dir)
    assert diff.exit_code == 1
    assert diff.stdout.startswith(f"Interrupted write {journal}: ")
    render = cmgen("render", "--env", "dev", *CHANGE, project=project_dir)
    assert render.exit_code == 0, render.output
    assert f"dev: finished the write an earlier run left halfway ({journal})\n" in render.stderr


def test_an_interrupted_write_that_cannot_be_finished_says_so(project_dir: Path) -> None:
    result = _killed(project_dir, "replace", 2)
    assert result.returncode == -signal.SIGKILL, result.stderr
    (project_dir / "out/dev/week3/day3/scripts").chmod(0o555)
    before = snapshot(project_dir)
    try:
        again = _run(project_dir, "render", "--env", "dev", drop_dac=True)
    finally:
        (project_dir / "out/dev/week3/day3/scripts").chmod(0o755)
    assert again.returncode == 2, again.stderr
    assert "Traceback" not in again.stderr
    (line,) = LOCATED_ERROR.findall(again.stderr)
    assert f"finish the write that an earlier run left halfway (its journal: {project_dir}/out/dev/{JOURNAL_FILE})" in again.stderr
    assert snapshot(project_dir) == before
    assert cmgen("render", "--env", "dev", *CHANGE, project=project_dir).exit_code == 0
    assert sorted(p.name for p in (project_dir / "out/dev").iterdir()) == [".cmgen-manifest.json", "week3"]


# --- one writer at a time (issue 22.11) ------------------------------------------------------

HOLD_LOCK = textwrap.dedent(
    """
    import fcntl, os, sys, time
    handle = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    print("locked", flush=True)
    sys.stdin.readline()
    """
)
SHORT_TIMEOUT = textwrap.dedent(
    """
    import sys
    import generator.writelock as writelock
    writelock.TIMEOUT = 1.0
    sys.argv = ["cmgen", *sys.argv[1:]]
    from generator.cli import main
    main()
    """
)


def _holder(root: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_a_second_writer_waits_for_the_first(project_dir: Path, tmp_path: Path) -> None:
    new = _new_tree(project_dir, tmp_path)
    root = project_dir / "out" / "dev"
    old = snapshot(root)
    holder = _holder(root)
    try:
        writer = subprocess.Popen(
            [sys.executable, "-m", "generator", "render", "--env", "dev", *CHANGE, "--project", str(project_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert writer.stderr is not None
        # It builds (its lint warnings come first), then says it waits for the lock.
        said = next((line for line in iter(writer.stderr.readline, "") if line.startswith("cmgen: ")), "")
        assert said.startswith(f"cmgen: {root}: another cmgen process is writing here; waiting for it"), said
        assert writer.poll() is None
        assert snapshot(root) == old
    finally:
        holder.communicate("go\n", timeout=10)
    _, stderr = writer.communicate(timeout=60)
    assert writer.returncode == 0, stderr
    assert "another cmgen process is writing here" not in stderr  # said once, before the lock was free
    assert snapshot(root / "week3") == new


def test_a_writer_that_waits_too_long_gives_up_with_nothing_changed(project_dir: Path) -> None:
    root = project_dir / "out" / "dev"
    before = snapshot(project_dir)
    holder = _holder(root)
    try:
        result = subprocess.run(
            [sys.executable, "-c", SHORT_TIMEOUT, "render", "--env", "dev", *CHANGE, "--project", str(project_dir)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "CMGEN_DEBUG": ""},
        )
    finally:
        holder.communicate("go\n", timeout=10)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = LOCATED_ERROR.findall(result.stderr)
    assert line == f"{root}: error: "
    assert "another cmgen process is writing this output folder; waited 1 s" in result.stderr
    assert snapshot(project_dir) == before
