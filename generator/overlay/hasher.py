"""Kustomize's content hash for generated ConfigMaps and Secrets (``api/hasher``).

The hash covers kind, data (and binaryData / type, stringData) encoded as Go's
``json.Marshal`` does: sorted keys, no spaces, ``<``, ``>``, ``&``, U+2028 and U+2029
escaped. As in Kustomize, the name is read with a lookup that never finds it, so it
hashes as the empty string. The first ten hex digits are kept, with ``0 1 3 a e``
swapped for ``g h k m t`` (no vowels, no look-alikes).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from generator.overlay.resource import Resource

_SWAP = str.maketrans("013ae", "ghkmt")


def go_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _field(data: dict[str, Any], key: str) -> Any:
    value = data.get(key)
    if value is None:
        return ""
    return value


def content_hash(data: dict[str, Any]) -> str:
    kind = data.get("kind")
    if kind == "ConfigMap":
        encoded: dict[str, Any] = {"kind": "ConfigMap", "name": "", "data": _field(data, "data")}
        if isinstance(data.get("binaryData"), dict):
            encoded["binaryData"] = data["binaryData"]
    elif kind == "Secret":
        encoded = {"kind": "Secret", "name": "", "type": _field(data, "type"),
                   "data": _field(data, "data")}
        if isinstance(data.get("stringData"), dict):
            encoded["stringData"] = data["stringData"]
    else:
        encoded = data
    digest = hashlib.sha256(go_json(encoded).encode("utf-8")).hexdigest()
    return digest[:10].translate(_SWAP)


@dataclass(frozen=True)
class HashSuffixes:
    """Kustomize's ``addHashesToNames``: each generated object that wants it gets
    ``-<content hash>`` on its name, its previous id remembered for name references."""

    def apply(self, resources: list[Resource]) -> list[Resource]:
        for resource in resources:
            if resource.needs_hash:
                resource.remember_id()
                resource.metadata["name"] = f"{resource.name}-{content_hash(resource.data)}"
        return resources
