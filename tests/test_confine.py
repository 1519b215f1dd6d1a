"""The project's boundary on disk (issue 22.14): symlinks inside the project are followed,
ones leading out of it are refused, and a build reads and writes nothing outside the
project, its output folder and the caches (checked under an audit hook, in a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import confine
from generator.errors import CmgenError
from tests.conftest import REPO

# Runs the CLI under an audit hook; prints every path opened, listed, created, renamed or
# removed, and every socket event.
_AUDIT = """
import json, os, sys
EVENTS = {"open", "os.listdir", "os.scandir", "os.mkdir", "os.rmdir", "os.remove", "os.rename",
          "os.replace", "os.chmod", "os.symlink", "os.link", "shutil.rmtree"}
touched = set()
def hook(event, args):
    if event in EVENTS and args and isinstance(args[0], (str, bytes, os.PathLike)):
        touched.add(os.path.abspath(os.fsdecode(args[0])))  # relative: to a folder fd of out/ (cwd)
    elif event.startswith("socket."):
        touched.add("socket: " + event)
sys.addaudithook(hook)
sys.argv = ["cmgen", *sys.argv[1:]]
from generator.cli import main
try:
    main()
finally:
    print(json.dumps(sorted(touched)), file=sys.stderr)
"""


def _audited(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, list[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", _AUDIT, *args], capture_output=True, text=True, cwd=cwd,
        env={**os.environ, **env, "PYTHONPATH": str(REPO)}, timeout=300,
    )
    *messages, touched = result.stderr.splitlines()
    return result.returncode, json.loads(touched), "\n".join(messages)


_GENERATOR = Path(confine.__file__).parent


def _outside(touched: list[str], allowed: list[Path]) -> list[str]:
    """What is neither in ``allowed`` nor Python's (its library, the installed packages,
    cmgen's own package, the import path's folders listed) nor system fonts (matplotlib's
    font discovery, read only)."""
    roots = [str(path) for path in (*allowed, _GENERATOR)] + [sys.prefix, sys.base_prefix]
    return [
        path
        for path in touched
        if not any(path == root or path.startswith(root + "/") for root in roots)
        and path not in {os.path.abspath(entry) for entry in [*sys.path, str(REPO)]}
        and "fonts" not in path
    ]


def test_a_build_touches_nothing_outside_the_project(project_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret\n")
    (project_dir / "templates" / "leak.md.j2").symlink_to(outside / "secret.md")
    out, cache = tmp_path / "given-out", tmp_path / "cache"
    out.mkdir()
    args = ("render", "--env", "dev", "--out", str(out), "--project", str(project_dir))
    env = {"CMGEN_CACHE_DIR": str(cache)}
    code, touched, stderr = _audited(*args, cwd=out, env=env)
    assert code == 2, stderr
    assert stderr.startswith("templates/leak.md.j2: error: a symlink that leads outside the project")
    assert _outside(touched, [project_dir, out, cache]) == []
    # without the link, a whole render (and a check) stays inside too, with no network
    (project_dir / "templates" / "leak.md.j2").unlink()
    for command in (args, ("check", "--env", "dev", "--no-cache", "--project", str(project_dir))):
        code, touched, stderr = _audited(*command, cwd=out, env=env)
        assert code == 0, stderr
        assert _outside(touched, [project_dir, out, cache]) == []


def test_the_docs_stage_touches_nothing_outside_the_project_but_matplotlibs_cache(tmp_path: Path) -> None:
    """The repo's prod env, charts and all, rendered to a folder of the test's."""
    out, cache, mpl = tmp_path / "out", tmp_path / "cache", tmp_path / "mpl"
    out.mkdir()
    env = {"CMGEN_CACHE_DIR": str(cache), "MPLCONFIGDIR": str(mpl)}
    code, touched, stderr = _audited("render", "--env", "prod", "--out", str(out), "--project", str(REPO), cwd=out, env=env)
    assert code == 0, stderr
    assert _outside(touched, [REPO, out, cache, mpl]) == []


# --- walk ----------------------------------------------------------------------------------


def test_walk_follows_a_symlinked_folder_inside_the_project(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.j2").write_text("a")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "templates" / "up").symlink_to(tmp_path / "templates")  # a loop
    found = confine.walk(tmp_path / "templates", tmp_path)
    assert found == [tmp_path / "templates" / "linked" / "a.j2"]


@pytest.mark.parametrize("where", ["templates", "templates/sub", "templates/sub/a.j2"])
def test_walk_refuses_a_symlink_out_of_the_project(tmp_path: Path, where: str) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    link = project / where
    link.parent.mkdir(parents=True)
    outside.mkdir()
    (outside / "a.j2").write_text("secret")
    link.symlink_to(outside / "a.j2" if where.endswith(".j2") else outside)
    with pytest.raises(CmgenError, match="a symlink that leads outside the project") as caught:
        confine.walk(project / "templates", project)
    assert caught.value.location.file == where
