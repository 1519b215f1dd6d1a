"""The service mesh and observability part of the graph: Istio's mTLS mode per namespace,
the weighted routes of VirtualServices to the workloads their subsets select, and the
telemetry each workload sends (OTLP traces; container logs from a node log shipper)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.graph import model
from generator.k8s.index import Index, PodTemplate, dig, mapping, sequence

_CLUSTER_HOST = re.compile(r"(?:[a-z]+://)?(?P<host>[a-z0-9][-a-z0-9.]*\.svc(?:\.cluster\.local)?)(?::(?P<port>[0-9]+))?")


def mtls(index: Index) -> dict[str, str]:
    """Namespace -> mode of its namespace-wide PeerAuthentication (one without a selector)."""
    found = {}
    for manifest in index.of_kind("PeerAuthentication"):
        spec = mapping(manifest.data.get("spec"))
        if not spec.get("selector") and manifest.namespace:
            found[manifest.namespace] = str(dig(spec, "mtls", "mode") or "PERMISSIVE")
    return dict(sorted(found.items()))


def splits(index: Index, services: Iterable[model.Service], workloads: Iterable[model.Workload]) -> tuple[model.Split, ...]:
    by_host = {service.dns: service for service in services}
    rules = {
        (m.namespace, str(dig(m.data, "spec", "host"))): {
            str(s.get("name")): {str(k): str(v) for k, v in mapping(s.get("labels")).items()}
            for s in map(mapping, sequence(dig(m.data, "spec", "subsets")))
        }
        for m in index.of_kind("DestinationRule")
    }
    found = []
    for manifest in index.of_kind("VirtualService"):
        for http in map(mapping, sequence(dig(manifest.data, "spec", "http"))):
            routes = [mapping(route) for route in sequence(http.get("route"))]
            for route in routes:
                host = str(dig(route, "destination", "host"))
                service = by_host.get(host)
                if service is None:
                    continue
                subset = str(dig(route, "destination", "subset") or "")
                labels = {**service.selector, **rules.get((manifest.namespace, host), {}).get(subset, {})}
                selected = tuple(w.key for w in workloads if w.namespace == service.namespace
                                 and labels.items() <= w.labels.items())
                weight = route.get("weight", 100 if len(routes) == 1 else 0)
                found.append(model.Split(service.key, subset, int(weight), selected))
    return tuple(found)


def sidecar(graph: model.Graph, workload_key: str) -> bool:
    """Whether Istio injects a sidecar into the workload's pods, by its injector's rules: no when
    the namespace label ``istio-injection`` or the pod label ``sidecar.istio.io/inject`` says
    disabled, else yes when either says enabled (or the namespace names a revision,
    ``istio.io/rev``)."""
    workload = graph.workload(workload_key)
    if workload is None:
        return False
    pod = workload.labels.get("sidecar.istio.io/inject")
    labels = next((ns.labels for ns in graph.namespaces if ns.name == workload.namespace), {})
    namespace = labels.get("istio-injection")
    if pod == "false" or namespace == "disabled":
        return False
    return pod == "true" or namespace == "enabled" or "istio.io/rev" in labels


def shares(graph: model.Graph, caller: str, service: str) -> dict[str, tuple[str, int]]:
    """Backend workload key -> (subset, weight): how the VirtualService splits the requests
    ``caller`` sends to ``service``. Empty when the Service has no split or the caller has no
    sidecar (the split is applied by the caller's Envoy); a backend no subset selects gets 0."""
    found = [split for split in graph.splits if split.service == service]
    target = graph.service(service)
    if not found or target is None or not sidecar(graph, caller):
        return {}
    result = {}
    for backend in target.backends:
        chosen = [split for split in found if backend in split.workloads]
        subsets = "+".join(split.subset for split in chosen)
        result[backend] = (subsets, sum(split.weight for split in chosen))
    return result


def telemetry(pods: Iterable[PodTemplate], keys: dict[int, str]) -> tuple[model.Telemetry, ...]:
    found = set()
    for pod in pods:
        shipper = any(dig(volume, "hostPath", "path") == "/var/log" for volume in map(mapping, sequence(pod.spec.get("volumes"))))
        for container in pod.containers():
            env = {str(e.get("name")): str(e.get("value", "")) for e in map(mapping, sequence(container.data.get("env")))}
            for name, value in env.items():
                match = _CLUSTER_HOST.fullmatch(value)
                if match is None:
                    continue
                port = match["port"] or env.get(name.rpartition("_")[0] + "_PORT", "")
                target = f"{match['host']}:{port}" if port else match["host"]
                if name == "OTEL_EXPORTER_OTLP_ENDPOINT":
                    found.add(model.Telemetry(keys[id(pod)], "traces", target))
                elif shipper and not name.endswith("_PORT"):
                    found.add(model.Telemetry(keys[id(pod)], "logs", target))
    return tuple(sorted(found, key=lambda t: (t.source, t.signal, t.target)))
