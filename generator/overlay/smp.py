"""Strategic merge patch, as Kustomize applies it (kyaml ``merge2``, list items prepended).

- Mappings merge key by key; a ``null`` in the patch deletes the key. Where the object
  lacks a mapping, the patch's mapping is merged with itself (kyaml adds the patch's
  node, then walks it), so its directives and lists are processed all the same.
- ``$patch: delete`` deletes the mapping (a list element, or the whole object);
  ``$patch: replace`` replaces it by the patch; ``$patch: merge`` is the default.
- A list merges only where the schema says so (see ``schema_nav``): by its merge keys,
  in kyaml's order and with kyaml's quirks (see ``listmerge``); a list of scalars with
  strategy merge is a set union, patch items first. A list's directive is its first
  element with a ``$patch``, if that is the element's only key: ``{$patch: replace}``
  makes the list the patch's. Where the object has no such list, the patch's list,
  directive elements included, merges with itself. Every other list is replaced, as are
  all lists of custom resources.
- Lists the patch does not touch are merged too (with nothing), as kyaml walks the whole
  object: repeated keys collapse there as well.
- A patch value whose kind (mapping, list, scalar) differs from the object's is an error.

Kustomize copies ``$setElementOrder``, ``$retainKeys`` and ``$deleteFromPrimitiveList``
into its output unprocessed (which the API server then rejects); cmgen refuses them. So
is any directive inside a list that is replaced, not merged (no merge key: ``envFrom``,
a NetworkPolicy's ``ingress``, every list of a custom resource): Kustomize copies a
``{$patch: replace}`` element there into the output as a list item.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.overlay import listmerge
from generator.overlay.schema_nav import Navigator, Schema

DELETE = object()
_DIRECTIVES = ("$patch", "$retainKeys", "$setElementOrder/", "$deleteFromPrimitiveList/")
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
            return self.mapping(None, body, schema, path)
        if directive != "merge":
            raise SmpError(f"unknown $patch directive {directive!r}", (*path, "$patch"))
        # kyaml: a mapping the object lacks is the patch's own node, merged with itself
        result = dict(dest) if dest is not None else dict(body)
        for key, value in result.items():
            if key not in body:
                result[key] = self.keep(value, self.nav.field(schema, key), (*path, key))
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

    def keep(self, dest: Any, schema: Schema, path: tuple[str | int, ...]) -> Any:
        """A value the patch does not touch: kyaml still walks it and re-merges its lists."""
        if isinstance(dest, dict):
            return {key: self.keep(value, self.nav.field(schema, key), (*path, key))
                    for key, value in dest.items()}
        if not isinstance(dest, list):
            return dest
        rule = self.nav.list_rule(schema)
        if not rule.merge:
            return copy.deepcopy(dest)
        if not rule.keys:
            return _union([], dest)
        return self._by_keys(dest, [], rule.keys, self.nav.items(schema), path)

    def listing(
        self, dest: list[Any] | None, patch: list[Any], schema: Schema,
        path: tuple[str | int, ...],
    ) -> list[Any]:
        rule = self.nav.list_rule(schema)
        if not rule.merge:
            _refuse_directives(patch, path)
            return copy.deepcopy(patch)
        if dest is None:
            dest = patch  # kyaml: the patch's list, directives and all, merges with itself
        elif _first_directive(patch) is not None:
            directive = _list_directive(patch, path)
            patch = _elide(patch, directive)
            if directive == "replace":
                dest = patch
        if not rule.keys:
            return _union(patch, dest)
        return self._by_keys(dest, patch, rule.keys, self.nav.items(schema), path)

    def _by_keys(
        self, dest: list[Any], patch: list[Any], keys: tuple[str, ...], schema: Schema,
        path: tuple[str | int, ...],
    ) -> list[Any]:
        for index, item in enumerate(patch):
            if not isinstance(item, dict):
                raise SmpError("expected a mapping in a list merged by key", (*path, index))
            if all(item.get(key) is None for key in keys) and item.get("$patch") is None:
                raise SmpError(
                    f"list element has none of the merge keys {', '.join(keys)}", (*path, index))
        if not all(isinstance(item, dict) for item in dest):
            raise SmpError("the object's list merged by key has an element that is not a "
                           "mapping", path)

        def merge_item(old: Any, item: Any, index: int) -> tuple[Any, bool]:
            if item is None:
                return self.keep(old, schema, path), True
            merged = self.mapping(old, item, schema, (*path, index))
            in_place = old is not None and (old is item or item.get("$patch", "merge") == "merge")
            return (None if merged is DELETE else merged), in_place

        return listmerge.merge(dest, patch, keys, merge_item)


def _first_directive(patch: list[Any]) -> dict[str, Any] | None:
    """kyaml reads a list's directive from its first element with a ``$patch``, if alone."""
    first = next((item for item in patch if isinstance(item, dict) and "$patch" in item), None)
    return first if first is not None and len(first) == 1 else None


def _list_directive(patch: list[Any], path: tuple[str | int, ...]) -> str:
    first = _first_directive(patch)
    if first is None:
        return "merge"
    directive = first["$patch"]
    if directive not in ("merge", "replace"):
        raise SmpError(f"$patch: {directive} is not a directive for a list", path)
    return str(directive)


def _elide(patch: list[Any], directive: str) -> list[Any]:
    """kyaml drops every element with that ``$patch`` value (and empty elements)."""
    return [item for item in patch if item is not None and item != {}
            and not (isinstance(item, dict) and item.get("$patch") == directive)]


def _union(patch: list[Any], dest: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for item in [*patch, *dest]:
        text = _text(item)
        if text not in seen:
            seen.add(text)
            out.append(copy.deepcopy(item))
    return out


def _refuse_directives(value: Any, path: tuple[str | int, ...]) -> None:
    """A directive anywhere in a list that is replaced: Kustomize copies it as data."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_directives(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.startswith(_DIRECTIVES):
                raise SmpError(
                    f"{key!r} in a list without a merge key is not supported: the list is "
                    "replaced as a whole, and Kustomize copies the directive into the "
                    "output as data (the API server rejects it); write the list without it",
                    (*path, key))
            _refuse_directives(item, (*path, key))


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
