"""The one YAML module of cmgen: everything reads and writes YAML through it.

- ``load``: a strict, bounded loader (duplicate keys, depth and alias bombs refused);
- ``read``: input text, bounded in size, from regular files or stdin only;
- ``depth``: how deep a text nests, bounded cheaply before libyaml composes it;
- ``locate``: the line and column of a path, recovered only when a finding needs it;
- ``dump``: the one deterministic, yamllint-clean dumper.
"""

from generator.yamlio.depth import MAX_DEPTH, shallow
from generator.yamlio.dump import dump, dump_all, iter_paths, scalar
from generator.yamlio.load import MAX_ALIAS_NODES, Document, load_all, load_one
from generator.yamlio.locate import locate
from generator.yamlio.read import (
    MAX_FILE_BYTES,
    NOT_REGULAR,
    decode,
    read_bytes,
    read_stdin,
    read_text,
)

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "NOT_REGULAR",
    "Document",
    "decode",
    "dump",
    "dump_all",
    "iter_paths",
    "load_all",
    "load_one",
    "locate",
    "read_bytes",
    "read_stdin",
    "read_text",
    "scalar",
    "shallow",
]
