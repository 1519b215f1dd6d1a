"""``namePrefix:`` / ``nameSuffix:``: Kustomize's PrefixSuffixTransformer.

Every ``metadata.name`` gets the prefix and suffix, except CRDs, APIServices and
Namespaces; references to the renamed objects are fixed later (``nameref``), which
is why each renaming is remembered.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.overlay.config import config
from generator.overlay.resource import Resource


@dataclass(frozen=True)
class PrefixSuffix:
    prefix: str
    suffix: str

    def apply(self, resources: list[Resource]) -> list[Resource]:
        if not self.prefix and not self.suffix:
            return resources
        skip = config().name_prefix_skip
        for resource in resources:
            gvk = resource.gvk
            if any(rule.selects(gvk) for rule in skip):
                continue
            metadata = resource.metadata
            # Kustomize's prefix transformer runs over every object, then its suffix
            # transformer: each stores the id it is about to change.
            for affix, prefix in ((self.prefix, True), (self.suffix, False)):
                if not affix:
                    continue
                (resource.prefixes if prefix else resource.suffixes).append(affix)
                resource.remember_id()
                if "name" in metadata:
                    name = str(metadata["name"] or "")
                    metadata["name"] = f"{affix}{name}" if prefix else f"{name}{affix}"
        return resources
