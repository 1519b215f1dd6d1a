from __future__ import annotations

from typing import Any

import pytest

from generator.templatefuncs import TemplateFailure, compact, keys_where, merge, numbered, one, with_ids


def test_merge_maps_merge_recursively_and_the_later_value_wins() -> None:
    base = {"app": "a", "meta": {"labels": {"x": "1"}, "keep": True}}
    assert merge(base, {"meta": {"labels": {"y": "2"}}}, {"app": "b"}) == {
        "app": "b", "meta": {"labels": {"x": "1", "y": "2"}, "keep": True},
    }


def test_merge_lists_and_scalars_replace_and_none_replaces_too() -> None:
    assert merge({"a": [1, 2], "b": {"c": 1}}, {"a": [3], "b": None}) == {"a": [3], "b": None}


def test_merge_a_scalar_replaces_a_mapping_and_a_mapping_a_scalar() -> None:
    assert merge({"a": {"b": 1}}, {"a": 2}) == {"a": 2}
    assert merge({"a": 2}, {"a": {"b": 1}}) == {"a": {"b": 1}}


def test_merge_keeps_the_order_keys_first_appear_in() -> None:
    assert list(merge({"b": 1, "a": 1}, {"c": 1, "b": 2})) == ["b", "a", "c"]


def test_merge_changes_none_of_its_arguments() -> None:
    base: dict[str, Any] = {"m": {"x": 1}}
    other: dict[str, Any] = {"m": {"y": 2}}
    merged = merge(base, other)
    merged["m"]["z"] = 3
    assert base == {"m": {"x": 1}} and other == {"m": {"y": 2}}


def test_merge_skips_a_none_layer_and_refuses_a_list() -> None:
    assert merge({"a": 1}, None) == {"a": 1}
    with pytest.raises(TemplateFailure, match="merge: expected mappings, got a list"):
        merge({"a": 1}, [1])


def test_compact_drops_none_entries_at_every_depth_but_keeps_empty_collections() -> None:
    data = {"a": None, "b": {"c": None, "d": []}, "e": [{"f": None, "g": 1}, None], "h": {}}
    assert compact(data) == {"b": {"d": []}, "e": [{"g": 1}, None], "h": {}}


def test_numbered_makes_a_series_in_key_order() -> None:
    assert numbered({"B": "why b", "A": "why a"}, "skip") == {"skip1": "A=why a", "skip2": "B=why b"}
    assert numbered({}, "skip") == {}


def test_numbered_refuses_a_list() -> None:
    with pytest.raises(TemplateFailure, match="numbered: expected a mapping"):
        numbered(["a"], "skip")  # type: ignore[arg-type]


def test_one_finds_exactly_one() -> None:
    items = [{"name": "a"}, {"name": "b"}, {"name": "b"}]
    assert one(items, "name", "a") == {"name": "a"}
    with pytest.raises(TemplateFailure, match="no component with name 'c'"):
        one(items, "name", "c", "component")
    with pytest.raises(TemplateFailure, match="2 item with name 'b'"):
        one(items, "name", "b")


def test_keys_where_lists_the_keys_whose_value_has_a_true_key_in_order() -> None:
    engines = {"web": {"service": True}, "db": {"service": False}, "cache": {}, "api": {"service": 1}, "x": 3}
    assert keys_where(engines, "service") == ["web", "api"]
    with pytest.raises(TemplateFailure, match="keys_where: expected a mapping"):
        keys_where([], "service")  # type: ignore[arg-type]


def test_with_ids_numbers_copies_with_the_id_first() -> None:
    items: list[dict[str, Any]] = [{"type": "row"}, {"type": "stat", "id": 99}]
    assert with_ids(items) == [{"id": 1, "type": "row"}, {"id": 2, "type": "stat"}]
    assert [list(item) for item in with_ids(items)] == [["id", "type"], ["id", "type"]]
    assert with_ids(items, "n", 0)[1] == {"n": 1, "type": "stat", "id": 99}
    assert items == [{"type": "row"}, {"type": "stat", "id": 99}]
    with pytest.raises(TemplateFailure, match="with_ids: expected a list of mappings"):
        with_ids([1])
