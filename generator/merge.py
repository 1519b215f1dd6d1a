"""Merging values trees: the rules, written once, and where every value came from.

Every node of a merged tree remembers which file (and which path in that file) supplied it,
so that an error can name the file and line of the bad value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator import yamlio
from generator.errors import CmgenError

Key = tuple[str | int, ...]
@dataclass(frozen=True)
class Origin:
    """Where a value came from: a file and the path inside it (or a ``--set`` flag)."""

    file: str
    path: Key
    text: str | None = None

    def position(self) -> tuple[int | None, int | None]:
        if self.text is None:
            return None, None
        return yamlio.locate(self.text, 0, self.path)


@dataclass
class Values:
    data: dict[str, Any]
    origins: dict[Key, Origin] = field(default_factory=dict)

    def origin(self, path: Key) -> Origin | None:
        """The origin of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.origins.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def merge(
    base: Values, override: Values, merge_keys: Mapping[Key, str], path: Key = ()
) -> Values:
    """Merge ``override`` onto ``base``; neither is changed. The rules, all of them:

    - mappings merge key by key, recursively;
    - scalars replace; ``null`` replaces anything, and anything replaces a ``null``;
    - lists replace, unless the values schema declares ``x-cmgen-merge-key: NAME`` for
      that list: then items are matched by their ``NAME`` field, matched items merge by
      these same rules, and new items are appended in the override's order;
    - otherwise a mapping meeting a non-mapping, or a list meeting a non-list, is an
      error that names the dotted key and both files.

    ``merge_keys`` maps a list's path (with ``*`` for list positions) to its merge key.
    """
    merged = Values({}, dict(base.origins))
    merged.data = _merge(base.data, override.data, base, override, merged, merge_keys, path, path)
    return merged


def _merge(
    left: Any,
    right: Any,
    lvals: Values,
    rvals: Values,
    out: Values,
    keys: Mapping[Key, str],
    lpath: Key,
    rpath: Key,
) -> Any:
    if isinstance(left, dict) and isinstance(right, dict):
        result = dict(left)
        for name, value in right.items():
            if name in left:
                result[name] = _merge(
                    left[name], value, lvals, rvals, out, keys, (*lpath, name), (*rpath, name)
                )
            else:
                result[name] = value
                _adopt(rvals, out, (*rpath, name), (*lpath, name), value)
        return result
    if left is not None and right is not None and (
        isinstance(left, dict) != isinstance(right, dict)
        or isinstance(left, list) != isinstance(right, list)
    ):
        _conflict(left, right, lvals, rvals, lpath, rpath)
    merge_key = keys.get(pattern(lpath))
    if isinstance(left, list) and isinstance(right, list) and merge_key:
        return _merge_lists(left, right, merge_key, lvals, rvals, out, keys, lpath, rpath)
    _adopt(rvals, out, rpath, lpath, right)
    return right


def _merge_lists(
    left: list[Any],
    right: list[Any],
    merge_key: str,
    lvals: Values,
    rvals: Values,
    out: Values,
    keys: Mapping[Key, str],
    lpath: Key,
    rpath: Key,
) -> list[Any]:
    result = list(left)
    positions = {
        item.get(merge_key): index
        for index, item in enumerate(left)
        if isinstance(item, dict) and not isinstance(item.get(merge_key, []), (dict, list))
    }
    for rindex, item in enumerate(right):
        if not isinstance(item, dict) or merge_key not in item:
            raise _located(
                f"{dotted(rpath)}[{rindex}]: an item of this list needs a {merge_key!r} field "
                "(the list merges by it)",
                rvals,
                (*rpath, rindex),
            )
        if isinstance(item[merge_key], (dict, list)):
            raise _located(
                f"{dotted(rpath)}[{rindex}].{merge_key}: must be a scalar (the list merges by it)",
                rvals,
                (*rpath, rindex, merge_key),
            )
        lindex = positions.get(item[merge_key])
        if lindex is None:
            positions[item[merge_key]] = len(result)
            _adopt(rvals, out, (*rpath, rindex), (*lpath, len(result)), item)
            result.append(item)
        else:
            result[lindex] = _merge(
                left[lindex], item, lvals, rvals, out, keys, (*lpath, lindex), (*rpath, rindex)
            )
    return result


def _adopt(source: Values, out: Values, spath: Key, tpath: Key, value: Any) -> None:
    """Record that ``value`` (and everything under it) at ``tpath`` came from ``source``."""
    for stale in [key for key in out.origins if key[: len(tpath)] == tpath]:
        del out.origins[stale]
    for sub in yamlio.iter_paths(value):
        origin = source.origins.get((*spath, *sub)) or source.origin((*spath, *sub))
        if origin is not None:
            out.origins[(*tpath, *sub)] = origin


def _conflict(left: Any, right: Any, lvals: Values, rvals: Values, lpath: Key, rpath: Key) -> None:
    lorigin = lvals.origin(lpath)
    where = lorigin.file if lorigin else "?"
    raise _located(
        f"{dotted(rpath)}: cannot merge a {_type(right)} onto a {_type(left)} from {where}",
        rvals,
        rpath,
    )


def _type(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "list" if isinstance(value, list) else "scalar"


def pattern(path: Key) -> Key:
    return tuple("*" if isinstance(step, int) else step for step in path)


def dotted(path: Sequence[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(top level)"


def _located(message: str, values: Values, path: Key) -> CmgenError:
    origin = values.origin(path)
    if origin is None:
        return CmgenError(message)
    line, column = origin.position()
    return CmgenError(message, origin.file, line, column)
