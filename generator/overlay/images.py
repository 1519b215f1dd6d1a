"""``images:``: Kustomize's ImageTagTransformer (``api/filters/imagetag``).

Two passes, as in Kustomize: the legacy filter rewrites the ``image`` of every element of
any list called ``containers`` or ``initContainers``, anywhere in an object (CRDs
excepted); then the field-spec filter rewrites the images its specs reach in any kind
(``fieldspecs.yaml``: pod and template containers, and image volumes' ``reference``).
A rewrite applies where the image's name matches. An image both passes reach is
rewritten twice: harmless for ``newName``/``newTag``/``digest``, but ``tagSuffix`` is
then appended twice (``nginx:1.2`` becomes ``nginx:1.2-x-x`` in a Deployment, and
``nginx:1.2-x`` in a CronJob, which only the legacy pass reaches), exactly as
``kubectl kustomize`` does it. ``tagSuffix`` counts only without ``newTag`` and
``digest``, and drops the image's digest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.errors import CmgenError
from generator.overlay.config import config
from generator.overlay.reader import Reader, Spot
from generator.overlay.resource import Resource

_LISTS = ("containers", "initContainers")
_FIELDS = ("name", "newName", "newTag", "digest", "tagSuffix")


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
    tag_suffix: str = ""

    @classmethod
    def read(cls, reader: Reader, value: Any, path: tuple[str | int, ...]) -> Image:
        body = reader.mapping(value, path, _FIELDS)
        fields = {key: reader.string(body.get(key, ""), (*path, key)) for key in _FIELDS}
        if not fields["name"]:
            raise reader.fail(path, "images entry: 'name' is required")
        return cls(fields["name"], fields["newName"], fields["newTag"], fields["digest"],
                   reader.spot(path), fields["tagSuffix"])

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
        elif self.tag_suffix:
            tag, digest = tag + self.tag_suffix, ""
        return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")

    def apply(self, resources: list[Resource]) -> list[Resource]:
        for resource in resources:
            if resource.gvk.kind != "CustomResourceDefinition":
                self._walk(resource.data)
        for resource in resources:
            for spec in config().images:
                if spec.gvk.selects(resource.gvk):
                    spec.walk(resource.data, self._set_field, str)
        return resources

    def _walk(self, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                self._walk(value)
                if key in _LISTS and isinstance(value, list):
                    for element in value:
                        if isinstance(element, dict) and element.get("image") is not None:
                            self._set_field(element, "image")
        elif isinstance(node, list):
            for element in node:
                self._walk(element)

    def _set_field(self, parent: dict[str, Any], key: str) -> None:
        image = parent[key]
        if isinstance(image, (dict, list)):
            raise CmgenError(f"image must be a string, found {type(image).__name__}",
                             self.spot.file, self.spot.line, self.spot.column)
        parent[key] = self.rewrite(_text(image))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
