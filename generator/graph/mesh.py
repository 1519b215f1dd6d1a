"""The service mesh and observability part of the graph: Istio's mTLS mode per namespace,
the weighted routes of VirtualServices to the workloads their subsets select, and the
telemetry each workload sends (OTLP traces; container logs from a node log shipper)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.graph import model
from generator.lint.index import Index, PodTemplate, dig, mapping, sequence

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
