"""Path text read from input files, checked before the operating system sees it.

A path in ``cmgen.yaml`` (``tree:``, ``crds:``), in a kustomization (``resources``,
``files``, ``envs``, patch ``path``) or in cmgen's journal is data someone typed or
committed. Python raises ``ValueError`` for a NUL byte and ``OSError`` for a name longer
than the system allows, from whichever call first touches the path; ``problem`` says why
such a text cannot name a file, so the caller can report it at the line that holds it.
"""

from __future__ import annotations

import os

NAME_MAX = 255  # bytes in one path segment (Linux, macOS)
PATH_MAX = 4096  # bytes in a whole path, with its final NUL (Linux)
YAML_SUFFIXES = (".yaml", ".yml")  # a file of manifests
# Every name that starts with this in an output root is cmgen's own (record, journal,
# staging folder and their temporary files): no output may go there.
OWN_PREFIX = ".cmgen"


def problem(text: str) -> str | None:
    """Why ``text`` cannot name a file here, or None when it can."""
    if "\x00" in text:
        return "a path cannot contain a NUL byte"
    try:
        encoded = os.fsencode(text)
    except UnicodeEncodeError:
        return "a path cannot contain an unpaired surrogate (not valid Unicode text)"
    if len(encoded) >= PATH_MAX:
        return f"a path cannot be longer than {PATH_MAX - 1} bytes"
    if any(len(segment) > NAME_MAX for segment in encoded.split(b"/")):
        return f"a path segment cannot be longer than {NAME_MAX} bytes"
    return None


def escapes(parts: tuple[str, ...], absolute: bool) -> bool:
    """Whether a path of ``parts`` leaves the folder it is relative to (absolute, ``..``)
    or names no file at all (no parts)."""
    return absolute or ".." in parts or not parts
