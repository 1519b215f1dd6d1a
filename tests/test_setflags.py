from __future__ import annotations

from pathlib import Path

import pytest

from generator import setflags
from generator.errors import CmgenError
from generator.merge import Values

KEYS = {("items",): "name"}
CURRENT = Values({"items": [{"name": "web", "x": 1}, {"name": "worker"}]})


def test_the_value_of_each_flag(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("a: b\n")
    assert setflags.value("--set", "0755", "w") == 493
    assert setflags.value("--set-string", "0755", "w") == "0755"
    assert setflags.value("--set-file", str(tmp_path / "f.txt"), "w") == "a: b\n"
    with pytest.raises(CmgenError, match=r"error: w: cannot read .*absent: No such file or directory$"):
        setflags.value("--set-file", str(tmp_path / "absent"), "w")


def test_an_index_is_refused_with_the_lists_merge_key() -> None:
    with pytest.raises(CmgenError, match=r"error: bad: list items are selected by name, not by index \[2\]: e\.g\. items\.web\.FIELD=VALUE"):
        setflags.refuse_index("items[2]", [], KEYS, CURRENT, "bad")
    setflags.refuse_index("items", [], KEYS, CURRENT, "bad")  # no index: nothing to say


def test_only_existing_items_are_named() -> None:
    setflags.check_items(["items", "worker", "x"], [None, "name", None], CURRENT, "bad")
    setflags.check_items(["other", "new", "x"], [None, "name", None], CURRENT, "bad")  # no such list yet
    with pytest.raises(CmgenError, match=r"items has no item with name 'wbe' \(did you mean 'web'\?\)"):
        setflags.check_items(["items", "wbe", "x"], [None, "name", None], CURRENT, "bad")
