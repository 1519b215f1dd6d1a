"""The documented performance of each StorageClass's volumes, and what it gives a claim of a
given size. The figures are the project's data: the values' ``storagePerformance``, a list
of entries ``{provisioner, type?, media?, readIopsPerGiB?, writeIopsPerGiB?,
throughputMiBpsPerGiB?, latencyMs?, node?, source}`` (``node: true``: a folder on the node's
own disk, nothing provisioned); each cites its source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.graph.model import StorageClass

SECTION = "storagePerformance"


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


def disks(values: Mapping[str, Any]) -> tuple[Disk, ...]:
    """The entries of the values' ``storagePerformance`` (already checked by the schema)."""
    entries = values.get(SECTION)
    return tuple(
        Disk(
            provisioner=str(entry["provisioner"]),
            source=str(entry["source"]),
            node=bool(entry.get("node", False)),
            type=str(entry.get("type", "")),
            media=str(entry.get("media", "")),
            read_iops_per_gib=entry.get("readIopsPerGiB", 0.0),
            write_iops_per_gib=entry.get("writeIopsPerGiB", 0.0),
            throughput_per_gib=entry.get("throughputMiBpsPerGiB", 0.0),
            latency_ms=entry.get("latencyMs"),
        )
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, Mapping)
    )


def disk(storage_class: StorageClass, known: Iterable[Disk]) -> Disk | None:
    """The documented disk of a StorageClass among ``known``: by provisioner, and by its
    ``type`` parameter when the provisioner has types; None when the data does not know it."""
    wanted = storage_class.parameters.get("type", "")
    return next(
        (d for d in known if d.provisioner == storage_class.provisioner and d.type in ("", wanted)),
        None,
    )
