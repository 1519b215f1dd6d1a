"""``commonAnnotations:``: Kustomize's AnnotationsTransformer (metadata and pod templates);
and the removal of Kustomize's build annotations, which drops an empty annotations map."""

from __future__ import annotations

from dataclasses import dataclass

from generator.overlay.config import config
from generator.overlay.fieldspec import set_entries
from generator.overlay.resource import Resource


@dataclass(frozen=True)
class Annotations:
    pairs: tuple[tuple[str, str], ...]

    def apply(self, resources: list[Resource]) -> list[Resource]:
        if not self.pairs:
            return resources
        specs = config().common_annotations
        for resource in resources:
            set_entries(resource.data, resource.gvk, specs, self.pairs)
        return resources


@dataclass(frozen=True)
class DropEmptyAnnotations:
    """Kustomize rewrites the annotations of every object when it removes its build
    annotations (``RemoveBuildAnnotations``), and an empty or null ``metadata.annotations``
    goes (empty labels stay)."""

    def apply(self, resources: list[Resource]) -> list[Resource]:
        for resource in resources:
            metadata = resource.data.get("metadata")
            if isinstance(metadata, dict) and "annotations" in metadata \
                    and metadata["annotations"] in (None, {}):
                del metadata["annotations"]
        return resources
