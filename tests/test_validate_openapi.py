from __future__ import annotations

from generator.validate.openapi import to_json_schema


def test_properties_make_an_object_strict() -> None:
    converted = to_json_schema({"type": "object", "properties": {"a": {"type": "string"}}})
    assert converted == {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": False,
    }


def test_preserve_unknown_fields_keeps_the_object_open() -> None:
    converted = to_json_schema(
        {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "x-kubernetes-preserve-unknown-fields": True,
        }
    )
    assert "additionalProperties" not in converted


def test_an_object_without_properties_is_left_as_given() -> None:
    converted = to_json_schema({"type": "object", "additionalProperties": {"type": "string"}})
    assert converted == {"type": "object", "additionalProperties": {"type": "string"}}


def test_nullable_adds_null_to_type_and_enum() -> None:
    converted = to_json_schema({"type": "string", "enum": ["a", "b"], "nullable": True})
    assert converted == {"type": ["string", "null"], "enum": ["a", "b", None]}


def test_int_or_string_replaces_its_any_of() -> None:
    converted = to_json_schema(
        {
            "x-kubernetes-int-or-string": True,
            "anyOf": [{"type": "integer"}, {"type": "string"}],
            "pattern": "^[0-9]+%?$",
        }
    )
    assert converted == {"type": ["integer", "string"], "pattern": "^[0-9]+%?$"}


def test_embedded_resource_allows_and_requires_type_fields() -> None:
    converted = to_json_schema(
        {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "properties": {"spec": {"type": "object"}},
        }
    )
    assert set(converted["properties"]) == {"apiVersion", "kind", "metadata", "spec"}
    assert converted["required"] == ["apiVersion", "kind"]
    assert converted["additionalProperties"] is False


def test_logic_branches_add_no_strictness() -> None:
    converted = to_json_schema(
        {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "oneOf": [{"properties": {"a": {"minLength": 1}}, "required": ["a"]}],
            "not": {"properties": {"b": {"enum": ["x"]}}},
        }
    )
    assert "additionalProperties" not in converted["oneOf"][0]
    assert "additionalProperties" not in converted["not"]
    assert converted["additionalProperties"] is False


def test_openapi_boolean_exclusive_bounds_become_numbers() -> None:
    converted = to_json_schema(
        {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 5}
    )
    assert converted == {"type": "number", "exclusiveMinimum": 0, "maximum": 5}


def test_annotations_are_dropped_and_items_converted() -> None:
    converted = to_json_schema(
        {
            "type": "array",
            "description": "things",
            "x-kubernetes-list-type": "map",
            "items": {"type": "object", "properties": {"name": {"type": "string"}}},
        }
    )
    assert converted == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "additionalProperties": False,
        },
    }
