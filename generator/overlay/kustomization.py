"""Reading ``overlays/<env>/kustomization.yaml``: a strict subset of Kustomize's format.

Every field cmgen does not support is an error at its line, never ignored. What each
field means is in the transform modules; this module only checks shapes and files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.overlay.fieldspec import FieldSpec
from generator.overlay.generators import (
    GeneratorArgs, GeneratorOptions, read_generator, read_options,
)
from generator.overlay.images import Image
from generator.overlay.reader import Reader, Spot
from generator.overlay.selector import Selector, read_selector

API_VERSION = "kustomize.config.k8s.io/v1beta1"
FIELDS = (
    "apiVersion", "kind", "resources", "patches", "patchesStrategicMerge", "patchesJson6902",
    "namePrefix", "nameSuffix", "labels", "commonLabels", "commonAnnotations", "images",
    "replicas", "namespace", "configMapGenerator", "secretGenerator", "generatorOptions",
    "sortOptions",
)


@dataclass(frozen=True)
class FileRef:
    path: Path
    name: str
    spot: Spot


@dataclass(frozen=True)
class PatchSpec:
    text: str
    source: str
    target: Selector | None
    spot: Spot
    allow_name_change: bool = False
    allow_kind_change: bool = False


@dataclass(frozen=True)
class LabelSpec:
    pairs: dict[str, str]
    include_selectors: bool
    include_templates: bool
    spot: Spot
    fields: tuple[FieldSpec, ...] = ()
    field_spots: tuple[Spot, ...] = ()


@dataclass(frozen=True)
class ReplicaSpec:
    name: str
    count: int
    spot: Spot


@dataclass(frozen=True)
class Kustomization:
    file: str
    resources: tuple[FileRef, ...] = ()
    patches_strategic_merge: tuple[PatchSpec, ...] = ()
    patches: tuple[PatchSpec, ...] = ()
    patches_json6902: tuple[PatchSpec, ...] = ()
    name_prefix: str = ""
    name_suffix: str = ""
    labels: tuple[LabelSpec, ...] = ()
    common_labels: tuple[tuple[str, str], ...] = ()
    common_annotations: tuple[tuple[str, str], ...] = ()
    images: tuple[Image, ...] = ()
    replicas: tuple[ReplicaSpec, ...] = ()
    namespace: str = ""
    generators: tuple[GeneratorArgs, ...] = ()
    generator_options: GeneratorOptions = GeneratorOptions()


def load(path: Path, display: Callable[[Path], str] = str) -> Kustomization:
    name = display(path)
    text = yamlio.read_text(path, name)
    data = yamlio.load_one(text, name)
    reader = Reader(name, text, path.parent, display)
    if data is None:
        data = {}
    body = reader.mapping(data, (), FIELDS)
    if body.get("apiVersion", API_VERSION) != API_VERSION:
        raise reader.fail(("apiVersion",), f"apiVersion must be {API_VERSION}")
    if body.get("kind", "Kustomization") != "Kustomization":
        raise reader.fail(("kind",), "kind must be Kustomization (components are not supported)")
    get = body.get
    _check_sort_options(reader, get("sortOptions"))
    options = read_options(reader, get("generatorOptions"), ("generatorOptions",))
    return Kustomization(
        file=name,
        resources=tuple(
            FileRef(*reader.local_file(entry, ("resources", i)), reader.spot(("resources", i)))
            for i, entry in enumerate(reader.listing(get("resources", []), ("resources",)))
        ),
        patches_strategic_merge=_legacy_sm(reader, get("patchesStrategicMerge", [])),
        patches=tuple(
            _patch(reader, entry, ("patches", i), "patches")
            for i, entry in enumerate(reader.listing(get("patches", []), ("patches",)))
        ),
        patches_json6902=tuple(
            _patch(reader, entry, ("patchesJson6902", i), "patchesJson6902")
            for i, entry in enumerate(
                reader.listing(get("patchesJson6902", []), ("patchesJson6902",))
            )
        ),
        name_prefix=reader.string(get("namePrefix", ""), ("namePrefix",)),
        name_suffix=reader.string(get("nameSuffix", ""), ("nameSuffix",)),
        labels=tuple(
            _labels(reader, entry, ("labels", i))
            for i, entry in enumerate(reader.listing(get("labels", []), ("labels",)))
        ),
        common_labels=tuple(reader.string_map(get("commonLabels", {}), ("commonLabels",)).items()),
        common_annotations=tuple(
            reader.string_map(get("commonAnnotations", {}), ("commonAnnotations",)).items()
        ),
        images=tuple(
            Image.read(reader, entry, ("images", i))
            for i, entry in enumerate(reader.listing(get("images", []), ("images",)))
        ),
        replicas=tuple(
            _replica(reader, entry, ("replicas", i))
            for i, entry in enumerate(reader.listing(get("replicas", []), ("replicas",)))
        ),
        namespace=reader.string(get("namespace", ""), ("namespace",)),
        generators=tuple(
            read_generator(reader, entry, (field, i), kind, options)
            for field, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret"))
            for i, entry in enumerate(reader.listing(get(field, []), (field,)))
        ),
        generator_options=options,
    )


def _patch(reader: Reader, entry: Any, path: tuple[str | int, ...], field: str) -> PatchSpec:
    allowed = ("path", "patch", "target") + (("options",) if field == "patches" else ())
    body = reader.mapping(entry, path, allowed)
    if ("path" in body) == ("patch" in body):
        raise reader.fail(path, f"{field} entry: give exactly one of 'path' and 'patch'")
    if "path" in body:
        file, source = reader.local_file(body["path"], (*path, "path"))
        text = yamlio.read_text(file, source)
    else:
        text = reader.string(body["patch"], (*path, "patch"), empty=False)
        source = reader.file
    target = None
    if "target" in body:
        target = read_selector(reader, body["target"], (*path, "target"))
    elif field == "patchesJson6902":
        raise reader.fail(path, "patchesJson6902 entry: a target is required")
    options = reader.mapping(body.get("options", {}), (*path, "options"),
                             ("allowNameChange", "allowKindChange"))
    for key, value in options.items():
        reader.boolean(value, (*path, "options", key))
    return PatchSpec(
        text, source, target, reader.spot(path),
        bool(options.get("allowNameChange")), bool(options.get("allowKindChange")),
    )


def _legacy_sm(reader: Reader, value: Any) -> tuple[PatchSpec, ...]:
    """``patchesStrategicMerge``: each entry is a file in the overlay or an inline patch."""
    found = []
    for i, entry in enumerate(reader.listing(value, ("patchesStrategicMerge",))):
        path = ("patchesStrategicMerge", i)
        text = reader.string(entry, path, empty=False)
        if "\n" not in text.strip() and not text.lstrip().startswith("{"):
            file, source = reader.local_file(text, path)
            text = yamlio.read_text(file, source)
        else:
            source = reader.file
        found.append(PatchSpec(text, source, None, reader.spot(path)))
    return tuple(found)


def _labels(reader: Reader, entry: Any, path: tuple[str | int, ...]) -> LabelSpec:
    body = reader.mapping(entry, path, ("pairs", "includeSelectors", "includeTemplates", "fields"))
    fields = reader.listing(body.get("fields", []), (*path, "fields"))
    return LabelSpec(
        reader.string_map(body.get("pairs", {}), (*path, "pairs")),
        reader.boolean(body.get("includeSelectors", False), (*path, "includeSelectors")),
        reader.boolean(body.get("includeTemplates", False), (*path, "includeTemplates")),
        reader.spot(path),
        tuple(_field_spec(reader, field, (*path, "fields", i)) for i, field in enumerate(fields)),
        tuple(reader.spot((*path, "fields", i)) for i in range(len(fields))),
    )


def _field_spec(reader: Reader, entry: Any, path: tuple[str | int, ...]) -> FieldSpec:
    body = reader.mapping(entry, path, ("group", "version", "kind", "path", "create"))
    for key in ("group", "version", "kind"):
        reader.string(body.get(key, ""), (*path, key))
    reader.string(body.get("path"), (*path, "path"), empty=False)
    reader.boolean(body.get("create", False), (*path, "create"))
    return FieldSpec.parse(body)


def _check_sort_options(reader: Reader, value: Any) -> None:
    """Only ``order: fifo``, which is what cmgen does anyway: there is no stream to sort."""
    if value is None:
        return
    body = reader.mapping(value, ("sortOptions",), ("order", "legacySortOptions"))
    order = body.get("order")
    if order not in ("fifo", "legacy"):
        raise reader.fail(("sortOptions",), "sortOptions.order must be fifo or legacy")
    if order == "fifo" and "legacySortOptions" in body:
        raise reader.fail(("sortOptions", "legacySortOptions"),
                          "sortOptions.legacySortOptions is set but the order is fifo",
                          key=True)
    if order == "legacy":
        raise reader.fail(
            ("sortOptions", "order"),
            "sortOptions.order legacy is not supported: it sorts Kustomize's one output "
            "stream by kind, but cmgen writes each object into the file of its template "
            "(objects the overlay adds into overlay/), in the order they come "
            "in, so there is no stream to sort. That order is 'fifo': write order: fifo, or "
            "leave sortOptions out")


def _replica(reader: Reader, entry: Any, path: tuple[str | int, ...]) -> ReplicaSpec:
    body = reader.mapping(entry, path, ("name", "count"))
    count = body.get("count")
    if not isinstance(count, int) or isinstance(count, bool):
        raise reader.fail((*path, "count"), "replicas entry: count must be an integer")
    return ReplicaSpec(reader.string(body.get("name"), (*path, "name"), empty=False), count,
                       reader.spot(path))
