"""Services and what points at them: selectors, target ports, StatefulSet governing Services."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.k8s.index import Index, PodTemplate, dig, mapping, matches, sequence
from generator.lint.registry import Hit
from generator.k8s.objects import Manifest


def container_ports(pods: list[PodTemplate]) -> tuple[set[int], set[str]]:
    """The containerPort numbers and port names the pods declare."""
    numbers: set[int] = set()
    names: set[str] = set()
    for pod in pods:
        for container in pod.containers(init=False):
            for port in sequence(container.data.get("ports")):
                port = mapping(port)
                if isinstance(port.get("containerPort"), int):
                    numbers.add(port["containerPort"])
                if port.get("name"):
                    names.add(str(port["name"]))
    return numbers, names


def _selector(service: Manifest) -> dict[str, Any]:
    return mapping(dig(service.data, "spec", "selector"))


def _describe(selector: dict[str, Any]) -> str:
    return ",".join(f"{key}={value}" for key, value in selector.items())


def service_selector(index: Index) -> Iterator[Hit]:
    for service in index.of_kind("Service"):
        selector = _selector(service)
        if not selector or dig(service.data, "spec", "type") == "ExternalName":
            continue
        if not index.select(index.namespace_of(service), selector, plain=True):
            yield Hit(
                service,
                f"selector {_describe(selector)} matches no pod template in namespace "
                f"{index.namespace_of(service)}",
                ("spec", "selector"),
            )


def service_target_port(index: Index) -> Iterator[Hit]:
    for service in index.of_kind("Service"):
        selector = _selector(service)
        pods = index.select(index.namespace_of(service), selector, plain=True) if selector else []
        if not pods:
            continue
        numbers, names = container_ports(pods)
        for number, port in enumerate(sequence(dig(service.data, "spec", "ports"))):
            port = mapping(port)
            target = port.get("targetPort", port.get("port"))
            path = ("spec", "ports", number, "targetPort" if "targetPort" in port else "port")
            if isinstance(target, int) and target not in numbers:
                yield Hit(
                    service,
                    f"targetPort {target} is not a containerPort of the selected pods "
                    f"(they declare {sorted(numbers) or 'none'})",
                    path,
                )
            elif isinstance(target, str) and not target.isdigit() and target not in names:
                yield Hit(
                    service,
                    f"targetPort {target!r} names no container port of the selected pods "
                    f"(named: {sorted(names) or 'none'})",
                    path,
                )


def statefulset_service(index: Index) -> Iterator[Hit]:
    """A StatefulSet's serviceName must be a headless Service that selects its pods."""
    for pod in index.pods:
        workload = pod.manifest
        if workload.kind != "StatefulSet":
            continue
        name = dig(workload.data, "spec", "serviceName")
        path = ("spec", "serviceName")
        if not name:
            continue  # optional since Kubernetes 1.33 (no stable network identity then)
        service = index.get("Service", pod.namespace, str(name))
        if service is None:
            yield Hit(
                workload,
                f"serviceName {name!r}: no Service of that name in namespace {pod.namespace}",
                path,
            )
            continue
        if dig(service.data, "spec", "clusterIP") != "None":
            yield Hit(
                workload,
                f"serviceName {name!r} is not a headless Service "
                "(spec.clusterIP: None), so pods get no stable DNS names",
                path,
            )
        selector = _selector(service)
        if not selector or not matches(pod.labels, selector, plain=True):
            yield Hit(
                workload,
                f"serviceName {name!r}: the Service's selector does not "
                "match this StatefulSet's pod labels",
                path,
            )
