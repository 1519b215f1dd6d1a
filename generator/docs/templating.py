"""Jinja2 for the docs stage's own templates (``generator/docs/templates/``).

Like project templates: ``StrictUndefined``, and in ``.sh`` templates every ``{{ value }}``
is shell-quoted, so a name from the manifests can never inject a command."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from generator import jinjacache
from generator.render import shell_value

TEMPLATES = Path(__file__).parent / "templates"


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
        finalize=shell_value if suffix == ".sh" else None,
        bytecode_cache=jinjacache.for_environment(f"docs{suffix}"),
    )
    env.filters["cell"] = _cell
    return env


def render(name: str, **context: Any) -> str:
    return environment(Path(name).with_suffix("").suffix).get_template(name).render(**context)
