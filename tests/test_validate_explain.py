from __future__ import annotations

from typing import Any

import jsonschema_rs

from generator.validate.explain import Violation, best_match, json_path, show, violations


def _violations(schema: dict[str, Any], instance: Any) -> list[Violation]:
    return violations(jsonschema_rs.validator_for(schema).iter_errors(instance), schema)


def test_json_path_quotes_keys_that_are_not_names() -> None:
    assert json_path([]) == "$"
    assert json_path(["spec", "containers", 0, "name"]) == "$.spec.containers[0].name"
    assert json_path(["metadata", "labels", "app.kubernetes.io/name"]) == (
        "$.metadata.labels['app.kubernetes.io/name']"
    )


def test_show_quotes_strings_and_writes_the_rest_as_json() -> None:
    assert show("three") == "'three'"
    assert show(None) == "null"
    assert show(True) == "true"
    assert show({"a": [1]}) == '{"a": [1]}'
    assert show("x" * 100).endswith("...") and len(show("x" * 100)) == 60


def test_type_message_leaves_out_null() -> None:
    schema = {"properties": {"n": {"type": ["integer", "null"]}}}
    assert _violations(schema, {"n": "three"}) == [
        Violation(("n",), "'three' is not of type 'integer'")
    ]


def test_unknown_fields_are_one_violation_each_at_the_key() -> None:
    schema = {"properties": {"name": {}, "image": {}}, "additionalProperties": False}
    assert _violations(schema, {"nmae": 1, "zzz": 2}) == [
        Violation(("nmae",), "unknown field (did you mean 'name'?)", key=True),
        Violation(("zzz",), "unknown field", key=True),
    ]


def test_any_of_reports_the_deepest_matching_alternative() -> None:
    schema = {
        "anyOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
            {"type": "string"},
        ]
    }
    error = next(jsonschema_rs.validator_for(schema).iter_errors({"a": "x"}))
    assert list(best_match(error, schema).instance_path) == ["a"]
    assert _violations(schema, {"a": "x"}) == [Violation(("a",), "'x' is not of type 'integer'")]


def test_any_of_with_equally_good_alternatives_reports_the_any_of() -> None:
    schema = {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}
    assert _violations(schema, "x") == [
        Violation((), "'x' is not valid under any of the given schemas")
    ]


def test_one_of_required_alternatives_name_the_exclusive_fields() -> None:
    schema = {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}
    assert _violations(schema, {"a": 1, "b": 2}) == [
        Violation((), "only one of 'a', 'b' may be set")
    ]


def test_enum_and_required_messages() -> None:
    schema = {"properties": {"k": {"enum": ["A", "B", None]}}, "required": ["name"]}
    assert set(_violations(schema, {"k": "C"})) == {
        Violation(("k",), "'C' is not one of ['A', 'B']"),
        Violation((), "'name' is a required property", key=True),
    }
