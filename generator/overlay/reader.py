"""Shape checks for the kustomization file, each error placed at the offending line."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import paths, yamlio
from generator.errors import CmgenError

YamlPath = tuple[str | int, ...]
_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/)")


@dataclass(frozen=True)
class Spot:
    """A place in a file: errors about an overlay entry point here."""

    file: str
    line: int | None = None
    column: int | None = None

    def error(self, message: str) -> CmgenError:
        return CmgenError(message, self.file, self.line, self.column)


@dataclass(frozen=True)
class Reader:
    """The kustomization's text, to locate paths in it."""

    file: str
    text: str
    folder: Path
    display: Callable[[Path], str]

    def spot(self, path: YamlPath, key: bool = False) -> Spot:
        line, column = yamlio.locate(self.text, 0, path, key=key)
        return Spot(self.file, line, column)

    def fail(self, path: YamlPath, message: str, key: bool = False) -> CmgenError:
        return self.spot(path, key).error(message)

    def mapping(self, value: Any, path: YamlPath, allowed: Sequence[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"{_dotted(path)}: expected a mapping")
        for key in value:
            if key not in allowed:
                raise self.fail(
                    (*path, key),
                    f"{_dotted((*path, key))}: unsupported field {key!r} "
                    f"(supported: {', '.join(allowed)})",
                    key=True,
                )
        return value

    def listing(self, value: Any, path: YamlPath) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"{_dotted(path)}: expected a list")
        return value

    def string(self, value: Any, path: YamlPath, *, empty: bool = True) -> str:
        if not isinstance(value, str) or (not empty and not value):
            kind = "a non-empty string" if not empty else "a string"
            raise self.fail(path, f"{_dotted(path)}: expected {kind}, found {_shown(value)}")
        return value

    def boolean(self, value: Any, path: YamlPath) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"{_dotted(path)}: expected true or false, found {_shown(value)}")
        return value

    def strings(self, value: Any, path: YamlPath) -> tuple[str, ...]:
        items = self.listing(value, path)
        return tuple(self.string(item, (*path, i)) for i, item in enumerate(items))

    def string_map(self, value: Any, path: YamlPath) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.fail(path, f"{_dotted(path)}: expected a mapping of strings")
        for key, item in value.items():
            self.string(item, (*path, key))
        return dict(value)

    def local_file(self, value: Any, path: YamlPath) -> tuple[Path, str]:
        """A file inside the overlay folder: (its path, its display name)."""
        entry = self.string(value, path, empty=False)
        if _REMOTE.match(entry):
            raise self.fail(path, f"remote resources are not supported: {entry!r}")
        if (why := paths.problem(entry)) is not None:
            raise self.fail(path, f"{entry!r}: {why}")
        if Path(entry).is_absolute():
            raise self.fail(path, f"{entry!r}: use a path relative to the overlay folder")
        folder = self.folder.resolve()
        target = (folder / entry).resolve()
        if target != folder and folder not in target.parents:
            raise self.fail(path, f"{entry!r} is outside the overlay folder")
        if target.is_dir():
            raise self.fail(
                path, f"{entry!r} is a folder: bases and components are not supported, name files"
            )
        if not target.is_file():
            raise self.fail(path, f"{entry!r}: no such file in the overlay folder")
        return target, self.display(self.folder / entry)


def _dotted(path: YamlPath) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "kustomization"


def _shown(value: Any) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"
