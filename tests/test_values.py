from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


def test_load_merges_base_env_files_and_sets(project_dir: Path, tmp_path: Path) -> None:
    # A new list item comes from a values file (-f); a --set only changes existing items.
    extra = tmp_path / "extra.yaml"
    extra.write_text("components:\n  - name: new\n    port: 1\n")
    loaded = values.load(
        Project.load(project_dir), "dev", ("app.message=hi", "components.new.port=2"), (extra,)
    )
    assert "env" not in loaded.data  # the env name is a render fact, not a value
    assert loaded.data["app"]["replicas"] == 2
    assert loaded.data["app"]["message"] == "hi"
    assert [c["name"] for c in loaded.data["components"]] == ["api", "worker", "cron", "new"]
    assert loaded.data["components"][3]["port"] == 2


def test_a_set_on_a_missing_list_item_is_an_error_with_a_suggestion(project_dir: Path) -> None:
    error = _load_error(project_dir, ("components.wroker.port=1",))
    assert error.message == (
        "invalid --set 'components.wroker.port=1': components has no item with name 'wroker' "
        "(did you mean 'worker'?); a --set changes an item, it does not add one (add new "
        "items in a values file)"
    )


def test_a_set_by_index_says_list_items_are_selected_by_name(project_dir: Path) -> None:
    error = _load_error(project_dir, ("components[0].port=1",))
    assert error.message == (
        "invalid --set 'components[0].port=1': list items are selected by name, not by index "
        "[0]: e.g. components.api.FIELD=VALUE (items merge by 'name')"
    )
    other = _load_error(project_dir, ("apps[0].replicas=2",))  # not even a key: still the hint
    assert "list items are selected by name, not by index [0]: e.g. components.api" in other.message


def test_an_unknown_values_key_suggests_the_closest(project_dir: Path) -> None:
    error = _load_error(project_dir, ("ap.replicas=2",))
    assert error.message.endswith("('ap' was unexpected) (did you mean 'app'?)")


def test_set_string_keeps_the_text_and_set_file_reads_a_file(project_dir: Path, tmp_path: Path) -> None:
    message = tmp_path / "message.txt"
    message.write_text("line one\nline: two\n")
    loaded = values.load(
        Project.load(project_dir), "dev", ("app.replicas=3",), (), ("app.name=007",),
        (f"app.message={message}",),
    )
    assert loaded.data["app"]["name"] == "007"  # --set would read 7
    assert loaded.data["app"]["message"] == "line one\nline: two\n"
    assert loaded.origin(("app", "name")).file == "--set-string app.name=007"  # type: ignore[union-attr]
    with pytest.raises(CmgenError, match=r"--set-file app.message=/nonexistent: cannot read /nonexistent"):
        values.load(Project.load(project_dir), "dev", file_sets=("app.message=/nonexistent",))


def test_an_error_in_a_values_file_is_located_there(project_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("app:\n  replicas: many\n")
    with pytest.raises(CmgenError) as caught:
        values.load(Project.load(project_dir), "dev", files=(extra,))
    assert str(caught.value.location) == f"{extra}:2:13"
    assert "app.replicas: 'many' is not of type 'integer'" in caught.value.message


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


# --- a final newline and pattern (issue 22, class 4) -------------------------------------


def test_a_block_scalar_with_a_final_newline_fails_an_anchored_pattern(project_dir: Path) -> None:
    """``name: |`` gives ``"shop\\n"``: JSON Schema's ``$`` does not match before it."""
    (project_dir / "values" / "dev.yaml").write_text("app:\n  replicas: 2\n  name: |\n    shop\n")
    error = _load_error(project_dir)
    assert str(error.location) == "values/dev.yaml:3:9"
    assert error.message == "app.name: 'shop\\n' does not match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"


def test_a_set_value_with_a_final_newline_fails_an_anchored_pattern(project_dir: Path) -> None:
    error = _load_error(project_dir, ('app.name="shop\\n"',))
    assert error.location.file == '--set app.name="shop\\n"'
    assert "does not match" in error.message


def test_the_same_name_without_the_newline_passes(project_dir: Path) -> None:
    (project_dir / "values" / "dev.yaml").write_text("app:\n  replicas: 2\n  name: >-\n    shop\n")
    assert values.load(Project.load(project_dir), "dev").data["app"]["name"] == "shop"
