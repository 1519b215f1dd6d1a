"""The orchestrator: the only code that knows the order of the stages.

    values -> render -> parse -> overlay -> dump -> validate -> lint -> docs

``build`` does all of it in memory and returns a ``Build``; nothing is written. The runs of
the commands (``generator.runs``) write a build only when it has no error findings. The docs stage adds
the report, charts and scripts computed from the final objects (``Options.docs``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator import addons, confine, docs, graph, lint, overlay, progress, render, validate, values, yamlio
from generator.errors import CmgenError
from generator.findings import Finding
from generator.graph import Graph
from generator.k8s.identity import ObjectId
from generator.manifests import Manifest, Source
from generator.options import Options
from generator.project import OutputTarget, Project
from generator.outputs import OutputFile


@dataclass
class Build:
    env: str
    target: OutputTarget
    files: dict[str, OutputFile] = field(default_factory=dict)
    manifests: list[Manifest] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    graph: Graph | None = None  # with the docs stage, or Options.graph


@dataclass(frozen=True)
class RenderedObject:
    """An object parsed from a rendered template, and where in that render it sits."""

    file: str
    data: dict[str, Any]
    rendered: render.Rendered
    index: int


class Origin:
    """Traces a path of a rendered object back to its template line."""

    def __init__(self, rendered: render.Rendered, index: int) -> None:
        self.rendered = rendered
        self.index = index

    def trace(self, path: Sequence[str | int]) -> str:
        line, _ = yamlio.locate(self.rendered.text, self.index, path)
        return self.rendered.trace.line(line)


def build(
    project: Project,
    env: str,
    options: Options = Options(),
    renderer: render.Renderer | None = None,
    observer: progress.Observer = progress.NULL,
) -> Build:
    """Every stage in order; ``observer`` hears when each starts (see ``progress``)."""
    try:
        return _build(project, env, options, renderer or render.Renderer(project), observer)
    except CmgenError as error:
        raise error.within(f"while rendering env {env}") from None


def _build(
    project: Project,
    env: str,
    options: Options,
    renderer: render.Renderer,
    observer: progress.Observer,
) -> Build:
    confine.inputs(project)  # no input may be a symlink leading out of the project
    observer.stage("values")
    merged = values.load(
        project, env, options.sets, options.values_files, options.set_strings, options.set_files
    )
    env_addons = addons.load(merged, env)
    target = project.output(env, options.out, options.out_per_env)
    result = Build(env, target)
    objects: list[RenderedObject] = []
    # Templates see the values plus three facts: the env's name, where its tree goes, and the
    # language of the project's docs (cmgen.yaml ``docs: {language: ko}``; "en" by default).
    context = dict(
        merged.data, env=env, output_path=project.display(target.tree), docs_language=project.config.docs_language
    )
    observer.stage("render", len(project.templates()))
    renders = render.render_all(renderer, context, observer.advance)
    observer.stage("parse", len(renders))
    for rendered in renders:
        observer.advance()
        name = rendered.output.as_posix()
        if rendered.output.suffix in (".yaml", ".yml"):
            objects.extend(_parse(rendered, project))
        elif rendered.text.strip():
            result.files[name] = OutputFile(
                _with_header(rendered, env, project).encode(), rendered.output.suffix == ".sh"
            )
    _check_unique(objects, project)
    observer.stage("overlay")
    placed = [overlay.Placed(item.file, item.data, Origin(item.rendered, item.index)) for item in objects]
    kustomization = project.overlay(env)
    # Anything at that name is meant as the overlay: a folder or a broken link is an error.
    if options.overlays and (kustomization.exists() or kustomization.is_symlink()):
        try:
            placed = overlay.apply(kustomization, placed, project.config.kube_version, project.display)
        except CmgenError as error:
            raise error.within(f"while applying {project.display(kustomization)}") from None
    by_file: dict[str, list[overlay.Placed]] = {}
    for item in placed:
        by_file.setdefault(item.file, []).append(item)
    observer.stage("dump", len(by_file))
    for name, items in by_file.items():
        observer.advance()
        header = _yaml_header(_template_of(items, project), env)
        parts = [header]
        lines = header.count("\n")
        source = Source(project.display(target.tree / name), "")
        for position, item in enumerate(items):
            dumped = yamlio.dump(item.data)
            parts.append(dumped)
            result.manifests.append(Manifest(item.data, source, position, lines + 1, item.source))
            lines += dumped.count("\n")
        source.text = "".join(parts)
        result.files[name] = OutputFile(source.text.encode())
    observer.stage("validate", len(result.manifests))
    kube_version = options.kube_version or project.config.kube_version
    crd_paths = [*project.config.crds, *options.crds]
    report = validate.validate(
        result.manifests, kube_version, crd_paths, require_schemas=options.require_schemas
    )
    result.findings.extend(report.findings)
    observer.stage("lint", len(result.manifests))
    result.findings.extend(lint.lint(result.manifests, project.config.lint, addons=env_addons))
    tree = project.display(target.tree)
    if options.docs and project.config.docs:
        observer.stage("docs")
        result.graph = graph.build(result.manifests, tree)  # the docs are drawn from it
        settings = docs.settings(merged.data, values.schema(project), project.config.docs_language)
        result.files.update(
            docs.generate(result.manifests, tree, env, result.files, settings, env_addons, result.graph)
        )
    elif options.graph:
        result.graph = graph.build(result.manifests, tree)
    return result


def _parse(rendered: render.Rendered, project: Project) -> list[RenderedObject]:
    try:
        documents = yamlio.load_all(rendered.text, project.display(rendered.template))
    except CmgenError as error:
        line = error.location.line
        file, template_line = _template_line(rendered, line, project)
        raise CmgenError(
            f"the template renders invalid YAML (rendered line {line}): {error.message}",
            file,
            template_line,
        ) from None
    objects = []
    for document in documents:
        if not isinstance(document.data, dict):
            raise CmgenError(
                "a rendered document is not a Kubernetes object (a mapping)",
                *_template_line(rendered, document.line, project),
            )
        objects.append(
            RenderedObject(rendered.output.as_posix(), document.data, rendered, document.index)
        )
    return objects


def _template_line(
    rendered: render.Rendered, line: int | None, project: Project
) -> tuple[str, int | None]:
    """The template file and line that produced a line of rendered text."""
    where = rendered.trace.line(line) if line else ""
    if not where:
        return project.display(rendered.template), None
    file, _, number = where.rpartition(":")
    return file, int(number)


def _check_unique(objects: list[RenderedObject], project: Project) -> None:
    seen: dict[ObjectId, RenderedObject] = {}
    for item in objects:
        metadata = item.data.get("metadata") or {}
        kind = str(item.data.get("kind"))
        name = str(metadata.get("name"))
        first = seen.setdefault(ObjectId.of(item.data), item)
        if first is not item:
            line, _ = yamlio.locate(item.rendered.text, item.index, ())
            raise CmgenError(
                f"{kind}/{name} is rendered twice (also in {first.file})",
                *_template_line(item.rendered, line, project),
            )


def _template_of(items: list[overlay.Placed], project: Project) -> str:
    """What a file is generated from: its template, or the env's overlay."""
    for item in items:
        if isinstance(item.source, Origin):
            return project.display(item.source.rendered.template)
    return "the env's overlay"


def _yaml_header(source: str, env: str) -> str:
    return "".join(f"# {line}\n" for line in _notice(source, env))


def _notice(source: str, env: str) -> list[str]:
    return [
        f"Generated by cmgen from {source} for env {env}.",
        f"Do not edit by hand: change templates/, values/ or overlays/, then run: cmgen render --env {env}",
    ]


def _with_header(rendered: render.Rendered, env: str, project: Project) -> str:
    notice = _notice(project.display(rendered.template), env)
    text = rendered.text
    suffix = rendered.output.suffix
    if suffix == ".md":
        return f"<!-- {' '.join(notice)} -->\n" + text
    if suffix == ".sh":
        shebang, newline, rest = text.partition("\n")
        if shebang.startswith("#!"):
            return shebang + newline + "".join(f"# {line}\n" for line in notice) + rest
        return "".join(f"# {line}\n" for line in notice) + text
    return text
