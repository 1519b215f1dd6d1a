"""Schema errors (from jsonschema-rs) as short messages about one node each.

For an ``anyOf``/``oneOf`` failure the most relevant error of its alternatives is reported,
chosen like python-jsonschema's ``best_match``: the deepest path first, then an error whose
schema at least matches the value's type. An unknown field is one violation per field,
located at its key, with the closest known field name as a suggestion.
"""

from __future__ import annotations

import difflib
import heapq
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema_rs import ValidationError, ValidationErrorKind

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_MAX_SHOWN = 60
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


@dataclass(frozen=True)
class Violation:
    path: tuple[str | int, ...]
    message: str
    key: bool = False  # locate the mapping key of the last step (unknown field, missing field)

    def text(self) -> str:
        return f"{json_path(self.path)}: {self.message}"


def violations(errors: Iterable[ValidationError], schema: dict[str, Any]) -> list[Violation]:
    """One or more violations per top-level error of a document against ``schema``."""
    found: list[Violation] = []
    for error in errors:
        found.extend(_describe(best_match(error, schema), schema))
    return found


def json_path(path: Sequence[str | int]) -> str:
    """``$.spec.containers[0].name``; keys that are not plain names are quoted."""
    text = "$"
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif _PLAIN_KEY.fullmatch(step):
            text += f".{step}"
        else:
            text += f"[{step!r}]"
    return text


def show(value: Any) -> str:
    """A value as messages print it: strings quoted Python-style, the rest as JSON."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def best_match(error: ValidationError, schema: dict[str, Any]) -> ValidationError:
    """Descend into ``anyOf``/``oneOf`` alternatives while one error is clearly the best."""

    def relevance(candidate: ValidationError) -> tuple[Any, ...]:
        path = candidate.instance_path
        return (
            -len(path),
            [(isinstance(step, str), step) for step in path],
            not _is_weak(candidate),
            False,
            not _matches_type(candidate, schema),
        )

    best = error
    while context := _alternatives(best):
        smallest = heapq.nsmallest(2, context, key=relevance)
        if len(smallest) == 2 and relevance(smallest[0]) == relevance(smallest[1]):
            return best
        best = smallest[0]
    return best


def _alternatives(error: ValidationError) -> list[ValidationError]:
    kind = error.kind
    if isinstance(kind, (ValidationErrorKind.AnyOf, ValidationErrorKind.OneOfNotValid)):
        return [sub for branch in kind.context for sub in branch]
    return []


def _is_weak(error: ValidationError) -> bool:
    weak = (
        ValidationErrorKind.AnyOf,
        ValidationErrorKind.OneOfNotValid,
        ValidationErrorKind.OneOfMultipleValid,
    )
    return isinstance(error.kind, weak)


def _subschema(schema: dict[str, Any], path: Sequence[str | int]) -> Any:
    node: Any = schema
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _matches_type(error: ValidationError, schema: dict[str, Any]) -> bool:
    """Whether the schema holding the failed keyword accepts the value's type."""
    holder = _subschema(schema, error.schema_path[:-1])
    expected = holder.get("type") if isinstance(holder, dict) else None
    if expected is None:
        return False
    names = [expected] if isinstance(expected, str) else expected
    return any(_is_type(error.instance, name) for name in names)


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, _JSON_TYPES.get(name, ()))


def _describe(error: ValidationError, schema: dict[str, Any]) -> list[Violation]:
    path = tuple(error.instance_path)
    kind = error.kind
    value = show(error.instance)
    if isinstance(kind, ValidationErrorKind.AdditionalProperties):
        holder = _subschema(schema, error.schema_path[:-1])
        known = list(holder.get("properties", {})) if isinstance(holder, dict) else []
        return [
            Violation((*path, name), "unknown field" + _suggestion(name, known), key=True)
            for name in kind.unexpected
        ]
    if isinstance(kind, ValidationErrorKind.Required):
        return [Violation(path, f"{kind.property!r} is a required property", key=True)]
    if isinstance(kind, ValidationErrorKind.Type):
        names = [name for name in kind.types if name != "null"] or list(kind.types)
        expected = " or ".join(repr(name) for name in sorted(names))
        return [Violation(path, f"{value} is not of type {expected}")]
    if isinstance(kind, ValidationErrorKind.Enum):
        options = ", ".join(show(option) for option in kind.options if option is not None)
        return [Violation(path, f"{value} is not one of [{options}]")]
    if isinstance(kind, ValidationErrorKind.Pattern):
        return [Violation(path, f"{value} does not match {kind.pattern!r}")]
    if isinstance(kind, (ValidationErrorKind.AnyOf, ValidationErrorKind.OneOfNotValid)):
        return [Violation(path, f"{value} is not valid under any of the given schemas")]
    if isinstance(kind, ValidationErrorKind.OneOfMultipleValid):
        exclusive = _exclusive_fields(error, schema)
        if len(exclusive) > 1:
            fields = ", ".join(repr(name) for name in exclusive)
            return [Violation(path, f"only one of {fields} may be set")]
        return [Violation(path, f"{value} is valid under more than one of the given schemas")]
    return [Violation(path, error.message)]


def _exclusive_fields(error: ValidationError, schema: dict[str, Any]) -> list[str]:
    """Fields set in the value among a ``oneOf`` of ``{required: [field]}`` alternatives."""
    alternatives = _subschema(schema, error.schema_path)
    if not isinstance(alternatives, list) or not isinstance(error.instance, dict):
        return []
    names = [
        branch["required"][0]
        for branch in alternatives
        if isinstance(branch, dict) and list(branch) == ["required"] and len(branch["required"]) == 1
    ]
    return [name for name in names if name in error.instance]


def _suggestion(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
