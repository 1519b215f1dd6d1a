"""The commit protocol of ``write``: staged files, a journal as the commit point, roll-forward.

1. ``stage``: every changed file is written and fsynced under ``<root>/.cmgen-staging/``;
2. ``commit``: a journal naming the moves and deletions is written atomically (the commit
   point), then carried out: moves (``os.replace``, atomic per file), deletions, and the
   record of what cmgen wrote (``.cmgen-manifest.json``); the journal goes;
3. ``recover``, before the next write: a journal that reached its commit point is rolled
   forward; staged files of a run that did not are forgotten.

Before the commit point, and before a roll-forward, ``preflight.check`` checks that every
move and deletion can be carried out, so a write fails with nothing changed rather than
halfway. A journal is trusted no further than cmgen's record: a roll-forward deletes only
files whose bytes are what the record says cmgen wrote, and replaces only files that the
record lists, that are absent, or that already hold the new bytes (``_verify``). A journal
from elsewhere (a commit, a copied folder) cannot make it delete or overwrite a user's file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator import paths, preflight
from generator.errors import CmgenError
from generator.project import JOURNAL_FILE, STAGING_DIR, STATE_FILE

if TYPE_CHECKING:
    from generator.outputs import OutputFile

SYMLINK_REFUSED = "refusing to write through a symlink: it could point outside the output folder"


INTERRUPTED = "finish the write that an earlier run left halfway (its journal: {journal})"


def commit(root: Path, journal: Mapping[str, object]) -> None:
    """Step 2: write the journal atomically, then carry it out."""
    atomic_write(root / JOURNAL_FILE, json.dumps(journal, indent=1).encode())
    try:
        _apply(root, journal)
    except OSError as exc:  # past the preflight: a race, a failing disk
        where = exc.filename2 or exc.filename or root
        message = (
            f"cannot write: {exc.strerror or exc}; the write stopped halfway: "
            "fix this, then run the command again to finish it"
        )
        raise CmgenError(message, str(where)) from None


def recover(root: Path) -> bool:
    """Finish a write that reached its commit point (then True); forget one that did not."""
    journal_path = root / JOURNAL_FILE
    finished = False
    if journal_path.is_file():
        journal = _read(journal_path)
        if journal is None:
            journal_path.unlink()  # torn before the commit point: the old tree stands
        else:
            try:
                pending = _verify(root, journal, journal_path)
                removals = [inside(root, name) for name in _names(journal, "remove")]
                preflight.check(root, [inside(root, name) for name in pending], removals)
            except CmgenError as error:
                raise error.within(INTERRUPTED.format(journal=journal_path)) from None
            _apply(root, journal)
            finished = True
    shutil.rmtree(root / STAGING_DIR, ignore_errors=True)
    for name in (JOURNAL_FILE, STATE_FILE):  # torn before their atomic rename
        (root / f"{name}.tmp").unlink(missing_ok=True)
    return finished


def _read(path: Path) -> dict[str, object] | None:
    """The journal, checked: lists of relative paths and a mapping of digests."""
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if (
        not isinstance(journal, dict)
        or not all(_is_names(journal.get(key, [])) for key in ("moves", "remove"))
        or not isinstance(journal.get("files", {}), dict)
    ):
        raise CmgenError("cmgen's journal is not one cmgen wrote; delete it", str(path))
    for key in ("moves", "remove"):
        for name in _names(journal, key):
            if why := paths.problem(name):
                raise CmgenError(f"cmgen's journal names {name!r} in {key!r}: {why}", str(path))
    return journal


def _is_names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) for name in value)


def _names(journal: Mapping[str, object], key: str) -> list[str]:
    names = journal.get(key, [])
    assert isinstance(names, list)
    return [str(name) for name in names]


def recorded(root: Path) -> dict[str, str]:
    """What cmgen last wrote under ``root``: relative path -> sha256."""
    state = root / STATE_FILE
    if not state.is_file():
        return {}
    try:
        files = json.loads(state.read_text(encoding="utf-8")).get("files", {})
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        files = None
    if not isinstance(files, dict):
        raise CmgenError("cmgen's record of written files is corrupt; delete it", str(state))
    return {str(name): str(digest) for name, digest in files.items()}


def digest(path: Path) -> str | None:
    """The sha256 of a regular file; None when nothing is there; "not-a-file" otherwise."""
    if not path.is_file():
        return None if not os.path.lexists(path) else "not-a-file"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _verify(root: Path, journal: Mapping[str, object], journal_path: Path) -> list[str]:
    """The moves still to carry out, once every move and deletion is one cmgen's record
    allows (see the module's docstring)."""
    record = recorded(root)
    new = journal.get("files", {})
    assert isinstance(new, dict)
    staging = root / STAGING_DIR
    pending = []
    for name in _names(journal, "moves"):
        final = inside(root, name)
        staged = inside(staging, name)
        if not staged.exists():
            continue  # moved before the interruption
        if digest(staged) != new.get(name):
            message = f"the journal's staged file for {name} is not the one it records"
            raise CmgenError(message, str(journal_path))
        if digest(final) not in (None, new.get(name)) and name not in record:
            raise _refused(f"overwrite {name}, which cmgen's record does not list", journal_path)
        pending.append(name)
    for name in _names(journal, "remove"):
        now = digest(inside(root, name))
        if now is not None and now != record.get(name):
            what = f"delete {name}, which cmgen's record does not list with these bytes"
            raise _refused(what, journal_path)
    return pending


def _refused(what: str, journal_path: Path) -> CmgenError:
    return CmgenError(
        f"refusing to roll the journal forward: it would {what} "
        "(if no cmgen run was interrupted here, delete the journal)",
        str(journal_path),
    )


def _apply(root: Path, journal: Mapping[str, object]) -> None:
    staging = root / STAGING_DIR
    moves = journal.get("moves", [])
    assert isinstance(moves, list)
    for name in moves:
        final = inside(root, name)
        staged = staging / name
        if staged.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
    removals = journal.get("remove", [])
    assert isinstance(removals, list)
    for name in removals:
        path = inside(root, name)
        path.unlink(missing_ok=True)
        _prune(path.parent, root)
    state = {"generator": "cmgen", "files": journal.get("files", {})}
    atomic_write(root / STATE_FILE, (json.dumps(state, indent=1, sort_keys=True) + "\n").encode())
    (root / JOURNAL_FILE).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def stage(root: Path, changed: Mapping[str, OutputFile]) -> None:
    """Step 1: every changed file written and fsynced under the staging folder."""
    staging = root / STAGING_DIR
    shutil.rmtree(staging, ignore_errors=True)
    for name, output in changed.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.write(output.data)
            handle.flush()
            os.fsync(handle.fileno())
        path.chmod(0o755 if output.executable else 0o644)


def atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def inside(root: Path, name: str) -> Path:
    """``root/name``, refusing any symlink on the way (it could point outside ``root``)."""
    path = root
    if Path(name).is_absolute():
        raise CmgenError(f"refusing an output path that leaves the output folder: {name}")
    for part in Path(name).parts:
        if part in ("", ".", ".."):
            raise CmgenError(f"refusing an output path that leaves the output folder: {name}")
        path = path / part
        if path.is_symlink():
            raise CmgenError(SYMLINK_REFUSED, str(path))
    return path


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty by deletions, up to (not including) ``root``."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        try:
            folder.rmdir()
        except OSError:  # an empty folder left behind harms nothing
            return
        folder = folder.parent
