"""The depth screen (``yamlio.depth``): ``shallow`` may only say "shallow" when the event
walk agrees, and deep texts are refused by the loader at the line where they get too deep."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlio
from generator.errors import CmgenError


def _error(text: str) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        yamlio.load_all(text, "f.yaml")
    return caught.value


def _depth(text: str) -> int:
    """The deepest nesting libyaml's composer would reach: events up to the first error."""
    import yaml
    from yaml import events

    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return deepest


DEEP = 150
DEEP_TEXTS = {
    "block mappings": "".join("  " * level + f"k{level}:\n" for level in range(DEEP)) + "  " * DEEP + "x\n",
    "block sequences": "".join("  " * level + "-\n" for level in range(DEEP)) + "  " * DEEP + "x\n",
    "compact sequences": "- " * DEEP + "x\n",
    "indentless sequences": "".join("  " * level + "k:\n" + "  " * level + "- " for level in range(DEEP)) + "x\n",
    "flow sequences": "[" * DEEP + "]" * DEEP + "\n",
    "flow mappings": "{a: " * DEEP + "x" + "}" * DEEP + "\n",
    "single-pair mappings in flow": "[a: " * DEEP + "x" + "]" * DEEP + "\n",
    "flow over many lines": "a:\n" + "  [\n" * DEEP + "  x\n" + "  ]\n" * DEEP,
    "flow nested in block": "".join("  " * n + f"k{n}:\n" for n in range(40)) + "  " * 40 + "v: " + "[" * 70 + "]" * 70 + "\n",
    "complex keys": "? " * DEEP + "x\n",
    "lone CR line breaks": "".join("  " * level + f"k{level}:\r" for level in range(DEEP)) + "x\r",
    "BOMs at line starts": "".join("\ufeff" * level + f"k{level}:\n" for level in range(DEEP)),
    "deep document after shallow ones": "a: 1\n---\n" * 3000 + "- " * DEEP + "x\n",
    "after a document start": "--- " + "- " * DEEP + "x\n",
}


@pytest.mark.parametrize("name", sorted(DEEP_TEXTS))
def test_deep_texts_are_never_screened_as_shallow(name: str) -> None:
    text = DEEP_TEXTS[name]
    assert not yamlio.shallow(text)
    if _depth(text) > yamlio.MAX_DEPTH:
        assert "deeper than" in _error(text).message


def test_screen_passes_ordinary_manifests_and_huge_files() -> None:
    document = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  labels: {app: a}\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: a\n"
        "          ports: [{containerPort: 80}]\n          args: [\"[\", \"{\"]\n"
    )
    text = "---\n".join([document] * 20_000)  # ~5 MB: every document is screened alone
    assert yamlio.shallow(text)
    assert yamlio.shallow(text.replace("\n", "\r\n"))
    assert len(yamlio.load_all(text, "f")) == 20_000


def test_a_deep_document_among_many_is_located() -> None:
    text = "a: 1\n---\n" * 2000 + "[" * 500 + "]" * 500 + "\n"
    error = _error(text)
    assert error.location.line == 4001


# The property, with a small limit so random texts often exceed it. Brackets, indicators
# and indentation come from YAML's structural characters; quotes, comments and the odd
# line breaks are there to fool a naive counter.
_PIECES = ["- ", "? ", ": ", "[", "]", "{", "}", ", ", "a", "b: ", " ", "  ", "\n", "---\n",
           '"', "'", "# ", "\t", "\r", "\ufeff", "&x ", "*x", "|\n", "\u2028"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(min_value=2, max_value=8))
@settings(max_examples=3000, deadline=None)
def test_shallow_is_conservative(pieces: list[str], limit: int) -> None:
    text = "".join(pieces)
    if yamlio.shallow(text, limit):
        assert _depth(text) <= limit


@given(st.recursive(st.none() | st.integers() | st.text(max_size=3),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=40),
       st.sampled_from([None, True, False]), st.integers(min_value=2, max_value=5),
       st.integers(min_value=2, max_value=8))
@settings(max_examples=1000, deadline=None)
def test_shallow_is_conservative_on_dumped_data(data: object, flow: bool | None, indent: int, limit: int) -> None:
    import yaml

    text = yaml.safe_dump(data, default_flow_style=flow, indent=indent, allow_unicode=True)
    if yamlio.shallow(text, limit):
        assert _depth(text) <= limit
