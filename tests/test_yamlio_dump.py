from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yamllint import linter
from yamllint.config import YamlLintConfig

from generator import yamlio
from generator.errors import CmgenError

YAMLLINT = YamlLintConfig("extends: default\nrules:\n  line-length: disable\n")

AWKWARD = [
    "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "Null", "~", "",
    "0755", "0o17", "0x1F", "1e5", "1E-3", "+1", "-.5", ".inf", "-.Inf", ".nan", "1_000",
    "12:30:45", "2024-01-02", "2024-01-02T10:00:00Z", "<<", "=",
    " lead", "trail ", " both ", "a: b", "a:", ":a", "a #b", "#c", "- x", "-", "?", "? x",
    "[x]", "{x}", "*x", "&x", "!x", "|", ">", "%x", "@x", "`x", "'q'", '"q"', ",x",
    "---", "...", "--- x", "a\nb", "a\nb\n", "a\n\nb", "\nlead", "a\n\n", "tab\there",
    "cr\rlf", "nel\x85", "ls\u2028ps\u2029", "bom\ufeff", "nul\x00", "bell\x07", "del\x7f",
    "x\n  indented", "trailing \nspace", "käse", "日本語", "emoji 🙂", "\\backslash",
    "kind: Secret\n---\nfoo: bar",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(AWKWARD),
    st.text(),
)
keys = st.one_of(st.sampled_from(AWKWARD), st.text())
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)


def _lint(text: str) -> list[str]:
    return [f"{p.line}:{p.column} {p.rule}: {p.desc}" for p in linter.run(text, YAMLLINT)]


def _roundtrip(data: Any) -> Any:
    (document,) = yamlio.load_all(yamlio.dump(data), "dumped.yaml")
    return document.data


@given(st.dictionaries(keys, json_like, min_size=1, max_size=5))
@settings(max_examples=300, deadline=None)
def test_dump_roundtrips_and_passes_yamllint(data: dict[str, Any]) -> None:
    text = yamlio.dump(data)
    assert _roundtrip(data) == data, text
    assert _lint(text) == [], text


@given(st.lists(json_like, min_size=1, max_size=5))
@settings(max_examples=100, deadline=None)
def test_top_level_lists_roundtrip(data: list[Any]) -> None:
    assert _roundtrip(data) == data


@pytest.mark.parametrize("value", AWKWARD)
def test_each_awkward_string_roundtrips_as_value_and_key(value: str) -> None:
    data = {value: value, "list": [value]}
    text = yamlio.dump(data)
    assert _roundtrip(data) == data, text
    assert _lint(text) == [], text


def test_format_is_fixed() -> None:
    data = {"b": [1, {"x": "v", "z": []}], "a": {}, "s": "two\nlines\n", "t": "yes"}
    assert yamlio.dump(data) == (
        "---\n"
        "b:\n"
        "  - 1\n"
        "  - x: v\n"
        "    z: []\n"
        "a: {}\n"
        "s: |\n"
        "  two\n"
        "  lines\n"
        't: "yes"\n'
    )


def test_scalars() -> None:
    assert [yamlio.scalar(v) for v in (None, True, False, 7, 1.0, 1e20, float("inf"))] == [
        "null", "true", "false", "7", "1.0", "1.0e+20", ".inf",
    ]
    assert yamlio.scalar("0755") == '"0755"'
    assert yamlio.scalar("nginx:1.27") == "nginx:1.27"
    assert yamlio.scalar("a\nb") == '"a\\nb"'


def test_unknown_types_are_refused() -> None:
    with pytest.raises(CmgenError, match="cannot write a value of type set"):
        yamlio.dump({"a": {1}})


def test_dump_all_header_and_documents() -> None:
    text = yamlio.dump_all([{"a": 1}, {"b": 2}], header="Generated.\n\nTwo lines")
    assert text == "# Generated.\n#\n# Two lines\n---\na: 1\n---\nb: 2\n"
    assert _lint(text) == []
    assert [d.data for d in yamlio.load_all(text, "f")] == [{"a": 1}, {"b": 2}]


def test_iter_paths_parents_first() -> None:
    assert list(yamlio.iter_paths({"a": [1, {"b": 2}]})) == [
        (), ("a",), ("a", 0), ("a", 1), ("a", 1, "b"),
    ]
