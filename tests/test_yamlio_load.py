from __future__ import annotations

from pathlib import Path

import pytest

from generator import yamlio
from generator.errors import CmgenError


def _error(text: str) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        yamlio.load_all(text, "f.yaml")
    return caught.value


def test_documents_with_index_and_start_line() -> None:
    docs = yamlio.load_all("a: 1\n---\n---\nb: [1, 2]\n", "f.yaml")
    assert [(d.data, d.index, d.line) for d in docs] == [({"a": 1}, 0, 1), ({"b": [1, 2]}, 2, 4)]


def test_kubernetes_yaml11_scalars_but_dates_stay_strings() -> None:
    (doc,) = yamlio.load_all("a: yes\nb: 0755\nc: 2024-01-02\nd: ~\ne: 1e5\nf: '1'\n", "f")
    assert doc.data == {"a": True, "b": 493, "c": "2024-01-02", "d": None, "e": "1e5", "f": "1"}


def test_duplicate_key_is_located_at_the_second_key() -> None:
    error = _error("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert str(error.location) == "f.yaml:4:3"
    assert "duplicate key 'c' (first defined at line 3)" in error.message


def test_merge_key_may_be_overridden_but_not_duplicated() -> None:
    (doc,) = yamlio.load_all("x: &x {a: 1, b: 2}\ny:\n  <<: *x\n  a: 3\n", "f")
    assert doc.data["y"] == {"a": 3, "b": 2}


def test_unhashable_key_is_an_error() -> None:
    assert "unhashable mapping key" in _error("? [1]\n: 2\n").message
    assert "unhashable mapping key" in _error("{? {a: 1}: 2}\n").message


def test_keys_of_every_tag_are_checked_for_duplicates() -> None:
    assert "duplicate key 1" in _error("1: a\n0x1: b\n").message
    assert "duplicate key True" in _error("yes: a\ntrue: b\n").message
    assert "duplicate key 'a'" in _error("a: 1\n\"a\": 2\n").message
    assert "duplicate key 'a'" in _error("x: &k a\n*k : 1\na: 2\n").message
    assert yamlio.load_one("1: a\n'1': b\nnull: c\n", "f") == {1: "a", "1": "b", None: "c"}


def test_explicit_map_tag_on_a_sequence_is_an_error() -> None:
    assert "expected a mapping node" in _error("a: !!map [b]\n").message


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: [1, 2\n", "f.yaml:2:1", "did not find expected ',' or ']'"),
        ("a:\n\tb: 1\n", "f.yaml:2:1", "found character that cannot start any token"),
        ("a: b: c\n", "f.yaml:1:5", "mapping values are not allowed"),
        ("a: *nope\n", "f.yaml:1:4", "found undefined alias"),
    ],
)
def test_malformed_yaml_is_located(text: str, where: str, message: str) -> None:
    error = _error(text)
    assert str(error.location) == where
    assert message in error.message


def test_depth_limit_on_the_event_stream() -> None:
    ok = "a: " + "[" * (yamlio.MAX_DEPTH - 1) + "]" * (yamlio.MAX_DEPTH - 1) + "\n"
    assert yamlio.load_all(ok, "f")
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"  # would crash libyaml's C composer
    error = _error(deep)
    assert error.message == f"nesting is deeper than {yamlio.MAX_DEPTH} levels"
    assert error.location.line == 1


def test_block_nesting_is_located_where_it_gets_too_deep() -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(300))
    error = _error(text)
    assert error.location.line == yamlio.MAX_DEPTH + 1


def _bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused() -> None:
    error = _error(_bomb(9))
    assert "aliases expand to more than" in error.message


def test_small_aliases_are_expanded_into_independent_copies() -> None:
    (doc,) = yamlio.load_all(_bomb(2), "f")
    assert doc.data["a1"] == [["x"] * 10] * 10
    assert doc.data["a1"][0] is not doc.data["a1"][1]


def test_aliases_cannot_nest_deeper_than_the_limit() -> None:
    lines = ["a0: &a0 " + "[" * 90 + "]" * 90]
    lines += [f"a{i}: &a{i} " + "[" * 90 + f"*a{i - 1}" + "]" * 90 for i in range(1, 60)]
    assert "once aliases are expanded" in _error("\n".join(lines)).message


def test_alias_depth_boundary() -> None:
    half = "[" * 50 + "]" * 50
    # top mapping (1) + 49 lists + 50 aliased lists = 100 levels: fine
    assert yamlio.load_all(f"a: &a {half}\nb: " + "[" * 49 + "*a" + "]" * 49, "f")
    _error(f"a: &a {half}\nb: " + "[" * 50 + "*a" + "]" * 50)


def test_load_one() -> None:
    assert yamlio.load_one("", "f") is None
    assert yamlio.load_one("# only a comment\n", "f") is None
    assert yamlio.load_one("a: 1\n", "f") == {"a": 1}
    with pytest.raises(CmgenError, match="expected one YAML document") as caught:
        yamlio.load_one("a: 1\n---\nb: 2\n", "f")
    assert caught.value.location.line == 3


def test_decode_bom_is_dropped() -> None:
    assert yamlio.decode(b"\xef\xbb\xbfa: 1\n", "f") == "a: 1\n"


def test_decode_locates_bad_bytes() -> None:
    with pytest.raises(CmgenError) as caught:
        yamlio.decode(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert str(caught.value.location) == "f.yaml:2:7"
    assert "0xe9" in caught.value.message


def test_decode_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.yamlio.read.MAX_FILE_BYTES", 10)
    with pytest.raises(CmgenError, match="larger than"):
        yamlio.decode(b"a: 12345678\n", "f")


def test_read_text_errors(tmp_path: Path) -> None:
    with pytest.raises(CmgenError, match="no such file"):
        yamlio.read_text(tmp_path / "nope.yaml", "nope.yaml")
    with pytest.raises(CmgenError, match="is a directory"):
        yamlio.read_text(tmp_path, "dir")
    (tmp_path / "ok.yaml").write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert yamlio.read_text(tmp_path / "ok.yaml") == "a: 1\n"
