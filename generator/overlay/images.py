"""``images:``: Kustomize's ImageTagTransformer (``api/filters/imagetag``).

Like Kustomize's legacy filter, it rewrites the ``image`` of every element of any list
called ``containers`` or ``initContainers``, anywhere in an object (CRDs excepted), when
the image's name matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.errors import CmgenError
from generator.overlay.reader import Reader, Spot
from generator.overlay.resource import Resource

_LISTS = ("containers", "initContainers")


def split_image(image: str) -> tuple[str, str, str]:
    """``host:5000/a/b:tag@sha256:x`` -> ``("host:5000/a/b", "tag", "sha256:x")``."""
    slash = image.find("/")
    offset = slash if slash > 0 else 0
    search = image[offset:]
    at, colon = search.find("@"), search.find(":")
    if at < 0 and colon < 0:
        return image, "", ""
    if at >= 0 and (at < colon or colon < 0):
        return image[: offset + at], "", image[offset + at + 1:]
    if at >= 0 and colon >= 0:
        return (image[: offset + colon], image[offset + colon + 1: offset + at],
                image[offset + at + 1:])
    return image[: offset + colon], image[offset + colon + 1:], ""


def image_matches(image: str, name: str) -> bool:
    """Kustomize's ``IsImageMatched``: the name is used as a regular expression, as there."""
    try:
        pattern = re.compile(
            "^" + name + r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$"
        )
    except re.error:
        return False
    return pattern.match(image) is not None


@dataclass(frozen=True)
class Image:
    name: str
    new_name: str
    new_tag: str
    digest: str
    spot: Spot

    @classmethod
    def read(cls, reader: Reader, value: Any, path: tuple[str | int, ...]) -> Image:
        body = reader.mapping(value, path, ("name", "newName", "newTag", "digest"))
        fields = {
            key: reader.string(body.get(key, ""), (*path, key))
            for key in ("name", "newName", "newTag", "digest")
        }
        if not fields["name"]:
            raise reader.fail(path, "images entry: 'name' is required")
        return cls(fields["name"], fields["newName"], fields["newTag"], fields["digest"],
                   reader.spot(path))

    def rewrite(self, image: str) -> str:
        if not image_matches(image, self.name):
            return image
        name, tag, digest = split_image(image)
        name = self.new_name or name
        if self.new_tag and self.digest:
            tag, digest = self.new_tag, self.digest
        elif self.new_tag:
            tag, digest = self.new_tag, ""
        elif self.digest:
            tag, digest = "", self.digest
        return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")

    def apply(self, resources: list[Resource]) -> None:
        for resource in resources:
            if resource.gvk.kind != "CustomResourceDefinition":
                self._walk(resource.data)

    def _walk(self, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                self._walk(value)
                if key in _LISTS and isinstance(value, list):
                    for element in value:
                        self._set(element)
        elif isinstance(node, list):
            for element in node:
                self._walk(element)

    def _set(self, container: Any) -> None:
        if not isinstance(container, dict) or container.get("image") is None:
            return
        image = container["image"]
        if isinstance(image, (dict, list)):
            raise CmgenError(f"image must be a string, found {type(image).__name__}",
                             self.spot.file, self.spot.line, self.spot.column)
        container["image"] = self.rewrite(_text(image))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
