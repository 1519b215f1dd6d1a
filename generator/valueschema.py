"""``values/values.schema.json``: read, checked, and compiled without the network.

- The schema is a JSON object (``true`` would accept any values: that is no schema).
- A ``$ref`` (or ``$dynamicRef``) must point into the schema itself (``#/$defs/port``,
  ``#anchor``) and resolve there. A reference to another file or a URL (``other.json``,
  ``file:///...``, ``https://...``) is refused at its line: what the schema says must be in
  the project, so the network or a file outside the build cache's key can never change a
  render. Both validators are also built so that they cannot fetch anything.
- ``pattern`` has its JSON Schema (ECMA 262) meaning in both validators: ``$`` is the end of
  the string. Python's ``$`` also matches before a final newline, so python-jsonschema alone
  would accept ``"example.com\\n"`` (a ``|`` block scalar in a values file) where
  jsonschema-rs, and the JSON Schema specification, reject it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema_rs

from generator import yamlio
from generator.errors import CmgenError

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_REFS = ("$ref", "$dynamicRef")
_DATA = frozenset({"enum", "const", "default", "examples"})  # values, not subschemas
_DOLLAR = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\$", re.DOTALL)


def parse(text: str, display: str) -> dict[str, Any]:
    """The schema of ``text``; not JSON, not a JSON Schema, or a reference that leaves it:
    a ``CmgenError`` located in ``display``."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CmgenError(f"invalid JSON: {exc.msg}", display, exc.lineno, exc.colno) from None
    if not isinstance(schema, dict):
        raise CmgenError(
            f"the values schema must be a JSON object, not {json.dumps(schema)[:20]}", display, 1, 1
        )
    if not _plainly_valid(schema):
        import jsonschema  # ~80 ms to import and check: only when the quick check fails

        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise CmgenError(f"not a valid JSON Schema: {exc.message}", display) from None
    _check_references(schema, text, display)
    return schema


def rust_validator(schema: Mapping[str, Any]) -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(dict(schema), offline=True)


def python_validator(schema: Mapping[str, Any]) -> Any:
    """python-jsonschema's 2020-12 validator with ECMA ``pattern`` and no retrieval."""
    import jsonschema
    import referencing

    def pattern(validator: Any, expected: str, instance: Any, _schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not re.search(ecma(expected), instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {expected!r}")

    strict = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})
    return strict(schema, registry=referencing.Registry())


def ecma(pattern: str) -> str:
    """``pattern`` with each ``$`` outside a character class as ``\\Z``: the end, only."""
    return _DOLLAR.sub(lambda match: r"\Z" if match.group() == "$" else match.group(), pattern)


def _plainly_valid(schema: dict[str, Any]) -> bool:
    """A 2020-12 schema that jsonschema-rs finds valid and whose regexes Python compiles:
    what python-jsonschema's ``check_schema`` checks (its only format check is "regex"),
    in under a millisecond instead of ~80. Anything else goes to ``check_schema``."""
    if schema.get("$schema") != DRAFT:
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


def _check_references(schema: dict[str, Any], text: str, display: str) -> None:
    """Every reference points into the schema and resolves there; else an error at it."""
    import referencing
    import referencing.exceptions
    import referencing.jsonschema

    def create(node: dict[str, Any]) -> Any:
        return referencing.jsonschema.DRAFT202012.create_resource(node)

    root = create(schema)
    registry = referencing.Registry().with_resource(root.id() or "", root)
    resolver = registry.resolver(base_uri=root.id() or "")
    stack: list[tuple[Any, tuple[str | int, ...], Any]] = [(schema, (), resolver)]
    while stack:
        node, path, scope = stack.pop()
        if isinstance(node, dict):
            if node is not schema and isinstance(node.get("$id"), str):
                scope = scope.in_subresource(create(node))
            for keyword in _REFS:
                ref = node.get(keyword)
                if isinstance(ref, str):
                    problem = _reference_problem(ref, scope, referencing.exceptions.Unresolvable)
                    if problem is not None:
                        line, column = yamlio.locate(text, 0, (*path, keyword))
                        raise CmgenError(f"{keyword} {ref!r}: {problem}", display, line, column)
            stack.extend(
                (child, (*path, key), scope) for key, child in node.items() if key not in _DATA
            )
        elif isinstance(node, list):
            stack.extend((child, (*path, index), scope) for index, child in enumerate(node))


def _reference_problem(ref: str, scope: Any, unresolvable: type[Exception]) -> str | None:
    if not ref.startswith("#"):
        return (
            "only references inside the schema are followed (#/$defs/NAME); "
            "cmgen reads no other file and no URL"
        )
    try:
        scope.lookup(ref)
    except unresolvable:
        return "nothing in the schema has this location"
    return None
