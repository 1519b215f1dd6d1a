"""``replicas:``: Kustomize's ReplicaCountTransformer.

An entry names objects by their original or current name; it must reach at least one
Deployment, ReplicaSet, ReplicationController or StatefulSet, as Kustomize requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.overlay.config import config
from generator.overlay.reader import Spot
from generator.overlay.resource import Resource


@dataclass(frozen=True)
class Replicas:
    name: str
    count: int
    spot: Spot

    def apply(self, resources: list[Resource]) -> list[Resource]:
        found = False
        for spec in config().replicas:
            for resource in resources:
                if self.name not in (resource.origin.name, resource.name):
                    continue
                if not spec.gvk.selects(resource.gvk):
                    continue
                found = True
                spec.walk(resource.data, self._set, lambda: self.count)
        if not found:
            kinds = ", ".join(spec.gvk.kind for spec in config().replicas)
            raise self.spot.error(
                f"replicas: no {kinds} named {self.name!r} in the base or overlay"
            )
        return resources

    def _set(self, parent: dict[str, Any], key: str) -> None:
        parent[key] = self.count
