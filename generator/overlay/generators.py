"""``configMapGenerator`` / ``secretGenerator`` with ``generatorOptions`` (Kustomize's generators).

Data comes from ``envs`` files, then ``literals``, then ``files`` (a repeated key is an
error). Literal values lose one pair of surrounding quotes; env files keep values
verbatim, skip blank and ``#`` lines and trim leading blanks; a file that is not UTF-8
goes to ``binaryData``. Secrets hold everything base64-encoded. Base64 is kyaml's
``encodeBase64``: a value of 52 bytes or more (70 base64 characters or more) is cut into
lines of 70 characters, each ending in a newline, the last one included; the hash covers
those newlines too. ``behavior: merge`` or ``replace`` changes the existing
ConfigMap/Secret of that name and namespace, keeping its name (and its hash suffix or
not); ``create`` (the default) refuses to clash. Unlike Kustomize, an env line without
``=`` (read from cmgen's own environment) is an error. An entry's labels/annotations
override the global ones; either can disable the hash.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import CmgenError
from generator.overlay.reader import Reader, Spot
from generator.overlay.resource import Resource, res_id

GENERATED_FILE = "overlay/generated.yaml"
_OPTIONS = ("labels", "annotations", "disableNameSuffixHash", "immutable")


@dataclass(frozen=True)
class GeneratorOptions:
    """``generatorOptions`` (and a generator's own ``options``), not the build's options."""

    labels: tuple[tuple[str, str], ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()
    disable_hash: bool = False
    immutable: bool = False

    def under(self, glob: GeneratorOptions) -> GeneratorOptions:
        return GeneratorOptions(
            tuple({**dict(glob.labels), **dict(self.labels)}.items()),
            tuple({**dict(glob.annotations), **dict(self.annotations)}.items()),
            self.disable_hash or glob.disable_hash,
            self.immutable or glob.immutable,
        )


@dataclass(frozen=True)
class GeneratorArgs:
    kind: str
    name: str
    namespace: str
    behavior: str
    spot: Spot
    pairs: tuple[tuple[str, str, bool], ...] = field(default=())
    """(key, value, binary): value is text, or base64 when ``binary``."""
    secret_type: str = "Opaque"
    options: GeneratorOptions = GeneratorOptions()

    def build(self) -> dict[str, Any]:
        metadata: dict[str, Any] = {"name": self.name}
        if self.namespace:
            metadata["namespace"] = self.namespace
        if self.options.labels:
            metadata["labels"] = dict(self.options.labels)
        if self.options.annotations:
            metadata["annotations"] = dict(self.options.annotations)
        obj: dict[str, Any] = {"apiVersion": "v1", "kind": self.kind, "metadata": metadata}
        data = {k: (v if binary or self.kind == "ConfigMap" else _b64(v.encode()))
                for k, v, binary in self.pairs if not (binary and self.kind == "ConfigMap")}
        binary_data = {k: v for k, v, binary in self.pairs if binary and self.kind == "ConfigMap"}
        if data:
            obj["data"] = data
        if binary_data:
            obj["binaryData"] = binary_data
        if self.kind == "Secret":
            obj["type"] = self.secret_type
        if self.options.immutable:
            obj["immutable"] = True
        return obj

    def apply(self, resources: list[Resource]) -> list[Resource]:
        obj = self.build()
        rid = res_id(obj)
        existing = next((r for r in resources if r.origin.gvk.kind == self.kind
                         and r.origin.name == rid.name
                         and r.origin.effective_namespace == rid.effective_namespace), None)
        if self.behavior == "create":
            if existing is not None:
                raise self.spot.error(
                    f"{self.kind} {rid.name!r} already exists: use behavior merge or replace")
            resource = Resource.make(obj, GENERATED_FILE, (self.spot.file, self.spot.line))
            resource.needs_hash = not self.options.disable_hash
            return [*resources, resource]
        if existing is None:
            raise self.spot.error(
                f"behavior {self.behavior}: no {self.kind} {rid.name!r} to {self.behavior}")
        old = existing.data
        if self.behavior == "merge":
            for key in ("data", "binaryData"):
                merged = {**(old.get(key) or {}), **(obj.get(key) or {})}
                if merged:
                    obj[key] = merged
        meta, old_meta = obj["metadata"], existing.metadata
        for key in ("labels", "annotations"):
            merged = {**(old_meta.get(key) or {}), **(meta.get(key) or {})}
            if merged:
                meta[key] = merged
        meta["name"] = old_meta.get("name")
        if old_meta.get("namespace"):
            meta["namespace"] = old_meta["namespace"]
        existing.data = obj
        return resources


_LINE = 70


def _b64(raw: bytes) -> str:
    """kyaml's ``encodeBase64`` (``kyaml/yaml/datamap.go``), byte for byte."""
    text = base64.b64encode(raw).decode("ascii")
    if len(text) < _LINE:
        return text
    return "".join(f"{text[i:i + _LINE]}\n" for i in range(0, len(text), _LINE))


def read_options(
    reader: Reader, value: Any, path: tuple[str | int, ...]
) -> GeneratorOptions:
    if value is None:
        return GeneratorOptions()
    body = reader.mapping(value, path, _OPTIONS)
    return GeneratorOptions(
        tuple(reader.string_map(body.get("labels", {}), (*path, "labels")).items()),
        tuple(reader.string_map(body.get("annotations", {}), (*path, "annotations")).items()),
        reader.boolean(body.get("disableNameSuffixHash", False), (*path, "disableNameSuffixHash")),
        reader.boolean(body.get("immutable", False), (*path, "immutable")),
    )


def read_generator(
    reader: Reader, value: Any, path: tuple[str | int, ...], kind: str, glob: GeneratorOptions
) -> GeneratorArgs:
    allowed = ("name", "namespace", "behavior", "literals", "files", "envs", "options")
    body = reader.mapping(value, path, (*allowed, "type") if kind == "Secret" else allowed)
    behavior = reader.string(body.get("behavior", "create"), (*path, "behavior"))
    if behavior not in ("create", "merge", "replace"):
        raise reader.fail((*path, "behavior"), "behavior must be create, merge or replace")
    pairs: list[tuple[str, str, bool]] = []
    for i, entry in enumerate(reader.strings(body.get("envs", []), (*path, "envs"))):
        file, name = reader.local_file(entry, (*path, "envs", i))
        pairs.extend(_env_pairs(file, name))
    for i, entry in enumerate(reader.strings(body.get("literals", []), (*path, "literals"))):
        key, sep, text = entry.partition("=")
        if not sep or not key:
            raise reader.fail((*path, "literals", i), f"literal {entry!r}: expected key=value")
        pairs.append((key, _unquote(text), False))
    for i, entry in enumerate(reader.strings(body.get("files", []), (*path, "files"))):
        key, sep, rest = entry.partition("=")
        file, _ = reader.local_file(rest if sep else entry, (*path, "files", i))
        raw = file.read_bytes()
        try:
            pairs.append((key if sep else Path(entry).name, raw.decode("utf-8"), False))
        except UnicodeDecodeError:
            pairs.append((key if sep else Path(entry).name, _b64(raw), True))
    seen: set[str] = set()
    for key, _, _ in pairs:
        if key in seen:
            raise reader.fail(path, f"{kind} {body.get('name')!r}: key {key!r} is given twice")
        seen.add(key)
    options = read_options(reader, body.get("options"), (*path, "options")).under(glob)
    return GeneratorArgs(
        kind,
        reader.string(body.get("name"), (*path, "name"), empty=False),
        reader.string(body.get("namespace", ""), (*path, "namespace")),
        behavior,
        reader.spot(path),
        tuple(pairs),
        reader.string(body.get("type", "Opaque"), (*path, "type")),
        options,
    )


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _env_pairs(file: Path, name: str) -> list[tuple[str, str, bool]]:
    try:
        text = file.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise CmgenError("env file is not valid UTF-8", name) from None
    pairs = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r").lstrip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise CmgenError(
                f"{key!r} has no '=': cmgen does not read values from its environment",
                name, number, 1)
        pairs.append((key, value, False))
    return pairs
