"""The commit protocol's trust in a journal (issue 22.10) and its preflight (22.7).

A journal found in an output folder may not be one cmgen wrote here (a commit, a copied
folder): rolling it forward must not delete or overwrite a file cmgen's record does not
list with those bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import write
from generator.errors import CmgenError
from generator.project import JOURNAL_FILE, STAGING_DIR, OutputTarget
from generator.outputs import OutputFile

from tests.conftest import REPO, cmgen, snapshot


@pytest.fixture
def target(tmp_path: Path) -> OutputTarget:
    root = tmp_path / "out" / "dev"
    write.write(OutputTarget(root, root / "t", tmp_path), {"a.yaml": OutputFile(b"a: 1\n")})
    return OutputTarget(root, root / "t", tmp_path)


def _journal(target: OutputTarget, **plan: object) -> Path:
    path = target.root / JOURNAL_FILE
    path.write_text(json.dumps({"moves": [], "remove": [], "files": {}, **plan}))
    return path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_journal_cannot_delete_a_file_cmgen_did_not_write(target: OutputTarget) -> None:
    mine = target.tree / "mine.yaml"
    mine.write_bytes(b"precious\n")
    path = _journal(target, remove=["t/mine.yaml"])
    before = snapshot(target.root)
    with pytest.raises(CmgenError, match="refusing to roll the journal forward: it would delete t/mine.yaml") as caught:
        write.recover(target.root)
    assert caught.value.location.file == str(path)
    assert snapshot(target.root) == before


@pytest.mark.parametrize("key", ["moves", "remove"])
def test_a_journal_naming_a_path_with_a_nul_byte_is_refused_not_a_crash(
    target: OutputTarget, key: str
) -> None:
    path = _journal(target, **{key: ["t/a\x00b.yaml"]})
    before = snapshot(target.root)
    with pytest.raises(CmgenError, match="a path cannot contain a NUL byte") as caught:
        write.recover(target.root)
    assert caught.value.location.file == str(path)
    assert snapshot(target.root) == before


def test_a_journal_cannot_delete_a_recorded_file_edited_by_hand(target: OutputTarget) -> None:
    (target.tree / "a.yaml").write_bytes(b"edited\n")
    _journal(target, remove=["t/a.yaml"])
    with pytest.raises(CmgenError, match="would delete t/a.yaml, which cmgen's record does not list with these bytes"):
        write.recover(target.root)
    assert (target.tree / "a.yaml").read_bytes() == b"edited\n"


def test_a_journal_cannot_overwrite_a_file_cmgen_did_not_write(target: OutputTarget) -> None:
    (target.tree / "mine.yaml").write_bytes(b"precious\n")
    staged = target.root / STAGING_DIR / "t" / "mine.yaml"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"evil\n")
    _journal(target, moves=["t/mine.yaml"], files={"t/mine.yaml": _sha(b"evil\n")})
    with pytest.raises(CmgenError, match="would overwrite t/mine.yaml, which cmgen's record does not list"):
        write.recover(target.root)
    assert (target.tree / "mine.yaml").read_bytes() == b"precious\n"


def test_a_staged_file_that_is_not_the_one_the_journal_records_is_refused(target: OutputTarget) -> None:
    staged = target.root / STAGING_DIR / "t" / "a.yaml"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"swapped\n")
    _journal(target, moves=["t/a.yaml"], files={"t/a.yaml": _sha(b"a: 2\n")})
    with pytest.raises(CmgenError, match="staged file for t/a.yaml is not the one it records"):
        write.recover(target.root)
    assert (target.tree / "a.yaml").read_bytes() == b"a: 1\n"


def test_a_symlink_inside_the_staging_folder_is_not_followed(target: OutputTarget, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.yaml").write_bytes(b"a: 2\n")
    (target.root / STAGING_DIR).mkdir()
    (target.root / STAGING_DIR / "t").symlink_to(outside)
    _journal(target, moves=["t/a.yaml"], files={"t/a.yaml": _sha(b"a: 2\n")})
    with pytest.raises(CmgenError, match=write.SYMLINK_REFUSED):
        write.recover(target.root)
    assert (outside / "a.yaml").read_bytes() == b"a: 2\n"  # not moved out of its folder


def test_a_committed_journal_cannot_delete_a_users_file_through_the_cli(project_dir: Path) -> None:
    """The issue's case end to end: a journal arriving in a commit names a user's file."""
    tree = project_dir / "out" / "dev" / "week3" / "day3"
    (tree / "app" / "local.yaml").write_text("mine\n")
    (project_dir / "out" / "dev" / JOURNAL_FILE).write_text(
        json.dumps({"moves": [], "remove": ["week3/day3/app/local.yaml"], "files": {}})
    )
    before = snapshot(project_dir)
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert line.startswith(f"{project_dir}/out/dev/{JOURNAL_FILE}: error: refusing to roll the journal forward")
    assert snapshot(project_dir) == before


# --- what git must not pick up -------------------------------------------------------------


def _ignored(folder: Path, names: list[str]) -> list[str]:
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *names], cwd=folder, capture_output=True, text=True
    )
    return result.stdout.split()


WORKING_FILES = [f"out/dev/{JOURNAL_FILE}", f"out/dev/{STAGING_DIR}/x.yaml", f"out/dev/{JOURNAL_FILE}.tmp", "out/dev/.cmgen-manifest.json.tmp"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_repository_ignores_cmgens_working_files() -> None:
    assert _ignored(REPO, WORKING_FILES) == WORKING_FILES
    assert _ignored(REPO, ["out/dev/.cmgen-manifest.json"]) == []  # the record is committed


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_scaffolds_a_gitignore_for_cmgens_working_files(tmp_path: Path) -> None:
    target = tmp_path / "platform"
    assert cmgen("init", str(target)).exit_code == 0
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    assert _ignored(target, WORKING_FILES) == WORKING_FILES
    assert _ignored(target, ["out/dev/.cmgen-manifest.json"]) == []
