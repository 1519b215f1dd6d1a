"""The overlay stage: apply one env's kustomization to the rendered base objects.

Every step is a ``Transform``: a small frozen dataclass whose ``apply(resources)`` returns
the resources after it. ``transforms`` lists them all, in Kustomize's order
(``kusttarget.go`` ``accumulateTarget``, ``configureBuiltinTransformers`` and
``makeCustomizedResMap``): resources, then generators, then the transformers
patchesStrategicMerge, patches, namespace, namePrefix/nameSuffix, labels + commonLabels,
commonAnnotations, patchesJson6902, replicas, images; then hash suffixes, then name
references are fixed; last, an empty ``metadata.annotations`` is dropped, as Kustomize
drops it when it removes its build annotations.

Where objects go: base objects keep their file and order; objects from the overlay's
``resources:`` files go to ``overlay/<file>`` in the env's tree (the path inside the overlay
folder), generated ConfigMaps and Secrets to ``overlay/generated.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator import yamlio
from generator.errors import CmgenError
from generator.k8s.objects import Placed
from generator.overlay.annotations import Annotations, DropEmptyAnnotations
from generator.overlay.hasher import HashSuffixes
from generator.overlay.kustomization import FileRef, Kustomization, load
from generator.overlay.labels import Labels
from generator.overlay.namespace import Namespace
from generator.overlay.nameref import NameReferences
from generator.overlay.patches import Patch
from generator.overlay.prefixsuffix import PrefixSuffix
from generator.overlay.replicas import Replicas
from generator.overlay.resource import Resource, Unique
from generator.overlay.schema_nav import Navigator

OVERLAY_DIR = "overlay"


class Transform(Protocol):
    """One step of the overlay: a small frozen dataclass (Kustomize's ``api/filters/*``)."""

    def apply(self, resources: list[Resource]) -> list[Resource]: ...


def apply(
    kustomization: Path,
    base: list[Placed],
    kube_version: str,
    display: Callable[[Path], str] = str,
) -> list[Placed]:
    """The base objects with the overlay applied; inputs are not changed."""
    kust = load(kustomization, display)
    resources = [Resource.make(p.data, p.file, (p.file, None), p.origin) for p in base]
    for transform in transforms(kust, kustomization.parent, Navigator(kube_version)):
        resources = transform.apply(resources)
    return [Placed(resource.file, resource.data, resource.trace) for resource in resources]


def transforms(kust: Kustomization, folder: Path, nav: Navigator) -> Iterator[Transform]:
    """Every step of the overlay, in Kustomize's order: this sequence is that order.

    Each step is made as it is reached, so a step's own error (a malformed patch) comes
    after the errors of the steps before it, as it always did."""
    # accumulateTarget: resources, then generators
    yield Resources(kust.resources, folder)
    yield Unique("loading the overlay's resources")
    yield from kust.generators
    # configureBuiltinTransformers, in its order
    yield from (Patch.parse(spec, nav, legacy="sm") for spec in kust.patches_strategic_merge)
    yield from (Patch.parse(spec, nav) for spec in kust.patches)
    yield Namespace(kust.namespace)
    yield PrefixSuffix(kust.name_prefix, kust.name_suffix)
    yield from (Labels.entry(entry) for entry in kust.labels)
    yield Labels.common(kust.common_labels)
    yield Annotations(kust.common_annotations)
    yield from (Patch.parse(spec, nav, legacy="json6902") for spec in kust.patches_json6902)
    yield from (Replicas(r.name, r.count, r.spot) for r in kust.replicas)
    yield from kust.images
    # makeCustomizedResMap, last: hash suffixes, then the names that refer to renamed
    # objects; then the build annotations go (RemoveBuildAnnotations)
    yield HashSuffixes()
    yield NameReferences()
    yield DropEmptyAnnotations()
    yield Unique("the overlay")


@dataclass(frozen=True)
class Resources:
    """``resources:``: the overlay's own files, appended to the base objects."""

    refs: tuple[FileRef, ...]
    folder: Path

    def apply(self, resources: list[Resource]) -> list[Resource]:
        return [*resources, *(r for ref in self.refs for r in _load_resources(ref, self.folder))]


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
