from __future__ import annotations

import hashlib
import json
import os
import struct
import zlib
from pathlib import Path

import pytest

from generator import pngmeta, write
from generator.errors import CmgenError
from generator.project import JOURNAL_FILE, STAGING_DIR, STATE_FILE, OutputTarget
from generator.outputs import OutputFile

from tests.conftest import snapshot


@pytest.fixture
def target(tmp_path: Path) -> OutputTarget:
    root = tmp_path / "out" / "dev"
    return OutputTarget(root, root / "week3" / "day3", tmp_path)


FILES = {"a.yaml": OutputFile(b"a: 1\n"), "sub/b.yaml": OutputFile(b"b: 2\n"), "run.sh": OutputFile(b"#!/bin/sh\n", True)}


def _record(target: OutputTarget) -> dict[str, str]:
    return write.recorded(target.root)


def test_first_write(target: OutputTarget) -> None:
    written = write.write(target, FILES)
    assert written.changed == ("week3/day3/a.yaml", "week3/day3/run.sh", "week3/day3/sub/b.yaml")
    assert (target.tree / "sub" / "b.yaml").read_bytes() == b"b: 2\n"
    assert (target.tree / "run.sh").stat().st_mode & 0o777 == 0o755
    assert (target.tree / "a.yaml").stat().st_mode & 0o777 == 0o644
    assert _record(target) == {
        f"week3/day3/{name}": hashlib.sha256(f.data).hexdigest() for name, f in FILES.items()
    }
    assert sorted(p.name for p in target.root.iterdir()) == [STATE_FILE, "week3"]


def test_unchanged_write_changes_nothing(target: OutputTarget) -> None:
    write.write(target, FILES)
    before = snapshot(target.root)
    assert write.write(target, FILES) == write.Written((), (), ())
    assert snapshot(target.root) == before


def test_mode_change_alone_is_a_change(target: OutputTarget) -> None:
    write.write(target, FILES)
    written = write.write(target, {**FILES, "run.sh": OutputFile(b"#!/bin/sh\n")})
    assert written.changed == ("week3/day3/run.sh",)
    assert (target.tree / "run.sh").stat().st_mode & 0o111 == 0


def test_stale_files_removed_and_empty_folders_pruned(target: OutputTarget) -> None:
    write.write(target, FILES)
    written = write.write(target, {"a.yaml": FILES["a.yaml"]})
    assert written.removed == ("week3/day3/run.sh", "week3/day3/sub/b.yaml")
    assert not (target.tree / "sub").exists()
    assert sorted(_record(target)) == ["week3/day3/a.yaml"]


def test_hand_edited_stale_file_is_kept(target: OutputTarget) -> None:
    write.write(target, FILES)
    (target.tree / "sub" / "b.yaml").write_bytes(b"edited\n")
    written = write.write(target, {"a.yaml": FILES["a.yaml"]})
    assert written.kept == ("week3/day3/sub/b.yaml",)
    assert (target.tree / "sub" / "b.yaml").read_bytes() == b"edited\n"


def test_files_cmgen_did_not_write_are_never_overwritten_nor_deleted(target: OutputTarget) -> None:
    target.tree.mkdir(parents=True)
    (target.tree / "a.yaml").write_bytes(b"mine\n")
    (target.tree / "other.yaml").write_bytes(b"mine too\n")
    with pytest.raises(CmgenError, match="refusing to overwrite a file that cmgen did not write"):
        write.write(target, FILES)
    assert (target.tree / "a.yaml").read_bytes() == b"mine\n"
    (target.tree / "a.yaml").unlink()
    write.write(target, FILES)
    assert (target.tree / "other.yaml").read_bytes() == b"mine too\n"


def test_identical_unrecorded_file_is_adopted(target: OutputTarget) -> None:
    target.tree.mkdir(parents=True)
    (target.tree / "a.yaml").write_bytes(b"a: 1\n")
    write.write(target, FILES)
    assert "week3/day3/a.yaml" in _record(target)


@pytest.mark.parametrize("where", ["sub/b.yaml", "sub"])
def test_symlinks_inside_are_refused_and_their_target_untouched(
    target: OutputTarget, tmp_path: Path, where: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.yaml").write_bytes(b"precious\n")
    link = target.tree / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside / "b.yaml" if where.endswith(".yaml") else outside)
    before = snapshot(outside)
    with pytest.raises(CmgenError, match="symlink") as caught:
        write.write(target, FILES)
    assert caught.value.location.file == str(link)
    assert snapshot(outside) == before


