"""One output file of a build: what pipeline, docs, drift, the build cache and write pass around."""

from __future__ import annotations

import hashlib
from collections.abc import Callable


class OutputFile:
    """The bytes of one output file, and whether it is executable.

    A chart is made with ``drawn``: its bytes are drawn on first use, and it knows the hash
    of the data it is drawn from (``pngmeta.SOURCE_KEY``), so a drift check whose chart on
    disk records that hash never needs to draw it.
    """

    __slots__ = ("_data", "_draw", "executable", "source_hash")

    def __init__(self, data: bytes, executable: bool = False) -> None:
        self._data: bytes | None = data
        self._draw: Callable[[], bytes] | None = None
        self.executable = executable
        self.source_hash: str | None = None

    @classmethod
    def drawn(cls, source_hash: str, draw: Callable[[], bytes]) -> OutputFile:
        made = cls(b"")
        made._data, made._draw, made.source_hash = None, draw, source_hash
        return made

    @property
    def data(self) -> bytes:
        if self._data is None:
            assert self._draw is not None
            self._data = self._draw()
        return self._data

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OutputFile):
            return NotImplemented
        return (self.data, self.executable) == (other.data, other.executable)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = "<not drawn yet>" if self._data is None else f"{len(self._data)} bytes"
        return f"OutputFile({shown}, executable={self.executable})"
