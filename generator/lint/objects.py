"""Object identity: name and label syntax, duplicates, and namespaces the set creates.

``namespace-missing`` applies only when the set holds at least one Namespace object: a
set without any is meant for namespaces that already exist (``kubectl apply -n``), while a
set that creates its namespaces (like a generated env tree) must create every one it uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from generator.k8s.identity import ObjectId, group_of
from generator.k8s import syntax
from generator.k8s.index import (
    BUILTIN_NAMESPACES,
    Index,
    Path,
    dig,
    mapping,
    sequence,
)
from generator.lint.registry import Hit
from generator.k8s.objects import Manifest

_NAME_RULES: dict[str, Callable[[str], str | None]] = {
    "Namespace": syntax.dns1123_label,
    "Service": syntax.dns1035_label,
    "Role": syntax.path_segment,
    "ClusterRole": syntax.path_segment,
    "RoleBinding": syntax.path_segment,
    "ClusterRoleBinding": syntax.path_segment,
}
_CRONJOB_NAME_MAX = 52  # the Job controller appends an 11-character suffix


def _name_problem(kind: str, name: str) -> str | None:
    problem = _NAME_RULES.get(kind, syntax.dns1123_subdomain)(name)
    if problem is None and kind == "CronJob" and len(name) > _CRONJOB_NAME_MAX:
        problem = f"must be no more than {_CRONJOB_NAME_MAX} characters"
    return problem


def name_syntax(index: Index) -> Iterator[Hit]:
    for manifest in index.manifests:
        name = manifest.metadata.get("name")
        if not name and not manifest.metadata.get("generateName"):
            yield Hit(manifest, "metadata.name is required", ("metadata",))
        elif name and (problem := _name_problem(manifest.kind, str(name))):
            yield Hit(manifest, f"{manifest.kind} name {name!r} {problem}", ("metadata", "name"))
    for pod in index.pods:
        for container in pod.containers():
            if problem := syntax.dns1123_label(container.name):
                yield Hit(
                    pod.manifest,
                    f"container name {container.name!r} {problem}",
                    (*container.path, "name"),
                )
        for number, volume in enumerate(sequence(pod.spec.get("volumes"))):
            name = str(mapping(volume).get("name", ""))
            if problem := syntax.dns1123_label(name):
                yield Hit(
                    pod.manifest,
                    f"volume name {name!r} {problem}",
                    (*pod.spec_path, "volumes", number, "name"),
                )


def _label_maps(manifest: Manifest, template: Path | None) -> Iterator[tuple[Path, str]]:
    yield ("metadata", "labels"), "label"
    if template is not None:
        yield (*template, "metadata", "labels"), "pod label"
    selector: Path = ("spec", "selector")
    yield (selector if manifest.kind == "Service" else (*selector, "matchLabels")), "selector"


def label_syntax(index: Index) -> Iterator[Hit]:
    """Label keys and annotation keys. Label values are the validate stage's (rule
    ``api-server``, Kubernetes ``ValidateLabels``): reported once, by the stage that owns them."""
    templates = {id(pod.manifest): pod.template_path for pod in index.pods}
    for manifest in index.manifests:
        for path, what in _label_maps(manifest, templates.get(id(manifest))):
            for key in mapping(dig(manifest.data, *path)):
                if problem := syntax.qualified_name(str(key)):
                    yield Hit(manifest, f"{what} key {key!r}: {problem}", (*path, key))
        for key in mapping(manifest.metadata.get("annotations")):
            if problem := syntax.qualified_name(str(key)):
                yield Hit(
                    manifest, f"annotation key {key!r}: {problem}", ("metadata", "annotations", key)
                )


def duplicate_object(index: Index) -> Iterator[Hit]:
    seen: dict[ObjectId, list[Manifest]] = defaultdict(list)
    for manifest in index.manifests:
        key = ObjectId(
            group_of(manifest.api_version), manifest.kind, index.namespace_of(manifest), manifest.name
        )
        if manifest.name:
            seen[key].append(manifest)
    for key, copies in seen.items():
        kind, namespace, name = key.kind, key.namespace, key.name
        first = copies[0]
        for copy in copies[1:]:
            where = f" in namespace {namespace}" if namespace else ""
            yield Hit(
                copy,
                f"duplicate {kind} {name!r}{where}; first defined at "
                f"{first.source.name}:{first.line}",
                ("metadata", "name"),
            )


def namespace_missing(index: Index) -> Iterator[Hit]:
    created = {manifest.name for manifest in index.of_kind("Namespace")}
    if not created:
        return
    for manifest in index.manifests:
        namespace: Any = manifest.namespace
        if index.scope.is_cluster_scoped(manifest.kind) or not namespace:
            continue
        if namespace not in created and namespace not in BUILTIN_NAMESPACES:
            yield Hit(
                manifest,
                f"namespace {namespace!r} is not created by this set "
                f"(it creates {', '.join(sorted(created))})",
                ("metadata", "namespace"),
            )
