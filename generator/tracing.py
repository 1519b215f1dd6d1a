"""Tracing: which template line produced each line of a rendered text.

Jinja compiles a template to a Python generator; rendering it again chunk by chunk, the
innermost running generator (through ``yield from`` and ``{% include %}``) and its line
give the template and line of every chunk. A trace is computed on first use, so it costs
nothing when no finding needs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import GeneratorType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.render import Renderer


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
