"""What a build produced, kept on disk, so that checking unchanged inputs skips the build.

The usual pre-commit run of ``cmgen check`` follows a ``cmgen render`` of the same inputs.
Every full build (render or check) stores an entry: the fingerprint of each output file
(``drift.fingerprint``) and the build's findings. A check whose inputs have an entry, and
whose tree on disk matches it file for file, reports the stored findings without rendering,
validating or linting again (nor importing Jinja2 or the schemas). Anything else (no entry,
a drifted, missing or stray file) runs the full build, which names the differences.

The key is a digest of everything a build reads, so a changed input can only miss:

- cmgen itself: every file of the ``generator`` package (code, data, docs templates);
- the versions of the distributions that shape a build (``DEPENDENCIES``, read from the
  names of their ``*.dist-info`` folders on ``sys.path``) and Python's version. Only those:
  pre-commit installs cmgen into an environment of its own, and a check there should find
  what ``cmgen render`` stored from the user's environment;
- the project's inputs: ``cmgen.yaml`` and every file under ``templates/``, ``values/`` and
  ``overlays/``, by path and bytes, through symlinked folders too (``confine.inputs``: a
  symlink inside the project is followed, one leading out of it is refused, and the key
  is then None: the build reports it); the CRD files (``crds`` of ``cmgen.yaml``, ``--crd``);
- the project's folder, the env and the build options.

``tests/test_buildcache.py`` runs builds under an audit hook and fails if a build opens a
file that the key does not cover. Entries are ``builds/<key>.json`` in cmgen's cache
(``cachedir``); ``CMGEN_CACHE_DIR=off`` or ``cmgen check --no-cache`` bypasses them. The
newest ``KEEP`` entries are kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import cachedir, confine, drift
from generator.errors import CmgenError
from generator.findings import Finding, Override, Skip
from generator.manifests import expand_paths
from generator.project import CONFIG_FILE, Project
from generator.yamlio.read import read_bytes

if TYPE_CHECKING:
    from generator.options import Options
    from generator.pipeline import Build

FORMAT = 3  # bump when an entry's layout or meaning changes
# Distributions (normalised names) whose code or data a build runs or reads: templates,
# YAML, the schemas and their validators. Charts are compared by their source hash, so
# matplotlib is not one of them.
DEPENDENCIES = frozenset(
    {"jinja2", "markupsafe", "pyyaml", "jsonschema", "jsonschema_rs", "kubernetes_validate"}
)
KEEP = 64
# Finding's fields but ``skip`` and ``override`` (each stored as [reason, severity, setting,
# line] or null), and their types.
_FINDING_FIELDS = ("file", "line", "column", "severity", "rule", "resource", "message", "hint", "origin")
_FINDING_TYPES = (str, int, int, str, str, str, str, str, str)
_SEVERITIES = ("error", "warning", "info")
_GENERATOR = Path(__file__).parent


@dataclass(frozen=True)
class Entry:
    files: dict[str, tuple[str, bool]]  # name in the tree -> (fingerprint, executable)
    findings: list[Finding]
    checked: list[tuple[str, str]] = field(default_factory=list)  # (file, Kind/name) of each object


def lookup(digest: str | None) -> Entry | None:
    """The stored result of building the inputs whose ``key`` is ``digest``, or None."""
    path = _path(digest)
    if path is None:
        return None
    try:
        return _decode(json.loads(path.read_bytes()))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(digest: str | None, project: Project, env: str, options: Options, build: Build) -> None:
    """Store ``build`` under ``digest``, the key of its inputs computed before it ran, unless
    an input changed while it ran (the build may then mix old and new inputs)."""
    path = _path(digest)
    if path is None or key(project, env, options) != digest:
        return
    entry = {
        "format": FORMAT,
        "files": {
            name: [drift.fingerprint(name, file), file.executable]
            for name, file in sorted(build.files.items())
        },
        "findings": [_encode(finding) for finding in build.findings],
        "checked": [[manifest.source.name, manifest.ref] for manifest in build.manifests],
    }
    staged = None
    try:
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as out:
            staged = Path(out.name)
            json.dump(entry, out)
        os.replace(staged, path)
        _prune(path.parent)
    except OSError:
        if staged is not None:
            staged.unlink(missing_ok=True)


def inputs(project: Project, options: Options) -> list[Path]:
    """The files a build of ``project`` may read besides cmgen and its dependencies.

    Raises ``CmgenError`` when a CRD path does not exist (the build then reports it)."""
    found = confine.inputs(project)  # cmgen.yaml, templates/, values/, overlays/, its crds
    found.extend(Path(name) for name in expand_paths(str(path) for path in options.crds))
    found.extend(options.values_files)  # -f FILE and --set-file KEY=FILE
    found.extend(Path(assignment.partition("=")[2]) for assignment in options.set_files)
    return found


def key(project: Project, env: str, options: Options) -> str | None:
    """The digest of everything a build of ``env`` reads; None when an input is unreadable
    or caching is off."""
    if cachedir.root() is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{project.root}\0{env}\0{options!r}".encode())
    try:
        for name in _distributions():
            digest.update(f"\0dist {name}".encode())
        digest.update(f"\0code {_code_digest(_GENERATOR)}".encode())
        for path in inputs(project, options):
            _add(digest, "input", path, path)
    except (OSError, CmgenError):
        return None
    return digest.hexdigest()


def _add(digest: Any, role: str, name: Path, path: Path) -> None:
    data = read_bytes(path)  # bounded; a FIFO among the inputs is refused, not waited on
    digest.update(f"\0{role} {name} {len(data)}\0".encode())
    digest.update(data)


@functools.cache
def _code_digest(package: Path) -> str:
    """The digest of cmgen's own files, once per process (~100 files: most of a key's cost,
    and a check computes a key two or three times per env)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            _add(digest, "code", path.relative_to(package), path)
    return digest.hexdigest()


