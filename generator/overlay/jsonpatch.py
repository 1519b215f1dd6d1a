"""JSON patch (RFC 6902) as Kustomize applies it (evanphx/json-patch v4 semantics).

All of a patch applies or none of it: the input is never changed. Pointers use RFC 6901
escaping (``~1`` is ``/``, ``~0`` is ``~``). Where the library Kustomize uses differs from
the RFC, cmgen follows the library, so results stay equal:

- ``replace`` of a missing mapping key adds it (a missing list index is an error);
- ``copy`` or ``test`` of a missing mapping key see ``null``;
- negative list indices count from the end (``-1`` is the last element);
- an ``add``/``replace``/``test`` without ``value`` uses ``null``.

What a patch builds is bounded, as the YAML loader bounds alias expansion: ``copy`` can
double a document, so 20 copies of ``/spec`` into itself would grow it a million-fold.
The values an ``add``, ``replace`` or ``copy`` inserts may hold ``MAX_NODES`` nodes in
all, over the whole patch; beyond that the op is refused.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from generator.yamlio import MAX_ALIAS_NODES

OPS = ("add", "remove", "replace", "move", "copy", "test")
MAX_NODES = MAX_ALIAS_NODES
_INT = re.compile(r"[+-]?[0-9]+")


class JsonPatchError(Exception):
    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


def check_ops(ops: Any) -> list[dict[str, Any]]:
    """Reject what is not a list of operations, before anything is applied."""
    if not isinstance(ops, list):
        raise JsonPatchError("a JSON patch is a list of operations", -1)
    for index, op in enumerate(ops):
        if not isinstance(op, dict):
            raise JsonPatchError("each JSON patch operation must be a mapping", index)
        if op.get("op") not in OPS:
            raise JsonPatchError(f"unknown op {op.get('op')!r} (one of {', '.join(OPS)})", index)
        for field in ("path", "from") if op["op"] in ("move", "copy") else ("path",):
            pointer = op.get(field)
            if not isinstance(pointer, str) or not pointer.startswith("/"):
                raise JsonPatchError(f"{op['op']}: {field!r} must be a pointer like /a/b", index)
    return ops


def apply(doc: Any, ops: list[dict[str, Any]]) -> Any:
    """The patched copy of ``doc``; raises ``JsonPatchError`` (doc untouched) on failure."""
    result = copy.deepcopy(doc)
    budget = [MAX_NODES]
    for index, op in enumerate(check_ops(ops)):
        try:
            result = _apply_one(result, op, budget)
        except _Fail as exc:
            raise JsonPatchError(f"{op['op']} {op['path']}: {exc}", index) from None
    return result


class _Fail(Exception):
    pass


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    tokens = [unescape(token) for token in pointer.split("/")[1:]]
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict):
            if node.get(token) is None:
                raise _Fail(f"missing path {pointer!r}")
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, pointer)]
        else:
            raise _Fail(f"missing path {pointer!r}")
    if not isinstance(node, (dict, list)):
        raise _Fail(f"missing path {pointer!r}")
    return node, tokens[-1]


def _index(node: list[Any], token: str, pointer: str, insert: bool = False) -> int:
    if not _INT.fullmatch(token):
        raise _Fail(f"{token!r} is not a list index in {pointer!r}")
    index = int(token)
    size = len(node)
    if index < 0:
        if index < -size:
            raise _Fail(f"index {index} is out of range in {pointer!r}")
        index += size
    elif index > size or (index == size and not insert):
        raise _Fail(f"index {index} is out of range in {pointer!r}")
    return index


def _get(container: Any, key: str, pointer: str) -> Any:
    if isinstance(container, dict):
        return container.get(key)
    return container[_index(container, key, pointer)]


def _add(container: Any, key: str, value: Any, pointer: str) -> None:
    if isinstance(container, dict):
        container[key] = value
    elif key == "-":
        container.append(value)
    else:
        container.insert(_index(container, key, pointer, insert=True), value)


def _remove(container: Any, key: str, pointer: str) -> Any:
    if isinstance(container, dict):
        if key not in container:
            raise _Fail(f"cannot remove missing key {key!r}")
        return container.pop(key)
    return container.pop(_index(container, key, pointer))


def _spend(value: Any, budget: list[int]) -> Any:
    """``value``, once its nodes are taken from ``budget`` (an error when it runs out)."""
    stack = [value]
    while stack:
        node = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            raise _Fail(f"the patch builds more than {MAX_NODES} nodes (a copy bomb?)")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return value


def _apply_one(doc: Any, op: dict[str, Any], budget: list[int]) -> Any:
    name, pointer = op["op"], op["path"]
    container, key = _parent(doc, pointer)
    if name in ("add", "replace"):
        _spend(op.get("value"), budget)
    if name == "add":
        _add(container, key, copy.deepcopy(op.get("value")), pointer)
    elif name == "remove":
        _remove(container, key, pointer)
    elif name == "replace":
        _get(container, key, pointer)
        if isinstance(container, dict):
            container[key] = copy.deepcopy(op.get("value"))
        else:
            container[_index(container, key, pointer)] = copy.deepcopy(op.get("value"))
    elif name in ("move", "copy"):
        source, from_key = _parent(doc, op["from"])
        value = _get(source, from_key, op["from"])
        if name == "move":
            value = _remove(source, from_key, op["from"])
            container, key = _parent(doc, pointer)
        else:
            _spend(value, budget)
        _add(container, key, copy.deepcopy(value), pointer)
    else:
        actual = _get(container, key, pointer)
        if not json_equal(actual, op.get("value")):
            raise _Fail(f"test failed: found {actual!r}, expected {op.get('value')!r}")
    return doc


def json_equal(left: Any, right: Any) -> bool:
    """Equality of JSON values: 1 == 1.0, but true != 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    return type(left) is type(right) and left == right
