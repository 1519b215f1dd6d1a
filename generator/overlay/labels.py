"""``labels:`` and ``commonLabels:``: Kustomize's LabelTransformer.

``commonLabels`` and ``labels`` with ``includeSelectors`` write to metadata, pod
templates and selectors; plain ``labels`` to metadata only, plus templates with
``includeTemplates``. The field specs are data (``fieldspecs.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.overlay.config import config
from generator.overlay.fieldspec import FieldSpec, set_entries
from generator.overlay.resource import Resource


@dataclass(frozen=True)
class Labels:
    pairs: tuple[tuple[str, str], ...]
    specs: tuple[FieldSpec, ...]

    @classmethod
    def common(cls, pairs: tuple[tuple[str, str], ...]) -> Labels:
        return cls(pairs, config().common_labels)

    @classmethod
    def entry(
        cls, pairs: tuple[tuple[str, str], ...], include_selectors: bool, include_templates: bool
    ) -> Labels:
        if include_selectors:
            return cls.common(pairs)
        specs = config().metadata_labels
        return cls(pairs, specs + config().template_labels if include_templates else specs)

    def apply(self, resources: list[Resource]) -> None:
        if not self.pairs:
            return
        for resource in resources:
            set_entries(resource.data, resource.gvk, self.specs, self.pairs)
