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
    """Every reference points into the schema and resolves there; else an error at it.

    A JSON pointer (``#/$defs/a``) in a schema without nested ``$id`` is resolved here; an
    anchor, or a schema with nested ``$id``, goes to the ``referencing`` library (~40 ms to
    import: only then)."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    nested_ids = False
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(schema, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            nested_ids = nested_ids or (path != () and isinstance(node.get("$id"), str))
            found.extend((path, key, node[key]) for key in _REFS if isinstance(node.get(key), str))
            stack.extend((child, (*path, key)) for key, child in node.items() if key not in _DATA)
        elif isinstance(node, list):
            stack.extend((child, (*path, index)) for index, child in enumerate(node))
    for path, keyword, ref in found:
        if not ref.startswith("#"):
            problem: str | None = (
                "only references inside the schema are followed (#/$defs/NAME); "
                "cmgen reads no other file and no URL"
            )
        elif ref.startswith("#/") and not nested_ids:
            problem = None if _pointer(schema, ref) else "nothing in the schema has this location"
        else:
            problem = _resolved_elsewhere(schema, path, ref)
        if problem is not None:
            line, column = yamlio.locate(text, 0, (*path, keyword))
            raise CmgenError(f"{keyword} {ref!r}: {problem}", display, line, column)


def _pointer(schema: Any, ref: str) -> bool:
    """Whether the JSON pointer of ``#/a/b`` names a node of ``schema``."""
    from urllib.parse import unquote

    node = schema
    for token in unquote(ref[2:]).split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _resolved_elsewhere(schema: dict[str, Any], path: tuple[str | int, ...], ref: str) -> str | None:
    """Resolve ``ref``, written at ``path``, with ``referencing`` (anchors, nested ``$id``)."""
    import referencing
    import referencing.exceptions
    import referencing.jsonschema

    create = referencing.jsonschema.DRAFT202012.create_resource
    root = create(schema)
    scope = referencing.Registry().with_resource(root.id() or "", root).resolver(root.id() or "")
    node: Any = schema
    for step in path:
        node = node[step]
        if isinstance(node, dict) and isinstance(node.get("$id"), str):
            scope = scope.in_subresource(create(node))
    try:
        scope.lookup(ref)
    except referencing.exceptions.Unresolvable:
        return "nothing in the schema has this location"
    return None
