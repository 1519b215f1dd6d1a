"""``namespace:``: Kustomize's NamespaceTransformer (``api/filters/namespace``).

Namespaced objects get ``metadata.namespace``; cluster-scoped kinds are left alone; a
``Namespace`` object is renamed to the namespace; RoleBinding and ClusterRoleBinding
subjects named ``default`` get it too; plus the field specs in ``fieldspecs.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.overlay.config import config
from generator.overlay.resource import Resource, check_unique, is_cluster_scoped

_BINDINGS = ("RoleBinding", "ClusterRoleBinding")


@dataclass(frozen=True)
class Namespace:
    namespace: str

    def apply(self, resources: list[Resource]) -> list[Resource]:
        if not self.namespace:
            return resources
        for resource in resources:
            resource.remember_id()
            gvk = resource.gvk
            if not is_cluster_scoped(gvk):
                resource.metadata["namespace"] = self.namespace
            if gvk.kind in _BINDINGS:
                self._subjects(resource.data.get("subjects"))
            for spec in config().namespace:
                if spec.gvk.selects(gvk):
                    spec.walk(resource.data, self._set, str)
        check_unique(resources, "the namespace transform")
        return resources

    def _set(self, parent: dict[str, Any], key: str) -> None:
        parent[key] = self.namespace

    def _subjects(self, subjects: Any) -> None:
        if not isinstance(subjects, list):
            return
        for subject in subjects:
            if isinstance(subject, dict) and subject.get("name") == "default":
                subject["namespace"] = self.namespace
