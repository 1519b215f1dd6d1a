"""Container fields the API server (or server-side apply) rejects though schemas allow them.

Ports and env vars are list-maps (keys ``containerPort``+``protocol`` and ``name``): a
duplicate entry fails server-side apply, and with client-side apply the last one silently
wins. Port names are IANA service names, unique in the pod.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from generator.k8s import syntax
from generator.k8s.index import Index, Path, dig, mapping, sequence
from generator.lint.registry import Hit
from generator.k8s.objects import Manifest


def port_name(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            for number, port in enumerate(sequence(container.data.get("ports"))):
                name = mapping(port).get("name")
                if name is not None and (problem := syntax.port_name(str(name))):
                    yield Hit(
                        pod.manifest,
                        f"container {container.name!r} port name {name!r} {problem}",
                        (*container.path, "ports", number, "name"),
                    )
    for service in index.of_kind("Service"):
        ports = [mapping(port) for port in sequence(dig(service.data, "spec", "ports"))]
        for number, port in enumerate(ports):
            path: Path = ("spec", "ports", number)
            name, target = port.get("name"), port.get("targetPort")
            if len(ports) > 1 and not name:
                yield Hit(service, "a Service with several ports must name each one", path)
            elif name and (problem := syntax.dns1123_label(str(name))):
                yield Hit(service, f"port name {name!r} {problem}", (*path, "name"))
            if isinstance(target, str) and not target.isdigit():
                if problem := syntax.port_name(target):
                    yield Hit(service, f"targetPort {target!r} {problem}", (*path, "targetPort"))


def port_duplicate(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        names: dict[str, str] = {}
        for container in pod.containers():
            seen: set[tuple[Any, str]] = set()
            for number, port in enumerate(sequence(container.data.get("ports"))):
                port = mapping(port)
                key = (port.get("containerPort"), str(port.get("protocol", "TCP")))
                path = (*container.path, "ports", number)
                if key in seen:
                    yield Hit(
                        pod.manifest,
                        f"container {container.name!r} declares containerPort "
                        f"{key[0]}/{key[1]} twice",
                        path,
                    )
                seen.add(key)
                name = port.get("name")
                if name and str(name) in names:
                    yield Hit(
                        pod.manifest,
                        f"port name {name!r} is used twice in the pod "
                        f"(containers {names[str(name)]!r} and {container.name!r})",
                        path,
                    )
                elif name:
                    names[str(name)] = container.name
    for service in index.of_kind("Service"):
        counted = Counter(
            (mapping(port).get("port"), str(mapping(port).get("protocol", "TCP")))
            for port in sequence(dig(service.data, "spec", "ports"))
        )
        for (port_number, protocol), count in counted.items():
            if count > 1:
                yield Hit(
                    service,
                    f"port {port_number}/{protocol} is declared {count} times",
                    ("spec", "ports"),
                )


def env_duplicate(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            seen: set[str] = set()
            for number, variable in enumerate(sequence(container.data.get("env"))):
                name = str(mapping(variable).get("name"))
                if name in seen:
                    yield Hit(
                        pod.manifest,
                        f"container {container.name!r} sets env {name} twice; the last one wins",
                        (*container.path, "env", number, "name"),
                    )
                seen.add(name)


def _quantities(manifest: Manifest) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) of a resource quantity in the object."""

    def entries(base: Path, block: Any) -> Iterator[tuple[Path, Any]]:
        for section in ("requests", "limits"):
            for name, value in mapping(mapping(block).get(section)).items():
                yield (*base, section, name), value

    if manifest.kind == "PersistentVolumeClaim":
        yield from entries(("spec", "resources"), dig(manifest.data, "spec", "resources"))
    for number, claim in enumerate(sequence(dig(manifest.data, "spec", "volumeClaimTemplates"))):
        base: Path = ("spec", "volumeClaimTemplates", number, "spec", "resources")
        yield from entries(base, dig(claim, "spec", "resources"))


def quantity_syntax(index: Index) -> Iterator[Hit]:
    for manifest in index.manifests:
        for path, value in _quantities(manifest):
            if syntax.quantity(value) is None:
                yield Hit(manifest, f"{path[-1]} {value!r} is not a valid quantity", path)
    for pod in index.pods:
        for container in pod.containers():
            for section in ("requests", "limits"):
                for name, value in mapping(dig(container.data, "resources", section)).items():
                    if syntax.quantity(value) is None:
                        yield Hit(
                            pod.manifest,
                            f"container {container.name!r} {section}.{name} "
                            f"{value!r} is not a valid quantity (e.g. 500m, 128Mi)",
                            (*container.path, "resources", section, name),
                        )
        for number, volume in enumerate(sequence(pod.spec.get("volumes"))):
            limit = dig(volume, "emptyDir", "sizeLimit")
            if limit is not None and syntax.quantity(limit) is None:
                yield Hit(
                    pod.manifest,
                    f"emptyDir sizeLimit {limit!r} is not a valid quantity",
                    (*pod.spec_path, "volumes", number, "emptyDir", "sizeLimit"),
                )


def requests_exceed_limits(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            resources = mapping(container.data.get("resources"))
            limits = mapping(resources.get("limits"))
            for name, request in mapping(resources.get("requests")).items():
                wanted, allowed = syntax.quantity(request), syntax.quantity(limits.get(name))
                if wanted is not None and allowed is not None and wanted > allowed:
                    yield Hit(
                        pod.manifest,
                        f"container {container.name!r} requests {name} "
                        f"{request} above its limit {limits[name]}",
                        (*container.path, "resources", "requests", name),
                    )
