"""A CRD's structural OpenAPI v3 schema as a strict JSON Schema (draft 2020-12).

What the API server does with a custom resource, as far as a schema can say it:

- ``nullable: true`` adds ``null`` to the type (and to an ``enum``); without it, ``null``
  is a type error here (the server would silently prune it: almost always a template bug);
- ``x-kubernetes-int-or-string: true`` is ``type: [integer, string]``;
- an object that lists ``properties`` rejects any other field (``additionalProperties:
  false``) unless ``x-kubernetes-preserve-unknown-fields: true`` keeps unknown fields;
- ``x-kubernetes-embedded-resource: true`` objects also allow ``apiVersion``, ``kind`` and
  ``metadata``, and require the first two;
- OpenAPI 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` become the numbers of
  JSON Schema 2020-12.

Inside ``allOf``/``anyOf``/``oneOf``/``not`` the schema only adds value checks (that is
what "structural" means), so no strictness is added there. Descriptions, defaults and the
other ``x-kubernetes-*`` annotations are dropped; ``x-kubernetes-validations`` (CEL) and
``format`` are not checked.
"""

from __future__ import annotations

from typing import Any

# Keywords whose value is copied as is.
_VALUE_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "required",
        "pattern",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "multipleOf",
        "uniqueItems",
    }
)
_LOGIC = ("allOf", "anyOf", "oneOf")
_INT_OR_STRING = [{"type": "integer"}, {"type": "string"}]
_EMBEDDED = {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}}


def to_json_schema(schema: dict[str, Any], *, structural: bool = True) -> dict[str, Any]:
    """Convert one (sub)schema; ``structural`` is false inside logic keywords."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _VALUE_KEYWORDS:
            out[key] = value
        elif key == "properties":
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key == "items":
            out[key] = to_json_schema(value, structural=structural)
        elif key == "additionalProperties":
            out[key] = value if isinstance(value, bool) else to_json_schema(value)
        elif key in _LOGIC:
            out[key] = [to_json_schema(sub, structural=False) for sub in value]
        elif key == "not":
            out[key] = to_json_schema(value, structural=False)
    _exclusive_bounds(schema, out)
    if schema.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
        if out.get("anyOf") == _INT_OR_STRING or out.get("anyOf") == _INT_OR_STRING[::-1]:
            del out["anyOf"]
    if schema.get("x-kubernetes-embedded-resource"):
        out["properties"] = {**_EMBEDDED, **out.get("properties", {})}
        out["required"] = sorted({*out.get("required", ()), "apiVersion", "kind"})
    if schema.get("nullable"):
        _allow_null(out)
    keeps_unknown = schema.get("x-kubernetes-preserve-unknown-fields") is True
    if structural and "properties" in out and not keeps_unknown:
        out.setdefault("additionalProperties", False)
    return out


def _exclusive_bounds(schema: dict[str, Any], out: dict[str, Any]) -> None:
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if schema.get(flag) is True and bound in schema:
            out[flag] = out.pop(bound)


def _allow_null(out: dict[str, Any]) -> None:
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        out["type"] = [*kind, "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
