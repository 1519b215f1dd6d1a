"""PNG chunks, size and text read without an imaging library."""

from __future__ import annotations

import struct
import zlib

from generator import pngmeta


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png(width: int, height: int, text: dict[str, str]) -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    texts = b"".join(_chunk(b"tEXt", k.encode() + b"\0" + v.encode()) for k, v in text.items())
    rows = b"".join(b"\0" + b"\xff\xff\xff" * width for _ in range(height))
    return pngmeta.SIGNATURE + header + texts + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


def test_size_and_text_chunks() -> None:
    data = png(3, 2, {pngmeta.SOURCE_KEY: "abc", "Title": "x"})
    assert pngmeta.size(data) == (3, 2)
    assert pngmeta.text(data) == {pngmeta.SOURCE_KEY: "abc", "Title": "x"}
    assert pngmeta.source_hash(data) == "abc"


def test_not_a_png_or_truncated_has_no_chunks() -> None:
    assert pngmeta.chunks(b"GIF89a") == []
    assert pngmeta.chunks(png(1, 1, {})[:-5]) == []
    assert pngmeta.source_hash(b"") is None
