"""What identifies a Kubernetes object, and the namespace it lands in.

An ``ObjectId`` is group, kind, namespace and name; ``version`` is kept for Kustomize,
whose ids tell ``apps/v1`` from ``apps/v1beta1``, and left empty everywhere else. The
namespace is whatever the caller keys on: the raw ``metadata.namespace`` (the pipeline's
"rendered twice" check), or ``effective_namespace`` of it (overlay, lint).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ObjectId:
    group: str
    kind: str
    namespace: str
    name: str
    version: str = ""

    @classmethod
    def of(cls, data: dict[str, Any], with_version: bool = False) -> ObjectId:
        """The id of a raw object, keyed on its raw ``metadata.namespace``."""
        metadata = data.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        group, _, version = str(data.get("apiVersion") or "").rpartition("/")
        return cls(
            group,
            str(data.get("kind") or ""),
            str(metadata.get("namespace") or ""),
            str(metadata.get("name") or ""),
            version if with_version else "",
        )


def group_of(api_version: str) -> str:
    """``apps/v1`` -> ``apps``; the core group (``v1``) is ``""``."""
    return api_version.rpartition("/")[0]


def effective_namespace(namespace: str | None, cluster_scoped: bool = False) -> str:
    """The namespace an object lands in: none for a cluster-scoped kind, else its own or
    ``default``."""
    if cluster_scoped:
        return ""
    return namespace or "default"
