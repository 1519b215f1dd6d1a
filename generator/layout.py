"""Layout: which output file each rendered object goes to (``layout:`` in ``cmgen.yaml``).

A template not listed writes one file named after it (``a/b.yaml.j2`` -> ``a/b.yaml``). A
listed template sends every object it renders to the FIRST of its routes whose ``match``
selects it; ``match`` is a Kustomize patch target (``overlay.selector``: group, version,
kind, name and namespace as whole-string regular expressions, labelSelector,
annotationSelector), and a route without one takes everything. A route's ``file`` is a
path in the env's tree with placeholders ``{name}``, ``{namespace}`` (a Namespace's own
name for a Namespace) and ``{kind}``. Nothing is dropped: an object no route takes, or
one without a value for a placeholder, is an error at the template line that rendered it.

    layout:
      k8s-manifests/workloads.yaml.j2:
        - match: {kind: StatefulSet}
          file: k8s-manifests/workloads/database-statefulsets.yaml
        - file: k8s-manifests/workloads/{namespace}-deployments.yaml
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from generator import paths
from generator.errors import CmgenError
from generator.merge import dotted

if TYPE_CHECKING:  # the overlay package is imported only by a project that has routes
    from generator.overlay.reader import Reader
    from generator.overlay.selector import Selector

PLACEHOLDERS = ("name", "namespace", "kind")
SUFFIXES = paths.YAML_SUFFIXES
_ROUTE_KEYS = ("match", "file")
Where = Callable[[], tuple[str, "int | None"]]  # the template line that rendered an object


@dataclass(frozen=True)
class Route:
    file: str  # a path in the env's tree, with placeholders
    match: Selector | None  # None: a catch-all

    def takes(self, data: dict[str, Any]) -> bool:
        if self.match is None:
            return True
        from generator.overlay.resource import Resource, res_id

        return bool(self.match.select([Resource(data, "", res_id(data))]))


@dataclass(frozen=True)
class Routes:
    """The routes of one template, and the ``cmgen.yaml`` line that lists them."""

    template: str  # relative to templates/
    routes: tuple[Route, ...]
    line: int | None


@dataclass(frozen=True)
class Layout:
    templates: tuple[Routes, ...] = ()
    config_file: str = "cmgen.yaml"

    def file(self, template: str, default: str, data: dict[str, Any], where: Where) -> str:
        """The output file of ``data``, rendered by ``template`` (relative to templates/):
        ``default`` (named after the template) when the template has no routes. ``where()``
        gives the template line that rendered ``data`` (a trace: only asked for an error)."""
        routes = next((entry for entry in self.templates if entry.template == template), None)
        if routes is None:
            return default
        for route in routes.routes:
            if route.takes(data):
                return _fill(route.file, data, where)
        raise CmgenError(
            f"{_describe(data)}: no route of {template} takes it (its routes: "
            f"{self.config_file}:{routes.line}); add a route, or one without match",
            *where(),
        )


def read(value: Any, text: str, config_file: str, templates: Path) -> Layout:
    """The ``layout`` setting of ``cmgen.yaml`` (``text``), every mistake located there."""
    if value is None:
        return Layout((), config_file)
    from generator.overlay.reader import Reader

    reader = Reader(config_file, text, templates, str)
    entries: list[Routes] = []
    for template, name, path, routes in per_template(reader, value, "layout", "its routes", templates, routed=True):
        items = reader.listing(routes, path)
        if not items:
            raise reader.fail(path, f"layout.{template}: give at least one route")
        read_routes = tuple(_route(reader, item, (*path, i)) for i, item in enumerate(items))
        for i, route in enumerate(read_routes[:-1]):
            if route.match is None:
                raise reader.fail((*path, i + 1), f"layout.{template}[{i + 1}]: never used, "
                                  f"route {i} before it takes everything (it has no match)")
        entries.append(Routes(name, read_routes, reader.spot(path, key=True).line))
    return Layout(tuple(entries), config_file)


def per_template(
    reader: Reader, value: Any, setting: str, what: str, templates: Path, routed: bool = False
) -> Iterator[tuple[str, str, tuple[str, str], Any]]:
    """The entries of a ``cmgen.yaml`` setting keyed by template path (``layout``, ``when``):
    (the key, the template as the pipeline names it, the key's YAML path, its value). Each
    key must name a template that renders on its own (``template_problem``), once."""
    if not isinstance(value, dict):
        raise reader.fail((setting,), f"{setting} must be a mapping: template path -> {what}")
    seen: set[str] = set()
    for template, item in value.items():
        path = (setting, template)
        why = template_problem(template, templates, routed)
        if why is not None:
            raise reader.fail(path, f"{setting}: {template!r}: {why}", key=True)
        name = PurePosixPath(template).as_posix()  # as the pipeline names it: no ./ or //
        if name in seen:
            raise reader.fail(path, f"{setting}: {template!r} is listed twice", key=True)
        seen.add(name)
        yield template, name, path, item


def template_problem(template: Any, templates: Path, routed: bool = False) -> str | None:
    """Why ``template`` does not name a template of ``templates`` that renders on its own
    (and, when ``routed``, renders YAML objects): None when it does."""
    if not isinstance(template, str):
        return "a template is named by its path under templates/, a string"
    if (why := paths.problem(template)) is not None:
        return why
    parts = PurePosixPath(template).parts
    if paths.escapes(parts, PurePosixPath(template).is_absolute()):
        return "name a template by its path under templates/"
    if any(part.startswith("_") for part in parts):
        return "a partial ('_') renders nothing on its own: name the template that includes it"
    if routed and not template.endswith(tuple(suffix + ".j2" for suffix in SUFFIXES)):
        return "only templates of YAML objects (.yaml.j2, .yml.j2) are routed"
    if not (templates / template).is_file():
        return "no such template in templates/"
    return None


def _route(reader: Reader, item: Any, path: tuple[str | int, ...]) -> Route:
    from generator.overlay.selector import read_selector

    body = reader.mapping(item, path, _ROUTE_KEYS)
    if "file" not in body:
        raise reader.fail(path, f"{dotted(path)}: a route needs a file")
    file = reader.string(body["file"], (*path, "file"), empty=False)
    where = (*path, "file")
    if (why := paths.problem(file)) is not None:
        raise reader.fail(where, f"{file!r}: {why}")
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(file)
                  if name is not None]
    except ValueError as exc:
        raise reader.fail(where, f"{file!r}: {exc} (write a placeholder as {{name}})") from None
    for name, spec, conversion in fields:
        if name not in PLACEHOLDERS or spec or conversion:
            known = ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)
            raise reader.fail(where, f"{file!r}: unknown placeholder {{{name}}} (known: {known})")
    problem = _path_problem(file)
    if problem:
        raise reader.fail(where, f"{file!r}: {problem}")
    match = read_selector(reader, body["match"], (*path, "match")) if "match" in body else None
    return Route(file, match)


def _path_problem(file: str) -> str | None:
    path = PurePosixPath(file)
    if paths.escapes(path.parts, path.is_absolute()) or "\\" in file:
        return "the file must be a path inside the env's tree (relative, no '..')"
    if path.suffix not in SUFFIXES:
        return f"the file must end in {' or '.join(SUFFIXES)}: it holds YAML objects"
    if any(part.startswith(paths.OWN_PREFIX) for part in path.parts):
        return "names that start with .cmgen are cmgen's own files"
    return None


def _fill(pattern: str, data: dict[str, Any], where: Where) -> str:
    metadata = _metadata(data)
    kind = data.get("kind")
    name = metadata.get("name")
    namespace = name if kind == "Namespace" else metadata.get("namespace")
    facts = {"name": name, "namespace": namespace, "kind": kind}
    values = {}
    for field in {field for _, field, _, _ in string.Formatter().parse(pattern) if field}:
        value = facts[field]
        if value in (None, ""):
            raise CmgenError(f"{_describe(data)} has no {field} for the route's file {pattern!r}", *where())
        text = str(value)
        if "/" in text or "\\" in text or text in (".", "..") or paths.problem(text):
            raise CmgenError(f"{_describe(data)}: its {field} {text!r} cannot be part of a file name", *where())
        values[field] = text
    return pattern.format(**values)


def _metadata(data: dict[str, Any]) -> dict[str, Any]:
    metadata = data.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _describe(data: dict[str, Any]) -> str:
    metadata = _metadata(data)
    where = f" in namespace {metadata['namespace']}" if metadata.get("namespace") else ""
    return f"{data.get('kind')}/{metadata.get('name')}{where}"
