"""Before a write's commit point: can every move and deletion be carried out?

A write that fails after its commit point leaves a tree half old, half new until the cause
is fixed. So before it (and before a roll-forward), every folder a file is moved into or
removed from is checked: each folder on the way is a folder (not a file), the nearest one
that exists is writable and on the output folder's file system (files are moved into place
with a rename), and no folder stands where a file goes. A failure is one located line, and
nothing has changed. What can still fail after the check (a race, a failing disk) is
reported by ``journal.commit`` as a write stopped halfway.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.errors import CmgenError


def check(root: Path, finals: Iterable[Path], removals: Iterable[Path]) -> None:
    """Refuse, before anything is changed, a file to be moved into place at one of
    ``finals`` or removed from ``removals`` (paths under ``root``) that would fail halfway."""
    device = root.stat().st_dev
    ready: set[Path] = set()
    for final in finals:
        if os.path.lexists(final) and not final.is_file():
            message = "cannot write: a folder (not a file) is where cmgen writes this file; move it away"
            raise CmgenError(message, str(final))
        _folder_ready(root, final.parent, device, ready)
    for path in removals:
        if os.path.lexists(path):
            _folder_ready(root, path.parent, device, ready)


def _folder_ready(root: Path, folder: Path, device: int, ready: set[Path]) -> None:
    """``folder`` exists and is writable, or the nearest folder above it that does; no file
    stands where one of its folders must go."""
    if folder in ready:
        return
    existing = root
    for part in folder.relative_to(root).parts:
        if not os.path.lexists(existing / part):
            break
        existing = existing / part
        if not existing.is_dir():
            message = "cannot write: a file is where cmgen needs a folder; move it away"
            raise CmgenError(message, str(existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CmgenError("cannot write: the folder is not writable (nothing was changed)", str(existing))
    if existing.stat().st_dev != device:
        raise CmgenError(
            "cannot write: the folder is on another file system than the output folder "
            "(cmgen moves files into place with a rename)",
            str(existing),
        )
    ready.add(folder)
