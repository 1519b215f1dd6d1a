"""Recovering the line and column of a path inside a document, when a finding needs it."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import yaml
from yaml import nodes

from generator.yamlio.load import _Loader


Path_ = Sequence[str | int]


def locate(text: str, index: int, path: Path_, key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of ``path`` inside document ``index`` of ``text``.

    Walks as far as the path exists; with ``key`` the mapping key of the last step is
    returned instead of its value (for "unknown field" findings).
    """
    composed = _compose(text, index)
    if composed is None:
        return 1, 1
    node: nodes.Node = composed
    mark = node.start_mark
    for step in path:
        found = _child(node, step)
        if found is None:
            break
        key_node, node = found
        mark = key_node.start_mark if key and key_node is not None else node.start_mark
    return mark.line + 1, mark.column + 1


def _compose(text: str, index: int) -> nodes.Node | None:
    documents = _compose_all(text)
    return documents[index] if 0 <= index < len(documents) else None


@functools.lru_cache(maxsize=4)
def _compose_all(text: str) -> tuple[nodes.Node | None, ...]:
    """Every document's node tree, numbered like ``load_all`` numbers them (empty ones too).

    Cached for the last few files, so locating many findings in one file parses it once
    (a str caches its hash, so the key costs nothing after the first call).
    """
    loader = _Loader(text)
    documents: list[nodes.Node | None] = []
    try:
        while loader.check_node():
            documents.append(loader.get_node())
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return tuple(documents)


def _child(node: nodes.Node, step: str | int) -> tuple[nodes.Node | None, nodes.Node] | None:
    if isinstance(node, nodes.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, nodes.ScalarNode) and key_node.value == str(step):
                return key_node, value_node
    elif isinstance(node, nodes.SequenceNode) and isinstance(step, int):
        if 0 <= step < len(node.value):
            return None, node.value[step]
    return None
