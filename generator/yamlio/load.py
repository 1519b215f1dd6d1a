"""Loading YAML: strict, bounded, with Kubernetes' YAML 1.1 semantics.

Loading follows Kubernetes' own YAML 1.1 semantics (``yes``/``on`` are booleans, ``0755``
is octal), with three differences from PyYAML's ``safe_load``:

- a duplicate mapping key is an error (as kubeconform ``-strict`` and the API server do);
- dates stay strings, as they do when Kubernetes converts YAML to JSON;
- nesting deeper than ``MAX_DEPTH`` and alias expansion beyond ``MAX_ALIAS_NODES`` are
  errors, so a hostile file cannot crash the parser or exhaust memory.

Every error is a ``CmgenError`` at ``FILE:LINE:COL``. Positions of nodes inside valid
documents are not kept while loading (that would double the cost of the common case);
``locate`` recovers the line of a path when a finding needs it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import nodes

from generator.errors import CmgenError
from generator.yamlio import depth
from generator.yamlio.depth import MAX_DEPTH

MAX_ALIAS_NODES = 100_000

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
# Keys that PyYAML's own construct_mapping rewrites ("<<" merges, "=" values).
_SPECIAL_KEYS = frozenset({_MERGE_TAG, "tag:yaml.org,2002:value"})
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Plain scalars seen often (keys, small values) keep their resolved tag; bounded.
_TAG_CACHE_SIZE = 50_000


class _StrictLoader(_Loader):
    """A safe loader that rejects duplicate keys (see also ``_AliasCountingLoader``)."""

    alias_hits = 0
    _plain_tags: dict[str, str] = {}

    def resolve(self, kind: type[nodes.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        # A plain scalar's tag depends on its text alone (no path resolvers are registered).
        if kind is nodes.ScalarNode and implicit[0]:
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._plain_tags) < _TAG_CACHE_SIZE:
                    self._plain_tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node: nodes.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, nodes.MappingNode):  # "!!map [a]": PyYAML's error
            return super().construct_mapping(node, deep)
        pairs = node.value
        if any(key_node.tag in _SPECIAL_KEYS for key_node, _ in pairs):
            return self._construct_merged(node, deep)
        # PyYAML's construct_mapping, minus merge keys (none here) and its costly Hashable
        # ABC check: all keys first (a duplicate is found before any value is built).
        keys = self._keys(pairs)
        construct = self.construct_object
        return {key: construct(value_node, deep=deep) for key, (_, value_node) in zip(keys, pairs)}

    def _construct_merged(self, node: nodes.MappingNode, deep: bool) -> dict[Any, Any]:
        # Only the mapping's own keys can clash; keys merged in with "<<" may be overridden.
        self._keys([pair for pair in node.value if pair[0].tag != _MERGE_TAG])
        return super().construct_mapping(node, deep)

    def _keys(self, pairs: list[tuple[nodes.Node, nodes.Node]]) -> list[Any]:
        """The constructed keys; a duplicate or unhashable key is an error."""
        seen: dict[Any, nodes.Node] = {}
        keys = []
        for key_node, _ in pairs:
            # A str-tagged scalar constructs to its own text: no need to build it.
            if key_node.tag == _STR_TAG and type(key_node) is nodes.ScalarNode:
                key = key_node.value
            else:
                key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:
                raise _error(f"unhashable mapping key {key!r}", key_node.start_mark) from None
            if first is not key_node:
                raise _error(
                    f"duplicate key {key!r} (first defined at line {first.start_mark.line + 1})",
                    key_node.start_mark,
                )
            keys.append(key)
        return keys


def _strip_resolvers(loader: Any, tags: set[str]) -> None:
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in tags]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }


# Kubernetes keeps timestamps as strings; "=" (the YAML "value" type) has no constructor.
_strip_resolvers(_StrictLoader, {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"})


class _AliasCountingLoader(_StrictLoader):
    """Also counts how often an already built collection is reused (by an alias).

    Only a text with an anchor (``&``) can have aliases; others skip this per-node cost.
    """

    def construct_object(self, node: nodes.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects and not isinstance(node, nodes.ScalarNode):
            self.alias_hits += 1
        return super().construct_object(node, deep)


class _Error(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _error(message: str, mark: yaml.Mark | None) -> _Error:
    return _Error(message, mark)


@dataclass(frozen=True)
class Document:
    """One YAML document of a file: its data, and where it starts (1-based line)."""

    data: Any
    file: str
    index: int
    line: int


def load_all(text: str, file: str) -> list[Document]:
    """Parse every document of a YAML stream; empty documents are dropped."""
    if not depth.shallow(text):
        _check_depth(text, file)
    loader = (_AliasCountingLoader if "&" in text else _StrictLoader)(text)
    documents: list[Document] = []
    try:
        index = 0
        while loader.check_node():
            node = loader.get_node()
            start = node.start_mark.line + 1 if node is not None else 1
            loader.alias_hits = 0
            data = loader.construct_document(node)
            if loader.alias_hits:
                data = _expand_aliases(data, file, start)
            if data is not None:
                documents.append(Document(data, file, index, start))
            index += 1
    except _Error as exc:
        raise _located(exc.message, exc.mark, file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _located(_yaml_message(exc), mark, file) from None
    except yaml.YAMLError as exc:
        raise CmgenError(f"invalid YAML: {exc}", file) from None
    finally:
        loader.dispose()
    return documents


def load_one(text: str, file: str) -> Any:
    """Parse a file that must hold at most one document (values, kustomization)."""
    documents = load_all(text, file)
    if len(documents) > 1:
        raise CmgenError("expected one YAML document, found several", file, documents[1].line, 1)
    return documents[0].data if documents else None


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        return f"{problem} ({exc.context} at line {exc.context_mark.line + 1})"
    return problem


def _located(message: str, mark: Any, file: str) -> CmgenError:
    if mark is None:
        return CmgenError(message, file)
    return CmgenError(message, file, mark.line + 1, mark.column + 1)


def _check_depth(text: str, file: str) -> None:
    try:
        mark = depth.too_deep(text, _Loader)
    except yaml.MarkedYAMLError as exc:
        raise _located(_yaml_message(exc), exc.problem_mark or exc.context_mark, file) from None
    if mark is not None:
        raise _located(f"nesting is deeper than {MAX_DEPTH} levels", mark, file)


def _expand_aliases(data: Any, file: str, line: int) -> Any:
    """Copy a document built with aliases, so no two places share one object.

    The copy is bounded: a "billion laughs" document is refused, not expanded, and so is
    one whose aliases nest collections deeper than ``MAX_DEPTH``.
    """
    budget = [MAX_ALIAS_NODES]

    def copy(value: Any, depth: int) -> Any:  # depth: collections above this value
        budget[0] -= 1
        if budget[0] < 0:
            raise CmgenError(
                f"aliases expand to more than {MAX_ALIAS_NODES} nodes (a YAML bomb?)", file, line, 1
            )
        if depth >= MAX_DEPTH and isinstance(value, (dict, list)):
            raise CmgenError(
                f"nesting is deeper than {MAX_DEPTH} levels once aliases are expanded", file, line, 1
            )
        if isinstance(value, dict):
            return {key: copy(item, depth + 1) for key, item in value.items()}
        if isinstance(value, list):
            return [copy(item, depth + 1) for item in value]
        return value

    return copy(data, 0)
