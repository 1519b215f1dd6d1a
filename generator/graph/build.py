"""Build the platform graph from rendered objects (never from values): whatever the
templates, overlays or envs did, the graph describes what ``kubectl apply`` would create."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from generator.engines import ENGINE_LABEL, Engine
from generator.k8s.identity import effective_namespace
from generator.graph import database, mesh, model, policy, secrets, storage
from generator.k8s.index import Index, PodTemplate, dig, mapping, sequence
from generator.k8s.scope import Scope
from generator.k8s.objects import Manifest

_DNS = re.compile(
    r"(?:(?P<scheme>[a-z]+)://)?(?P<service>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)"
    r"\.(?P<namespace>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\b(?::(?P<port>[0-9]+))?"
)
# Every kind whose pod template creates pods: each counts for mounts, calls and policies.
_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")


def build(
    manifests: Iterable[Manifest], tree: str = "", engines: Mapping[str, Engine] | None = None,
    known: Scope | None = None,
) -> model.Graph:
    """The graph of ``manifests``; ``tree`` is the prefix of their source names that the
    graph's file names drop (scripts apply files relative to the tree). ``engines`` (the
    values' table) tells which workloads run a database: a pod's engine is its
    ``app.kubernetes.io/component`` label; without the table no database is known.
    ``known``: the kinds' scope before the set's own CRDs (a project's CRDs teach it theirs)."""
    manifests = list(manifests)
    index = Index.build(manifests, known)
    pods = [pod for pod in index.pods if pod.manifest.kind in _WORKLOADS]
    scaling = _autoscalers(index)
    workloads = [_workload(pod, scaling, engines or {}) for pod in pods]
    by_pod = {id(pod): workload for pod, workload in zip(pods, workloads)}
    services = sorted(
        (_service(item, index, by_pod) for item in index.of_kind("Service")), key=_by_key
    )
    namespaces = _namespaces(index)
    return model.Graph(
        platform=_platform(manifests),
        namespaces=namespaces,
        workloads=tuple(sorted(workloads, key=_by_key)),
        services=tuple(services),
        routes=tuple(route for item in index.of_kind("Ingress") for route in _routes(item)),
        edges=tuple(sorted(_edges(pods, by_pod, services), key=lambda e: (e.source, e.variable))),
        storage_classes=tuple(
            sorted((storage.storage_class(item) for item in index.of_kind("StorageClass")), key=lambda s: s.name)
        ),
        claims=tuple(sorted(storage.claims(index, workloads), key=_by_key)),
        policies=policy.evaluate(list(index.of_kind("NetworkPolicy")), namespaces, workloads),
        files=_files(manifests, tree),
        mtls=mesh.mtls(index),
        splits=mesh.splits(index, services, workloads),
        telemetry=mesh.telemetry(pods, {id(pod): w.key for pod, w in zip(pods, workloads)}),
    )


def _by_key(item: Any) -> tuple[str, str]:
    return item.namespace, item.name


def _text_map(value: Any) -> dict[str, str]:
    return {str(key): str(item) for key, item in sorted(mapping(value).items())}


def _platform(manifests: list[Manifest]) -> str:
    """The most common ``app.kubernetes.io/part-of`` label, else ``platform``."""
    parts = Counter(str(m.metadata["labels"].get("app.kubernetes.io/part-of")) for m in manifests
                    if isinstance(m.metadata.get("labels"), dict)
                    and m.metadata["labels"].get("app.kubernetes.io/part-of"))
    return sorted(parts.items(), key=lambda item: (-item[1], item[0]))[0][0] if parts else "platform"


def _namespaces(index: Index) -> tuple[model.Namespace, ...]:
    found = {m.name: _text_map(m.metadata.get("labels")) for m in index.of_kind("Namespace")}
    for name in index.known_namespaces - set(found):
        found[name] = {}
    return tuple(
        model.Namespace(name, {**labels, "kubernetes.io/metadata.name": name})
        for name, labels in sorted(found.items())
    )


def _description(manifest: Manifest) -> str:
    annotations = mapping(manifest.metadata.get("annotations"))
    return next((str(v) for k, v in sorted(annotations.items()) if str(k).endswith("/description")), "")


def _autoscalers(index: Index) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(namespace, kind, name) of each HPA's target -> (minReplicas, maxReplicas)."""
    found = {}
    for hpa in index.of_kind("HorizontalPodAutoscaler"):
        target = mapping(dig(hpa.data, "spec", "scaleTargetRef"))
        low, high = dig(hpa.data, "spec", "minReplicas"), dig(hpa.data, "spec", "maxReplicas")
        if isinstance(high, int):
            key = (effective_namespace(hpa.namespace), str(target.get("kind")), str(target.get("name")))
            found[key] = (low if isinstance(low, int) else 1, high)
    return found


def _workload(
    pod: PodTemplate, scaling: dict[tuple[str, str, str], tuple[int, int]], engines: Mapping[str, Engine]
) -> model.Workload:
    manifest = pod.manifest
    containers = [container.data for container in pod.containers(init=False)]
    claims = {
        str(volume.get("name")): str(dig(volume, "persistentVolumeClaim", "claimName"))
        for volume in map(mapping, sequence(pod.spec.get("volumes")))
        if dig(volume, "persistentVolumeClaim", "claimName")
    }
    if manifest.kind == "StatefulSet":
        for template in sequence(dig(manifest.data, "spec", "volumeClaimTemplates")):
            name = str(dig(template, "metadata", "name"))
            claims[name] = f"{name}-{manifest.name}-0"
    mounts = [
        model.Mount(claims[str(mount.get("name"))], str(container.get("name")), str(mount.get("mountPath")))
        for container in containers
        for mount in map(mapping, sequence(container.get("volumeMounts")))
        if str(mount.get("name")) in claims
    ]
    ports = [
        model.Port(str(port.get("name", "")), int(port["containerPort"]), str(port.get("protocol", "TCP")))
        for container in containers
        for port in map(mapping, sequence(container.get("ports")))
        if isinstance(port.get("containerPort"), int)
    ]
    health = next(
        (str(dig(c, "readinessProbe", "httpGet", "path")) for c in containers
         if dig(c, "readinessProbe", "httpGet", "path")),
        None,
    )
    autoscaled = scaling.get((pod.namespace, manifest.kind, manifest.name))
    return model.Workload(
        kind=manifest.kind,
        namespace=pod.namespace,
        name=manifest.name,
        # an HPA owns the count of a workload that leaves spec.replicas to it
        replicas=autoscaled[0] if autoscaled and "replicas" not in manifest.data.get("spec", {}) else pod.replicas,
        autoscaled=autoscaled,
        labels=_text_map(pod.labels),
        selector=_text_map(dig(manifest.data, "spec", "selector", "matchLabels")),
        container=str(containers[0].get("name", "")) if containers else "",
        images=tuple(str(c.get("image", "")) for c in containers),
        ports=tuple(ports),
        mounts=tuple(mounts),
        secrets=secrets.uses(pod, containers),
        health=health,
        description=_description(manifest),
        database=database.first(containers, engines.get(str(pod.labels.get(ENGINE_LABEL, "")))),
    )


def _service(manifest: Manifest, index: Index, by_pod: dict[int, model.Workload]) -> model.Service:
    spec = mapping(manifest.data.get("spec"))
    namespace = effective_namespace(manifest.namespace)
    selected = index.select(namespace, spec.get("selector"), plain=True)
    ports = [
        model.ServicePort(
            str(port.get("name", "")), int(port.get("port", 0)),
            str(port.get("targetPort", port.get("port", ""))), str(port.get("protocol", "TCP")),
        )
        for port in map(mapping, sequence(spec.get("ports")))
    ]
    return model.Service(
        namespace=namespace,
        name=manifest.name,
        type=str(spec.get("type", "ClusterIP")),
        headless=spec.get("clusterIP") == "None",
        ports=tuple(ports),
        selector=_text_map(spec.get("selector")),
        backends=tuple(sorted(by_pod[id(pod)].key for pod in selected if id(pod) in by_pod)),
    )


def _routes(manifest: Manifest) -> list[model.Route]:
    spec = mapping(manifest.data.get("spec"))
    namespace = effective_namespace(manifest.namespace)
    tls_hosts = {str(host) for tls in map(mapping, sequence(spec.get("tls"))) for host in sequence(tls.get("hosts"))}
    routes = []
    for rule in map(mapping, sequence(spec.get("rules"))):
        host = str(rule.get("host", "*"))
        for path in map(mapping, sequence(dig(rule, "http", "paths"))):
            service = mapping(dig(path, "backend", "service"))
            port = mapping(service.get("port"))
            routes.append(model.Route(
                ingress=f"{namespace}/{manifest.name}",
                ingress_class=str(spec.get("ingressClassName", "")),
                host=host,
                path=str(path.get("path", "/")),
                path_type=str(path.get("pathType", "Prefix")),
                service=f"{namespace}/{service.get('name', '')}",
                port=str(port.get("number", port.get("name", ""))),
                tls=host in tls_hosts,
            ))
    return routes


def _edges(
    pods: list[PodTemplate], by_pod: dict[int, model.Workload], services: list[model.Service]
) -> list[model.Edge]:
    known = {service.key: service for service in services}
    edges = []
    for pod in pods:
        for container in pod.containers():
            env = {str(e.get("name")): str(e.get("value", "")) for e in map(mapping, sequence(container.data.get("env")))}
            for variable, value in env.items():
                for match in _DNS.finditer(value):
                    service = known.get(f"{match['namespace']}/{match['service']}")
                    if service is None:
                        continue
                    edges.append(model.Edge(
                        by_pod[id(pod)].key, variable, service.key,
                        _edge_port(match["port"], env, variable, service),
                        match["scheme"] in ("http", "https") or any(p.name.startswith("http") for p in service.ports),
                    ))
    return edges


def _edge_port(explicit: str | None, env: dict[str, str], variable: str, service: model.Service) -> int | None:
    """The port in the URL, else the sibling ``<PREFIX>_PORT`` variable, else the only port."""
    if explicit:
        return int(explicit)
    sibling = env.get(variable.rpartition("_")[0] + "_PORT", "")
    if sibling.isdigit():
        return int(sibling)
    return service.ports[0].port if len(service.ports) == 1 else None


def _files(manifests: list[Manifest], tree: str) -> dict[str, tuple[str, ...]]:
    kinds: dict[str, list[str]] = {}
    for manifest in manifests:
        name = manifest.source.name.removeprefix(tree.rstrip("/") + "/") if tree else manifest.source.name
        found = kinds.setdefault(name, [])
        if manifest.kind not in found:
            found.append(manifest.kind)
    return {name: tuple(found) for name, found in sorted(kinds.items())}
