"""The functions a template calls: Jinja globals and filters, generic (they know nothing of
any project), each a plain function over plain data, tested in tests/test_templatefuncs.py.

Globals: ``fail(message)``, ``one(items, attribute, value, what)``; ``partial(name, **vars)``
is the renderer's own (it renders a template: generator/render.py).
Filters: ``to_json``, ``merge``, ``compact``, ``numbered``, ``keys_where``,
``with_ids``.

What they are for: a template computes nothing with statements. It reads like the manifest
it makes (YAML with expressions), and where it needs data built from data it calls one of
these (as a Helm chart calls ``merge``, ``include ... | fromYaml`` and ``toYaml``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


class TemplateFailure(Exception):
    """Raised by ``fail()`` in a template: the values are wrong in a way a schema can't say."""


def fail(message: str) -> None:
    raise TemplateFailure(message)


def one(items: Any, attribute: str, value: Any, what: str = "item") -> Any:
    """The single item of ``items`` whose ``attribute`` equals ``value``; else a clear error."""
    found = [item for item in items if item.get(attribute) == value]
    if len(found) != 1:
        problem = "no" if not found else f"{len(found)}"
        raise TemplateFailure(f"{problem} {what} with {attribute} {value!r}")
    return found[0]


def to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, indent=indent, sort_keys=False, ensure_ascii=False)


def merge(base: Any, *others: Any) -> dict[str, Any]:
    """A new mapping: ``base`` with each of ``others`` merged onto it, in order.

    Mappings merge key by key, recursively; any other value (scalar, list, ``None``)
    replaces the one before it. Keys keep the order they first appear in. ``None`` as a
    whole argument stands for an empty mapping (``labels | merge(extra if cond else none)``).
    The arguments are never changed.
    """
    result: dict[str, Any] = {}
    for layer in (base, *others):
        if layer is None:
            continue
        if not isinstance(layer, Mapping):
            raise TemplateFailure(f"merge: expected mappings, got a {type(layer).__name__}: {layer!r}")
        _merge_into(result, layer)
    return result


def _merge_into(target: dict[str, Any], layer: Mapping[str, Any]) -> None:
    for key, value in layer.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        elif isinstance(value, Mapping):
            target[key] = merge(value)
        else:
            target[key] = value


def compact(value: Any) -> Any:
    """``value`` without the mapping entries whose value is ``None``, at every depth.

    A template writes ``args: {{ args or none }}`` for a key that is left out when empty;
    the data it renders then goes through ``compact``. Lists keep their items as they are
    (an item of a list is never dropped), and a key whose value is an empty list or mapping
    stays: only ``None`` means "leave the key out".
    """
    if isinstance(value, Mapping):
        return {key: compact(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [compact(item) for item in value]
    return value


def numbered(mapping: Mapping[str, Any], prefix: str, separator: str = "=") -> dict[str, str]:
    """``{prefix1: "key=value", prefix2: ...}`` for the entries of ``mapping`` in key order:
    the shape of annotations a tool reads as a numbered series (``checkov.io/skip1``)."""
    if not isinstance(mapping, Mapping):
        raise TemplateFailure(f"numbered: expected a mapping, got a {type(mapping).__name__}")
    return {
        f"{prefix}{index}": f"{key}{separator}{mapping[key]}"
        for index, key in enumerate(sorted(mapping), start=1)
    }


def keys_where(mapping: Mapping[str, Any], key: str) -> list[str]:
    """The keys of ``mapping`` whose value (a mapping) has a true ``key``, in order:
    ``engines | keys_where("stateful")``."""
    if not isinstance(mapping, Mapping):
        raise TemplateFailure(f"keys_where: expected a mapping, got a {type(mapping).__name__}")
    return [name for name, value in mapping.items() if isinstance(value, Mapping) and value.get(key)]


def with_ids(items: Any, key: str = "id", start: int = 1) -> list[Any]:
    """Each mapping of ``items`` with ``key`` set to its position (``start``, ``start + 1``,
    ...) as its first key: the numbered panels of a dashboard. Items are copied, not changed."""
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise TemplateFailure("with_ids: expected a list of mappings")
    return [{key: index, **{k: v for k, v in item.items() if k != key}} for index, item in enumerate(items, start)]


GLOBALS = {"fail": fail, "one": one}
FILTERS = {"to_json": to_json, "merge": merge, "compact": compact, "numbered": numbered,
           "keys_where": keys_where, "with_ids": with_ids}
