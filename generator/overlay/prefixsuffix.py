"""``namePrefix:`` / ``nameSuffix:``: Kustomize's PrefixSuffixTransformer.

Every ``metadata.name`` gets the prefix and suffix, except CRDs, APIServices and
Namespaces; references to the renamed objects are fixed later (``nameref``).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.overlay.config import config
from generator.overlay.resource import Resource


@dataclass(frozen=True)
class PrefixSuffix:
    prefix: str
    suffix: str

    def apply(self, resources: list[Resource]) -> None:
        if not self.prefix and not self.suffix:
            return
        skip = config().name_prefix_skip
        for resource in resources:
            gvk = resource.gvk
            if any(rule.selects(gvk) for rule in skip):
                continue
            metadata = resource.metadata
            if "name" in metadata:
                metadata["name"] = f"{self.prefix}{metadata['name'] or ''}{self.suffix}"
