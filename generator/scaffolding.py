"""``cmgen init``: a new project for a team's own platform, as ``helm create`` makes a chart."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
import shutil
from pathlib import Path

from generator.errors import CmgenError

# Package data cannot carry dotfiles reliably; these are renamed on the way out.
_RENAMES = {"pre-commit-config.yaml": ".pre-commit-config.yaml", "gitignore": ".gitignore"}


def create(target: Path) -> list[Path]:
    """Copy the scaffold into ``target``, which must not exist or be empty.

    A folder cmgen may not create or write is bad input, located at the path refused; a
    ``target`` created here is removed again, so a failed init leaves nothing behind."""
    new = not target.exists()
    created: list[Path] = []
    try:
        if not new and (not target.is_dir() or any(target.iterdir())):
            raise CmgenError("refusing to scaffold into a folder that is not empty", str(target))
        _copy(files("generator") / "scaffold", target, created)
    except OSError as exc:
        if new:
            shutil.rmtree(target, ignore_errors=True)
        raise CmgenError(f"cannot create the project: {exc.strerror}", str(exc.filename or target)) from None
    return sorted(created)


def _copy(source: Traversable, target: Path, created: list[Path]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir(), key=lambda item: item.name):
        destination = target / _RENAMES.get(entry.name, entry.name)
        if entry.is_dir():
            _copy(entry, destination, created)
        elif not entry.name.endswith((".pyc", ".py")):
            destination.write_bytes(entry.read_bytes())
            created.append(destination)
