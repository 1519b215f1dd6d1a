"""The installed package is the source package: pre-commit installs cmgen from a built wheel
(``language: python``), so a data file or template left out of the wheel breaks the hooks,
and the build cache keys on the package's files (``buildcache``), so an installed cmgen
must hold exactly the files of the source to find what a source checkout stored."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_the_wheel_ships_every_file_of_the_package(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("generator/")}
    present = {path.relative_to(source).as_posix() for path in (source / "generator").rglob("*") if path.is_file()}
    assert len(present) > 80
    assert shipped == present
