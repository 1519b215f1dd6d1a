"""Write: put one env's rendered files on disk, all or nothing, touching only cmgen's files.

Changes are committed like a database's (``journal``: staged files, then a journal as
the commit point): a run that dies before the commit point leaves the old tree untouched;
one that dies after it is rolled forward by the next cmgen command that writes. cmgen deletes only files that its
record lists and that still hold what it wrote; it refuses to overwrite a file it did not
write, and never writes through a symlink: not in the tree, not among its own files, and
not on the way to the tree (``OutputTarget.symlink``: ``out/`` itself, ``out/<env>``, ...).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
import dataclasses
from dataclasses import dataclass
from pathlib import Path

from generator import journal, pngmeta, preflight, writelock
from generator.errors import CmgenError
from generator.outputs import OutputFile
from generator.journal import SYMLINK_REFUSED, recorded, recover
from generator.project import JOURNAL_FILE, STAGING_DIR, STATE_FILE, OutputTarget



@dataclass(frozen=True)
class Written:
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]  # stale files left alone because they were edited by hand
    overwritten: tuple[str, ...] = ()  # files cmgen wrote, then edited by hand, now replaced
    finished: bool = False  # an earlier write, interrupted after its commit point, was finished first


def write(
    target: OutputTarget,
    files: Mapping[str, OutputFile],
    refuse_mass_removal: bool = False,
    stamps: Mapping[str, Stamp] | None = None,
) -> Written:
    """Make ``target.tree`` hold exactly ``files`` (paths relative to the tree).

    One writer at a time per output folder (``writelock``). With ``refuse_mass_removal``,
    a write that would remove more than half of the files cmgen recorded is refused before
    any change: its inputs probably vanished (see docs/trust-model.md). ``stamps``: files
    that ``reused`` read from the tree; one whose stat is still the same is not read again."""
    try:
        return _write(target, files, refuse_mass_removal, dict(stamps or {}))
    except OSError as exc:
        raise _cannot_write(exc, target) from None


def check(
    target: OutputTarget, files: Mapping[str, OutputFile] | None = None, refuse_mass_removal: bool = False
) -> None:
    """Refuse, before anything is written, a target cmgen must not write: a symlink on the
    way from ``target.base`` to the tree or in place of one of cmgen's own files, or a file
    where the output folder goes; with ``files`` and ``refuse_mass_removal``, a write that
    would remove most of the tree. ``write`` checks too; this lets a caller check every
    env's target before writing any."""
    try:
        _check(target)
        if files is not None and refuse_mass_removal:
            previous = recorded(target.root)
            removed = _removals(target, _wanted(target, files), previous)
            _refuse_mass_removal(target, removed, len(previous))
    except OSError as exc:
        raise _cannot_write(exc, target) from None


def settled(target: OutputTarget, names: Iterable[str]) -> bool:
    """Whether cmgen's own files under ``target.root`` say that exactly ``names`` (relative
    to the tree) were written and nothing since: no write to finish (journal, staging), a
    record that lists exactly them with the bytes now on disk, no symlink in the way. With
    the tree in sync with a build (``drift.in_sync``), writing that build would change
    nothing."""
    try:
        _check(target)
        if (target.root / JOURNAL_FILE).exists() or (target.root / STAGING_DIR).exists():
            return False
        prefix = target.tree.relative_to(target.root)
        record = recorded(target.root)
        return set(record) == {(prefix / name).as_posix() for name in names} and all(
            journal.digest(journal.inside(target.root, name)) == digest for name, digest in record.items()
        )
    except (CmgenError, OSError, ValueError):
        return False  # a write reports it


def _cannot_write(exc: OSError, target: OutputTarget) -> CmgenError:
    # os.replace names both files: the destination is the one that matters.
    where = exc.filename2 or exc.filename or target.root
    return CmgenError(f"cannot write: {exc.strerror or exc}", str(where))


def _check(target: OutputTarget) -> None:
    link = target.symlink()
    if link is None:
        link = next((path for path in _own_files(target.root) if path.is_symlink()), None)
    if link is not None:
        raise CmgenError(SYMLINK_REFUSED, str(link))
    if target.root.exists() and not target.root.is_dir():
        raise CmgenError("the output folder is a file, not a folder", str(target.root))


def _own_files(root: Path) -> list[Path]:
    return [root / name for name in (STATE_FILE, JOURNAL_FILE, STAGING_DIR)]


def _write(
    target: OutputTarget, files: Mapping[str, OutputFile], refuse_mass_removal: bool, stamps: dict[str, Stamp]
) -> Written:
    root = target.root
    _check(target)
    _make_root(root)
    with writelock.held(root):
        _check(target)  # as it is now that no other cmgen writes here
        finished = recover(root)
        return dataclasses.replace(_replace(target, files, refuse_mass_removal, stamps), finished=finished)


