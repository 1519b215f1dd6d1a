"""Strategic merge patch, as Kustomize applies it (kyaml ``merge2``, list items prepended).

- Mappings merge key by key; a ``null`` in the patch deletes the key.
- ``$patch: delete`` deletes the mapping (a list element, or the whole object);
  ``$patch: replace`` replaces it by the patch; ``$patch: merge`` is the default.
- A list merges only where the schema says so (see ``schema_nav``): elements are matched
  by their merge keys (keys missing from a patch element are not compared). With one
  key, patch elements come first in patch order, then the object's other elements;
  with several keys (ports), new elements come first, then the object's, merged in
  place (kyaml's order); a ``{$patch: replace}`` element
  makes the list the patch's. A list of scalars with strategy merge is a set union.
  Every other list is replaced, as are all lists of custom resources.
- A patch value whose kind (mapping, list, scalar) differs from the object's is an error.

Kustomize copies ``$setElementOrder``, ``$retainKeys`` and ``$deleteFromPrimitiveList``
into its output unprocessed (which the API server then rejects); cmgen refuses them.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.overlay.schema_nav import Navigator, Schema

DELETE = object()
"""Returned when the patch deletes the value it was merged into."""


class SmpError(Exception):
    def __init__(self, message: str, path: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def merge(nav: Navigator, dest: dict[str, Any], patch: dict[str, Any]) -> Any:
    """The merged object (new; inputs untouched), or ``DELETE``."""
    schema = nav.root(str(dest.get("apiVersion", "")), str(dest.get("kind", "")))
    return _Merger(nav).mapping(dest, patch, schema, ())


class _Merger:
    def __init__(self, nav: Navigator) -> None:
        self.nav = nav

    def value(self, dest: Any, patch: Any, schema: Schema, path: tuple[str | int, ...]) -> Any:
        if isinstance(patch, dict):
            if dest is not None and not isinstance(dest, dict):
                raise SmpError(f"patch has a mapping where the object has {_kind(dest)}", path)
            return self.mapping(dest, patch, schema, path)
        if isinstance(patch, list):
            if dest is not None and not isinstance(dest, list):
                raise SmpError(f"patch has a list where the object has {_kind(dest)}", path)
            return self.listing(dest, patch, schema, path)
        if isinstance(dest, (dict, list)):
            raise SmpError(f"patch has a scalar where the object has {_kind(dest)}", path)
        return patch

    def mapping(
        self, dest: dict[str, Any] | None, patch: dict[str, Any], schema: Schema,
        path: tuple[str | int, ...],
    ) -> Any:
        directive = patch.get("$patch", "merge")
        if directive == "delete":
            return DELETE
        body = {key: value for key, value in patch.items() if key != "$patch"}
        if directive == "replace":
            return copy.deepcopy(body)
        if directive != "merge":
            raise SmpError(f"unknown $patch directive {directive!r}", (*path, "$patch"))
        result = dict(dest) if dest is not None else {}
        for key, value in body.items():
            if isinstance(key, str) and key.startswith("$"):
                raise SmpError(
                    f"the directive {key!r} is not supported (Kustomize copies it into the "
                    "output unprocessed)", (*path, key))
            if value is None:
                result.pop(key, None)
                continue
            merged = self.value(result.get(key), value, self.nav.field(schema, key), (*path, key))
            if merged is DELETE:
                result.pop(key, None)
            else:
                result[key] = merged
        return result

    def listing(
        self, dest: list[Any] | None, patch: list[Any], schema: Schema,
        path: tuple[str | int, ...],
    ) -> list[Any]:
        replace = [i for i, item in enumerate(patch) if _is_directive(item, "replace")]
        items = [item for item in patch if not _is_directive(item, "replace")]
        rule = self.nav.list_rule(schema)
        if not rule.merge:
            return copy.deepcopy(items)
        dest = [] if replace or dest is None else dest
        if not rule.keys:
            return _union(items, dest)
        return self._by_keys(dest, items, rule.keys, self.nav.items(schema), path)

    def _by_keys(
        self, dest: list[Any], patch: list[Any], keys: tuple[str, ...], schema: Schema,
        path: tuple[str | int, ...],
    ) -> list[Any]:
        matched: dict[int, int] = {}  # dest position -> patch index
        results: list[tuple[bool, Any]] = []  # per patch element: (was new, result)
        for index, item in enumerate(patch):
            if not isinstance(item, dict):
                raise SmpError("expected a mapping in a list merged by key", (*path, index))
            wanted = {key: _text(item[key]) for key in keys if item.get(key) is not None}
            if not wanted:
                raise SmpError(
                    f"list element has none of the merge keys {', '.join(keys)}", (*path, index))
            found = next(
                (i for i, old in enumerate(dest) if i not in matched and isinstance(old, dict)
                 and all(_text(old.get(k)) == v for k, v in wanted.items())),
                None,
            )
            if found is not None:
                matched[found] = index
            old = dest[found] if found is not None else None
            results.append((found is None, self.mapping(old, item, schema, (*path, index))))
        if len(keys) == 1:
            out = [value for _, value in results]
            out += [old for i, old in enumerate(dest) if i not in matched]
        else:
            out = [value for new, value in results if new]
            out += [results[matched[i]][1] if i in matched else old for i, old in enumerate(dest)]
        return [value for value in out if value is not DELETE and value != {}]


def _union(patch: list[Any], dest: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for item in [*patch, *dest]:
        text = _text(item)
        if text not in seen:
            seen.add(text)
            out.append(copy.deepcopy(item))
    return out


def _is_directive(item: Any, name: str) -> bool:
    return isinstance(item, dict) and item.get("$patch") == name and len(item) == 1


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else "a scalar"
