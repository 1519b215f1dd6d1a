from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.overlay import smp
from generator.overlay.schema_nav import Navigator

NAV = Navigator("1.35")
keys = st.text(alphabet="abc", min_size=1, max_size=3)
scalars = st.booleans() | st.integers() | st.text(max_size=4)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(keys, inner, max_size=3), max_leaves=10)
KINDS = [("apps/v1", "Deployment"), ("v1", "ConfigMap"), ("example.com/v1", "Widget")]


def deployment(containers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"template": {"spec": {"containers": containers}}}}


@given(st.sampled_from(KINDS), st.dictionaries(keys, values, max_size=4))
def test_empty_patch_is_identity(kind: tuple[str, str], spec: dict[str, Any]) -> None:
    obj = {"apiVersion": kind[0], "kind": kind[1], "metadata": {"name": "x"}, "spec": spec}
    before = copy.deepcopy(obj)
    assert smp.merge(NAV, obj, {}) == before
    assert smp.merge(NAV, obj, {"apiVersion": kind[0], "kind": kind[1]}) == before
    assert obj == before


def test_containers_merge_by_name_patch_order_first() -> None:
    obj = deployment([{"name": "a", "image": "1"}, {"name": "b", "image": "2"}])
    patch = deployment([{"name": "new", "image": "n"}, {"name": "b", "image": "3"}])
    merged = smp.merge(NAV, obj, patch)
    assert merged["spec"]["template"]["spec"]["containers"] == [
        {"name": "new", "image": "n"}, {"name": "b", "image": "3"}, {"name": "a", "image": "1"}]


def test_delete_and_replace_directives() -> None:
    obj = deployment([{"name": "a", "image": "1", "args": ["x"]}, {"name": "b"}])
    patch = deployment([{"name": "b", "$patch": "delete"},
                        {"name": "a", "args": ["y"], "image": None}])
    merged = smp.merge(NAV, obj, patch)
    assert merged["spec"]["template"]["spec"]["containers"] == [{"name": "a", "args": ["y"]}]
    replaced = smp.merge(NAV, obj, deployment([{"$patch": "replace"}, {"name": "z"}]))
    assert replaced["spec"]["template"]["spec"]["containers"] == [{"name": "z"}]
    assert smp.merge(NAV, obj, {"$patch": "delete"}) is smp.DELETE


def test_custom_resource_lists_are_replaced() -> None:
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "items": [{"name": "a"}]}
    merged = smp.merge(NAV, obj, {"items": [{"name": "b"}]})
    assert merged["items"] == [{"name": "b"}]


def test_unsupported_directive_is_refused() -> None:
    obj = deployment([{"name": "a"}])
    try:
        smp.merge(NAV, obj, {"spec": {"$retainKeys": ["x"]}})
    except smp.SmpError as exc:
        assert exc.path == ("spec", "$retainKeys")
    else:
        raise AssertionError("expected SmpError")


def test_lists_the_patch_does_not_touch_are_merged_too() -> None:
    obj = deployment([{"name": "a", "env": [{"name": "X", "value": "1"},
                                            {"name": "X", "value": "2"}]}])
    merged = smp.merge(NAV, obj, {"metadata": {"labels": {"l": "v"}}})
    assert merged["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "X", "value": "2"}]


def test_element_replace_is_undone_as_in_kyaml() -> None:
    obj = deployment([{"name": "a", "image": "1"}, {"name": "b", "image": "2", "args": ["x"]}])
    merged = smp.merge(NAV, obj, deployment([{"name": "b", "image": "3", "$patch": "replace"}]))
    assert merged["spec"]["template"]["spec"]["containers"] == [
        {"name": "b", "image": "2", "args": ["x"]}, {"name": "a", "image": "1"}]


def test_list_directive_applies_only_where_the_object_has_the_list() -> None:
    obj = deployment([{"name": "a"}])
    patch = deployment([{"name": "a", "ports": [{"$patch": "replace"}, {"containerPort": 1}]}])
    merged = smp.merge(NAV, obj, patch)
    assert merged["spec"]["template"]["spec"]["containers"][0]["ports"] == [
        {"$patch": "replace"}, {"containerPort": 1}]
