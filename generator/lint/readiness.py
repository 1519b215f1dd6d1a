"""Deploy readiness: what the set needs from the cluster comes from the set itself or from
an add-on of the env (``generator.addons``), so the tree deploys on an empty cluster once
its add-ons are installed.

Checked: the kind of every custom resource (a CRD of the set, or one an add-on serves),
every namespace an object lives in (a Namespace of the set, a built-in one, or one an
add-on creates), every StorageClass provisioner, every IngressClass an Ingress names and
the set does not create, and every Service named by a ``<svc>.<ns>.svc`` DNS name in an
env value or a ConfigMap whose namespace the set does not hold (names in the set's own
namespaces are ``env-dns``'s). The rule needs the env's add-ons: a project passes them from
its merged values; ``cmgen lint PATH`` on plain files knows no env, and the rule is silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.k8s import schemas
from generator.addons import Addon, Addons, crd_name
from generator.k8s.index import BUILTIN_NAMESPACES, Index, Path, dig, mapping, sequence
from generator.lint.registry import Hit, LintIndex
from generator.k8s.objects import Manifest

_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_SERVICE_NAME = re.compile(rf"(?<![\w.-])(?P<service>{_LABEL})\.(?P<namespace>{_LABEL})\.svc(?:\.cluster\.local)?\b")


def _why(addons: Addons, elsewhere: Addon | None) -> str:
    if elsewhere is not None:
        return f"add-on {elsewhere.name} provides it but is not part of env {addons.env}"
    return f"no add-on of env {addons.env} provides it"


def builtin_groups() -> frozenset[str]:
    """API groups Kubernetes serves itself (the newest schemas'): any other group is a CRD's."""
    return schemas.builtin_groups(schemas.available_versions()[-1])


def deploy_readiness(index: LintIndex) -> Iterator[Hit]:
    addons = index.addons
    if addons is None:
        return
    yield from _kinds(index, addons)
    yield from _namespaces(index, addons)
    yield from _classes(index, addons)
    yield from _services(index, addons)


def _kinds(index: Index, addons: Addons) -> Iterator[Hit]:
    builtin = builtin_groups()
    served = {
        (str(dig(crd.data, "spec", "group")), str(dig(crd.data, "spec", "names", "kind")))
        for crd in index.of_kind("CustomResourceDefinition")
    }
    for manifest in index.manifests:
        group = manifest.api_version.rpartition("/")[0]
        kind = manifest.kind
        if group in builtin or (group, kind) in served or addons.crd_provider(group, kind):
            continue
        found = addons.crd_elsewhere(group, kind)
        name = found[0] if found else crd_name(group, kind)
        yield Hit(manifest, f"needs CRD {name}: {_why(addons, found[1] if found else None)}", ("kind",))


def _namespaces(index: Index, addons: Addons) -> Iterator[Hit]:
    created = {m.name for m in index.of_kind("Namespace")} | BUILTIN_NAMESPACES
    for manifest in index.manifests:
        namespace = manifest.namespace
        if index.scope.is_cluster_scoped(manifest.kind) or not namespace or namespace in created:
            continue
        if addons.provides("namespaces", namespace) is None:
            yield Hit(
                manifest,
                f"lives in namespace {namespace}: neither the set nor an add-on creates it "
                f"({_why(addons, addons.elsewhere('namespaces', namespace))})",
                ("metadata", "namespace"),
            )


def _classes(index: Index, addons: Addons) -> Iterator[Hit]:
    for storage in index.of_kind("StorageClass"):
        provisioner = str(storage.data.get("provisioner", ""))
        if provisioner and addons.provides("provisioners", provisioner) is None:
            yield Hit(
                storage,
                f"provisioner {provisioner} runs on no cluster of env {addons.env}: "
                f"{_why(addons, addons.elsewhere('provisioners', provisioner))}",
                ("provisioner",),
            )
    created = {m.name for m in index.of_kind("IngressClass")}
    for ingress in index.of_kind("Ingress"):
        name = dig(ingress.data, "spec", "ingressClassName")
        if isinstance(name, str) and name not in created and addons.provides("ingress_classes", name) is None:
            yield Hit(
                ingress,
                f"needs IngressClass {name}: {_why(addons, addons.elsewhere('ingress_classes', name))}",
                ("spec", "ingressClassName"),
            )


def _texts(index: Index) -> Iterator[tuple[Manifest, Path, str]]:
    """Every env value of a pod's containers and every ConfigMap data value."""
    for pod in index.pods:
        for container in pod.containers():
            for number, variable in enumerate(sequence(container.data.get("env"))):
                value = mapping(variable).get("value")
                if isinstance(value, str):
                    yield pod.manifest, (*container.path, "env", number, "value"), value
    for config in index.of_kind("ConfigMap"):
        for key, value in mapping(config.data.get("data")).items():
            if isinstance(value, str):
                yield config, ("data", str(key)), value


def _services(index: Index, addons: Addons) -> Iterator[Hit]:
    for manifest, path, text in _texts(index):
        for match in _SERVICE_NAME.finditer(text):
            namespace, service = match["namespace"], match["service"]
            key = f"{namespace}/{service}"
            if namespace in index.known_namespaces or addons.provides("services", key):
                continue
            yield Hit(
                manifest,
                f"points at Service {key} ({match.group()}): neither the set nor an add-on "
                f"runs it ({_why(addons, addons.elsewhere('services', key))})",
                path,
            )
