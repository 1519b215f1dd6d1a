"""``patches``, ``patchesStrategicMerge`` and ``patchesJson6902``: Kustomize's patch transformers.

A ``patches`` entry is told apart as Kustomize does: text starting with ``[`` must be a
JSON patch in JSON; otherwise YAML that is a list is a JSON patch and YAML mappings (one
or more documents, each with a ``kind``) are strategic-merge patches. A JSON patch needs a
``target``; a strategic-merge patch without one patches the object with its own kind,
name and namespace. With a target, the patch's name, kind and namespace never change the
object unless ``options`` allow it. A target that matches nothing is an error in cmgen
(Kustomize silently skips it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator import yamlio
from generator.errors import CmgenError
from generator.overlay import jsonpatch, smp
from generator.overlay.kustomization import PatchSpec
from generator.overlay.resource import ResId, Resource, res_id
from generator.overlay.schema_nav import Navigator


@dataclass(frozen=True)
class Patch:
    spec: PatchSpec
    nav: Navigator = field(compare=False)
    strategic: tuple[dict[str, Any], ...] = ()
    json_ops: tuple[dict[str, Any], ...] = ()
    legacy: str = ""

    @classmethod
    def parse(cls, spec: PatchSpec, nav: Navigator, legacy: str = "") -> Patch:
        text = spec.text.strip()
        if legacy == "json6902" or (not legacy and _looks_json(text)):
            ops = _json_ops(spec, text, required=bool(legacy))
            if ops is not None:
                if spec.target is None:
                    raise spec.spot.error("a JSON patch needs a 'target'")
                return cls(spec, nav, json_ops=tuple(ops), legacy=legacy)
        docs = _strategic(spec, text)
        if docs is None:
            raise spec.spot.error(
                f"cannot read {_where(spec)} as a strategic-merge or a JSON patch "
                "(a JSON patch is a list of operations; a strategic-merge patch is an "
                "object with a kind)")
        return cls(spec, nav, strategic=tuple(docs), legacy=legacy)

    def apply(self, resources: list[Resource]) -> list[Resource]:
        if self.json_ops:
            for resource in self._targets(resources):
                self._json(resource)
            return resources
        for index, doc in enumerate(self.strategic):
            if self.spec.target is None:
                chosen = [_by_id(resources, res_id(doc), self.spec)]
            else:
                chosen = self._targets(resources)
            deleted = {id(r) for r in chosen if self._merge(r, doc, index) is None}
            resources = [r for r in resources if id(r) not in deleted]
        return resources

    def _targets(self, resources: list[Resource]) -> list[Resource]:
        target = self.spec.target
        assert target is not None
        chosen = target.select(resources)
        if not chosen:
            raise self.spec.spot.error(f"patch target matches no object ({target})")
        return chosen

    def _json(self, resource: Resource) -> None:
        if self.legacy != "json6902":  # Kustomize's legacy transformer stores no id
            resource.remember_id()
        try:
            resource.data = jsonpatch.apply(resource.data, list(self.json_ops))
        except jsonpatch.JsonPatchError as exc:
            raise self._error(f"JSON patch op {exc.index + 1} on {resource.current}: "
                              f"{exc.message}") from None

    def _merge(self, resource: Resource, doc: dict[str, Any], index: int) -> Resource | None:
        before = resource.current
        if self.spec.allow_name_change or self.spec.allow_kind_change:
            resource.remember_id()
        patch = dict(doc)
        if self.spec.target is not None:
            patch["apiVersion"] = resource.data.get("apiVersion")
        try:
            merged = smp.merge(self.nav, resource.data, patch)
        except smp.SmpError as exc:
            file = self.spec.source
            if file == self.spec.spot.file:
                line: int | None = self.spec.spot.line
                column: int | None = self.spec.spot.column
            else:
                line, column = yamlio.locate(self.spec.text, index, exc.path, key=True)
            raise CmgenError(f"strategic-merge patch on {before}: {exc.message}",
                             file, line, column) from None
        if merged is smp.DELETE:
            return None
        resource.data = merged
        metadata = resource.metadata
        if not self.spec.allow_kind_change:
            resource.data["kind"] = before.gvk.kind
        if not self.spec.allow_name_change:
            metadata["name"] = before.name
        if before.namespace:
            metadata["namespace"] = before.namespace
        else:
            metadata.pop("namespace", None)
        return resource

    def _error(self, message: str) -> CmgenError:
        return self.spec.spot.error(message)


def _where(spec: PatchSpec) -> str:
    return spec.source if spec.source != spec.spot.file else "the inline patch"


def _looks_json(text: str) -> bool:
    if text.startswith("["):
        return True
    try:
        return isinstance(yamlio.load_one(text, "<patch>"), list)
    except CmgenError:
        return False


def _json_ops(spec: PatchSpec, text: str, required: bool) -> list[dict[str, Any]] | None:
    try:
        ops = json.loads(text) if text.startswith("[") else yamlio.load_one(text, spec.source)
    except (ValueError, CmgenError) as exc:
        if not required and text.startswith("["):
            return None
        raise spec.spot.error(f"cannot read the JSON patch in {_where(spec)}: {exc}") from None
    try:
        return jsonpatch.check_ops(ops)
    except jsonpatch.JsonPatchError as exc:
        where = f" (op {exc.index + 1})" if exc.index >= 0 else ""
        raise spec.spot.error(f"invalid JSON patch in {_where(spec)}{where}: {exc.message}") from None


def _strategic(spec: PatchSpec, text: str) -> list[dict[str, Any]] | None:
    try:
        documents = yamlio.load_all(text, spec.source)
    except CmgenError:
        return None
    docs = [document.data for document in documents]
    if not docs or not all(isinstance(doc, dict) and doc.get("kind") for doc in docs):
        return None
    return docs


def _by_id(resources: list[Resource], wanted: ResId, spec: PatchSpec) -> Resource:
    for resource in resources:
        origin = resource.origin
        if (
            origin.name == wanted.name
            and origin.gvk == wanted.gvk
            and origin.effective_namespace == wanted.effective_namespace
        ):
            return resource
    raise spec.spot.error(f"no object matches the strategic-merge patch for {wanted}")

