"""The merge rules of values trees (generator/merge.py), case by case."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import values
from generator.errors import CmgenError
from generator.merge import Values, merge

KEYS = {("items",): "name", ("items", "*", "ports"): "port"}


@pytest.fixture
def files(tmp_path: Path) -> Any:
    def read(name: str, text: str) -> Values:
        path = tmp_path / name
        path.write_text(text)
        return values.read(path, name)

    return read


def _merged(files: Any, base: str, env: str, keys: dict[Any, str] | None = None) -> Values:
    return merge(files("base.yaml", base), files("env.yaml", env), KEYS if keys is None else keys)


def _conflict(files: Any, base: str, env: str) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        _merged(files, base, env)
    return caught.value


# --- the merge rules, case by case ------------------------------------------------------


def test_maps_merge_key_by_key(files: Any) -> None:
    result = _merged(files, "a:\n  x: 1\n  y: 2\n", "a:\n  y: 3\n  z: 4\n")
    assert result.data == {"a": {"x": 1, "y": 3, "z": 4}}
    assert [result.origin(("a", key)).file for key in "xyz"] == ["base.yaml", "env.yaml", "env.yaml"]  # type: ignore[union-attr]


def test_scalars_replace(files: Any) -> None:
    assert _merged(files, "a: 1\nb: x\n", "a: two\n").data == {"a": "two", "b": "x"}


@pytest.mark.parametrize("base", ["a: 1\n", "a: {x: 1}\n", "a: [1]\n", "a: null\n"])
def test_null_replaces_anything(files: Any, base: str) -> None:
    result = _merged(files, base, "a: null\n")
    assert result.data == {"a": None}
    assert result.origin(("a",)).file == "env.yaml"  # type: ignore[union-attr]


@pytest.mark.parametrize("env", ["a: 1\n", "a: {x: 1}\n", "a: [1]\n"])
def test_anything_replaces_null(files: Any, env: str) -> None:
    result = _merged(files, "a:\n", env)
    assert result.data == files("e2.yaml", env).data


def test_plain_lists_replace(files: Any) -> None:
    result = _merged(files, "tags: [a, b, c]\n", "tags: [d]\n")
    assert result.data == {"tags": ["d"]}
    assert result.origin(("tags", 0)).file == "env.yaml"  # type: ignore[union-attr]
    assert ("tags", 2) not in result.origins


def test_merge_key_lists_merge_by_key(files: Any) -> None:
    base = "items:\n  - name: a\n    x: 1\n    y: 1\n  - name: b\n    x: 2\n"
    env = "items:\n  - name: c\n    x: 3\n  - name: a\n    y: 9\n  - name: d\n"
    result = _merged(files, base, env)
    assert result.data == {
        "items": [
            {"name": "a", "x": 1, "y": 9},  # matched: keeps base fields, takes the override's
            {"name": "b", "x": 2},
            {"name": "c", "x": 3},  # new items appended in the override's order
            {"name": "d"},
        ]
    }
    assert result.origin(("items", 0, "x")).file == "base.yaml"  # type: ignore[union-attr]
    assert result.origin(("items", 0, "y")).file == "env.yaml"  # type: ignore[union-attr]
    assert result.origin(("items", 2, "x")).file == "env.yaml"  # type: ignore[union-attr]


def test_merge_keys_apply_inside_merged_items(files: Any) -> None:
    base = "items:\n  - name: a\n    ports: [{port: 80, proto: TCP}]\n"
    env = "items:\n  - name: a\n    ports: [{port: 80, name: http}, {port: 443}]\n"
    assert _merged(files, base, env).data == {
        "items": [
            {"name": "a", "ports": [{"port": 80, "proto": "TCP", "name": "http"}, {"port": 443}]}
        ]
    }


def test_without_a_declared_merge_key_item_lists_replace(files: Any) -> None:
    result = _merged(files, "items: [{name: a, x: 1}]\n", "items: [{name: a}]\n", keys={})
    assert result.data == {"items": [{"name": "a"}]}


def test_merge_key_item_needs_the_key(files: Any) -> None:
    error = _conflict(files, "items: [{name: a}]\n", "items:\n  - x: 1\n")
    assert str(error.location) == "env.yaml:2:5"
    assert "items[0]: an item of this list needs a 'name' field" in error.message


def test_merge_key_must_be_a_scalar(files: Any) -> None:
    error = _conflict(files, "items: [{name: a}]\n", "items:\n  - name: [a]\n")
    assert str(error.location) == "env.yaml:2:11"
    assert "items[0].name: must be a scalar" in error.message


@pytest.mark.parametrize(
    ("base", "env", "where", "message"),
    [
        ("a:\n  b: {c: 1}\n", "a:\n  b: 5\n", "env.yaml:2:6", "a.b: cannot merge a scalar onto a mapping from base.yaml"),
        ("a:\n  b: 5\n", "a:\n  b: {c: 1}\n", "env.yaml:2:6", "a.b: cannot merge a mapping onto a scalar from base.yaml"),
        ("a: [1]\n", "a: {c: 1}\n", "env.yaml:1:4", "a: cannot merge a mapping onto a list from base.yaml"),
        ("a: {c: 1}\n", "a: [1]\n", "env.yaml:1:4", "a: cannot merge a list onto a mapping from base.yaml"),
        ("a: 1\n", "a: [1]\n", "env.yaml:1:4", "a: cannot merge a list onto a scalar from base.yaml"),
        ("a: [1]\n", "a: x\n", "env.yaml:1:4", "a: cannot merge a scalar onto a list from base.yaml"),
        (
            "items: [{name: a, sub: {x: 1}}]\n",
            "items:\n  - name: a\n    sub: 2\n",
            "env.yaml:3:10",
            "items[0].sub: cannot merge a scalar onto a mapping from base.yaml",
        ),
    ],
)
def test_type_conflict_names_the_dotted_key_and_both_files(
    files: Any, base: str, env: str, where: str, message: str
) -> None:
    error = _conflict(files, base, env)
    assert str(error.location) == where
    assert error.message == message


def test_merge_changes_neither_input(files: Any) -> None:
    base = files("base.yaml", "a: {x: 1}\nitems: [{name: a, x: 1}]\n")
    env = files("env.yaml", "a: {y: 2}\nitems: [{name: a, x: 2}, {name: b}]\n")
    before = (copy.deepcopy(base.data), dict(base.origins), copy.deepcopy(env.data))
    merge(base, env, KEYS)
    assert (base.data, base.origins, env.data) == before


# --- properties -------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=12,
)
documents = st.dictionaries(st.text(max_size=3), trees, max_size=4)


def _values(data: dict[str, Any]) -> Values:
    return Values(data, {})


@given(documents)
@settings(max_examples=200, deadline=None)
def test_merging_with_an_empty_map_is_the_identity(data: dict[str, Any]) -> None:
    assert merge(_values(data), _values({}), {}).data == data
    assert merge(_values({}), _values(data), {}).data == data


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: _shuffled(item, rng) for key, item in items}
    if isinstance(value, list):
        return [_shuffled(item, rng) for item in value]
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@given(documents, documents, st.integers())
@settings(max_examples=200, deadline=None)
def test_merge_result_does_not_depend_on_key_order(
    left: dict[str, Any], right: dict[str, Any], seed: int
) -> None:
    rng = random.Random(seed)
    try:
        expected = merge(_values(left), _values(right), {}).data
    except CmgenError:  # a type conflict stays a conflict whatever the key order
        with pytest.raises(CmgenError):
            merge(_values(_shuffled(left, rng)), _values(_shuffled(right, rng)), {})
        return
    shuffled = merge(_values(_shuffled(left, rng)), _values(_shuffled(right, rng)), {}).data
    assert _canonical(shuffled) == _canonical(expected)
