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
from generator.project import Project
from generator.values import Values, merge, parse_set

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


# --- --set ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "tree"),
    [
        ("a.b=1", {"a": {"b": 1}}),
        ("a=true", {"a": True}),
        ("a='3'", {"a": "3"}),
        ("a=0755", {"a": 493}),
        ("a=[1, x]", {"a": [1, "x"]}),
        ("a={b: c}", {"a": {"b": "c"}}),
        ("a=", {"a": ""}),
        ("a=null", {"a": None}),
        ("a=b=c", {"a": "b=c"}),
        ("a=x: y", {"a": {"x": "y"}}),
        ("items.web.x=2", {"items": [{"name": "web", "x": 2}]}),
    ],
)
def test_parse_set(assignment: str, tree: dict[str, Any]) -> None:
    parsed = parse_set(assignment, KEYS, Values({}))
    assert parsed.data == tree
    assert parsed.origin(("a",)) is None or parsed.origin(("a",)).file == f"--set {assignment}"  # type: ignore[union-attr]


@pytest.mark.parametrize("assignment", ["a", "=1", "a..b=1", ".a=1", "a.=1"])
def test_parse_set_syntax_errors(assignment: str) -> None:
    with pytest.raises(CmgenError, match="expected KEY.PATH=VALUE"):
        parse_set(assignment, KEYS, Values({}))


def test_parse_set_selecting_an_item_needs_a_field() -> None:
    with pytest.raises(CmgenError, match="selects an item of a list merged by 'name'"):
        parse_set("items.web=3", KEYS, Values({}))


def test_parse_set_invalid_yaml_value() -> None:
    with pytest.raises(CmgenError, match="did not find expected"):
        parse_set("a=[1", KEYS, Values({}))


def test_set_merges_into_the_selected_item(files: Any) -> None:
    base = files("base.yaml", "items:\n  - name: web\n    x: 1\n    y: 1\n")
    result = merge(base, parse_set("items.web.x=5", KEYS, base), KEYS)
    assert result.data == {"items": [{"name": "web", "x": 5, "y": 1}]}
    assert result.origin(("items", 0, "x")).file == "--set items.web.x=5"  # type: ignore[union-attr]
    assert result.origin(("items", 0, "y")).file == "base.yaml"  # type: ignore[union-attr]


def test_merge_keys_from_the_schema() -> None:
    schema = {
        "properties": {
            "items": {
                "x-cmgen-merge-key": "name",
                "items": {"properties": {"ports": {"x-cmgen-merge-key": "port"}}},
            }
        }
    }
    assert values.merge_keys(schema) == KEYS


# --- load: base + env + --set, checked against the schema --------------------------------


def _load_error(project_dir: Path, sets: tuple[str, ...] = ()) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        values.load(Project.load(project_dir), "dev", sets)
    return caught.value


def test_load_merges_base_env_and_sets(project_dir: Path) -> None:
    loaded = values.load(Project.load(project_dir), "dev", ("app.message=hi", "components.new.port=1"))
    assert "env" not in loaded.data  # the env name is a render fact, not a value
    assert loaded.data["app"]["replicas"] == 2
    assert loaded.data["app"]["message"] == "hi"
    assert [c["name"] for c in loaded.data["components"]] == ["api", "worker", "cron", "new"]


def test_schema_error_located_in_base(project_dir: Path) -> None:
    base = project_dir / "values" / "base.yaml"
    base.write_text(base.read_text().replace("port: 9090", "port: nine"))
    error = _load_error(project_dir)
    assert str(error.location) == "values/base.yaml:12:11"
    assert "components[1].port: 'nine' is not of type 'integer'" in error.message


def test_schema_error_located_in_the_env_file(project_dir: Path) -> None:
    (project_dir / "values" / "dev.yaml").write_text("app:\n  name: shop\n  replicas: -1\n")
    error = _load_error(project_dir)
    assert str(error.location) == "values/dev.yaml:3:13"
    assert "app.replicas: -1 is less than the minimum of 0" in error.message


def test_schema_error_located_in_a_set(project_dir: Path) -> None:
    error = _load_error(project_dir, ("components.api.port=70000",))
    assert error.location.file == "--set components.api.port=70000"
    assert "components[0].port: 70000 is greater than the maximum" in error.message


def test_unknown_key_located_at_the_key(project_dir: Path) -> None:
    (project_dir / "values" / "dev.yaml").write_text("app:\n  replicas: 2\n  replica: 3\n")
    error = _load_error(project_dir)
    assert str(error.location) == "values/dev.yaml:3:3"
    assert "app.replica: Additional properties are not allowed" in error.message


def test_a_values_file_must_be_a_mapping(project_dir: Path) -> None:
    (project_dir / "values" / "dev.yaml").write_text("- 1\n")
    assert str(_load_error(project_dir).location) == "values/dev.yaml:1:1"


def test_an_empty_env_file_is_fine(project_dir: Path) -> None:
    (project_dir / "values" / "dev.yaml").write_text("# nothing yet\n")
    assert values.load(Project.load(project_dir), "dev").data["app"]["replicas"] == 1


@pytest.mark.parametrize(
    ("schema", "message", "line"),
    [
        ("{\n  \"type\": \n}\n", "invalid JSON", 3),
        ('{"type": 5}\n', "not a valid JSON Schema", None),
    ],
)
def test_bad_values_schema(project_dir: Path, schema: str, message: str, line: int | None) -> None:
    (project_dir / "values" / "values.schema.json").write_text(schema)
    error = _load_error(project_dir)
    assert error.location.file == "values/values.schema.json"
    assert error.location.line == line
    assert message in error.message
