"""``commonAnnotations:``: Kustomize's AnnotationsTransformer (metadata and pod templates)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.overlay.config import config
from generator.overlay.fieldspec import set_entries
from generator.overlay.resource import Resource


@dataclass(frozen=True)
class Annotations:
    pairs: tuple[tuple[str, str], ...]

    def apply(self, resources: list[Resource]) -> None:
        if not self.pairs:
            return
        specs = config().common_annotations
        for resource in resources:
            set_entries(resource.data, resource.gvk, specs, self.pairs)
