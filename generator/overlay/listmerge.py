"""A list merged by its merge keys, element order included, as kyaml v0.21 merges it.

This is Kustomize's ``walk/associative_sequence.go`` (``setAssociativeSequenceElements``
and ``appendListNode`` with patch items prepended), step for step:

1. The key tuples of all elements, the patch's first, then the object's, without repeats;
   a missing key counts as "". With several keys, two tuples that agree wherever both
   have a value are unified (``mergeValues``): ``(80, "")`` and ``(80, "TCP")`` both
   become ``(80, "TCP")``.
2. For each tuple, the first object element and the first patch element that have its
   non-empty values are merged (a plain merge changes the object's element in place; a
   ``$patch: replace`` result does not). The result joins the output, replacing every
   output element that has the same values (where the tuple has "", only the key's
   presence counts). A deleted or empty result removes the matching object elements.
3. Then every object element, in order, goes into the output: it replaces the output
   elements with its key values (with one key), or those are removed and it is appended
   (with several keys). An element lacking a key is first appended as it is, and its
   remaining values are then compared position by position with the first keys.

What follows, and is easy to miss: with several keys the object's elements end up last,
in their own order; a patch element that has a key the object's element lacks (a
``protocol``) does not merge with it, and the object's element survives unchanged while
the patch element is dropped; an element's ``$patch: replace`` is undone by step 3; of
two patch elements with the same keys only the first counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Values = tuple[str, ...]
MergeItem = Callable[[Any, Any, int], tuple[Any, bool]]
"""(object element or None, patch element or None, its index) -> (result or None, in place).

"In place" means the object's element is the result (kyaml merged into it)."""


def merge(
    dest: list[Any], patch: list[Any], keys: tuple[str, ...], merge_item: MergeItem
) -> list[Any]:
    """The merged list. ``dest`` may be ``patch`` itself (the object had no list): then, as
    in kyaml, both are one list and an element deleted from one is gone from the other."""
    shared = dest is patch
    work = list(dest)
    patch = work if shared else list(patch)
    typed = {(key, scalar(item[key])): item[key] for item in [*patch, *work]
             if isinstance(item, dict) for key in keys if key in item}
    tuples = _distinct([_values(item, keys) for item in [*patch, *work]])
    if len(keys) > 1:
        _unify(tuples)
    valid = [i for i, _ in enumerate(keys) if any(t[i] for t in tuples)] or list(range(len(keys)))
    vkeys = tuple(keys[i] for i in valid)
    out: list[Any] = []
    for values in tuples:
        vvals = tuple(values[i] for i in valid)
        mkeys, mvals = _present(vkeys, vvals)
        at = _first(work, mkeys, mvals)
        source = _first(patch, mkeys, mvals)
        result, in_place = merge_item(
            work[at] if at is not None else None,
            patch[source] if source is not None else None, -1 if source is None else source)
        if source is not None:
            work = _consume_directive(patch, source, work)
        if in_place and at is not None and result is not None:
            work[at] = result
        if result is None or result == {}:
            work = _set(work, vkeys, vvals, None)
        else:
            for key, value in zip(vkeys, vvals):
                if value and key not in result:
                    result[key] = typed[(key, value)]
            out = _set(out, vkeys, vvals, result)
        if shared:
            patch = work
    for element in list(work):
        out = _place(out, element, vkeys)
    return out


def scalar(value: Any) -> str:
    """A node's text as kyaml compares it: "" for null, empty and non-scalar values."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _consume_directive(patch: list[Any], index: int, work: list[Any]) -> list[Any]:
    """kyaml deletes an element's ``$patch`` when it reads it, in the patch's own node,
    which is also the object's when the object had no list."""
    original = patch[index]
    if not isinstance(original, dict) or "$patch" not in original:
        return work
    patch[index] = {key: value for key, value in original.items() if key != "$patch"}
    return [patch[index] if item is original else item for item in work]


def _values(item: Any, keys: tuple[str, ...]) -> Values:
    if not isinstance(item, dict):
        return tuple("" for _ in keys)
    return tuple(scalar(item.get(key)) for key in keys)


def _distinct(tuples: list[Values]) -> list[Values]:
    seen: list[Values] = []
    for values in tuples:
        if values not in seen:
            seen.append(values)
    return seen


def _unify(tuples: list[Values]) -> None:
    """kyaml's ``mergeValues``, in place and with its iteration order."""
    for i in range(len(tuples)):
        first = tuples[i]
        for j in range(len(tuples)):
            joined = _agree(first, tuples[j])
            if joined is not None:
                tuples[i] = tuples[j] = joined


def _agree(left: Values, right: Values) -> Values | None:
    common = False
    joined = []
    for a, b in zip(left, right):
        if a == b:
            common = True
        elif a and b:
            return None
        joined.append(a or b)
    return tuple(joined) if common else None


def _present(keys: Values, values: Values) -> tuple[Values, Values]:
    pairs = [(key, value) for key, value in zip(keys, values) if value]
    if not pairs:
        return keys, values
    return tuple(key for key, _ in pairs), tuple(value for _, value in pairs)


def _first(items: list[Any], keys: Values, values: Values) -> int | None:
    for index, item in enumerate(items):
        if isinstance(item, dict) and all(
            key in item and scalar(item[key]) == value for key, value in zip(keys, values)
        ):
            return index
    return None


def _matches(item: dict[str, Any], keys: Values, values: Values) -> bool:
    """kyaml's ``ElementSetter`` test: positional, "" only asks for the key's presence."""
    matched = False
    for index, key in enumerate(keys):
        if index < len(values):
            value = values[index]
            matched = key in item and (not value or scalar(item[key]) == value)
        if not matched:
            return False
    return True


def _set(items: list[Any], keys: Values, values: Values, element: Any) -> list[Any]:
    """kyaml's ``ElementSetter``: replace (or, with no element, delete) every match."""
    out = []
    found = False
    for item in items:
        if item is None or item == {}:
            continue
        if not isinstance(item, dict) or not _matches(item, keys, values):
            if values:
                out.append(item)
            continue
        found = True
        if element is not None:
            out.append(element)
    if element is not None and not found:
        out.append(element)
    return out


def _place(out: list[Any], element: dict[str, Any], keys: Values) -> list[Any]:
    values: list[str] = []
    for key in keys:
        if key not in element:
            out = [*out, element]
            continue
        values.append(scalar(element[key]))
    if len(keys) > 1:
        out = _set(out, keys, tuple(values), None)
    return _set(out, keys, tuple(values), element)
