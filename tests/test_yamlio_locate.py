from __future__ import annotations

from generator import yamlio

TEXT = """\
a: 1
---
kind: Deployment
spec:
  containers:
    - name: app
      image: nginx
    - name: side
      ports: [80, 443]
"""


def test_locates_values_in_the_right_document() -> None:
    assert yamlio.locate(TEXT, 0, ["a"]) == (1, 4)
    assert yamlio.locate(TEXT, 1, ["kind"]) == (3, 7)
    assert yamlio.locate(TEXT, 1, ["spec", "containers", 1, "name"]) == (8, 13)
    assert yamlio.locate(TEXT, 1, ["spec", "containers", 1, "ports", 1]) == (9, 19)


def test_key_mode_points_at_the_key() -> None:
    assert yamlio.locate(TEXT, 1, ["spec", "containers", 0, "image"], key=True) == (7, 7)


def test_walks_as_far_as_the_path_exists() -> None:
    assert yamlio.locate(TEXT, 1, ["spec", "containers", 0, "missing"]) == (6, 7)
    assert yamlio.locate(TEXT, 1, ["spec", "containers", 7]) == (6, 5)


def test_root_and_out_of_range_documents() -> None:
    assert yamlio.locate(TEXT, 1, []) == (3, 1)
    assert yamlio.locate(TEXT, 5, ["a"]) == (1, 1)
    assert yamlio.locate("a: [", 0, ["a"]) == (1, 1)


def test_non_string_keys_match_their_text() -> None:
    assert yamlio.locate("1: a\ntrue: b\n", 0, [1]) == (1, 4)
