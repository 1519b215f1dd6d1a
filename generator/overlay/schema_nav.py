"""Walking the official Kubernetes schemas for strategic-merge list semantics.

A list field merges by key when its schema says ``x-kubernetes-patch-strategy: merge``;
the keys are its ``x-kubernetes-list-map-keys`` (else ``x-kubernetes-patch-merge-key``),
as kyaml reads them. No schema (custom resources, unknown fields) means replace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.k8s import schemas

Schema = dict[str, Any] | None


@dataclass(frozen=True)
class ListRule:
    merge: bool
    keys: tuple[str, ...] = ()


class Navigator:
    """Schema lookups for one Kubernetes version."""

    def __init__(self, version: str) -> None:
        self.version = version
        self._defs: dict[str, Any] | None = None

    @property
    def defs(self) -> dict[str, Any]:
        if self._defs is None:
            self._defs = schemas.definitions(self.version)
        return self._defs

    def root(self, api_version: str, kind: str) -> Schema:
        key = schemas.definition_for(self.version, api_version, kind)
        return self.defs.get(key) if key else None

    def resolve(self, schema: Schema) -> Schema:
        seen = 0
        while schema is not None and seen < 20:
            seen += 1
            ref = schema.get("$ref")
            if isinstance(ref, str):
                schema = self.defs.get(ref.rpartition("/")[2])
                continue
            for combinator in ("allOf", "anyOf", "oneOf"):
                options = schema.get(combinator)
                if isinstance(options, list) and not schema.get("properties"):
                    refs = [o for o in options if isinstance(o, dict) and "$ref" in o]
                    if refs:
                        schema = refs[0]
                        break
            else:
                return schema
        return schema

    def field(self, schema: Schema, name: str) -> Schema:
        resolved = self.resolve(schema)
        if resolved is None:
            return None
        properties = resolved.get("properties")
        if isinstance(properties, dict) and isinstance(properties.get(name), dict):
            found: dict[str, Any] = properties[name]
            return found
        extra = resolved.get("additionalProperties")
        return extra if isinstance(extra, dict) else None

    def items(self, schema: Schema) -> Schema:
        resolved = self.resolve(schema)
        if resolved is None:
            return None
        items = resolved.get("items")
        return items if isinstance(items, dict) else None

    @staticmethod
    def list_rule(schema: Schema) -> ListRule:
        if schema is None:
            return ListRule(False)
        strategy = str(schema.get("x-kubernetes-patch-strategy", ""))
        if "merge" not in strategy.split(","):
            return ListRule(False)
        keys = schema.get("x-kubernetes-list-map-keys")
        if isinstance(keys, list) and keys:
            return ListRule(True, tuple(str(key) for key in keys))
        key = schema.get("x-kubernetes-patch-merge-key")
        return ListRule(True, (str(key),) if key else ())
