"""References from pods to ConfigMaps, Secrets and ServiceAccounts of the set.

A reference marked ``optional: true`` may dangle. A missing key is only reported when the
object is in the set (then its keys are known). Secrets that are deliberately created
outside the manifests (credentials never go to Git) are declared on the workload that uses
them, by name: ``cmgen.io/external-secrets: "db-credentials, api-token"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.k8s.index import Index, Path, PodTemplate, dig, mapping, sequence
from generator.lint.registry import Hit


@dataclass(frozen=True)
class Ref:
    kind: str
    name: str
    keys: tuple[str, ...]
    optional: bool
    path: Path
    via: str


def _volume_refs(pod: PodTemplate) -> Iterator[Ref]:
    for number, volume in enumerate(sequence(pod.spec.get("volumes"))):
        base = (*pod.spec_path, "volumes", number)
        for field, kind, name_key in (
            ("configMap", "ConfigMap", "name"),
            ("secret", "Secret", "secretName"),
        ):
            source = mapping(mapping(volume).get(field))
            if source.get(name_key):
                yield _ref(
                    kind,
                    source,
                    name_key,
                    (*base, field, name_key),
                    f"volume {volume.get('name')!r}",
                )
        for s, projected in enumerate(sequence(dig(volume, "projected", "sources"))):
            for field, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                source = mapping(mapping(projected).get(field))
                if source.get("name"):
                    path = (*base, "projected", "sources", s, field, "name")
                    yield _ref(kind, source, "name", path, f"volume {volume.get('name')!r}")


def _ref(kind: str, source: dict[str, Any], name_key: str, path: Path, via: str) -> Ref:
    keys = tuple(str(mapping(item).get("key")) for item in sequence(source.get("items")))
    return Ref(kind, str(source[name_key]), keys, source.get("optional") is True, path, via)


def _env_refs(pod: PodTemplate) -> Iterator[Ref]:
    for container in pod.containers():
        via = f"container {container.name!r}"
        for number, source in enumerate(sequence(container.data.get("envFrom"))):
            for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = mapping(mapping(source).get(field))
                if ref.get("name"):
                    path = (*container.path, "envFrom", number, field, "name")
                    yield Ref(kind, str(ref["name"]), (), ref.get("optional") is True, path, via)
        for number, variable in enumerate(sequence(container.data.get("env"))):
            for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = mapping(dig(variable, "valueFrom", field))
                if ref.get("name"):
                    path = (*container.path, "env", number, "valueFrom", field, "name")
                    keys = (str(ref.get("key")),) if ref.get("key") is not None else ()
                    name = f"{via} env {mapping(variable).get('name')!r}"
                    yield Ref(kind, str(ref["name"]), keys, ref.get("optional") is True, path, name)


def _data_keys(data: dict[str, Any]) -> set[str]:
    keys: set[str] = set()
    for field in ("data", "stringData", "binaryData"):
        keys.update(str(key) for key in mapping(data.get(field)))
    return keys


EXTERNAL_SECRETS = "cmgen.io/external-secrets"


def external_secrets(pod: PodTemplate) -> set[str]:
    """The Secrets a workload declares as created outside the manifests."""
    declared = mapping(pod.manifest.metadata.get("annotations")).get(EXTERNAL_SECRETS, "")
    return {name.strip() for name in str(declared).split(",") if name.strip()}


def config_ref(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        external = external_secrets(pod)
        for ref in (*_volume_refs(pod), *_env_refs(pod)):
            if ref.optional or (ref.kind == "Secret" and ref.name in external):
                continue
            target = index.get(ref.kind, pod.namespace, ref.name)
            if target is None:
                yield Hit(
                    pod.manifest,
                    f"{ref.via} refers to {ref.kind} {ref.name!r}, which is not in namespace "
                    f"{pod.namespace} of this set (mark it optional: true if it may be absent)",
                    ref.path,
                )
                continue
            missing = [key for key in ref.keys if key not in _data_keys(target.data)]
            if missing:
                yield Hit(
                    pod.manifest,
                    f"{ref.via} uses key(s) {', '.join(missing)} of {ref.kind} {ref.name!r}, "
                    "which has no such key",
                    ref.path,
                )


def service_account_ref(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        name = pod.spec.get("serviceAccountName") or pod.spec.get("serviceAccount")
        if not name or name == "default":
            continue
        if index.get("ServiceAccount", pod.namespace, str(name)) is None:
            key = "serviceAccountName" if "serviceAccountName" in pod.spec else "serviceAccount"
            yield Hit(
                pod.manifest,
                f"ServiceAccount {name!r} is not in namespace {pod.namespace} of this set; "
                "pods cannot be created without it",
                (*pod.spec_path, key),
            )
