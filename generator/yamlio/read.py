"""Reading input text: bounded in size, from regular files or stdin only.

At most ``MAX_FILE_BYTES + 1`` bytes are read from anything, so ``/dev/zero`` or an
endless pipe is refused after 64 MiB instead of filling memory. A path must name a
regular file: a FIFO, a device or a socket is refused before a byte is read (it is
opened without blocking, so a FIFO without a writer cannot hang cmgen); stdin is read
only when the user names it (``-``).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from generator.errors import CmgenError

MAX_FILE_BYTES = 64 * 1024 * 1024
NOT_REGULAR = "not a regular file (a device, FIFO or socket): name a file, or - for stdin"


def decode(raw: bytes, file: str) -> str:
    """Decode UTF-8 (a leading BOM is allowed and dropped); bad bytes are located."""
    if len(raw) > MAX_FILE_BYTES:
        raise CmgenError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CmgenError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", file, line, column
        ) from None
    return text.removeprefix("\ufeff")


def read_bounded(stream: BinaryIO) -> bytes:
    """At most ``MAX_FILE_BYTES + 1`` bytes: enough for ``decode`` to tell "too large"."""
    return stream.read(MAX_FILE_BYTES + 1)


def read_bytes(path: Path, display: str | None = None) -> bytes:
    """The bytes of a regular file, at most ``MAX_FILE_BYTES + 1`` of them."""
    name = display or str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise CmgenError("no such file", name) from None
    except IsADirectoryError:
        raise CmgenError("is a directory, not a file", name) from None
    except OSError as exc:
        raise CmgenError(f"cannot read: {exc.strerror}", name) from None
    except ValueError:  # a NUL byte in a path typed in a command or a file
        raise CmgenError("a path cannot contain a NUL byte", name) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise CmgenError("is a directory, not a file" if stat.S_ISDIR(mode) else NOT_REGULAR, name)
    with os.fdopen(descriptor, "rb") as handle:
        try:
            return read_bounded(handle)
        except OSError as exc:
            raise CmgenError(f"cannot read: {exc.strerror}", name) from None


def read_text(path: Path, display: str | None = None) -> str:
    name = display or str(path)
    return decode(read_bytes(path, name), name)


def read_stdin(name: str = "<stdin>") -> str:
    return decode(read_bounded(sys.stdin.buffer), name)
