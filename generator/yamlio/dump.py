"""Dumping YAML: one deterministic, yamllint-clean format for every file cmgen writes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import yaml

from generator.errors import CmgenError

_STR_TAG = "tag:yaml.org,2002:str"


_PLAIN_OK = re.compile(r"[A-Za-z0-9_./(][^\n\t\r]*")
_PLAIN_BAD = re.compile(r": |\s#|:$|\s$|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_NEEDS_ESCAPE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# Plain scalars that some YAML reader (1.1 or 1.2, PyYAML, go-yaml, yamllint) would read
# as something other than a string: they are always quoted on output.
_AMBIGUOUS = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?0[xXoObB][0-9a-fA-F_]+"
    r"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?"
    r"|(?i:y|n|yes|no|on|off|true|false|null|~)"
)
_STANDARD_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers


def _resolves_to_str(value: str) -> bool:
    if _AMBIGUOUS.fullmatch(value):
        return False
    for tag, regexp in _STANDARD_RESOLVERS.get(value[:1], []):
        if regexp.match(value):
            return tag == _STR_TAG
    return True


def _quote(value: str) -> str:
    quoted = json.dumps(value, ensure_ascii=False)
    return _NEEDS_ESCAPE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


# Strings repeat (keys, names, labels): their text is computed once. Bounded, short only.
_STRINGS: dict[str, str] = {}
_STRINGS_MAX = 100_000
_STRING_CACHED_LENGTH = 200


def scalar(value: Any) -> str:
    """One scalar as YAML text on one line (strings quoted when plain would be unsafe)."""
    if type(value) is str:
        text = _STRINGS.get(value)
        if text is None:
            text = _string(value)
            if len(value) <= _STRING_CACHED_LENGTH and len(_STRINGS) < _STRINGS_MAX:
                _STRINGS[value] = text
        return text
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    raise CmgenError(f"cannot write a value of type {type(value).__name__} to YAML: {value!r}")


def _string(value: str) -> str:
    if _PLAIN_OK.fullmatch(value) and not _PLAIN_BAD.search(value) and _resolves_to_str(value):
        return value
    return _quote(value)


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "." not in text:
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0" + (f"e{exponent}" if exponent else "")
    return text


def _literal_ok(value: str) -> bool:
    if "\n" not in value or value.endswith("\n\n") or value.startswith((" ", "\n")):
        return False
    if "\r" in value or "\t" in value or _NEEDS_ESCAPE.search(value):
        return False
    return all(line == line.rstrip() for line in value.split("\n")) and all(
        ch >= " " for ch in value.replace("\n", "")
    )


def _emit(value: Any, indent: int, out: list[str], prefix: str) -> None:
    """Append lines for ``value``; ``prefix`` is the text already on the current line."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        first = True
        for key, item in value.items():
            head = (prefix if first else pad) + _key(key) + ":"
            first = False
            _emit_child(item, indent, out, head)
    elif isinstance(value, list) and value:
        first = True
        for item in value:
            head = (prefix if first else pad) + "- "
            first = False
            if isinstance(item, (dict, list)) and item:
                _emit(item, indent + 2, out, head)
            else:
                _emit_scalar(item, indent + 2, out, head)
    elif isinstance(value, dict):
        out.append(prefix + "{}")
    elif isinstance(value, list):
        out.append(prefix + "[]")
    else:
        _emit_scalar(value, indent, out, prefix)


def _emit_child(item: Any, indent: int, out: list[str], head: str) -> None:
    if isinstance(item, dict) and item:
        out.append(head)
        _emit(item, indent + 2, out, " " * (indent + 2))
    elif isinstance(item, list) and item:
        out.append(head)
        _emit(item, indent + 2, out, " " * (indent + 2))
    else:
        _emit_scalar(item, indent + 2, out, head + " ")


def _emit_scalar(value: Any, indent: int, out: list[str], prefix: str) -> None:
    if isinstance(value, str) and _literal_ok(value):
        chomp = "" if value.endswith("\n") else "-"
        out.append(prefix + "|" + chomp)
        pad = " " * indent
        out.extend(pad + line if line else "" for line in value.removesuffix("\n").split("\n"))
    elif isinstance(value, dict):
        out.append(prefix + "{}")
    elif isinstance(value, list):
        out.append(prefix + "[]")
    else:
        out.append(prefix + scalar(value))


def _key(key: Any) -> str:
    if isinstance(key, str) and "\n" not in key:
        return scalar(key)
    return scalar(key) if not isinstance(key, str) else _quote(key)


def dump(data: Any) -> str:
    """One document, starting with ``---``: block style, 2-space indents, indented lists.

    The output is the same bytes for the same data on every machine, passes yamllint's
    default rules, and loads back (with ``load_all``) to equal data.
    """
    out: list[str] = ["---"]
    if isinstance(data, (dict, list)) and data:
        _emit(data, 0, out, "")
    else:
        _emit_scalar(data, 0, out, "")
    return "\n".join(out) + "\n"


def dump_all(documents: Iterable[Any], header: str = "") -> str:
    """Several documents in one stream, after an optional comment header."""
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + "".join(dump(document) for document in documents)


def iter_paths(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every path in a document, parents before children (for tests and provenance)."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for position, value in enumerate(data):
            yield from iter_paths(value, (*prefix, position))
