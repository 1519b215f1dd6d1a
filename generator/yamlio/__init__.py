"""The one YAML module of cmgen: everything reads and writes YAML through it.

- ``load``: a strict, bounded loader (duplicate keys, depth and alias bombs refused);
- ``depth``: how deep a text nests, bounded cheaply before libyaml composes it;
- ``locate``: the line and column of a path, recovered only when a finding needs it;
- ``dump``: the one deterministic, yamllint-clean dumper.
"""

from generator.yamlio.depth import MAX_DEPTH, shallow
from generator.yamlio.dump import dump, dump_all, iter_paths, scalar
from generator.yamlio.load import (
    MAX_ALIAS_NODES,
    MAX_FILE_BYTES,
    Document,
    decode,
    load_all,
    load_one,
    read_text,
)
from generator.yamlio.locate import locate

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Document",
    "decode",
    "dump",
    "dump_all",
    "iter_paths",
    "load_all",
    "load_one",
    "locate",
    "read_text",
    "scalar",
    "shallow",
]
