"""Reading input: regular files only, and never more than the size limit plus one byte."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from generator import yamlio
from generator.errors import CmgenError
from generator.yamlio import read


class _Endless(io.RawIOBase):
    """A stream that never ends, counting what was asked of it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        buffer[:] = b"a" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def test_an_endless_stream_is_read_up_to_the_limit_plus_one_byte() -> None:
    stream = _Endless()
    data = read.read_bounded(io.BufferedReader(stream))  # type: ignore[arg-type]
    assert len(data) == yamlio.MAX_FILE_BYTES + 1
    assert stream.given <= yamlio.MAX_FILE_BYTES + 1 + io.DEFAULT_BUFFER_SIZE
    with pytest.raises(CmgenError, match="larger than 64 MiB"):
        yamlio.decode(data, "-")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "in.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CmgenError) as caught:
        yamlio.read_text(fifo, "in.yaml")
    assert caught.value.render() == f"in.yaml: error: {yamlio.NOT_REGULAR}"


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert yamlio.read_text(path) == "a: 1\n"


def test_a_folder_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(CmgenError, match="is a directory, not a file"):
        yamlio.read_text(tmp_path)
