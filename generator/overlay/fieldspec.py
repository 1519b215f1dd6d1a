"""Kustomize field specs: a GVK filter and a slash path to the fields a transform touches.

The walk follows ``api/filters/fieldspec``: a list met on the way is walked element by
element (``[]`` in a path only makes that explicit); a missing field is created (as a
mapping, or as ``leaf`` at the end) only when the spec says ``create``; a null on the way
counts as missing; a scalar in the middle of the path is an error, as in Kustomize.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.errors import CmgenError
from generator.overlay.gvk import Gvk

Setter = Callable[[dict[str, Any], str], None]
"""Called with the parent mapping and the key of a field the spec reaches."""


def split_path(path: str) -> tuple[str, ...]:
    """``a/b\\/c/d`` -> ``("a", "b/c", "d")``."""
    parts: list[str] = []
    current = ""
    escaped = False
    for char in path:
        if escaped:
            current += char if char == "/" else "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "/":
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return tuple(parts)


@dataclass(frozen=True)
class FieldSpec:
    gvk: Gvk
    path: tuple[str, ...]
    create: bool = False

    @classmethod
    def parse(cls, entry: dict[str, Any]) -> FieldSpec:
        gvk = Gvk(entry.get("group", ""), entry.get("version", ""), entry.get("kind", ""))
        return cls(gvk, split_path(entry.get("path", "")), bool(entry.get("create", False)))

    def walk(self, obj: dict[str, Any], setter: Setter, leaf: Callable[[], Any]) -> None:
        """Call ``setter`` on every field this spec reaches in ``obj``."""
        _walk(obj, self.path, self, setter, leaf)


def _walk(
    node: Any, path: tuple[str, ...], spec: FieldSpec, setter: Setter, leaf: Callable[[], Any]
) -> None:
    if isinstance(node, list):
        for element in node:
            if element is not None:
                _walk(element, path, spec, setter, leaf)
        return
    if not isinstance(node, dict):
        raise CmgenError(
            f"field spec {'/'.join(spec.path)!r}: expected a list or mapping on the way, "
            f"found {type(node).__name__}"
        )
    name = path[0].removesuffix("[]")
    is_list = path[0].endswith("[]")
    last = len(path) == 1
    if node.get(name) is None:
        if not spec.create or is_list:
            return
        node[name] = leaf() if last else {}
    if last:
        setter(node, name)
    else:
        _walk(node[name], path[1:], spec, setter, leaf)


def set_entries(
    obj: dict[str, Any], gvk: Gvk, specs: tuple[FieldSpec, ...], pairs: tuple[tuple[str, str], ...]
) -> None:
    """Put ``pairs`` into every mapping the matching specs reach (labels, annotations)."""

    def setter(parent: dict[str, Any], key: str) -> None:
        target = parent[key]
        if not isinstance(target, dict):
            raise CmgenError(f"{'/'.join(spec.path)}: expected a mapping, found {target!r}")
        target.update(pairs)

    for spec in specs:
        if spec.gvk.selects(gvk):
            spec.walk(obj, setter, dict)


class SpecConflict(Exception):
    """Kustomize's "conflicting fieldspecs": ``index`` is the spec already there."""

    def __init__(self, index: int, spec: FieldSpec) -> None:
        super().__init__(index)
        self.index = index
        self.spec = spec


def merge_specs(
    specs: tuple[FieldSpec, ...], incoming: tuple[FieldSpec, ...]
) -> tuple[FieldSpec, ...]:
    """Kustomize's ``FsSlice.MergeAll``: a spec whose path is already there for a kind it
    selects is left out (even if that one is narrower); one that differs from it only in
    ``create`` is a conflict."""
    for spec in incoming:
        index = next((i for i, old in enumerate(specs)
                      if spec.gvk.selects(old.gvk) and old.path == spec.path), None)
        if index is None:
            specs = (*specs, spec)
        elif specs[index].create != spec.create:
            raise SpecConflict(index, spec)
    return specs
