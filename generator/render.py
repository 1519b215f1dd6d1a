"""Render: Jinja2 templates + values -> text, one output file per template.

- ``StrictUndefined``: a missing value is an error at the template line that used it.
- Every ``{{ expression }}`` passes through a serialiser chosen by the output type
  (``finalize``): in YAML a string is written plain only when that is safe and quoted
  otherwise, so a value with a newline or ``key: value`` in it stays one scalar and can
  never add a key or a document; mappings and lists become JSON flow collections. In
  shell scripts strings are shell-quoted. Structure comes from the templates alone
  (loops and ``{% include %}`` of ``_``-prefixed partials). Data a template needs
  computed comes from the functions of ``templatefuncs`` and from ``partial(name, **vars)``,
  a ``_``-prefixed YAML partial rendered and read back as data.
- Templates render in sorted order; the same inputs give the same text.
- Templates are data, not code: they run in Jinja2's immutable sandbox
  (``ImmutableSandboxedEnvironment``), so ``{{ cycler.__init__.__globals__.os.popen('id') }}``
  is a located error, not a shell command (docs/trust-model.md), and a template cannot
  change a list or mapping (``.append``, ``.update``: there is no ``{% do %}``); what it
  needs computed comes from ``templatefuncs`` and ``partial``. Python internals (``__class__``, ``__globals__``,
  ``func_code``, ...) are out of reach. Their compiled code differs from an unsandboxed
  environment's, so it is cached under a role of its own (``jinjacache``).

A rendered line can be traced back to the template line that produced it
(``tracing.Trace``), for findings on rendered objects.
"""

from __future__ import annotations

import json
import shlex
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from generator import jinjacache, templatefuncs, yamlio
from generator.errors import CmgenError
from generator.project import Project
from generator.templatefuncs import TemplateFailure
from generator.tracing import Trace


@dataclass(frozen=True)
class Rendered:
    template: Path
    output: Path  # relative to the env tree
    text: str
    trace: Trace


_SCALARS = (str, int, float, bool, type(None))
_FLOW_INDICATORS = frozenset(",[]{}")


def _defined(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises UndefinedError here, naming the missing value
    return value


def yaml_scalar(value: Any) -> str:
    """A value as YAML text on one line that reads back as exactly that value, in a block
    or inside a flow collection (``{name: {{ x }}}``)."""
    value = _defined(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if not isinstance(value, _SCALARS):
        raise TypeError(f"cannot write a {type(value).__name__} into YAML: {value!r}")
    text = yamlio.scalar(value)
    if isinstance(value, str) and text == value and _FLOW_INDICATORS.intersection(value):
        # plain is safe in a block, not inside a flow collection ``{name: x, value: a,b}``
        return json.dumps(value, ensure_ascii=False)
    return text


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


class Renderer:
    """Compiles each template once per process; renders any env with it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._environments: dict[str, jinja2.Environment] = {}

    def environment(self, suffix: str) -> jinja2.Environment:
        env = self._environments.get(suffix)
        if env is None:
            env = jinja2.sandbox.ImmutableSandboxedEnvironment(
                loader=jinja2.FileSystemLoader(self.project.templates_dir),
                undefined=jinja2.StrictUndefined,
                keep_trailing_newline=True,
                trim_blocks=True,
                lstrip_blocks=True,
                autoescape=False,
                finalize=_FINALIZERS.get(suffix, _text),
                bytecode_cache=jinjacache.for_environment(f"immutable-project{suffix}"),
            )
            env.filters.update(templatefuncs.FILTERS)
            env.globals.update(templatefuncs.GLOBALS)
            env.globals["partial"] = self._partial
            self._environments[suffix] = env
        return env

    @jinja2.pass_context
    def _partial(self, context: jinja2.runtime.Context, name: str, **variables: Any) -> Any:
        """``partial(name, **vars)`` in a template: the YAML partial ``name`` rendered with the
        caller's values and ``vars``, read back as data (Helm's ``include ... | fromYaml``).
        Its expressions are serialised as YAML whatever the caller's output type, and a key
        whose value is null is left out (``args: {{ args or none }}``: see ``compact``)."""
        if not name.endswith((".yaml.j2", ".yml.j2")):
            raise TemplateFailure(f"partial {name!r}: a partial read as data must be a .yaml.j2 template")
        template = self.environment(".yaml").get_template(name)
        text = template.render({**context.get_all(), **variables})
        try:
            return templatefuncs.compact(yamlio.load_one(text, name))
        except CmgenError as error:
            where = f" line {error.location.line}" if error.location.line else ""
            raise TemplateFailure(f"partial {name} (rendered){where}: {error.message}") from None

    def template(self, path: Path) -> jinja2.Template:
        name = self.project.template_name(path)
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
        except jinja2.sandbox.SecurityError as exc:
            message = f"not allowed in a template (templates run in a sandbox): {exc}"
            raise _runtime_error(message, self.project) from None
        except CmgenError as exc:  # a value finalize cannot serialise
            raise _runtime_error(exc.message, self.project) from None
        except (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError) as exc:
            raise _runtime_error(f"{type(exc).__name__}: {exc}", self.project) from None
        except RecursionError:
            raise _runtime_error("template recursion is too deep", self.project) from None
        except (MemoryError, OverflowError):
            raise _runtime_error(
                "the template builds a value too large to hold in memory", self.project
            ) from None
        if len(text) > yamlio.MAX_FILE_BYTES:
            raise CmgenError(
                f"the template renders more than {yamlio.MAX_FILE_BYTES // (1024 * 1024)} MiB "
                "(the size limit of every file cmgen reads)",
                self.project.display(path),
            )
        output = self.project.output_name(path)
        return Rendered(path, output, text, Trace(self, path, values))


def render_all(
    renderer: Renderer, values: dict[str, Any], each: Callable[[], object] = lambda: None
) -> list[Rendered]:
    """Every template of the project that renders with ``values`` (``when`` of cmgen.yaml), in
    sorted order; ``each`` is called after each one. A template that does not render is still
    compiled: its syntax errors show in every env."""
    project = renderer.project
    rendered = []
    for path in project.templates():
        if project.config.when.renders(project.template_name(path), values):
            rendered.append(renderer.render(path, values))
        else:
            renderer.template(path)
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
