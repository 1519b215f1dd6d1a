"""The builtin transformer configuration, loaded once from the package's YAML data."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any

from generator import yamlio
from generator.overlay.fieldspec import FieldSpec, split_path
from generator.overlay.gvk import Gvk


@dataclass(frozen=True)
class NameRef:
    """A field of ``referrer`` kinds that holds the name of a ``target`` object."""

    target: Gvk
    referrer: Gvk
    path: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    metadata_labels: tuple[FieldSpec, ...]
    template_labels: tuple[FieldSpec, ...]
    selector_labels: tuple[FieldSpec, ...]
    common_annotations: tuple[FieldSpec, ...]
    namespace: tuple[FieldSpec, ...]
    name_prefix_skip: tuple[Gvk, ...]
    replicas: tuple[FieldSpec, ...]
    images: tuple[FieldSpec, ...]
    name_references: tuple[NameRef, ...]

    @property
    def common_labels(self) -> tuple[FieldSpec, ...]:
        return self.selector_labels + self.metadata_labels + self.template_labels


def _load(name: str) -> dict[str, Any]:
    text = (files("generator.overlay") / name).read_text(encoding="utf-8")
    data: dict[str, Any] = yamlio.load_one(text, name)
    return data


def _specs(entries: list[dict[str, Any]]) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec.parse(entry) for entry in entries)


@cache
def config() -> Config:
    data = _load("fieldspecs.yaml")
    refs = tuple(
        NameRef(Gvk(entry["target"][1], entry["target"][2], entry["target"][0]),
                Gvk(group, version, kind), split_path(path))
        for entry in _load("namereference.yaml")["nameReference"]
        for kind, group, version, path in entry["fields"]
    )
    return Config(
        metadata_labels=_specs(data["metadataLabels"]),
        template_labels=_specs(data["templateLabels"]),
        selector_labels=_specs(data["selectorLabels"]),
        common_annotations=_specs(data["commonAnnotations"]),
        namespace=_specs(data["namespace"]),
        name_prefix_skip=tuple(
            Gvk(e.get("group", ""), e.get("version", ""), e["kind"]) for e in data["namePrefixSkip"]
        ),
        replicas=_specs(data["replicas"]),
        images=tuple(replace(spec, create=False) for spec in _specs(data["images"])),
        name_references=refs,
    )
