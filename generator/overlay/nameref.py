"""Fixing references to renamed objects: Kustomize's nameReference transformer.

After prefixes, suffixes and hashes, every field listed in ``namereference.yaml`` that
holds the *original* name of an object of the target kind is set to that object's
current name. As in Kustomize, a namespaced referrer only sees objects in its own
namespace (plus cluster-scoped ones, plus a RoleBinding's ServiceAccount subjects'
namespaces); a mapping reference (``subjects``, webhook ``service``) also gets the
object's namespace. Objects are indexed once by kind and original name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from generator.errors import CmgenError
from generator.overlay.config import NameRef, config
from generator.overlay.fieldspec import FieldSpec
from generator.overlay.gvk import Gvk
from generator.overlay.resource import Resource, is_cluster_scoped


@dataclass(frozen=True)
class NameReferences:
    def apply(self, resources: list[Resource]) -> None:
        index: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        for resource in resources:
            index[(resource.origin.gvk.kind, resource.origin.name)].append(resource)
        by_kind: dict[str, list[NameRef]] = defaultdict(list)
        for ref in config().name_references:
            by_kind[ref.referrer.kind].append(ref)
        for referrer in resources:
            for ref in by_kind.get(referrer.origin.gvk.kind, ()):
                if ref.referrer.selects(referrer.origin.gvk):
                    _Fixer(index, referrer, ref).run()


@dataclass
class _Fixer:
    index: dict[tuple[str, str], list[Resource]]
    referrer: Resource
    ref: NameRef

    def run(self) -> None:
        spec = FieldSpec(self.ref.referrer, self.ref.path)
        try:
            spec.walk(self.referrer.data, self._set, dict)
        except CmgenError as exc:
            raise CmgenError(
                f"fixing name references in {self.referrer.current}: {exc.message}",
                self.referrer.where[0] or None, self.referrer.where[1]) from None

    def _set(self, parent: dict[str, Any], key: str) -> None:
        value = parent[key]
        if isinstance(value, list):
            for position, item in enumerate(value):
                if isinstance(item, dict):
                    self._mapping(item)
                elif item is not None:
                    value[position] = self._scalar(item)
        elif isinstance(value, dict):
            self._mapping(value)
        elif value is not None:
            parent[key] = self._scalar(value)

    def _scalar(self, old: Any) -> Any:
        found = self._find(str(old), None)
        return found.name if found is not None else old

    def _mapping(self, node: dict[str, Any]) -> None:
        if "name" not in node:
            raise CmgenError(f"{'/'.join(self.ref.path)}: a reference without 'name'")
        namespace = node.get("namespace")
        found = self._find(str(node["name"]), None if namespace is None else str(namespace))
        if found is None:
            return
        node["name"] = found.name
        if found.current.namespace:
            node["namespace"] = found.current.namespace

    def _find(self, old: str, namespace: str | None) -> Resource | None:
        role_ref = self._role_ref() if self.ref.path[-2:] == ("roleRef", "name") else None
        for candidate in self.index.get((self.ref.target.kind, old), ()):
            origin = candidate.origin
            if not self.ref.target.selects(origin.gvk):
                continue
            if role_ref is not None and not role_ref.selects(origin.gvk):
                continue
            if namespace is not None and origin.effective_namespace != (namespace or "default"):
                continue
            if self._reachable(candidate):
                return candidate
        return None

    def _role_ref(self) -> Gvk:
        role_ref = self.referrer.data.get("roleRef")
        if not isinstance(role_ref, dict) or "apiGroup" not in role_ref or "kind" not in role_ref:
            raise CmgenError("roleRef needs apiGroup and kind")
        return Gvk(str(role_ref["apiGroup"]), "", str(role_ref["kind"]))

    def _reachable(self, candidate: Resource) -> bool:
        mine = self.referrer.current
        if is_cluster_scoped(mine.gvk):
            return True
        theirs = candidate.current
        if is_cluster_scoped(theirs.gvk):
            return True
        if theirs.effective_namespace == mine.effective_namespace:
            return True
        return mine.gvk.kind == "RoleBinding" and theirs.namespace in self._subject_namespaces()

    def _subject_namespaces(self) -> set[str]:
        subjects = self.referrer.data.get("subjects")
        if not isinstance(subjects, list):
            return set()
        return {str(s["namespace"]) for s in subjects if isinstance(s, dict)
                and s.get("kind") == "ServiceAccount" and s.get("namespace")}
