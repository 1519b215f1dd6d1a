"""Jinja2 for the docs stage's own templates (``generator/docs/templates/``).

Like project templates: ``StrictUndefined``, and in ``.sh`` templates every ``{{ value }}``
is shell-quoted, so a name from the manifests can never inject a command."""

from __future__ import annotations

import functools
import shlex
from pathlib import Path
from typing import Any

import jinja2

from generator import jinjacache

TEMPLATES = Path(__file__).parent / "templates"


def _shell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        raise TypeError("a collection cannot be written into a shell script; loop over it")
    return shlex.quote(str(value))


def _cell(value: Any) -> str:
    """A Markdown table cell: pipes escaped, newlines folded."""
    return str(value).replace("|", "\\|").replace("\n", " ")


@functools.cache
def environment(suffix: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        finalize=_shell if suffix == ".sh" else None,
        bytecode_cache=jinjacache.for_environment(f"docs{suffix}"),
    )
    env.filters["cell"] = _cell
    return env


def render(name: str, **context: Any) -> str:
    return environment(Path(name).with_suffix("").suffix).get_template(name).render(**context)
