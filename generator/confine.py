"""The project's boundary on disk: every input a build reads lies inside the project.

A build reads ``cmgen.yaml``, ``templates/``, ``values/``, ``overlays/`` and the ``crds`` of
``cmgen.yaml``. A symlink among them is followed when it stays inside the project (its
files are rendered, and keyed by the build cache, like any other), and refused when it
resolves outside, as Kustomize's default load restrictor (``LoadRestrictionsRootOnly``)
refuses: a symlinked partial could otherwise copy ``/etc/passwd`` into ``out/``, and a
symlinked ``overlays/<env>`` another project's secrets into a Secret. Files the user names
on the command line (``--crd``, ``--out``) are theirs to choose. See docs/trust-model.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import CmgenError

if TYPE_CHECKING:
    from generator.project import Project

LEAVES = "{what} that leads outside the project ({target}): cmgen reads only files inside the project"


def walk(folder: Path, root: Path) -> list[Path]:
    """Every file under ``folder`` (sorted), following symlinks that stay inside ``root``;
    none when ``folder`` does not exist. A symlink that leaves ``root`` is an error located
    where the link is; a link back to a folder above it is not followed twice."""
    found: list[Path] = []
    if folder.is_symlink():
        _inside(folder, root)
    if folder.is_dir():
        _walk(folder, root, frozenset(), found)
    return sorted(found)


def inside(path: Path, root: Path) -> Path:
    """``path``, after checking that it (or what it links to) lies inside ``root``."""
    _inside(path, root)
    return path


def inputs(project: Project) -> list[Path]:
    """Every file a build of ``project`` may read: ``cmgen.yaml``, then the files under
    ``templates/``, ``values/`` and ``overlays/``; checked as ``walk`` does."""
    found = [project.root / "cmgen.yaml"]
    for folder in (project.templates_dir, project.values_dir, project.overlays_dir):
        found.extend(walk(folder, project.root))
    for crd in project.config.crds:
        found.extend(walk(crd, project.root) if crd.is_dir() else [inside(crd, project.root)])
    return found


def _walk(folder: Path, root: Path, above: frozenset[tuple[int, int]], found: list[Path]) -> None:
    status = os.stat(folder)
    identity = (status.st_dev, status.st_ino)
    if identity in above:
        return  # a link back up: its files are listed under their own path already
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda item: item.name):
            path = folder / entry.name
            if entry.is_symlink():
                _inside(path, root)
            if entry.is_dir():
                _walk(path, root, above | {identity}, found)
            elif entry.is_file():
                found.append(path)


def _inside(path: Path, root: Path) -> None:
    try:
        target = path.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a loop (RuntimeError until 3.13)
        raise CmgenError(f"cannot follow the path: {exc}", _display(path, root)) from None
    if not target.is_relative_to(root):
        what = "a symlink" if path.is_symlink() else "a path"
        raise CmgenError(LEAVES.format(what=what, target=target), _display(path, root))


def _display(path: Path, root: Path) -> str:
    absolute = path.absolute()
    return str(absolute.relative_to(root)) if absolute.is_relative_to(root) else str(path)
