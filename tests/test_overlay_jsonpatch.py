from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.overlay import jsonpatch

keys = st.text(alphabet="ab/~c", min_size=1, max_size=4)
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(keys, inner, max_size=3), max_leaves=8)
docs = st.dictionaries(keys, values, max_size=5)


def escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


@given(docs, keys, values)
def test_add_then_inverse_restores(doc: dict[str, Any], key: str, value: Any) -> None:
    pointer = "/" + escape(key)
    if key in doc:
        inverse = [{"op": "replace", "path": pointer, "value": doc[key]}]
        forward = [{"op": "replace", "path": pointer, "value": value}]
    else:
        inverse = [{"op": "remove", "path": pointer}]
        forward = [{"op": "add", "path": pointer, "value": value}]
    patched = jsonpatch.apply(doc, forward)
    assert jsonpatch.json_equal(patched[key], value)
    assert jsonpatch.apply(patched, inverse) == doc


@given(docs, keys)
def test_failing_test_op_changes_nothing(doc: dict[str, Any], key: str) -> None:
    before = copy.deepcopy(doc)
    ops = [{"op": "add", "path": "/" + escape(key), "value": "x"},
           {"op": "test", "path": "/" + escape(key), "value": "not x"}]
    with pytest.raises(jsonpatch.JsonPatchError) as caught:
        jsonpatch.apply(doc, ops)
    assert caught.value.index == 1
    assert doc == before


@given(docs, keys, keys)
def test_move_then_move_back(doc: dict[str, Any], source: str, target: str) -> None:
    if source not in doc or target in doc or source == target:
        return
    there = [{"op": "move", "from": "/" + escape(source), "path": "/" + escape(target)}]
    back = [{"op": "move", "from": "/" + escape(target), "path": "/" + escape(source)}]
    assert jsonpatch.apply(jsonpatch.apply(doc, there), back) == doc


def test_pointer_escaping() -> None:
    doc = {"a/b": 1, "m~n": 2}
    assert jsonpatch.apply(doc, [{"op": "copy", "from": "/a~1b", "path": "/m~0n"}]) == {
        "a/b": 1, "m~n": 1}


def test_list_indices() -> None:
    doc = {"l": [1, 2, 3]}
    assert jsonpatch.apply(doc, [{"op": "add", "path": "/l/-", "value": 4}])["l"] == [1, 2, 3, 4]
    assert jsonpatch.apply(doc, [{"op": "add", "path": "/l/3", "value": 4}])["l"] == [1, 2, 3, 4]
    assert jsonpatch.apply(doc, [{"op": "remove", "path": "/l/-1"}])["l"] == [1, 2]
    with pytest.raises(jsonpatch.JsonPatchError):
        jsonpatch.apply(doc, [{"op": "replace", "path": "/l/3", "value": 0}])


def test_library_quirks_kustomize_keeps() -> None:
    assert jsonpatch.apply({}, [{"op": "replace", "path": "/new", "value": 1}]) == {"new": 1}
    assert jsonpatch.apply({}, [{"op": "copy", "from": "/none", "path": "/x"}]) == {"x": None}
    assert jsonpatch.apply({}, [{"op": "test", "path": "/none", "value": None}]) == {}


@pytest.mark.parametrize("ops", [
    {"op": "add"},
    [{"op": "frobnicate", "path": "/a"}],
    [{"op": "add", "path": "a", "value": 1}],
    [{"op": "move", "path": "/a"}],
])
def test_malformed_patches(ops: Any) -> None:
    with pytest.raises(jsonpatch.JsonPatchError):
        jsonpatch.check_ops(ops)


def test_json_equal_is_json_equality() -> None:
    assert jsonpatch.json_equal(1, 1.0)
    assert not jsonpatch.json_equal(True, 1)
    assert not jsonpatch.json_equal({"a": 1}, {"a": 1, "b": None})


# --- bounded growth (issue 22, class 6) ------------------------------------------------------


def _copy_bomb(copies: int) -> list[dict[str, Any]]:
    return [{"op": "copy", "from": "/spec", "path": f"/spec/x{n}"} for n in range(copies)]


def test_a_copy_bomb_is_refused_at_the_op_that_exceeds_the_bound() -> None:
    """20 copies of /spec into itself would build 2**20 copies of it: refused, not built.
    /spec starts with 2 nodes and doubles with each copy, so op i (from 0) copies 2**(i+1)
    nodes and ops 0..i copy 2**(i+2) - 2 in all: first above 100,000 at i = 15."""
    doc = {"spec": {"a": 1}}
    with pytest.raises(jsonpatch.JsonPatchError, match=r"more than 100000 nodes") as caught:
        jsonpatch.apply(doc, _copy_bomb(20))
    assert caught.value.index == 15
    assert doc == {"spec": {"a": 1}}


def test_copies_below_the_bound_apply() -> None:
    result = jsonpatch.apply({"spec": {"a": 1}}, _copy_bomb(10))
    assert len(result["spec"]) == 11


def test_one_large_add_counts_too() -> None:
    big = [{"op": "add", "path": "/big", "value": list(range(jsonpatch.MAX_NODES))}]
    with pytest.raises(jsonpatch.JsonPatchError, match="more than"):
        jsonpatch.apply({}, big)
