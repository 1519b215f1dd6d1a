"""The overlay stage: apply one env's kustomization to the rendered base objects.

The order is Kustomize's (``kusttarget.go`` ``accumulateTarget`` and
``configureBuiltinTransformers``): resources, then generators, then the transformers
patchesStrategicMerge, patches, namespace, namePrefix/nameSuffix, labels + commonLabels,
commonAnnotations, patchesJson6902, replicas, images; then hash suffixes, then name
references are fixed; last, an empty ``metadata.annotations`` is dropped, as Kustomize
drops it when it removes its build annotations.

Where objects go: base objects keep their file and order; objects from the overlay's
``resources:`` files go to ``k8s-manifests/overlay/<file>`` (the path inside the overlay
folder), generated ConfigMaps and Secrets to ``k8s-manifests/overlay/generated.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from generator import yamlio
from generator.errors import CmgenError
from generator.k8s.objects import Placed
from generator.overlay.annotations import Annotations
from generator.overlay.hasher import content_hash

from generator.overlay.kustomization import FileRef, Kustomization, load
from generator.overlay.labels import Labels
from generator.overlay.namespace import Namespace
from generator.overlay.nameref import NameReferences
from generator.overlay.patches import Patch
from generator.overlay.prefixsuffix import PrefixSuffix
from generator.overlay.replicas import Replicas
from generator.overlay.resource import Resource, check_unique
from generator.overlay.schema_nav import Navigator

OVERLAY_DIR = "k8s-manifests/overlay"


class _Transform(Protocol):
    def apply(self, resources: list[Resource]) -> None: ...


def apply(
    kustomization: Path,
    base: list[Placed],
    kube_version: str,
    display: Callable[[Path], str] = str,
) -> list[Placed]:
    """The base objects with the overlay applied; inputs are not changed."""
    kust = load(kustomization, display)
    nav = Navigator(kube_version)
    resources = [Resource.make(p.data, p.file, (p.file, None), p.origin) for p in base]
    for ref in kust.resources:
        resources.extend(_load_resources(ref, kustomization.parent))
    check_unique(resources, "loading the overlay's resources")
    for generator in kust.generators:
        generator.apply(resources)
    for spec in kust.patches_strategic_merge:
        resources = Patch.parse(spec, legacy="sm").apply(resources, nav)
    for spec in kust.patches:
        resources = Patch.parse(spec).apply(resources, nav)
    for transform in _transforms(kust):
        transform.apply(resources)
    for spec in kust.patches_json6902:
        resources = Patch.parse(spec, legacy="json6902").apply(resources, nav)
    late: list[_Transform] = [Replicas(r.name, r.count, r.spot) for r in kust.replicas]
    for transform in [*late, *kust.images]:
        transform.apply(resources)
    for resource in resources:
        if resource.needs_hash:
            resource.remember_id()
            resource.metadata["name"] = f"{resource.name}-{content_hash(resource.data)}"
    NameReferences().apply(resources)
    for resource in resources:
        resource.drop_empty_annotations()
    check_unique(resources, "the overlay")
    return [Placed(resource.file, resource.data, resource.trace) for resource in resources]


def _transforms(kust: Kustomization) -> list[_Transform]:
    found: list[_Transform] = [
        Namespace(kust.namespace),
        PrefixSuffix(kust.name_prefix, kust.name_suffix),
    ]
    found += [Labels.entry(entry) for entry in kust.labels]
    found += [Labels.common(kust.common_labels), Annotations(kust.common_annotations)]
    return found


def _load_resources(ref: FileRef, folder: Path) -> list[Resource]:
    text = yamlio.read_text(ref.path, ref.name)
    relative = ref.path.relative_to(folder.resolve()).as_posix()
    found = []
    for document in yamlio.load_all(text, ref.name):
        data = document.data
        if not isinstance(data, dict) or not data.get("kind"):
            raise CmgenError("expected a Kubernetes object with a kind", ref.name, document.line, 1)
        metadata = data.get("metadata")
        if not isinstance(metadata, dict) or not metadata.get("name"):
            raise CmgenError("the object has no metadata.name", ref.name, document.line, 1)
        found.append(Resource.make(data, f"{OVERLAY_DIR}/{relative}", (ref.name, document.line)))
    return found



