"""The one YAML module: a strict, bounded loader and a deterministic dumper.

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
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml import events, nodes

from generator.errors import CmgenError

MAX_DEPTH = 100
MAX_ALIAS_NODES = 100_000
MAX_FILE_BYTES = 64 * 1024 * 1024

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """A safe loader that rejects duplicate keys and counts alias reuse."""

    alias_hits = 0

    def construct_object(self, node: nodes.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects and not isinstance(node, nodes.ScalarNode):
            self.alias_hits += 1
        return super().construct_object(node, deep)

    def construct_mapping(self, node: nodes.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # Only the mapping's own keys can clash; keys merged in with "<<" may be overridden.
        seen: dict[Any, nodes.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
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
        return super().construct_mapping(node, deep)


def _strip_resolvers(loader: type, tags: set[str]) -> None:
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in tags]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }


# Kubernetes keeps timestamps as strings; "=" (the YAML "value" type) has no constructor.
_strip_resolvers(_StrictLoader, {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"})


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


def decode(raw: bytes, file: str) -> str:
    """Decode UTF-8 (a leading BOM is allowed and dropped); bad bytes are located."""
    if len(raw) > MAX_FILE_BYTES:
        raise CmgenError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CmgenError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", file, line, column
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, display: str | None = None) -> str:
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CmgenError("no such file", name) from None
    except IsADirectoryError:
        raise CmgenError("is a directory, not a file", name) from None
    except OSError as exc:
        raise CmgenError(f"cannot read: {exc.strerror}", name) from None
    return decode(raw, name)


def load_all(text: str, file: str) -> list[Document]:
    """Parse every document of a YAML stream; empty documents are dropped."""
    _check_depth(text, file)
    loader = _StrictLoader(text)
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


def _located(message: str, mark: yaml.Mark | None, file: str) -> CmgenError:
    if mark is None:
        return CmgenError(message, file)
    return CmgenError(message, file, mark.line + 1, mark.column + 1)


_OPEN = (events.MappingStartEvent, events.SequenceStartEvent)
_CLOSE = (events.MappingEndEvent, events.SequenceEndEvent)


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml's recursive composer sees it.

    Deep input makes the C composer overflow the stack (a crash, not an exception), so
    the depth is measured on the event stream, which is flat.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _located(
                        f"nesting is deeper than {MAX_DEPTH} levels", event.start_mark, file
                    )
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise _located(_yaml_message(exc), exc.problem_mark or exc.context_mark, file) from None


def _expand_aliases(data: Any, file: str, line: int) -> Any:
    """Copy a document built with aliases, so no two places share one object.

    The copy is bounded: a "billion laughs" document is refused, not expanded.
    """
    budget = [MAX_ALIAS_NODES]

    def copy(value: Any) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise CmgenError(
                f"aliases expand to more than {MAX_ALIAS_NODES} nodes (a YAML bomb?)", file, line, 1
            )
        if isinstance(value, dict):
            return {key: copy(item) for key, item in value.items()}
        if isinstance(value, list):
            return [copy(item) for item in value]
        return value

    return copy(data)


# --- locating a path -------------------------------------------------------------------

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
            node = loader.get_node()
            documents.append(None if node is None or _is_null(node) else node)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return tuple(documents)


def _is_null(node: nodes.Node) -> bool:
    return isinstance(node, nodes.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _child(node: nodes.Node, step: str | int) -> tuple[nodes.Node | None, nodes.Node] | None:
    if isinstance(node, nodes.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, nodes.ScalarNode) and key_node.value == str(step):
                return key_node, value_node
    elif isinstance(node, nodes.SequenceNode) and isinstance(step, int):
        if 0 <= step < len(node.value):
            return None, node.value[step]
    return None


def document_lines(text: str) -> list[int]:
    """1-based start line of each non-empty document, for files loaded without positions."""
    return [document.line for document in load_all(text, "<text>")]


# --- dumping ---------------------------------------------------------------------------

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


def _scalar(value: Any) -> str:
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
        if _PLAIN_OK.fullmatch(value) and not _PLAIN_BAD.search(value) and _resolves_to_str(value):
            return value
        return _quote(value)
    raise CmgenError(f"cannot write a value of type {type(value).__name__} to YAML: {value!r}")


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
        out.append(prefix + _scalar(value))


def _key(key: Any) -> str:
    if isinstance(key, str) and "\n" not in key:
        return _scalar(key)
    return _scalar(key) if not isinstance(key, str) else _quote(key)


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
