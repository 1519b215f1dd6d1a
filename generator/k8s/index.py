"""The object index: every lookup lint rules and the graph need, built once per manifest set.

Lookups never rescan the set per reference: objects are found by ``(kind, namespace, name)``,
pod templates by namespace and by each of their labels, so a selector costs the size of
its smallest label posting list, not the number of pods (a later issue lints 10,000
resources).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Self

from generator.k8s import scope
from generator.k8s.identity import effective_namespace
from generator.k8s.objects import Manifest
from generator.k8s.scope import CRD_KIND, Scope

Path = tuple[str | int, ...]

# Where each workload kind keeps its pod template (spec, then labels).
POD_TEMPLATE_PATHS: dict[str, Path] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


# Namespaces every cluster has, so referring to them needs no Namespace object.
BUILTIN_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})


def namespace_of(manifest: Manifest, kinds: Scope | None = None) -> str:
    """The namespace an object lands in ("" for cluster-scoped kinds, default if unset)."""
    kinds = kinds or scope.default()
    return effective_namespace(manifest.namespace, kinds.is_cluster_scoped(manifest.kind))


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def dig(data: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


@dataclass(frozen=True)
class Container:
    data: dict[str, Any]
    path: Path
    init: bool

    @property
    def name(self) -> str:
        return str(self.data.get("name", "?"))


@dataclass(eq=False)
class PodTemplate:
    """The pod a workload (or a bare Pod) creates: its spec and labels, with their paths."""

    manifest: Manifest
    template_path: Path
    number: int = 0

    # Rules ask these many times per pod; lint never changes the objects, so each is
    # computed once.
    @functools.cached_property
    def namespace(self) -> str:
        return namespace_of(self.manifest)

    @functools.cached_property
    def spec_path(self) -> Path:
        return (*self.template_path, "spec")

    @functools.cached_property
    def spec(self) -> dict[str, Any]:
        return mapping(dig(self.manifest.data, *self.spec_path))

    @functools.cached_property
    def labels(self) -> dict[str, Any]:
        return mapping(dig(self.manifest.data, *self.template_path, "metadata", "labels"))

    @property
    def replicas(self) -> int:
        """Desired pods (Deployment/StatefulSet/ReplicaSet default to 1; others count 1)."""
        value = dig(self.manifest.data, "spec", "replicas")
        if self.manifest.kind in ("Deployment", "StatefulSet", "ReplicaSet") and isinstance(
            value, int
        ):
            return value
        return 1

    def containers(self, init: bool = True) -> Iterator[Container]:
        for container in self._containers:
            if init or not container.init:
                yield container

    @functools.cached_property
    def _containers(self) -> tuple[Container, ...]:
        return tuple(
            Container(data, (*self.spec_path, group, number), group != "containers")
            for group in ("initContainers", "containers")
            for number, data in enumerate(sequence(self.spec.get(group)))
            if isinstance(data, dict)
        )

    def volume_names(self) -> set[str]:
        names = {str(v.get("name")) for v in sequence(self.spec.get("volumes")) if mapping(v)}
        if self.manifest.kind == "StatefulSet":
            for claim in sequence(dig(self.manifest.data, "spec", "volumeClaimTemplates")):
                names.add(str(dig(claim, "metadata", "name")))
        return names


@dataclass
class Index:
    manifests: list[Manifest]
    named: dict[tuple[str, str, str], Manifest] = field(default_factory=dict)
    by_kind: dict[str, list[Manifest]] = field(default_factory=lambda: defaultdict(list))
    by_kind_name: dict[tuple[str, str], list[Manifest]] = field(
        default_factory=lambda: defaultdict(list)
    )
    pods: list[PodTemplate] = field(default_factory=list)
    pods_by_ns: dict[str, list[PodTemplate]] = field(default_factory=lambda: defaultdict(list))
    _by_label: dict[tuple[str, str, str], list[PodTemplate]] = field(
        default_factory=lambda: defaultdict(list)
    )
    known_namespaces: set[str] = field(default_factory=set)
    scope: Scope = field(default_factory=scope.default)
    """Cluster-scoped kinds: ``known`` plus what the set's own CRDs declare."""
    _selected: dict[tuple[str, str], list[PodTemplate]] = field(default_factory=dict)

    @classmethod
    def build(cls, manifests: list[Manifest], known: Scope | None = None) -> Self:
        """``known``: the scope before the set's own CRDs (the built-in and well-known kinds,
        plus a project's CRDs); the set's CRDs win over it."""
        crds = (m.data for m in manifests if m.kind == CRD_KIND)
        index = cls(manifests, scope=(known or scope.default()).with_crds(crds))
        for manifest in manifests:
            namespace = index.namespace_of(manifest)
            key = (manifest.kind, namespace, manifest.name)
            index.named.setdefault(key, manifest)
            index.by_kind[manifest.kind].append(manifest)
            index.by_kind_name[(manifest.kind, manifest.name)].append(manifest)
            if namespace:
                index.known_namespaces.add(namespace)
            if manifest.kind == "Namespace":
                index.known_namespaces.add(manifest.name)
            template = POD_TEMPLATE_PATHS.get(manifest.kind)
            if template is not None and mapping(dig(manifest.data, *template, "spec")):
                index._add_pod(PodTemplate(manifest, template, len(index.pods)))
        return index

    def _add_pod(self, pod: PodTemplate) -> None:
        self.pods.append(pod)
        self.pods_by_ns[pod.namespace].append(pod)
        for key, value in pod.labels.items():
            self._by_label[(pod.namespace, str(key), str(value))].append(pod)

    def namespace_of(self, manifest: Manifest) -> str:
        return namespace_of(manifest, self.scope)

    def get(self, kind: str, namespace: str, name: str) -> Manifest | None:
        return self.named.get((kind, namespace, name))

    def of_kind(self, *kinds: str) -> Iterator[Manifest]:
        for kind in kinds:
            yield from self.by_kind.get(kind, [])

    def select(self, namespace: str, selector: Any, plain: bool = False) -> list[PodTemplate]:
        """Pod templates in ``namespace`` matched by a LabelSelector (or a plain map).

        An empty LabelSelector selects every pod; an empty plain map (a Service's) none.
        """
        cache_key = (namespace, repr((selector, plain)))
        if cache_key not in self._selected:
            self._selected[cache_key] = self._select(namespace, mapping(selector), plain)
        return self._selected[cache_key]

    def _select(self, namespace: str, selector: dict[str, Any], plain: bool) -> list[PodTemplate]:
        labels = selector if plain else mapping(selector.get("matchLabels"))
        expressions = [] if plain else sequence(selector.get("matchExpressions"))
        if plain and not labels:
            return []
        if labels:
            postings = (
                self._by_label.get((namespace, str(k), str(v)), []) for k, v in labels.items()
            )
            found = [
                pod for pod in min(postings, key=len) if matches(pod.labels, labels, plain=True)
            ]
        else:
            found = list(self.pods_by_ns.get(namespace, []))
        return [pod for pod in found if matches_expressions(pod.labels, expressions)]


def matches(labels: dict[str, Any], selector: Any, plain: bool = False) -> bool:
    """Whether ``labels`` satisfy a LabelSelector (or a plain selector map)."""
    selector = mapping(selector)
    wanted = selector if plain else mapping(selector.get("matchLabels"))
    if any(key not in labels or str(labels[key]) != str(value) for key, value in wanted.items()):
        return False
    return plain or matches_expressions(labels, sequence(selector.get("matchExpressions")))


def matches_expressions(labels: dict[str, Any], expressions: list[Any]) -> bool:
    for expression in expressions:
        expression = mapping(expression)
        key = str(expression.get("key"))
        values = {str(value) for value in sequence(expression.get("values"))}
        operator = expression.get("operator")
        present = key in labels
        value = str(labels.get(key))
        if operator == "In" and not (present and value in values):
            return False
        if operator == "NotIn" and present and value in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True
