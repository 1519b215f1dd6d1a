"""Render: Jinja2 templates + values -> text, one output file per template.

- ``StrictUndefined``: a missing value is an error at the template line that used it.
- Every ``{{ expression }}`` passes through a serialiser chosen by the output type
  (``finalize``): in YAML a string is written plain only when that is safe and quoted
  otherwise, so a value with a newline or ``key: value`` in it stays one scalar and can
  never add a key or a document; mappings and lists become JSON flow collections. In
  shell scripts strings are shell-quoted. Structure comes from the templates alone
  (loops and ``{% include %}`` of ``_``-prefixed partials).
- Templates render in sorted order; the same inputs give the same text.

A rendered line can be traced back to the template line that produced it (``Trace``),
for findings on rendered objects. Tracing re-renders on demand, so it costs nothing when
there is nothing to report.
"""

from __future__ import annotations

import json
import shlex
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import GeneratorType
from typing import Any

import jinja2

from generator import jinjacache, yamlio
from generator.errors import CmgenError
from generator.project import Project


@dataclass(frozen=True)
class Rendered:
    template: Path
    output: Path  # relative to the env tree
    text: str
    trace: Trace


_SCALARS = (str, int, float, bool, type(None))


def _defined(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises UndefinedError here, naming the missing value
    return value


def yaml_scalar(value: Any) -> str:
    """A value as YAML text on one line that reads back as exactly that value."""
    value = _defined(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if not isinstance(value, _SCALARS):
        raise TypeError(f"cannot write a {type(value).__name__} into YAML: {value!r}")
    return yamlio.scalar(value)


def shell_value(value: Any) -> str:
    """A value as one shell word (the finalizer of every ``.sh`` template, cmgen's own too)."""
    value = _defined(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        raise TypeError("a collection cannot be written into a shell script; loop over it")
    return shlex.quote(str(value))


def _text(value: Any) -> str:
    return "" if value is None else str(_defined(value))


_FINALIZERS: dict[str, Callable[[Any], str]] = {".yaml": yaml_scalar, ".yml": yaml_scalar, ".sh": shell_value}


def _to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, indent=indent, sort_keys=False, ensure_ascii=False)


class TemplateFailure(Exception):
    """Raised by ``fail()`` in a template: the values are wrong in a way a schema can't say."""


def _fail(message: str) -> None:
    raise TemplateFailure(message)


def _one(items: Any, attribute: str, value: Any, what: str = "item") -> Any:
    """The single item of ``items`` whose ``attribute`` equals ``value``; else a clear error."""
    found = [item for item in items if item.get(attribute) == value]
    if len(found) != 1:
        problem = "no" if not found else f"{len(found)}"
        raise TemplateFailure(f"{problem} {what} with {attribute} {value!r}")
    return found[0]


class Renderer:
    """Compiles each template once per process; renders any env with it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._environments: dict[str, jinja2.Environment] = {}

    def environment(self, suffix: str) -> jinja2.Environment:
        env = self._environments.get(suffix)
        if env is None:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(self.project.templates_dir),
                undefined=jinja2.StrictUndefined,
                keep_trailing_newline=True,
                trim_blocks=True,
                lstrip_blocks=True,
                autoescape=False,
                extensions=["jinja2.ext.do"],
                finalize=_FINALIZERS.get(suffix, _text),
                bytecode_cache=jinjacache.for_environment(f"project{suffix}"),
            )
            env.filters["to_json"] = _to_json
            env.globals["fail"] = _fail
            env.globals["one"] = _one
            self._environments[suffix] = env
        return env

    def template(self, path: Path) -> jinja2.Template:
        name = path.relative_to(self.project.templates_dir).as_posix()
        suffix = Path(name).with_suffix("").suffix
        try:
            return self.environment(suffix).get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc, self.project) from None
        except jinja2.TemplateNotFound as exc:
            raise CmgenError(f"template not found: {exc.name}", self.project.display(path)) from None

    def render(self, path: Path, values: dict[str, Any]) -> Rendered:
        template = self.template(path)
        try:
            text = template.render(values)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc, self.project) from None
        except jinja2.TemplateNotFound as exc:
            raise _runtime_error(f"template not found: {exc.name}", self.project) from None
        except jinja2.UndefinedError as exc:
            raise _runtime_error(f"undefined value: {exc.message}", self.project) from None
        except TemplateFailure as exc:
            raise _runtime_error(str(exc), self.project) from None
        except CmgenError as exc:  # a value finalize cannot serialise
            raise _runtime_error(exc.message, self.project) from None
        except (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError) as exc:
            raise _runtime_error(f"{type(exc).__name__}: {exc}", self.project) from None
        except RecursionError:
            raise _runtime_error("template recursion is too deep", self.project) from None
        output = self.project.output_name(path)
        return Rendered(path, output, text, Trace(self, path, values))


def render_all(
    renderer: Renderer, values: dict[str, Any], each: Callable[[], object] = lambda: None
) -> list[Rendered]:
    """Every template of the project, in sorted order; ``each`` is called after each one."""
    rendered = []
    for path in renderer.project.templates():
        rendered.append(renderer.render(path, values))
        each()
    return rendered


def _syntax_error(exc: jinja2.TemplateSyntaxError, project: Project) -> CmgenError:
    file = project.display(Path(exc.filename)) if exc.filename else exc.name
    return CmgenError(f"template syntax: {exc.message}", file, exc.lineno, 1)


def _runtime_error(message: str, project: Project) -> CmgenError:
    """Place an error raised while rendering at the innermost template line in the traceback."""
    _, _, tb = sys.exc_info()
    templates = str(project.templates_dir)
    for frame, line in reversed(list(traceback.walk_tb(tb))):
        filename = frame.f_code.co_filename
        if filename.startswith(templates):
            return CmgenError(message, project.display(Path(filename)), line, 1)
    return CmgenError(message)


# --- tracing output lines back to template lines -----------------------------------------


@dataclass
class Trace:
    """Maps lines of one rendered text to ``template:line``; computed on first use."""

    renderer: Renderer
    template: Path
    values: dict[str, Any]
    _lines: list[str] | None = field(default=None, repr=False)

    def line(self, output_line: int) -> str:
        if self._lines is None:
            self._lines = self._compute()
        if 1 <= output_line <= len(self._lines):
            return self._lines[output_line - 1]
        return ""

    def _compute(self) -> list[str]:
        template = self.renderer.template(self.template)
        owners: dict[int, str] = {}
        line = 1
        chunks = _traced(template.root_render_func(template.new_context(self.values)), self.renderer)
        for chunk, (file, start) in chunks:
            parts = chunk.split("\n")
            for offset, part in enumerate(parts):
                if part.strip() and line not in owners and file:
                    owners[line] = f"{file}:{start + offset}"
                if offset < len(parts) - 1:
                    line += 1
        return [owners.get(number, "") for number in range(1, line + 1)]


def _traced(generator: Iterator[str], renderer: Renderer) -> Iterator[tuple[str, tuple[str, int]]]:
    """Each chunk a template yields, with the template and line of the innermost generator."""
    sources: dict[Path, str] = {}
    # Per code file: its (template line, code line) pairs, shown name and path (None: not
    # a project template). Jinja re-parses the pairs on every get_corresponding_lineno.
    files: dict[str, tuple[list[tuple[int, int]], str, Path] | None] = {}
    for chunk in generator:
        frame = getattr(_innermost(generator), "gi_frame", None)
        where: tuple[str, int] = ("", 0)
        if frame is not None:
            filename = frame.f_code.co_filename
            if filename not in files:
                path = Path(filename)
                inside = path.is_relative_to(renderer.project.templates_dir)
                files[filename] = (
                    (renderer.template(path).debug_info, renderer.project.display(path), path)
                    if inside
                    else None
                )
            known = files[filename]
            if known is not None:
                pairs, shown, path = known
                lineno = _template_lineno(pairs, frame.f_lineno)
                if chunk in frame.f_code.co_consts:  # template text, not an expression's value
                    source = sources.setdefault(path, path.read_text(encoding="utf-8"))
                    lineno = _text_line(source, chunk, lineno)
                where = (shown, lineno)
        yield chunk, where


def _template_lineno(pairs: list[tuple[int, int]], code_line: int) -> int:
    """``jinja2.Template.get_corresponding_lineno``, over pairs parsed once."""
    for template_line, line in reversed(pairs):
        if line <= code_line:
            return template_line
    return 1


def _text_line(source: str, text: str, after: int) -> int:
    """The line where template text starts, searched from line ``after``.

    Jinja marks only tags and expressions with their line; text that follows a tag whose
    newline was trimmed (``trim_blocks``), or a comment, starts on a later line.
    """
    start = 0
    for _ in range(after - 1):
        start = source.find("\n", start) + 1
        if start == 0:
            return after
    found = source.find(text, start)
    return after if found < 0 else source.count("\n", 0, found) + 1


def _innermost(generator: Any) -> Any:
    """The generator that produced the current chunk: through ``yield from``, and through
    ``{% include %}``, which Jinja compiles to a loop over the partial's generator ``gen``."""
    inner = generator
    while True:
        following = getattr(inner, "gi_yieldfrom", None)
        if not isinstance(following, GeneratorType) and inner.gi_frame is not None:
            following = inner.gi_frame.f_locals.get("gen")
        if not isinstance(following, GeneratorType) or following.gi_frame is None:
            return inner
        inner = following
