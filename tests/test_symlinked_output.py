"""A symlink on the way to the output tree, through the CLI: render refuses it (exit 2, one
line, nothing written or deleted anywhere), check and diff report it without reading behind
it; ``--out DIR`` follows the symlinks of the DIR the user typed, and none below it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.write import SYMLINK_REFUSED
from tests.conftest import cmgen, snapshot

CHANGE = ("--set", "app.message=changed")
WAYS = ["out", "out/dev", "out/dev/week3", "out/dev/week3/day3"]


def _link_away(project_dir: Path, where: str, tmp_path: Path) -> Path:
    """Move ``where`` (with what cmgen wrote there) outside the project and link it back."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (project_dir / where).rename(outside / "moved")
    (project_dir / where).symlink_to(outside / "moved")
    return outside


def _refused(stderr: str, link: Path) -> None:
    assert stderr == f"{link}: error: {SYMLINK_REFUSED}\n"


@pytest.mark.parametrize("where", WAYS)
def test_render_refuses_a_symlink_on_the_way_and_writes_nothing(
    project_dir: Path, tmp_path: Path, where: str
) -> None:
    # A removed template would make the render delete its file, a --set rewrite another.
    (project_dir / "templates" / "README.md.j2").unlink()
    outside = _link_away(project_dir, where, tmp_path)
    before, before_outside = snapshot(project_dir), snapshot(outside)
    result = cmgen("render", "--env", "dev", *CHANGE, project=project_dir)
    assert result.exit_code == 2, result.output
    _refused(result.stderr, project_dir / where)
    assert result.stdout == ""
    assert snapshot(project_dir) == before
    assert snapshot(outside) == before_outside
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside", "project"]


def test_render_all_envs_writes_no_env_when_one_is_refused(project_dir: Path, tmp_path: Path) -> None:
    outside = _link_away(project_dir, "out/prod", tmp_path)
    before, before_outside = snapshot(project_dir), snapshot(outside)
    result = cmgen("render", "--all-envs", *CHANGE, project=project_dir)
    assert result.exit_code == 2, result.output
    _refused(result.stderr, project_dir / "out" / "prod")
    assert snapshot(project_dir) == before  # dev, first in order, is not written either
    assert snapshot(outside) == before_outside


def test_a_dangling_symlinked_out_is_refused_and_not_created(project_dir: Path, tmp_path: Path) -> None:
    shutil.rmtree(project_dir / "out")
    (project_dir / "out").symlink_to(tmp_path / "nowhere")
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 2, result.output
    _refused(result.stderr, project_dir / "out")
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("where", ["out", "out/dev/week3"])
def test_check_reports_the_symlink_once_and_reads_nothing_behind_it(
    project_dir: Path, tmp_path: Path, where: str
) -> None:
    outside = _link_away(project_dir, where, tmp_path)
    # Behind the link: a tree in sync, plus a stray that would be reported if it were read.
    stray = outside / "moved" / ("dev/week3/day3" if where == "out" else "day3") / "secret.yaml"
    stray.write_text("password: hunter2\n")
    before = snapshot(outside)
    result = cmgen("check", "--all-envs", project=project_dir)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if ": error" in line]
    assert errors == [
        f"{where}:1:1: error[symlink] is a symlink: cmgen neither reads nor writes through it "
        "(it could point outside the project); make it a real folder"
    ]
    assert "secret" not in result.output
    assert snapshot(outside) == before


def test_diff_reports_the_symlink_and_reads_nothing_behind_it(project_dir: Path, tmp_path: Path) -> None:
    outside = _link_away(project_dir, "out", tmp_path)
    (outside / "moved" / "dev" / "week3" / "day3" / "app" / "configmap.yaml").write_text("hunter2\n")
    result = cmgen("diff", "--env", "dev", project=project_dir)
    assert result.exit_code == 1, result.output
    assert result.stdout == "Symlink out (not followed): the tree below it is not compared\n"


# --- --out DIR: the user's own symlinks are followed, none below DIR ------------------------


def test_out_that_is_a_symlink_is_followed(project_dir: Path, tmp_path: Path) -> None:
    """The user typed DIR: like ``cd DIR``, its symlinks are followed, and the record of what
    cmgen wrote lives behind it, so a later render removes stale files there."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "given").symlink_to(real)
    before = snapshot(project_dir)
    first = cmgen("render", "--env", "dev", "--out", str(tmp_path / "given"), project=project_dir)
    assert first.exit_code == 0, first.output
    assert (real / "week3" / "day3" / "README.md").is_file()
    assert (real / ".cmgen-manifest.json").is_file()
    (project_dir / "templates" / "README.md.j2").unlink()
    second = cmgen("render", "--env", "dev", "--out", str(tmp_path / "given"), project=project_dir)
    assert second.exit_code == 0, second.output
    assert "(0 changed, 1 removed)" in second.stdout
    assert not (real / "week3" / "day3" / "README.md").exists()
    assert (tmp_path / "given").is_symlink()
    del before["templates/README.md.j2"]
    assert snapshot(project_dir) == before


@pytest.mark.parametrize("below", ["dev", "dev/week3"])
def test_a_symlink_below_out_is_refused(project_dir: Path, tmp_path: Path, below: str) -> None:
    real, elsewhere = tmp_path / "real", tmp_path / "elsewhere"
    (real / below).parent.mkdir(parents=True)
    elsewhere.mkdir()
    (real / below).symlink_to(elsewhere)
    (tmp_path / "given").symlink_to(real)
    before = snapshot(real)
    result = cmgen("render", "--all-envs", "--out", str(tmp_path / "given"), project=project_dir)
    assert result.exit_code == 2, result.output
    _refused(result.stderr, real / below)
    assert snapshot(real) == before  # prod, whose way is clear, is not written either
    assert list(elsewhere.iterdir()) == []
