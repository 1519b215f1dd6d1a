from __future__ import annotations

import pytest

from generator import stream
from generator.errors import CmgenError

NAMES = ["app/configmap.yaml", "app/deployment.yaml", "net/service.yaml"]


def test_show_only_by_path_glob_or_dot_slash() -> None:
    assert stream.select(NAMES, []) == NAMES
    assert stream.select(NAMES, ["app/*"]) == NAMES[:2]
    assert stream.select(NAMES, ["./net/service.yaml", "app/deployment.yaml"]) == NAMES[1:]


def test_a_pattern_matching_nothing_is_an_error_naming_the_files() -> None:
    with pytest.raises(CmgenError, match=r"--show-only app/x\.yaml: no manifest file of the tree matches it \(files: app/configmap\.yaml, "):
        stream.select(NAMES, ["app/*", "app/x.yaml"])
