"""The Secrets a workload's pod reads, and which keys: what deploy-all.sh creates or copies
(``docs.plan``) for the ones declared external (``cmgen.io/external-secrets``)."""

from __future__ import annotations

from typing import Any

from generator.graph import model
from generator.k8s.index import PodTemplate, dig, mapping, sequence
from generator.lint.configrefs import external_secrets


def uses(pod: PodTemplate, containers: list[dict[str, Any]]) -> tuple[model.SecretUse, ...]:
    """Secrets in the pod's volumes, with the keys read through ``*_FILE`` env paths or
    projected by the volume's ``items``, and in ``secretKeyRef`` variables."""
    external = external_secrets(pod)
    volumes = {
        str(volume.get("name")): str(dig(volume, "secret", "secretName"))
        for volume in map(mapping, sequence(pod.spec.get("volumes")))
        if dig(volume, "secret", "secretName")
    }
    keys: dict[str, set[str]] = {name: set() for name in volumes.values()}
    for volume in map(mapping, sequence(pod.spec.get("volumes"))):
        if dig(volume, "secret", "secretName"):
            items = map(mapping, sequence(dig(volume, "secret", "items")))
            keys[str(dig(volume, "secret", "secretName"))].update(str(item["key"]) for item in items if item.get("key"))
    for container in containers:
        values = [str(env.get("value")) for env in map(mapping, sequence(container.get("env")))]
        for mount in map(mapping, sequence(container.get("volumeMounts"))):
            secret = volumes.get(str(mount.get("name")))
            prefix = str(mount.get("mountPath", "")).rstrip("/") + "/"
            if secret is not None:
                keys[secret].update(v.removeprefix(prefix) for v in values if v.startswith(prefix))
        for env in map(mapping, sequence(container.get("env"))):
            ref = mapping(dig(env, "valueFrom", "secretKeyRef"))
            if ref.get("name"):
                keys.setdefault(str(ref["name"]), set()).add(str(ref.get("key", "")))
    for name in external:
        keys.setdefault(name, set())
    return tuple(
        model.SecretUse(name, tuple(sorted(found - {""})), name in external)
        for name, found in sorted(keys.items())
    )
