"""Where cmgen keeps its caches (compiled templates, build results), and the switch to turn
them off: ``$CMGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/cmgen``, else ``~/.cache/cmgen``;
``CMGEN_CACHE_DIR=off`` disables every cache. A cache is an optimisation only: one that
cannot be read or written means "not cached", never an error."""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path | None:
    configured = os.environ.get("CMGEN_CACHE_DIR", "")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cmgen"


def folder(*parts: str) -> Path | None:
    """``root()/parts``, created (mode 0700) and writable, or None when caching is off."""
    base = root()
    if base is None:
        return None
    path = base.joinpath(*parts)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return path if os.access(path, os.W_OK | os.X_OK) else None
