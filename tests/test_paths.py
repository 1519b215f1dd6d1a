"""Path text from input files: what the operating system would refuse is named first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import paths


def test_a_plain_relative_path_has_no_problem() -> None:
    assert paths.problem("resources/extra.yaml") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x00b.yaml", "NUL byte"),
        ("x" * 256 + ".yaml", "segment cannot be longer than 255 bytes"),
        ("a/" * 2048, "longer than 4095 bytes"),
        ("a\ud800.yaml", "unpaired surrogate"),
    ],
)
def test_the_problem_is_named(text: str, expected: str) -> None:
    problem = paths.problem(text)
    assert problem is not None and expected in problem


@pytest.mark.parametrize("text", ["a\x00b.yaml", "x" * 256 + ".yaml", "a/" * 2048])
def test_each_refused_path_is_one_the_operating_system_refuses(text: str, tmp_path: Path) -> None:
    """The judge is the system itself: each text ``problem`` names makes ``stat`` fail
    with something other than "no such file"."""
    with pytest.raises((ValueError, OSError)) as caught:
        os.stat(tmp_path / text)
    assert not isinstance(caught.value, FileNotFoundError)
