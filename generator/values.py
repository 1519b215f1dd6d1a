"""Values: ``values/base.yaml`` deep-merged with ``values/<env>.yaml`` and ``--set`` overrides,
then checked against ``values/values.schema.json``. The merge rules are in ``merge.merge``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import jsonschema_rs

from generator import setflags, valueschema, yamlio
from generator.errors import CmgenError
from generator.merge import Key, Origin, Values, dotted, merge
from generator.project import Project
from generator.suggest import did_you_mean

MERGE_KEY = "x-cmgen-merge-key"

__all__ = ["MERGE_KEY", "Key", "Origin", "Values", "check", "load", "merge", "merge_keys", "parse_set", "read", "schema"]


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


def parse_set(
    assignment: str, merge_keys: Mapping[Key, str], current: Values, flag: str = "--set"
) -> Values:
    """``a.b.c=VALUE`` -> a values tree holding only that path. VALUE is read as YAML for
    ``--set``, kept as a string for ``--set-string``, and is the text of the file it names
    for ``--set-file``.

    A step into a list that merges by key selects the item by that key:
    ``components.user-service.replicas=3``; the item must exist (a typo is not a new item).
    """
    where = f"{flag} {assignment}"
    dotted, equals, raw = assignment.partition("=")
    steps: list[str] = dotted.split(".")
    if not equals or not dotted or any(not step for step in steps):
        raise CmgenError(f"invalid {flag} {assignment!r}: expected KEY.PATH=VALUE")
    if len(steps) > yamlio.MAX_DEPTH:
        raise CmgenError(
            f"invalid {flag} {assignment[:40]!r}...: the key has {len(steps)} segments, "
            f"at most {yamlio.MAX_DEPTH} (the nesting limit of values files)"
        )
    value = setflags.value(flag, raw, where)
    pattern: list[str | int] = []
    selectors: list[str | None] = []
    for step in steps:
        selector = merge_keys.get(tuple(pattern))
        selectors.append(selector)
        setflags.refuse_index(step, pattern, merge_keys, current, f"invalid {flag} {assignment!r}")
        pattern.append("*" if selector else step)
    setflags.check_items(steps, selectors, current, f"invalid {flag} {assignment!r}")
    tree: Any = value
    for step, selector in reversed(list(zip(steps, selectors))):
        if selector is None:
            tree = {step: tree}
        elif isinstance(tree, dict):
            tree = [{selector: step, **tree}]
        else:
            raise CmgenError(
                f"invalid {flag} {assignment!r}: {step!r} selects an item of a list merged by "
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


def load(
    project: Project,
    env: str,
    sets: Sequence[str] = (),
    files: Sequence[Path] = (),
    strings: Sequence[str] = (),
    file_sets: Sequence[str] = (),
) -> Values:
    """Base values, then the env's, then each ``-f FILE``, then each ``--set``,
    ``--set-string`` and ``--set-file`` (Helm's order); validated against the schema."""
    schema = _schema(project)
    keys = merge_keys(schema)
    values = read(project.base_values, project.display(project.base_values))
    env_file = project.env_values(env)
    for path in (env_file, *files):
        values = merge(values, read(path, project.display(path)), keys)
    for flag, assignments in (("--set", sets), ("--set-string", strings), ("--set-file", file_sets)):
        for assignment in assignments:
            values = merge(values, parse_set(assignment, keys, values, flag), keys)
    check(values, schema)
    return values


def schema(project: Project) -> dict[str, Any]:
    """The project's values schema, checked (the docs stage reads its descriptions)."""
    return _schema(project)


def _schema(project: Project) -> dict[str, Any]:
    display = project.display(project.values_schema)
    return valueschema.parse(yamlio.read_text(project.values_schema, display), display)


def check(values: Values, schema: Mapping[str, Any]) -> None:
    """Raise at the first (best) schema violation, located in the file that supplied it.

    jsonschema-rs answers "valid?" fast; python-jsonschema, whose ``best_match`` picks the
    error to report, runs only when it says no. Both give ``pattern`` its JSON Schema
    meaning (``valueschema``), so they agree; should they ever not, jsonschema-rs decides.
    Neither can fetch a reference: ``valueschema.parse`` refused those that leave the file."""
    rust = None
    try:
        rust = valueschema.rust_validator(schema)
        if rust.is_valid(values.data):
            return
    except (ValueError, jsonschema_rs.ReferencingError):
        pass  # a schema jsonschema-rs cannot compile: python-jsonschema decides
    import jsonschema

    validator = valueschema.python_validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(values.data))
    if error is None:
        if rust is None:
            return
        first = next(iter(rust.iter_errors(values.data)))
        _raise_at(values, tuple(first.instance_path), first.message, False)
    path: Key = tuple(error.absolute_path)
    key = False
    hint = ""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(name for name in error.instance if name not in allowed)
        if extra:
            path, key = (*path, extra[0]), True
            hint = did_you_mean(extra[0], allowed)
    _raise_at(values, path, f"{error.message}{hint}", key)


def _raise_at(values: Values, path: Key, problem: str, key: bool) -> NoReturn:
    """Raise ``problem`` at ``path``, in the file (and line) that supplied that value."""
    message = f"{dotted(path)}: {problem}"
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
