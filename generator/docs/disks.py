"""The documented performance of each StorageClass's volumes (``data/storage_performance.yaml``),
and what it gives a claim of a given size."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.graph.model import StorageClass

_DATA = "storage_performance.yaml"


@dataclass(frozen=True)
class Disk:
    """What the provisioner's documentation says about its volumes."""

    provisioner: str
    source: str
    node: bool = False  # a folder on the node's disk: nothing provisioned
    type: str = ""
    media: str = ""
    read_iops_per_gib: float = 0.0
    write_iops_per_gib: float = 0.0
    throughput_per_gib: float = 0.0  # MiB/s per GiB
    latency_ms: float | None = None  # designed for below this, when the source says

    def iops(self, size: int) -> tuple[int, int]:
        """(read, write) IOPS of a volume of ``size`` bytes, by the per-GiB figures."""
        gib = size / 2**30
        return round(self.read_iops_per_gib * gib), round(self.write_iops_per_gib * gib)

    def throughput(self, size: int) -> float:
        """MiB/s of a volume of ``size`` bytes, by the per-GiB figure."""
        return round(self.throughput_per_gib * size / 2**30, 1)


@functools.cache
def _disks() -> tuple[Disk, ...]:
    path = Path(__file__).parent.parent / "data" / _DATA
    entries: list[dict[str, Any]] = yamlio.load_one(yamlio.read_text(path), f"generator/data/{_DATA}")
    return tuple(
        Disk(
            provisioner=entry["provisioner"],
            source=entry["source"],
            node=entry.get("node", False),
            type=entry.get("type", ""),
            media=entry.get("media", ""),
            read_iops_per_gib=entry.get("readIopsPerGiB", 0.0),
            write_iops_per_gib=entry.get("writeIopsPerGiB", 0.0),
            throughput_per_gib=entry.get("throughputMiBpsPerGiB", 0.0),
            latency_ms=entry.get("latencyMs"),
        )
        for entry in entries
    )


def disk(storage_class: StorageClass) -> Disk | None:
    """The documented disk of a StorageClass: by provisioner, and by its ``type`` parameter
    when the provisioner has types; None when the data does not know it."""
    wanted = storage_class.parameters.get("type", "")
    return next(
        (d for d in _disks() if d.provisioner == storage_class.provisioner and d.type in ("", wanted)),
        None,
    )
