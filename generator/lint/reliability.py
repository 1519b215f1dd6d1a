"""What keeps a workload schedulable and healthy: resources, probes, pinned images.

Probes are not required of Jobs and CronJobs (they run to completion) nor of init
containers (the kubelet rejects probes there).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.k8s.index import Index, mapping
from generator.lint.registry import Hit

_RESOURCES = ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
_RUN_TO_COMPLETION = ("Job", "CronJob")


def resources(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            block = mapping(container.data.get("resources"))
            missing = [
                item
                for item in _RESOURCES
                if item.split(".")[1] not in mapping(block.get(item.split(".")[0]))
            ]
            if missing:
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r} sets no {', '.join(missing)}",
                    (*container.path, "resources"),
                )


def _probe(field: str, index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        if pod.manifest.kind in _RUN_TO_COMPLETION:
            continue
        for container in pod.containers(init=False):
            if not mapping(container.data.get(field)):
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r} has no {field}",
                    (*container.path, "name"),
                )


def liveness_probe(index: Index) -> Iterator[Hit]:
    return _probe("livenessProbe", index)


def readiness_probe(index: Index) -> Iterator[Hit]:
    return _probe("readinessProbe", index)


def image_tag(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            image = str(container.data.get("image", ""))
            if "@sha256:" in image:
                continue
            last = image.rsplit("/", 1)[-1]
            tag = last.partition(":")[2]
            if not tag or tag == "latest":
                problem = "the floating tag latest" if tag else "no tag (means latest)"
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r} image {image!r} has {problem}",
                    (*container.path, "image"),
                )
