"""Group/version/kind of an object, and Kustomize's matching of a partial one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Gvk:
    group: str = ""
    version: str = ""
    kind: str = ""

    @classmethod
    def of(cls, data: dict[str, Any]) -> Gvk:
        api_version = data.get("apiVersion")
        group, _, version = str(api_version or "").rpartition("/")
        return cls(group, version, str(data.get("kind") or ""))

    def selects(self, other: Gvk) -> bool:
        """Whether ``other`` matches this partial GVK (empty fields match anything)."""
        return (
            (not self.group or self.group == other.group)
            and (not self.version or self.version == other.version)
            and (not self.kind or self.kind == other.kind)
        )

    def __str__(self) -> str:
        return ".".join(part for part in (self.kind, self.version, self.group) if part)
