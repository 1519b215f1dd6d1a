"""Before the commit point: every move and deletion can be carried out (issue 22.7).

The same obstacles through the CLI, in a real process without the capability that lets root
write into a read-only folder, are in tests/test_crash_safety.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import preflight, write
from generator.errors import CmgenError
from generator.project import OutputTarget
from generator.outputs import OutputFile


@pytest.fixture
def target(tmp_path: Path) -> OutputTarget:
    root = tmp_path / "out" / "dev"
    write.write(OutputTarget(root, root / "t", tmp_path), {"a.yaml": OutputFile(b"a: 1\n")})
    return OutputTarget(root, root / "t", tmp_path)


def test_preflight_names_a_file_where_a_folder_must_go(target: OutputTarget) -> None:
    (target.tree / "sub").write_bytes(b"in the way\n")
    with pytest.raises(CmgenError, match="a file is where cmgen needs a folder") as caught:
        preflight.check(target.root, [target.tree / "sub" / "b.yaml"], [])
    assert caught.value.location.file == str(target.tree / "sub")


def test_preflight_names_a_folder_where_a_file_goes(target: OutputTarget) -> None:
    (target.tree / "b.yaml").mkdir()
    with pytest.raises(CmgenError, match="a folder \\(not a file\\) is where cmgen writes") as caught:
        preflight.check(target.root, [target.tree / "b.yaml"], [])
    assert caught.value.location.file == str(target.tree / "b.yaml")
