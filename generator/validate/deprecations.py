"""Kubernetes APIs that were removed, and what replaces them (data in ``removed_apis.yaml`` beside this module)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator import yamlio
from generator.k8s.identity import group_of

_DATA = "removed_apis.yaml"


@dataclass(frozen=True)
class RemovedApi:
    api_version: str
    kind: str
    removed_in: str
    replacement: str
    note: str = ""

    def advice(self) -> str:
        """``use apps/v1`` (or the note, when the API has no successor)."""
        if self.replacement:
            return f"use {self.replacement}"
        return self.note or "it has no replacement"


def removed(api_version: str, kind: str) -> RemovedApi | None:
    return _table().get((api_version, kind))


def removed_groups() -> frozenset[str]:
    """Groups that only removed APIs name (``extensions``), so they are Kubernetes' own."""
    return frozenset(group_of(api_version) for api_version, _ in _table())


@cache
def _table() -> dict[tuple[str, str], RemovedApi]:
    path = Path(__file__).parent / _DATA
    entries = yamlio.load_one(yamlio.read_text(path), f"generator/validate/{_DATA}")
    table: dict[tuple[str, str], RemovedApi] = {}
    for entry in entries:
        for kind in entry["kinds"]:
            api = RemovedApi(
                entry["apiVersion"],
                kind,
                str(entry["removedIn"]),
                entry["replacement"],
                entry.get("note", ""),
            )
            table[(api.api_version, kind)] = api
    return table
