"""StorageClasses and claims of the graph: what each class provisions, who mounts what."""

from __future__ import annotations

from math import ceil
from typing import Any

from generator.k8s.identity import effective_namespace
from generator.graph import model
from generator.k8s.index import Index, dig, mapping, sequence
from generator.k8s.syntax import quantity
from generator.k8s.objects import Manifest


def storage_class(manifest: Manifest) -> model.StorageClass:
    data = manifest.data
    annotations = mapping(manifest.metadata.get("annotations"))
    return model.StorageClass(
        name=manifest.name,
        provisioner=str(data.get("provisioner", "")),
        reclaim_policy=str(data.get("reclaimPolicy", "Delete")),
        expansion=data.get("allowVolumeExpansion") is True,
        binding_mode=str(data.get("volumeBindingMode", "Immediate")),
        default=str(annotations.get("storageclass.kubernetes.io/is-default-class")) == "true",
        parameters={str(key): str(value) for key, value in sorted(mapping(data.get("parameters")).items())},
    )


def _claim(namespace: str, name: str, spec: dict[str, Any], mounted_by: tuple[str, ...], template: bool) -> model.Claim:
    request = dig(spec, "resources", "requests", "storage")
    amount = quantity(request)
    return model.Claim(
        namespace=namespace,
        name=name,
        storage_class=str(spec.get("storageClassName") or ""),
        request=str(request or ""),
        bytes=ceil(amount) if amount is not None else 0,
        access_modes=tuple(str(mode) for mode in sequence(spec.get("accessModes"))),
        mounted_by=mounted_by,
        template=template,
    )


def claims(index: Index, workloads: list[model.Workload]) -> list[model.Claim]:
    def users(namespace: str, name: str) -> tuple[str, ...]:
        return tuple(sorted({w.key for w in workloads if w.namespace == namespace and any(m.claim == name for m in w.mounts)}))

    claims = [
        _claim(effective_namespace(m.namespace), m.name, mapping(m.data.get("spec")), users(effective_namespace(m.namespace), m.name), False)
        for m in index.of_kind("PersistentVolumeClaim")
    ]
    for manifest in index.of_kind("StatefulSet"):
        namespace = effective_namespace(manifest.namespace)
        replicas = dig(manifest.data, "spec", "replicas")
        for template in sequence(dig(manifest.data, "spec", "volumeClaimTemplates")):
            for ordinal in range(replicas if isinstance(replicas, int) else 1):
                name = f"{dig(template, 'metadata', 'name')}-{manifest.name}-{ordinal}"
                spec = mapping(mapping(template).get("spec"))
                claims.append(_claim(namespace, name, spec, (f"{namespace}/{manifest.name}",), True))
    return claims
