"""Manifests read from files and folders (``cmgen validate`` / ``cmgen lint`` on paths).

The object type, ``Manifest``, is the Kubernetes core's (``generator.k8s.objects``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator import yamlio
from generator.errors import CmgenError
from generator.k8s.objects import Manifest, Traceable, Source
from generator.paths import YAML_SUFFIXES
from generator.project import STATE_FILE

MANIFEST_SUFFIXES = YAML_SUFFIXES


def from_text(text: str, name: str, origin: Traceable | None = None) -> list[Manifest]:
    """Every object in a YAML stream; a document that is not a mapping is bad input."""
    source = Source(name, text)
    manifests = []
    for document in yamlio.load_all(text, name):
        if not isinstance(document.data, dict):
            raise CmgenError(
                f"expected a Kubernetes object (a mapping), found {type(document.data).__name__}",
                name,
                document.line,
                1,
            )
        manifests.append(Manifest(document.data, source, document.index, document.line, origin))
    return manifests


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files named, plus ``*.yaml``/``*.yml`` under folders named (sorted); ``-`` is stdin."""
    found: list[str] = []
    for entry in paths:
        path = Path(entry)
        if entry == "-":
            found.append(entry)
        elif path.is_dir():
            found.extend(
                str(child)
                for child in sorted(path.rglob("*"))
                if child.suffix in MANIFEST_SUFFIXES and child.is_file()
            )
        elif path.is_file():
            found.append(entry)
        elif path.exists():
            raise CmgenError(yamlio.NOT_REGULAR, entry)
        else:
            raise CmgenError("no such file or folder", entry)
    return found


def load_paths(paths: Iterable[str]) -> list[Manifest]:
    manifests: list[Manifest] = []
    for entry in expand_paths(paths):
        if entry == "-":
            text = yamlio.read_stdin()
        else:
            text = yamlio.read_text(Path(entry), entry)
        manifests.extend(from_text(text, entry))
    return manifests


def by_tree(manifests: list[Manifest]) -> list[list[Manifest]]:
    """Split manifests into the sets that are deployed together.

    A tree that cmgen generated (its root holds cmgen's record of written files) is one
    set: ``out/dev`` and ``out/staging`` are linted apart, so the same Service in two
    envs is not a duplicate. Everything else forms one set.
    """
    groups: dict[str, list[Manifest]] = {}
    roots: dict[Path, str] = {}
    for manifest in manifests:
        groups.setdefault(_tree_of(Path(manifest.source.name), roots), []).append(manifest)
    return list(groups.values())


def _tree_of(file: Path, roots: dict[Path, str]) -> str:
    folder = file.resolve().parent if file.name not in ("-", "<stdin>") else Path.cwd()
    if folder not in roots:
        found = next((str(d) for d in (folder, *folder.parents) if (d / STATE_FILE).is_file()), "")
        roots[folder] = found
    return roots[folder]

