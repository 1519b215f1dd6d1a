"""``labels:`` and ``commonLabels:``: Kustomize's LabelTransformer.

``commonLabels`` and ``labels`` with ``includeSelectors`` write to metadata, pod
templates and selectors; plain ``labels`` to metadata only, plus templates with
``includeTemplates``. The field specs are data (``fieldspecs.yaml``).

A ``labels`` entry's own ``fields`` come first; Kustomize's specs are merged into them as
``kusttarget_configplugin.go`` does (``FsSlice.MergeAll``): one whose path a custom spec
already has for a kind it selects is left out, so ``{path: metadata/labels, kind: X}``
keeps the labels off every other kind's metadata; one that differs only in ``create`` is
an error, as in Kustomize.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import CmgenError
from generator.overlay.config import config
from generator.overlay.fieldspec import FieldSpec, SpecConflict, merge_specs, set_entries
from generator.overlay.kustomization import LabelSpec
from generator.overlay.reader import Spot
from generator.overlay.resource import Resource


@dataclass(frozen=True)
class Labels:
    pairs: tuple[tuple[str, str], ...]
    specs: tuple[FieldSpec, ...]
    spot: Spot | None = None

    @classmethod
    def common(cls, pairs: tuple[tuple[str, str], ...]) -> Labels:
        return cls(pairs, config().common_labels)

    @classmethod
    def entry(cls, label: LabelSpec) -> Labels:
        pairs = tuple(label.pairs.items())
        try:
            if label.include_selectors:
                return cls(pairs, merge_specs(label.fields, config().common_labels), label.spot)
            specs = label.fields
            if label.include_templates:
                specs = merge_specs(specs, config().metadata_labels + config().template_labels)
            return cls(pairs, merge_specs(specs, config().metadata_labels), label.spot)
        except SpecConflict as conflict:
            spots = label.field_spots
            spot = spots[conflict.index] if conflict.index < len(spots) else label.spot
            path = "/".join(conflict.spec.path)
            raise spot.error(
                f"labels field spec {path!r} conflicts with Kustomize's own spec for that "
                f"path (create: {str(conflict.spec.create).lower()}); give the same "
                "'create' or leave the spec out") from None

    def apply(self, resources: list[Resource]) -> list[Resource]:
        if not self.pairs:
            return resources
        for resource in resources:
            try:
                set_entries(resource.data, resource.gvk, self.specs, self.pairs)
            except CmgenError as error:
                if self.spot is None:
                    raise
                raise error.at(self.spot.file, self.spot.line, self.spot.column) from None
        return resources
