"""The object types: one Kubernetes object on its way to a file, and once in it.

A build parses each rendered object into a ``Placed``: its data, the output file it goes to
(relative to the env tree) and its ``origin``. The overlay takes and returns ``Placed``
objects; the dump turns each into a ``Manifest``, which adds the text of the file that
holds it. Validate, lint, graph and docs work on ``Manifest`` objects: each remembers its
file text, so a finding can locate the exact node of a path only when it is reported, and
``origin`` (when cmgen rendered the object) traces a path back to its template line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator import yamlio
from generator.findings import Finding, Severity


class Traceable(Protocol):
    """Where a rendered object came from: ``trace(path)`` is ``template:line`` or ``""``."""

    def trace(self, path: Sequence[str | int]) -> str: ...


@dataclass(frozen=True)
class Placed:
    """One object and the output file it goes to; ``origin`` is carried through untouched."""

    file: str
    data: dict[str, Any]
    origin: Traceable | None = field(default=None, compare=False)


@dataclass
class Source:
    """The text of one file, shared by the manifests it holds."""

    name: str
    text: str


@dataclass
class Manifest:
    data: dict[str, Any]
    source: Source
    index: int
    line: int
    origin: Traceable | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion", ""))

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.data.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @property
    def name(self) -> str:
        return str(self.metadata.get("name", ""))

    @property
    def namespace(self) -> str | None:
        namespace = self.metadata.get("namespace")
        return None if namespace is None else str(namespace)

    @property
    def ref(self) -> str:
        """``Kind/name`` as findings print it."""
        return f"{self.kind or '?'}/{self.name or '?'}"

    def locate(self, path: Sequence[str | int], key: bool = False) -> tuple[int, int]:
        if not path:
            return self.line, 1
        return yamlio.locate(self.source.text, self.index, path, key=key)

    def finding(
        self,
        severity: Severity,
        rule: str,
        message: str,
        path: Sequence[str | int] = (),
        *,
        key: bool = False,
        hint: str = "",
        traced: bool = True,
    ) -> Finding:
        """A finding at ``path``; ``traced`` adds the template line it came from, when known."""
        line, column = self.locate(path, key=key)
        origin = self.origin.trace(path) if traced and self.origin is not None else ""
        return Finding(
            self.source.name, line, column, severity, rule, self.ref, message, hint, origin or ""
        )
