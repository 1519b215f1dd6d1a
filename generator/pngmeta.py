"""PNG facts without an imaging library: the size (IHDR) and the tEXt chunks.

cmgen's charts carry ``cmgen-source-sha256``, the hash of the data they were drawn from, so
drift checks can compare what a chart shows instead of its bytes (which vary with the
matplotlib and FreeType builds of the machine that drew it)."""

from __future__ import annotations

import struct

SIGNATURE = b"\x89PNG\r\n\x1a\n"
SOURCE_KEY = "cmgen-source-sha256"


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk; [] when ``data`` is not a well-formed PNG."""
    if not data.startswith(SIGNATURE):
        return []
    found = []
    offset = len(SIGNATURE)
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        payload = data[offset + 8 : offset + 8 + length]
        if len(payload) != length:
            return []
        found.append((kind, payload))
        offset += 12 + length
        if kind == b"IEND":
            return found
    return []


def size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the IHDR chunk."""
    for kind, payload in chunks(data):
        if kind == b"IHDR" and len(payload) >= 8:
            width, height = struct.unpack(">II", payload[:8])
            return width, height
    return None


def text(data: bytes) -> dict[str, str]:
    """The tEXt chunks (keyword -> Latin-1 text)."""
    found = {}
    for kind, payload in chunks(data):
        if kind == b"tEXt" and b"\x00" in payload:
            key, _, value = payload.partition(b"\x00")
            found[key.decode("latin-1")] = value.decode("latin-1")
    return found


def source_hash(data: bytes) -> str | None:
    """The hash of the data a cmgen chart was drawn from, if the PNG records one."""
    return text(data).get(SOURCE_KEY)
