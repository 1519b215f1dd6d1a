"""Values: ``values/base.yaml`` deep-merged with ``values/<env>.yaml`` and ``--set`` overrides.

Every node of the merged tree remembers which file (and which path in that file) supplied
it, so that a values-schema error names the file and line of the bad value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re

import jsonschema_rs

from generator import yamlio
from generator.errors import CmgenError
from generator.project import Project

Key = tuple[str | int, ...]
MERGE_KEY = "x-cmgen-merge-key"


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
    merge_key = keys.get(_pattern(lpath))
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
                f"{_dotted(rpath)}[{rindex}]: an item of this list needs a {merge_key!r} field "
                "(the list merges by it)",
                rvals,
                (*rpath, rindex),
            )
        if isinstance(item[merge_key], (dict, list)):
            raise _located(
                f"{_dotted(rpath)}[{rindex}].{merge_key}: must be a scalar (the list merges by it)",
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
    lorigin, rorigin = lvals.origin(lpath), rvals.origin(rpath)
    where = lorigin.file if lorigin else "?"
    raise _located(
        f"{_dotted(rpath)}: cannot merge a {_type(right)} onto a {_type(left)} from {where}",
        rvals,
        rpath,
    )


def _type(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "list" if isinstance(value, list) else "scalar"


def _pattern(path: Key) -> Key:
    return tuple("*" if isinstance(step, int) else step for step in path)


def _dotted(path: Sequence[str | int]) -> str:
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


# --- loading ---------------------------------------------------------------------------


def read(path: Path, display: str) -> Values:
    """One values file: a mapping at the top, every node's origin recorded."""
    text = yamlio.read_text(path, display)
    data = yamlio.load_one(text, display)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CmgenError("a values file must hold a mapping at the top level", display, 1, 1)
    origins = {sub: Origin(display, sub, text) for sub in yamlio.iter_paths(data)}
    return Values(data, origins)


def parse_set(assignment: str, merge_keys: Mapping[Key, str], current: Values) -> Values:
    """``a.b.c=VALUE`` (VALUE read as YAML) -> a values tree holding only that path.

    A step into a list that merges by key selects the item by that key:
    ``components.user-service.replicas=3``.
    """
    where = f"--set {assignment}"
    dotted, equals, raw = assignment.partition("=")
    steps: list[str] = dotted.split(".")
    if not equals or not dotted or any(not step for step in steps):
        raise CmgenError(f"invalid --set {assignment!r}: expected KEY.PATH=VALUE")
    value = yamlio.load_one(raw, where) if raw.strip() else ""
    pattern: list[str | int] = []
    selectors: list[str | None] = []
    for step in steps:
        selector = merge_keys.get(tuple(pattern))
        selectors.append(selector)
        pattern.append("*" if selector else step)
    tree: Any = value
    for step, selector in reversed(list(zip(steps, selectors))):
        if selector is None:
            tree = {step: tree}
        elif isinstance(tree, dict):
            tree = [{selector: step, **tree}]
        else:
            raise CmgenError(
                f"invalid --set {assignment!r}: {step!r} selects an item of a list merged by "
                f"{selector!r}; set a field of it, e.g. {dotted}.FIELD=VALUE"
            )
    origins = {sub: Origin(where, ()) for sub in yamlio.iter_paths(tree)}
    return Values(tree, origins)


def merge_keys(schema: Mapping[str, Any]) -> dict[Key, str]:
    """Paths of lists whose schema declares ``x-cmgen-merge-key`` (list positions as ``*``)."""
    found: dict[Key, str] = {}

    def walk(node: Any, path: Key) -> None:
        if not isinstance(node, dict):
            return
        if MERGE_KEY in node:
            found[path] = str(node[MERGE_KEY])
        for name, child in (node.get("properties") or {}).items():
            walk(child, (*path, name))
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "*"))

    walk(schema, ())
    return found


def load(project: Project, env: str, sets: Sequence[str] = ()) -> Values:
    """Base values, then the env's, then each ``--set``; validated against the schema."""
    schema = _schema(project)
    keys = merge_keys(schema)
    values = read(project.base_values, project.display(project.base_values))
    env_file = project.env_values(env)
    values = merge(values, read(env_file, project.display(env_file)), keys)
    for assignment in sets:
        values = merge(values, parse_set(assignment, keys, values), keys)
    check(values, schema)
    return values


def _schema(project: Project) -> dict[str, Any]:
    display = project.display(project.values_schema)
    text = yamlio.read_text(project.values_schema, display)
    try:
        schema: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CmgenError(f"invalid JSON: {exc.msg}", display, exc.lineno, exc.colno) from None
    if not _plainly_valid_schema(schema):
        import jsonschema  # ~80 ms to import and check: only when the quick check fails

        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise CmgenError(f"not a valid JSON Schema: {exc.message}", display) from None
    return schema


_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _plainly_valid_schema(schema: Any) -> bool:
    """A 2020-12 schema that jsonschema-rs finds valid and whose regexes Python compiles:
    what python-jsonschema's ``check_schema`` checks (its only format check is "regex"),
    in under a millisecond instead of ~80. Anything else goes to ``check_schema``."""
    if not isinstance(schema, dict) or schema.get("$schema") != _DRAFT:
        return False
    if not jsonschema_rs.meta.is_valid(schema):
        return False
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            patterns = [node.get("pattern")] + list(dict(node.get("patternProperties") or {}))
            for pattern in patterns:
                if isinstance(pattern, str):
                    try:
                        re.compile(pattern)
                    except re.error:
                        return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


def check(values: Values, schema: Mapping[str, Any]) -> None:
    """Raise at the first (best) schema violation, located in the file that supplied it.

    jsonschema-rs answers "valid?" fast; python-jsonschema, whose ``best_match`` picks the
    error to report, runs only when it says no (it is never stricter: where the two differ,
    e.g. ``$`` before a final newline, python-jsonschema accepts more, and decides)."""
    try:
        if jsonschema_rs.Draft202012Validator(dict(schema)).is_valid(values.data):
            return
    except (ValueError, jsonschema_rs.ReferencingError):
        pass  # a schema jsonschema-rs cannot compile: python-jsonschema decides
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(values.data))
    if error is None:
        return
    path: Key = tuple(error.absolute_path)
    key = False
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(name for name in error.instance if name not in allowed)
        if extra:
            path, key = (*path, extra[0]), True
    message = f"{_dotted(path)}: {error.message}"
    for end in range(len(path), -1, -1):
        origin = values.origins.get(path[:end])
        if origin is not None:
            break
    else:
        raise CmgenError(message)
    if origin.text is None:
        raise CmgenError(message, origin.file)
    line, column = yamlio.locate(origin.text, 0, (*origin.path, *path[end:]), key)
    raise CmgenError(message, origin.file, line, column)
