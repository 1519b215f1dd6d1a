"""What the docs stage reads besides the objects: the report's language (``docs:`` in
cmgen.yaml) and optional keys of the env's values, documented in the README:

- ``engines``: what runs in the workloads (generator/engines.py): which are databases, what
  the report calls them, how the persistence check logs in;
- ``storagePerformance``: the documented performance of the volumes each provisioner (and
  disk ``type``) creates, with its source (generator/docs/disks.py);
- ``addons.ingressAddress``: per kind of cluster (``addons.cluster``), the command printing
  the ingress controller's address (else scripts read the first Ingress's status);

- ``performance``: the env's targets (``responseTimeMs``, ``throughputRps``,
  ``availabilityPercent``), stated in the report's performance section;
- ``features``: boolean switches; the values schema describes each (``description``) and
  may place it on a recommendation horizon (``x-cmgen-horizon``: short, mid or long) and
  describe it in the report's language (``x-cmgen-description-ko``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.docs.disks import Disk, disks
from generator.engines import Engine, engines
from generator.errors import CmgenError

HORIZON_KEY = "x-cmgen-horizon"
HORIZONS = ("short", "mid", "long")
TARGETS = ("responseTimeMs", "throughputRps", "availabilityPercent")


@dataclass(frozen=True)
class Feature:
    name: str
    on: bool
    description: str
    horizon: str  # one of HORIZONS


@dataclass(frozen=True)
class Settings:
    language: str = "en"
    targets: Mapping[str, float] = field(default_factory=dict)  # of TARGETS, those the values set
    features: tuple[Feature, ...] = ()
    engines: Mapping[str, Engine] = field(default_factory=dict)
    disks: tuple[Disk, ...] = ()
    ingress_address: tuple[str, ...] = ()  # argv; empty: the first Ingress's load-balancer IP


def settings(values: Mapping[str, Any], schema: Mapping[str, Any], language: str = "en") -> Settings:
    """The docs settings of one env's merged ``values`` (already checked against ``schema``)."""
    performance = values.get("performance")
    targets = {
        key: performance[key]
        for key in TARGETS
        if isinstance(performance, Mapping) and isinstance(performance.get(key), (int, float))
    }
    switches = values.get("features")
    described = _properties(schema, "features")
    features = []
    for name, on in sorted(switches.items() if isinstance(switches, Mapping) else []):
        if not isinstance(on, bool):
            continue
        entry = described.get(name, {})
        horizon = entry.get(HORIZON_KEY, "mid")
        if horizon not in HORIZONS:
            raise CmgenError(f"the values schema's features.{name}: {HORIZON_KEY} must be one of {', '.join(HORIZONS)}")
        description = entry.get(f"x-cmgen-description-{language}") or entry.get("description", "")
        features.append(Feature(name, on, str(description), horizon))
    return Settings(language, targets, tuple(features), engines(values), disks(values), _ingress_address(values))


def _ingress_address(values: Mapping[str, Any]) -> tuple[str, ...]:
    addons = values.get("addons")
    if not isinstance(addons, Mapping) or not isinstance(addons.get("ingressAddress"), Mapping):
        return ()
    command = addons["ingressAddress"].get(str(addons.get("cluster", "")))
    return tuple(str(arg) for arg in command) if isinstance(command, list) else ()


def _properties(schema: Mapping[str, Any], key: str) -> Mapping[str, Mapping[str, Any]]:
    found = schema.get("properties", {}).get(key, {}).get("properties", {})
    return found if isinstance(found, Mapping) else {}