@pytest.mark.parametrize("where", ["out", "out/dev", "out/dev/week3", "out/dev/week3/day3"])
def test_a_symlink_on_the_way_to_the_tree_is_refused(target: OutputTarget, tmp_path: Path, where: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    link = tmp_path / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    with pytest.raises(CmgenError, match=write.SYMLINK_REFUSED) as caught:
        write.write(target, FILES)
    assert caught.value.location.file == str(link)
    assert list(outside.iterdir()) == []


def test_a_symlink_above_the_base_is_followed(tmp_path: Path) -> None:
    """``base`` is where the user's word ends (the project, or --out DIR resolved)."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    root = tmp_path / "link" / "out" / "dev"
    write.write(OutputTarget(root, root / "t", tmp_path / "link"), FILES)
    assert (real / "out" / "dev" / "t" / "a.yaml").read_bytes() == b"a: 1\n"


@pytest.mark.parametrize("name", [STATE_FILE, JOURNAL_FILE, STAGING_DIR])
def test_a_symlink_in_place_of_cmgens_own_files_is_refused(
    target: OutputTarget, tmp_path: Path, name: str
) -> None:
    write.write(target, FILES)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_bytes(b"precious\n")
    if name == STATE_FILE:
        (target.root / name).unlink()
    (target.root / name).symlink_to(outside if name == STAGING_DIR else outside / "precious")
    before, before_outside = snapshot(target.root), snapshot(outside)
    with pytest.raises(CmgenError, match=write.SYMLINK_REFUSED) as caught:
        write.write(target, {**FILES, "a.yaml": OutputFile(b"a: 2\n")})
    assert caught.value.location.file == str(target.root / name)
    assert snapshot(outside) == before_outside
    assert snapshot(target.root) == before


def test_check_refuses_without_creating_anything(target: OutputTarget, tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to(tmp_path / "nowhere")
    with pytest.raises(CmgenError, match=write.SYMLINK_REFUSED):
        write.check(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert not (tmp_path / "nowhere").exists()


def test_a_moved_tree_linked_back_keeps_its_recorded_files(target: OutputTarget, tmp_path: Path) -> None:
    """The record lists files to delete when they stop being generated: through a symlinked
    out/ that would delete files elsewhere. The render is refused and they stay."""
    write.write(target, FILES)
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "out").rename(elsewhere)
    (tmp_path / "out").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    with pytest.raises(CmgenError, match=write.SYMLINK_REFUSED):
        write.write(target, {"a.yaml": FILES["a.yaml"]})
    assert snapshot(elsewhere) == before


def test_output_folder_that_is_a_file(target: OutputTarget) -> None:
    target.root.parent.mkdir(parents=True)
    target.root.write_bytes(b"x")
    with pytest.raises(CmgenError, match="is a file, not a folder"):
        write.write(target, FILES)


@pytest.mark.parametrize("bad", ["/ABS", "../../escape", "week3/../../escape"])
def test_record_naming_a_path_outside_is_refused(target: OutputTarget, tmp_path: Path, bad: str) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious\n")
    name = str(victim) if bad == "/ABS" else bad
    digest = hashlib.sha256(b"precious\n").hexdigest()
    target.root.mkdir(parents=True)
    (target.root / STATE_FILE).write_text(json.dumps({"files": {name: digest}}))
    with pytest.raises(CmgenError, match="leaves the output folder"):
        write.write(target, FILES)
    assert victim.read_bytes() == b"precious\n"


@pytest.mark.parametrize("key", ["moves", "remove"])
def test_journal_naming_a_path_outside_is_refused(target: OutputTarget, tmp_path: Path, key: str) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious\n")
    target.root.mkdir(parents=True)
    (target.root / STAGING_DIR).mkdir()
    (target.root / JOURNAL_FILE).write_text(json.dumps({key: [str(victim)]}))
    with pytest.raises(CmgenError, match="leaves the output folder"):
        write.write(target, FILES)
    assert victim.read_bytes() == b"precious\n"


@pytest.mark.parametrize("state", ["[1]", '{"files": [1]}', "{", '{"files": 3}'])
def test_corrupt_record(target: OutputTarget, state: str) -> None:
    target.root.mkdir(parents=True)
    (target.root / STATE_FILE).write_text(state)
    with pytest.raises(CmgenError, match="record of written files is corrupt") as caught:
        write.write(target, FILES)
    assert caught.value.location.file == str(target.root / STATE_FILE)


@pytest.mark.parametrize("journal", ["[1]", '{"moves": [1]}', '{"remove": "x"}', '{"files": []}'])
def test_journal_not_written_by_cmgen(target: OutputTarget, journal: str) -> None:
    target.root.mkdir(parents=True)
    (target.root / JOURNAL_FILE).write_text(journal)
    with pytest.raises(CmgenError, match="journal is not one cmgen wrote"):
        write.write(target, FILES)


def test_undecodable_journal_is_forgotten_and_the_old_tree_stands(target: OutputTarget) -> None:
    write.write(target, FILES)
    (target.root / JOURNAL_FILE).write_bytes(b'{"moves": ["wee')
    (target.root / STAGING_DIR).mkdir()
    (target.root / f"{JOURNAL_FILE}.tmp").write_bytes(b"{")
    before = snapshot(target.tree)
    write.recover(target.root)
    assert snapshot(target.tree) == before
    assert sorted(p.name for p in target.root.iterdir()) == [STATE_FILE, "week3"]


def test_roll_forward_after_the_commit_point(target: OutputTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    write.write(target, FILES)
    new = {"a.yaml": OutputFile(b"a: 2\n"), "sub/b.yaml": OutputFile(b"b: 3\n"), "c.yaml": OutputFile(b"c\n")}
    real_replace = os.replace
    calls = []

    def dying_replace(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # dies after one file moved
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(write.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        write.write(target, new)
    monkeypatch.setattr(write.os, "replace", real_replace)
    assert (target.root / JOURNAL_FILE).is_file()
    write.recover(target.root)
    assert {p: (target.tree / p).read_bytes() for p in new} == {p: f.data for p, f in new.items()}
    assert not (target.tree / "run.sh").exists()
    assert sorted(p.name for p in target.root.iterdir()) == [STATE_FILE, "week3"]
    assert write.write(target, new).changed == ()


def test_unwritable_location_is_bad_input_not_a_traceback(tmp_path: Path) -> None:
    """A read-only place that root cannot write either: a file where a folder is needed."""
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"x")
    root = blocker / "out" / "dev"
    with pytest.raises(CmgenError, match="cannot create the output folder"):
        write.write(OutputTarget(root, root / "t", tmp_path), FILES)


def test_os_errors_while_writing_are_located(target: OutputTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device", str(src), None, str(dst))

    monkeypatch.setattr(write.os, "replace", full)
    with pytest.raises(CmgenError, match="cannot write: No space left on device") as caught:
        write.write(target, FILES)
    assert caught.value.location.file is not None


# --- a hand edit of a generated file is overwritten, and said so (issue 22.14, decided) ------


def test_a_hand_edited_file_is_overwritten_and_named(target: OutputTarget) -> None:
    write.write(target, FILES)
    (target.tree / "a.yaml").write_bytes(b"a: edited\n")
    written = write.write(target, {**FILES, "sub/b.yaml": OutputFile(b"b: 3\n")})
    assert written.overwritten == ("week3/day3/a.yaml",)  # b.yaml changed, but was not edited
    assert (target.tree / "a.yaml").read_bytes() == b"a: 1\n"


def test_render_warns_on_stderr_naming_the_overwritten_file(project_dir: Path) -> None:
    from tests.conftest import cmgen

    configmap = project_dir / "out/dev/week3/day3/app/configmap.yaml"
    configmap.write_text(configmap.read_text().replace("message: hello", "message: tuned by hand"))
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout == "dev: 4 files in out/dev/week3/day3 (1 changed, 0 removed)\n"
    assert "dev: overwrote week3/day3/app/configmap.yaml: it was edited by hand since cmgen wrote it\n" in result.stderr
    assert "tuned by hand" not in configmap.read_text()


# --- a write that would remove most of the tree (issue 22.13) -------------------------------


def test_a_mass_removal_is_refused_before_any_change(target: OutputTarget) -> None:
    write.write(target, FILES)
    before = snapshot(target.root)
    with pytest.raises(CmgenError, match="refusing to remove 2 of the 3 files cmgen wrote here") as caught:
        write.write(target, {"a.yaml": OutputFile(b"a: 2\n")}, refuse_mass_removal=True)
    assert caught.value.location.file == str(target.tree)
    assert snapshot(target.root) == before
    assert write.write(target, {**FILES, "run.sh": OutputFile(b"x\n")}, refuse_mass_removal=True).removed == ()
    assert write.write(target, {"a.yaml": FILES["a.yaml"], "run.sh": FILES["run.sh"]}, refuse_mass_removal=True).removed == (
        "week3/day3/sub/b.yaml",
    )  # one of three: not most of the tree


def test_all_envs_refuse_a_mass_removal_before_writing_any_env(project_dir: Path) -> None:
    """prod would lose most of its tree: dev, written first otherwise, is not written either."""
    from tests.conftest import cmgen

    root = project_dir / "out" / "prod"
    record = json.loads((root / STATE_FILE).read_text())
    for number in range(8):
        extra = root / "week3" / "day3" / "old" / f"{number}.yaml"
        extra.parent.mkdir(parents=True, exist_ok=True)
        extra.write_bytes(b"old: true\n")
        record["files"][extra.relative_to(root).as_posix()] = hashlib.sha256(b"old: true\n").hexdigest()
    (root / STATE_FILE).write_text(json.dumps(record))
    before = snapshot(project_dir / "out")
    result = cmgen("render", "--all-envs", "--set", "app.message=changed", project=project_dir)
    assert result.exit_code == 2, result.output
    assert f"{root}/week3/day3: error: refusing to remove 8 of the 12 files cmgen wrote here" in result.stderr
    assert snapshot(project_dir / "out") == before
    allowed = cmgen("render", "--all-envs", "--set", "app.message=changed", "--allow-removals", project=project_dir)
    assert allowed.exit_code == 0, allowed.output
    assert not (root / "week3" / "day3" / "old").exists()


def _png(source_hash: str, pixels: bytes = b"") -> bytes:
    """A minimal well-formed PNG recording ``source_hash`` like a cmgen chart (``pixels``
    stands for whatever bytes a machine's matplotlib drew)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    text = pngmeta.SOURCE_KEY.encode() + b"\x00" + source_hash.encode()
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return pngmeta.SIGNATURE + header + chunk(b"tEXt", text) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _chart(source_hash: str, drawn: list[str]) -> OutputFile:
    """A chart that notes in ``drawn`` when it is drawn (the painter's stand-in)."""

    def draw() -> bytes:
        drawn.append(source_hash)
        return _png(source_hash, b"fresh")

    return OutputFile.drawn(source_hash, draw)


def test_a_chart_whose_file_records_the_same_source_is_reused_not_drawn(target: OutputTarget) -> None:
    on_disk = _png("a" * 64, b"drawn by another machine's matplotlib")
    (target.tree / "docs").mkdir(parents=True)
    (target.tree / "docs" / "chart.png").write_bytes(on_disk)
    drawn: list[str] = []
    written = write.write(target, {**FILES, "docs/chart.png": _chart("a" * 64, drawn)})
    assert drawn == []
    assert "week3/day3/docs/chart.png" not in written.changed
    assert (target.tree / "docs" / "chart.png").read_bytes() == on_disk
    assert _record(target)["week3/day3/docs/chart.png"] == hashlib.sha256(on_disk).hexdigest()
    before = snapshot(target.root)
    assert write.write(target, {**FILES, "docs/chart.png": _chart("a" * 64, drawn)}) == write.Written((), (), ())
    assert drawn == [] and snapshot(target.root) == before


def test_only_the_charts_whose_source_changed_are_drawn(target: OutputTarget) -> None:
    drawn: list[str] = []
    charts = {"one.png": _chart("1" * 64, drawn), "two.png": _chart("2" * 64, drawn)}
    write.write(target, charts)
    assert sorted(drawn) == ["1" * 64, "2" * 64]  # nothing on disk yet: both drawn
    drawn.clear()
    written = write.write(target, {"one.png": _chart("1" * 64, drawn), "two.png": _chart("3" * 64, drawn)})
    assert drawn == ["3" * 64]
    assert written.changed == ("week3/day3/two.png",)
    assert pngmeta.source_hash((target.tree / "two.png").read_bytes()) == "3" * 64
