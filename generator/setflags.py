"""What a ``--set``, ``--set-string`` or ``--set-file`` assignment may say: its value, and the
list items it names (by their merge key, never by index; only items that exist)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import yamlio
from generator.errors import CmgenError
from generator.suggest import did_you_mean

if TYPE_CHECKING:
    from generator.merge import Key, Values


def value(flag: str, raw: str, where: str) -> Any:
    if flag == "--set-string":
        return raw
    if flag == "--set-file":
        try:
            return Path(raw).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise CmgenError(f"{where}: cannot read {raw}: {reason}") from None
    return yamlio.load_one(raw, where) if raw.strip() else ""


_INDEXED = re.compile(r"(.*)\[(-?[0-9]+)\]")


def refuse_index(
    step: str, pattern: list[str | int], merge_keys: Mapping[Key, str], current: Values, what: str
) -> None:
    """``apps[0]``: Helm's index syntax; cmgen selects list items by their merge key."""
    indexed = _INDEXED.fullmatch(step)
    if indexed is None:
        return
    lists = {str(path[-1]): key for path, key in merge_keys.items() if list(path[:-1]) == pattern}
    name = indexed.group(1) if indexed.group(1) in lists else next(iter(sorted(lists)), "")
    example = ""
    if name:
        items = _at(current.data, [*(str(step) for step in pattern if step != "*"), name])
        first = items[0].get(lists[name]) if isinstance(items, list) and items else "NAME"
        example = f": e.g. {name}.{first}.FIELD=VALUE (items merge by {lists[name]!r})"
    raise CmgenError(f"{what}: list items are selected by name, not by index [{indexed.group(2)}]{example}")


def _at(data: Any, steps: Sequence[str]) -> Any:
    for step in steps:
        data = data.get(step) if isinstance(data, dict) else None
    return data


def check_items(steps: list[str], selectors: list[str | None], current: Values, what: str) -> None:
    """A step that selects an item of an existing list by name must name an existing item."""
    node: Any = current.data
    for position, (step, selector) in enumerate(zip(steps, selectors)):
        if selector is None:
            node = node.get(step) if isinstance(node, dict) else None
            continue
        if not isinstance(node, list):
            return  # no such list yet: the --set makes it
        items = [item for item in node if isinstance(item, dict)]
        names = [str(item.get(selector)) for item in items]
        if step not in names:
            where = ".".join(steps[:position])
            raise CmgenError(
                f"{what}: {where} has no item with {selector} {step!r}"
                f"{did_you_mean(step, names)}; a --set changes an item, it does not add "
                "one (add new items in a values file)"
            )
        node = items[names.index(step)]
