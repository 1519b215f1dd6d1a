"""How deep a YAML text nests, without composing it.

libyaml's composer is recursive in C and overflows the stack on deep input (a crash, not
an exception), so the loader refuses nesting deeper than ``MAX_DEPTH`` first: ``shallow``
is a cheap bound from the text that clears almost every real file, and ``too_deep`` walks
the (flat) event stream for the rest. docs/performance.md explains why the bound is safe.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from yaml import events

MAX_DEPTH = 100

_OPEN = (events.MappingStartEvent, events.SequenceStartEvent)
_CLOSE = (events.MappingEndEvent, events.SequenceEndEvent)


# libyaml also breaks lines at a lone CR, NEL, LS and PS; the screen sees only "\n" and
# gives up on text that has them.
_LONE_CR = re.compile("\r(?!\n)")
_DOCUMENT_START = re.compile(r"\n---(?=[ \t\r\n]|$)")
# A line's indentation, the BOM libyaml skips at a line start, and the indicators after
# which a block collection may start on the same line ("- - x", "? x", ": x", "--- x").
_PREFIX = "[ \t\ufeff?:-]"


@functools.lru_cache(maxsize=None)
def _prefixes_longer_than(length: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """At a line start, and after a newline (a literal first character: a fast search)."""
    return re.compile(f"{_PREFIX}{{{length + 1}}}"), re.compile(f"\n{_PREFIX}{{{length + 1}}}")


def shallow(text: str, limit: int = MAX_DEPTH) -> bool:
    """A cheap screen: True only when no document of ``text`` can nest deeper than ``limit``.

    A bound from the text alone, per document (a ``---`` at column 0 ends one, so depth
    cannot carry across it):

    - block collections: each level starts at a strictly greater column than its parent,
      except a sequence written as a mapping's value at the key's own column (at most one
      such level per column). A block collection starts only after a line's indentation
      and indicators (``- ``, ``? ``, ``: ``), so with P the longest such prefix of any
      line, block depth <= 2P + 2;
    - flow collections: each level needs its own ``{`` or ``[``, and a ``[`` may hold a
      single-pair mapping (``[a: b]``) one level deeper: flow depth <= {'s + 2 x ['s.

    Both counts over-estimate (brackets in strings count too), so a False only means the
    exact event walk (``too_deep``) must decide.
    """
    if ("\r" in text and _LONE_CR.search(text)) or any(c in text for c in "\x85\u2028\u2029"):
        return False
    starts = [match.start() + 1 for match in _DOCUMENT_START.finditer(text)]
    for start, end in zip([0, *starts], [*starts, len(text)]):
        flow = text.count("{", start, end) + 2 * text.count("[", start, end)
        room = limit - flow - 2
        if room < 0:
            return False
        first_line, other_lines = _prefixes_longer_than(room // 2)
        if first_line.match(text, start, end) or other_lines.search(text, start, end):
            return False
    return True


def too_deep(text: str, loader: Any, limit: int = MAX_DEPTH) -> Any:
    """The mark where the event stream first opens a collection deeper than ``limit``, or
    None. A YAML syntax error propagates (``yaml.MarkedYAMLError``)."""
    level = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _OPEN):
            level += 1
            if level > limit:
                return event.start_mark
        elif isinstance(event, _CLOSE):
            level -= 1
    return None