def _distributions() -> list[str]:
    """``name-version.dist-info`` of each of ``DEPENDENCIES`` found on ``sys.path``."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            project = name.partition("-")[0].lower().replace(".", "_")
            if name.endswith(".dist-info") and project in DEPENDENCIES:
                found.add(name)
    return sorted(found)


def _path(digest: str | None) -> Path | None:
    folder = cachedir.folder("builds") if digest is not None else None
    return None if folder is None else folder / f"{digest}.json"


def _decode(data: Any) -> Entry | None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    files = {}
    for name, (fingerprint, executable) in data["files"].items():
        if not isinstance(fingerprint, str) or not isinstance(executable, bool):
            return None
        files[name] = (fingerprint, executable)
    findings = [_decode_finding(row) for row in data["findings"]]
    checked = [(file, ref) for file, ref in data["checked"] if isinstance(file, str) and isinstance(ref, str)]
    if None in findings or len(checked) != len(data["checked"]):
        return None
    return Entry(files, [finding for finding in findings if finding is not None], checked)


def _encode(finding: Finding) -> list[Any]:
    row: list[Any] = [getattr(finding, name) for name in _FINDING_FIELDS]
    extra = [None if note is None else [note.reason, note.severity, note.setting, note.line]
             for note in (finding.skip, finding.override)]
    return [*row, *extra]


def _decode_finding(row: Any) -> Finding | None:
    if not (
        isinstance(row, list)
        and len(row) == len(_FINDING_TYPES) + 2
        and all(isinstance(value, kind) for value, kind in zip(row, _FINDING_TYPES))
        and row[3] in _SEVERITIES
    ):
        return None
    finding = Finding(*row[:-2])
    skip, override = row[-2:]
    if skip is not None:
        if not _is_note(skip):
            return None
        finding = replace(finding, skip=Skip(*skip))
    if override is not None:
        if not _is_note(override):
            return None
        finding = replace(finding, override=Override(*override))
    return finding


def _is_note(value: Any) -> bool:
    """[reason, severity, setting, line], as ``_encode`` stores a skip or an override."""
    return (isinstance(value, list) and len(value) == 4 and isinstance(value[0], str)
            and value[1] in _SEVERITIES and isinstance(value[2], str) and isinstance(value[3], int))


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime_ns)
    for stale in entries[:-KEEP]:
        stale.unlink(missing_ok=True)
