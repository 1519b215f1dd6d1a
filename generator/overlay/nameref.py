"""Fixing references to renamed objects: Kustomize's nameReference transformer.

After prefixes, suffixes and hashes, every field listed in ``namereference.yaml`` that
holds a *previous* name of an object of the target kind is set to that object's current
name. The choice is Kustomize's (``api/filters/nameref``, step for step):

1. Candidates are the objects the referrer can see (``SubsetThatCouldBeReferencedByResource``):
   all for a cluster-scoped referrer; else cluster-scoped objects, objects in the referrer's
   current namespace and, for a RoleBinding, objects in its ServiceAccount subjects'
   namespaces.
2. A mapping reference with a ``namespace`` (a binding subject, a webhook ``service``)
   keeps the candidates whose *original* namespace is that one, or if there are none
   those whose *current* namespace is (``filterMapCandidatesByNamespace``): a subject
   already written with the overlay's ``namespace:`` still finds its ServiceAccount.
3. Then (``selectReferral``): a previous id (``Resource.history``) with the old name
   and the target kind (and, for ``roleRef/name``, the roleRef's group and kind); a
   cluster-scoped or ServiceAccount candidate or one in the referrer's namespace. One
   left is the referral; several are narrowed by their name prefixes and suffixes, and
   if they still differ in name (and, for a mapping, namespace) that is an error. An
   object never renamed has no previous id and is never a referral (nothing to fix).

A mapping reference also gets the referral's namespace, if it has one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from generator.errors import CmgenError
from generator.overlay.config import NameRef, config
from generator.overlay.fieldspec import FieldSpec
from generator.overlay.gvk import Gvk
from generator.overlay.resource import ResId, Resource, is_cluster_scoped


@dataclass(frozen=True)
class NameReferences:
    def apply(self, resources: list[Resource]) -> list[Resource]:
        by_kind: dict[str, list[NameRef]] = defaultdict(list)
        for ref in config().name_references:
            by_kind[ref.referrer.kind].append(ref)
        for referrer in resources:
            refs = [ref for ref in by_kind.get(referrer.origin.gvk.kind, ())
                    if ref.referrer.selects(referrer.origin.gvk)]
            if refs:
                visible = _visible(referrer, resources)
                for ref in refs:
                    _Fixer(visible, referrer, ref).run()
        return resources


def _visible(referrer: Resource, resources: list[Resource]) -> list[Resource]:
    """Kustomize's ``SubsetThatCouldBeReferencedByResource``."""
    mine = referrer.current
    if is_cluster_scoped(mine.gvk):
        return resources
    bound = _subject_namespaces(referrer) if mine.gvk.kind == "RoleBinding" else set()
    return [r for r in resources if is_cluster_scoped(r.current.gvk)
            or r.current.effective_namespace == mine.effective_namespace
            or r.current.namespace in bound]


def _subject_namespaces(referrer: Resource) -> set[str]:
    subjects = referrer.data.get("subjects")
    if not isinstance(subjects, list):
        return set()
    return {str(s["namespace"]) for s in subjects if isinstance(s, dict)
            and s.get("kind") == "ServiceAccount" and s.get("namespace") is not None}


def _previous(resource: Resource) -> Iterable[ResId]:
    """Kustomize's ``PrevIds``: stored kind and name, the current group and version."""
    gvk = resource.current.gvk
    for rid in resource.history:
        yield ResId(Gvk(gvk.group, gvk.version, rid.gvk.kind), rid.name, rid.namespace)


@dataclass
class _Fixer:
    visible: list[Resource]
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
        found = self._select(str(old), self.visible, lambda r: r.name)
        return found.name if found is not None else old

    def _mapping(self, node: dict[str, Any]) -> None:
        if "name" not in node:
            raise CmgenError(f"{'/'.join(self.ref.path)}: a reference without 'name'")
        candidates = self.visible
        if "namespace" in node:
            candidates = _in_namespace(candidates, str(node["namespace"] or ""))
        found = self._select(str(node["name"]), candidates,
                             lambda r: (r.name, r.current.namespace))
        if found is None:
            return
        node["name"] = found.name
        if found.current.namespace:
            node["namespace"] = found.current.namespace

    def _select(self, old: str, candidates: list[Resource],
                identity: Callable[[Resource], Any]) -> Resource | None:
        role_ref = self._role_ref() if self.ref.path[-2:] == ("roleRef", "name") else None
        found = [c for c in candidates
                 if any(rid.name == old for rid in _previous(c))
                 and any(self.ref.target.selects(rid.gvk) for rid in _previous(c))
                 and (role_ref is None or any(role_ref.selects(rid.gvk) for rid in _previous(c)))
                 and self._reachable(c)]
        if len(found) > 1:
            found = [c for c in found if _same_affixes(c, self.referrer, allow_empty=True)]
        if len(found) > 1:
            found = [c for c in found if _same_affixes(c, self.referrer, allow_empty=False)]
        if not found:
            return None
        if len({identity(c) for c in found}) > 1:
            raise CmgenError(f"{'/'.join(self.ref.path)} {old!r} could be any of "
                             f"{', '.join(str(c.current) for c in found)}")
        return found[0]

    def _role_ref(self) -> Gvk:
        role_ref = self.referrer.data.get("roleRef")
        if not isinstance(role_ref, dict) or "apiGroup" not in role_ref or "kind" not in role_ref:
            raise CmgenError("roleRef needs apiGroup and kind")
        return Gvk(str(role_ref["apiGroup"]), "", str(role_ref["kind"]))

    def _reachable(self, candidate: Resource) -> bool:
        """Kustomize's ``sameCurrentNamespaceAsReferrer``."""
        mine, theirs = self.referrer.current, candidate.current
        return (is_cluster_scoped(mine.gvk) or is_cluster_scoped(theirs.gvk)
                or theirs.gvk.kind == "ServiceAccount"
                or theirs.effective_namespace == mine.effective_namespace)


def _in_namespace(candidates: list[Resource], namespace: str) -> list[Resource]:
    """Kustomize's ``filterMapCandidatesByNamespace``: original namespaces, then current."""
    namespaced = [c for c in candidates if not is_cluster_scoped(c.current.gvk)]
    original = [c for c in namespaced if c.origin.effective_namespace == namespace]
    if original:
        return original
    return [c for c in namespaced if c.current.effective_namespace == namespace]


def _same_affixes(candidate: Resource, referrer: Resource, allow_empty: bool) -> bool:
    """Kustomize's ``PrefixesSuffixesEquals``."""
    return all(
        (allow_empty and (not mine or not theirs)) or _same_ending(mine, theirs)
        for mine, theirs in ((candidate.prefixes, referrer.prefixes),
                             (candidate.suffixes, referrer.suffixes)))


def _same_ending(one: list[str], other: list[str]) -> bool:
    shortest, longest = sorted((one, other), key=len)
    if not shortest:
        return not longest
    return longest[len(longest) - len(shortest):] == shortest
