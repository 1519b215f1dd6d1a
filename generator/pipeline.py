"""The orchestrator: the only code that knows the order of the stages.

    values -> render -> parse -> overlay -> dump -> validate -> lint -> docs

``build`` does all of it in memory and returns a ``Build``; nothing is written. The runs of
the commands (``generator.runs``) write a build only when it has no error findings. The docs stage adds
the report, charts and scripts computed from the final objects (``Options.docs``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from generator import addons, confine, docs, engines, graph, lint, overlay, progress, render, validate, values, yamlio
from generator.errors import CmgenError
from generator.findings import Finding
from generator.graph import Graph
from generator.k8s.identity import ObjectId
from generator.k8s.objects import Manifest, Placed, Source
from generator.options import Options
from generator.project import OutputTarget, Project
from generator.validate import crds
from generator.outputs import OutputFile


@dataclass
class Build:
    env: str
    target: OutputTarget
    files: dict[str, OutputFile] = field(default_factory=dict)
    manifests: list[Manifest] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    graph: Graph | None = None  # with the docs stage, or Options.graph


class Origin:
    """Where a rendered object sits in its render: traces a path back to its template line."""

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
    placed: list[Placed] = []
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
            placed.extend(_parse(rendered, project))
        elif rendered.text.strip():
            result.files[name] = OutputFile(
                _with_header(rendered, env, project).encode(), rendered.output.suffix == ".sh"
            )
    # Files in path order (the templates' order when each writes its own file); in a file,
    # objects keep template order, then render order (``sorted`` is stable).
    placed.sort(key=lambda item: PurePosixPath(item.file).parts)
    _check_unique(placed, project)
    observer.stage("overlay")
    kustomization = project.overlay(env)
    # Anything at that name is meant as the overlay: a folder or a broken link is an error.
    if options.overlays and (kustomization.exists() or kustomization.is_symlink()):
        try:
            placed = overlay.apply(kustomization, placed, project.config.kube_version, project.display)
        except CmgenError as error:
            raise error.within(f"while applying {project.display(kustomization)}") from None
    by_file: dict[str, list[Placed]] = {}
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
            result.manifests.append(Manifest(item.data, source, position, lines + 1, item.origin))
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
    # The project's CRDs (cached since validate read them) say which custom kinds have a
    # namespace: for lint, the graph and the deploy scripts alike.
    known = crds.scope_of(crd_paths)
    result.findings.extend(
        lint.lint(result.manifests, project.config.lint, addons=env_addons, known=known)
    )
    tree = project.display(target.tree)
    if options.docs and project.config.docs:
        observer.stage("docs")
        settings = docs.settings(merged.data, values.schema(project), project.config.docs_language)
        result.graph = graph.build(result.manifests, tree, settings.engines, known)  # the docs are drawn from it
        result.files.update(
            docs.generate(result.manifests, tree, env, result.files, settings, env_addons, result.graph, known)
        )
    elif options.graph:  # the graph alone needs only the engine table, not the docs' settings
        result.graph = graph.build(result.manifests, tree, engines.engines(merged.data), known)
    return result


def _parse(rendered: render.Rendered, project: Project) -> list[Placed]:
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
    template = project.template_name(rendered.template)
    for document in documents:
        where = functools.partial(_template_line, rendered, document.line, project)
        if not isinstance(document.data, dict):
            raise CmgenError("a rendered document is not a Kubernetes object (a mapping)", *where())
        # The object's file: its template's routes in cmgen.yaml ``layout``, if it has any.
        file = project.config.layout.file(template, rendered.output.as_posix(), document.data, where)
        objects.append(Placed(file, document.data, Origin(rendered, document.index)))
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


def _check_unique(objects: list[Placed], project: Project) -> None:
    seen: dict[ObjectId, Placed] = {}
    for item in objects:
        metadata = item.data.get("metadata") or {}
        kind = str(item.data.get("kind"))
        name = str(metadata.get("name"))
        first = seen.setdefault(ObjectId.of(item.data), item)
        if first is not item:
            origin = item.origin
            assert isinstance(origin, Origin)  # _parse gives every object one
            line, _ = yamlio.locate(origin.rendered.text, origin.index, ())
            raise CmgenError(
                f"{kind}/{name} is rendered twice (also in {first.file})",
                *_template_line(origin.rendered, line, project),
            )


def _template_of(items: list[Placed], project: Project) -> str:
    """What a file is generated from: its template, or the env's overlay."""
    for item in items:
        if isinstance(item.origin, Origin):
            return project.display(item.origin.rendered.template)
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
