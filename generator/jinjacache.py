"""Compiled Jinja2 templates kept on disk between runs, like Python's ``__pycache__``.

Compiling is most of a small render's time (~30 templates: ~0.2 s of a ~1 s check), and
the compiled code depends on more than the template text: Jinja applies ``finalize`` to
constant output while compiling, so the same partial compiles differently for a ``.yaml``
and a ``.sh`` template. Jinja's own cache key is only the template's name, file and text,
so every cmgen environment gets its own folder, named by a digest of everything else the
code depends on: the environment's role, Jinja's and Python's versions, and the source of
the modules whose functions run at compile time (``render``, ``yamlio.dump``, and the
docs stage's templating). Changing any of them starts a new, empty folder. A sandboxed
environment compiles differently too (calls and operators go through the sandbox's checks):
the project's templates, which run sandboxed, use roles of their own
(``immutable-project.yaml``, ...), so code compiled without the sandbox never serves them.

The folder is ``jinja/<digest>`` in cmgen's cache (``cachedir``: ``CMGEN_CACHE_DIR=off``
or an unwritable folder turns caching off). A cache file that cannot be read or written
is ignored: the template is compiled.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2

from generator import cachedir

_GENERATOR = Path(__file__).parent
_COMPILE_TIME_SOURCES = ("render.py", "yamlio/dump.py", "docs/templating.py")


class _Cache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, with I/O errors meaning "not cached" rather than a crash."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def for_environment(role: str) -> jinja2.BytecodeCache | None:
    """The cache of one kind of environment (e.g. ``project.yaml``), or None (off)."""
    if cachedir.root() is None:
        return None
    digest = hashlib.sha256(f"{role}\0{jinja2.__version__}\0{sys.version}".encode())
    for name in _COMPILE_TIME_SOURCES:
        digest.update((_GENERATOR / name).read_bytes())
    folder = cachedir.folder("jinja", digest.hexdigest()[:24])
    return None if folder is None else _Cache(str(folder))
