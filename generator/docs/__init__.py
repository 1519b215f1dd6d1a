"""The docs stage: the tree's analysis report, charts and scripts, generated from the
rendered objects (never from values), so they describe exactly what the manifests create.

``generate`` returns files relative to the env tree; the pipeline adds them to the build
after lint. A file a project template already renders (e.g. its own ``scripts/cleanup.sh``)
is left to the template.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from generator.addons import Addons
from generator.docs import charts, deploy, plan, report, templating
from generator.docs.settings import Settings, settings
from generator.graph import Graph, build
from generator.graph.model import Route
from generator.k8s.objects import Manifest
from generator.k8s.scope import Scope
from generator.outputs import OutputFile

REPORT = "docs/network-storage-analysis.md"
SCREENSHOTS = "docs/screenshots"
DEPLOY_MARKER = b"<!-- cmgen:deploy -->"  # where a project's README gets its Deploy section
SCRIPTS = ("install-addons.sh", "deploy-networking.sh", "deploy-storage.sh", "deploy-all.sh", "test-connectivity.sh",
           "cleanup.sh")


def generate(
    manifests: list[Manifest],
    tree: str,
    env: str,
    files: Mapping[str, OutputFile],
    options: Settings = Settings(),
    addons: Addons | None = None,
    graph: Graph | None = None,
    known: Scope | None = None,
) -> dict[str, OutputFile]:
    """Docs of ``manifests``; ``tree`` is the prefix of their source names (the env tree);
    ``addons``: the env's add-ons (scripts/install-addons.sh and deploy-all.sh's preflight);
    ``graph``: the platform graph of ``manifests`` when the caller built it already;
    ``known``: the kinds' scope (a project's CRDs teach it theirs)."""
    graph = graph or build(manifests, tree, options.engines, known)
    kinds = {manifest.kind for manifest in manifests}
    text = render_report(graph, env, {n: f.data for n, f in files.items()}, kinds, options)
    output = {REPORT: OutputFile(text.encode())}
    for name, (kind, source) in charts.charts(graph).items():
        # Drawn only when its bytes are needed (written, or compared with a drifted chart).
        draw = functools.partial(charts.draw, kind, source)
        output[f"{SCREENSHOTS}/{name}"] = OutputFile.drawn(charts.digest(source), draw)
    context = _context(graph, env, deploy.deploy(manifests, addons, known), deploy.refusals(manifests), options)
    for name in SCRIPTS:
        output[f"scripts/{name}"] = OutputFile(templating.render(f"{name}.j2", **context).encode(), executable=True)
    # A project's Markdown file (its README) gets the Deploy section in place of the marker:
    # the prose comes from the same data as the scripts.
    section = templating.render(_in(options.language, "deploy.md.j2"), **context).encode()
    filled = {name: OutputFile(file.data.replace(DEPLOY_MARKER, section.rstrip(b"\n")))
              for name, file in files.items() if name.endswith(".md") and DEPLOY_MARKER in file.data}
    return {name: item for name, item in output.items() if name not in files} | filled


def render_report(
    graph: Graph, env: str, files: dict[str, bytes], kinds: set[str], options: Settings = Settings()
) -> str:
    """The analysis report, in ``options.language`` (one template per language, same facts)."""
    return templating.render(_in(options.language, "network-storage-analysis.md.j2"),
                             **report.context(graph, env, files, kinds, options))


def _in(language: str, template: str) -> str:
    """The ``template`` of one ``language``: ``deploy.md.j2`` in ko is ``deploy.ko.md.j2``."""
    if language == "en":
        return template
    stem, _, suffixes = template.partition(".")
    return f"{stem}.{language}.{suffixes}"


def scripts(
    graph: Graph, env: str, needs: deploy.Deploy | None = None, refusals: tuple[str, ...] = (),
    options: Settings = Settings(),
) -> dict[str, str]:
    context = _context(graph, env, needs or deploy.Deploy((), frozenset(), (), (), ()), refusals, options)
    return {name: templating.render(f"{name}.j2", **context) for name in SCRIPTS}


def _context(
    graph: Graph, env: str, needs: deploy.Deploy, refusals: tuple[str, ...], options: Settings
) -> dict[str, object]:
    steps = plan.plan(graph, env, needs.custom_kinds, {s.name: s.namespace for s in needs.sources})
    with_claims = {claim.namespace for claim in graph.claims}
    routes_per_host: dict[str, Route] = {}
    for route in graph.routes:
        routes_per_host.setdefault(route.host, route)
    context = {
        "graph": graph,
        "plan": steps,
        "settings": options,
        "deploy": needs,
        "refusals": refusals,
        "probes": steps.probes,
        "concurrency": list(routes_per_host.values()),
        "total": report.format_bytes(graph.requested_bytes) if graph.requested_bytes else "0",
        "namespaces_without_claims": [ns.name for ns in graph.namespaces if ns.name not in with_claims
                                      and any(ns.name == w.namespace for w in graph.workloads)],
    }
    return context


__all__ = ["Settings", "generate", "render_report", "scripts", "settings"]
