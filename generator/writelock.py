"""One writer per output folder at a time: ``flock`` on the output folder itself.

Two renders of one env share its record and its staging folder; without a lock, one's
manifests could end up beside the other's report, and the record disagree with the disk.
The lock is taken on the folder (no lock file to ignore or commit), held for the whole
write (roll-forward, plan, stage, commit), and released when the process ends, however it
ends. A second writer says once on stderr that it waits, waits for the first, at most
``TIMEOUT`` seconds, then gives up with nothing changed. Readers (``check``, ``diff``) take no lock: a write in progress shows to
them as its journal (``drift``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from generator.errors import CmgenError

TIMEOUT = 60.0  # seconds; a write takes well under one
_POLL = 0.05


@contextlib.contextmanager
def held(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the write lock of the output folder ``root`` (which must exist)."""
    limit = TIMEOUT if timeout is None else timeout
    handle = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        deadline = time.monotonic() + limit
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    waited = True
                    print(f"cmgen: {root}: another cmgen process is writing here; waiting for it "
                          f"(at most {limit:g} s)", file=sys.stderr, flush=True)
                if time.monotonic() >= deadline:
                    raise CmgenError(
                        f"another cmgen process is writing this output folder; waited {limit:g} s "
                        "for it: run again when it has finished (nothing was changed)",
                        str(root),
                    ) from None
                time.sleep(_POLL)
        yield
    finally:
        os.close(handle)