def _replace(
    target: OutputTarget, files: Mapping[str, OutputFile], refuse_mass_removal: bool, stamps: dict[str, Stamp]
) -> Written:
    root = target.root
    wanted = _wanted(target, reused(target, files, stamps))  # an unchanged chart is kept, not drawn
    prefix = target.tree.relative_to(root)
    read = {(prefix / name).as_posix(): stamp for name, stamp in stamps.items()}  # by the record's names
    previous = recorded(root)
    changed, overwritten = {}, []
    for name, output in wanted.items():
        path = journal.inside(root, name)
        # A file read a moment ago (``reused``) and unchanged since holds ``output``'s bytes.
        current = output.digest if name in read and _stamp(path) == read[name] else journal.digest(path)
        if current is not None and name not in previous and current != output.digest:
            raise CmgenError("refusing to overwrite a file that cmgen did not write", str(path))
        if current != output.digest or _mode_differs(path, output):
            changed[name] = output
            if current not in (None, previous.get(name), output.digest):
                overwritten.append(name)
    removed = _removals(target, wanted, previous)
    stale = sorted(set(previous) - set(wanted))
    kept = [name for name in stale if name not in removed and (root / name).exists()]
    if refuse_mass_removal:
        _refuse_mass_removal(target, removed, len(previous))
    plan = {
        "moves": sorted(changed),
        "remove": removed,
        "files": {name: output.digest for name, output in wanted.items()},
    }
    if changed or removed or previous != plan["files"]:
        preflight.check(root, [root / name for name in changed], [root / name for name in removed])
        journal.stage(root, changed)
        journal.commit(root, plan)
    return Written(tuple(sorted(changed)), tuple(removed), tuple(kept), tuple(overwritten))


def _wanted(target: OutputTarget, files: Mapping[str, OutputFile]) -> dict[str, OutputFile]:
    """``files`` by their names relative to the output folder (as the record names them)."""
    prefix = target.tree.relative_to(target.root)
    return {(prefix / name).as_posix(): output for name, output in sorted(files.items())}


def _removals(
    target: OutputTarget, wanted: Mapping[str, OutputFile], previous: Mapping[str, str]
) -> list[str]:
    """Recorded files no longer wanted that still hold what cmgen wrote (hand-edited ones stay)."""
    stale = sorted(set(previous) - set(wanted))
    return [name for name in stale if journal.digest(journal.inside(target.root, name)) == previous[name]]


def _refuse_mass_removal(target: OutputTarget, removed: list[str], recorded_count: int) -> None:
    if len(removed) * 2 > recorded_count:
        raise CmgenError(
            f"refusing to remove {len(removed)} of the {recorded_count} files cmgen wrote here: "
            "did templates/ or values/ vanish? If the removal is intended, add --allow-removals",
            str(target.tree),
        )


Stamp = tuple[int, int, int, int]  # st_ino, st_size, st_mtime_ns, st_ctime_ns


def reused(
    target: OutputTarget, files: Mapping[str, OutputFile], stamps: dict[str, Stamp] | None = None
) -> dict[str, OutputFile]:
    """``files`` (relative to the tree), each chart whose file on disk records the hash of the
    same data (``pngmeta.SOURCE_KEY``) replaced by the bytes on disk: kept, not drawn again
    (drawing is most of a render's time). The rule ``drift`` compares charts by; a chart
    whose data changed is drawn when its bytes are needed. ``stamps`` gets the stat of each
    kept file as it was read: ``write`` given them does not read those files again."""
    kept = dict(files)
    for name, output in files.items():
        if output.source_hash is None:
            continue
        path = journal.inside(target.root, (target.tree.relative_to(target.root) / name).as_posix())
        before = _stamp(path)
        data = path.read_bytes() if before is not None else b""
        if pngmeta.source_hash(data) == output.source_hash:
            kept[name] = OutputFile(data, output.executable)
            if stamps is not None and before is not None and _stamp(path) == before:
                stamps[name] = before
    return kept


def _stamp(path: Path) -> Stamp | None:
    """What tells that a regular file is unchanged since it was read, or None (no file)."""
    try:
        found = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _make_root(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CmgenError(f"cannot create the output folder: {exc.strerror}", str(root)) from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise CmgenError("the output folder is not writable", str(root))


def _mode_differs(path: Path, output: OutputFile) -> bool:
    return path.is_file() and bool(path.stat().st_mode & 0o100) != output.executable


__all__ = ["SYMLINK_REFUSED", "OutputFile", "Written", "check", "recorded", "recover", "reused", "settled", "write"]
