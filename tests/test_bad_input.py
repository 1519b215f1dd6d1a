"""The bad-input corpus (issue 9): every case under tests/cases/bad-input through the CLI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURE, cmgen, snapshot
from generator import yamlio

CASES = Path(__file__).parent / "cases" / "bad-input"
LOCATED = re.compile(r"^\S.*?: error(\[[\w-]+\])?: ", re.MULTILINE)


def _generate(kind: str, project: Path) -> None:
    target = project / "values" / "dev.yaml"
    if kind == "huge-values":
        with target.open("w") as handle:
            handle.write("app:\n  message: ")
            chunk = "x" * (1024 * 1024)
            for _ in range(yamlio.MAX_FILE_BYTES // len(chunk) + 1):
                handle.write(chunk)
            handle.write("\n")
    elif kind == "deep-values":
        target.write_text("app: " + "[" * 10_000 + "]" * 10_000 + "\n")
    else:
        raise AssertionError(f"unknown generator {kind}")


def _prepare(case: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    spec = yaml.safe_load((case / "case.yaml").read_text())
    project, outside = tmp_path / "project", tmp_path / "outside"
    shutil.copytree(FIXTURE, project, symlinks=True)
    outside.mkdir()
    (outside / "precious.txt").write_text("precious\n")
    for name in spec.get("remove", []):
        path = project / name
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    for source in sorted(case.rglob("*")):
        if source.is_dir() or source.name == "case.yaml":
            continue
        destination = project / source.relative_to(case)
        destination.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes().replace(b"@OUTSIDE@", str(outside).encode())
        destination.write_bytes(data)
    for name, link in (spec.get("symlinks") or {}).items():
        (project / name).symlink_to(link.replace("@OUTSIDE@", str(outside)))
    if "generate" in spec:
        _generate(spec["generate"], project)
    return project, outside, spec


def _without_out(tree: dict[str, object]) -> dict[str, object]:
    return {name: entry for name, entry in tree.items() if name != "out" and not name.startswith("out/")}


def _out(tree: dict[str, object]) -> dict[str, object]:
    return {name: entry for name, entry in tree.items() if name == "out" or name.startswith("out/")}


def _check_output(spec: dict[str, Any], code: int, stdout: str, stderr: str) -> None:
    assert code == spec["exit"], f"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    assert "Traceback" not in stdout + stderr
    for stream, text in (("stderr", stderr), ("stdout", stdout)):
        if stream in spec:
            assert re.search(spec[stream], text, re.MULTILINE), f"{stream} was:\n{text}"
    if "not_stdout" in spec:
        assert not re.search(spec["not_stdout"], stdout), stdout
    if spec["exit"] == 2:
        located = LOCATED.findall(stderr)
        assert len(located) == 1, f"expected one error line, got:\n{stderr}"


def _check_tree(spec: dict[str, Any], project: Path, before: dict[str, object], outside: Path) -> None:
    after = snapshot(project)
    assert _without_out(after) == _without_out(before), "something outside out/ changed"
    if not spec.get("writes"):
        assert _out(after) == _out(before), "out/ changed"
    assert snapshot(outside) == {"precious.txt": ("file", b"precious\n", 0o644)}
    if "expect_string" in spec:
        expected = spec["expect_string"]
        (document,) = yamlio.load_all((project / expected["file"]).read_text(), expected["file"])
        value: Any = document.data
        for step in expected["path"]:
            value = value[step]
        assert value == expected["value"]


CASE_DIRS = sorted(path for path in CASES.iterdir() if (path / "case.yaml").is_file())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[path.name for path in CASE_DIRS])
def test_case_through_cli_runner(case: Path, tmp_path: Path) -> None:
    project, outside, spec = _prepare(case, tmp_path)
    os.chmod(outside / "precious.txt", 0o644)
    before = snapshot(project)
    result = cmgen(*spec["args"], project=project)
    _check_output(spec, result.exit_code, result.stdout, result.stderr)
    _check_tree(spec, project, before, outside)


SUBPROCESS_CASES = [path for path in CASE_DIRS if yaml.safe_load((path / "case.yaml").read_text()).get("subprocess")]


@pytest.mark.parametrize("case", SUBPROCESS_CASES, ids=[path.name for path in SUBPROCESS_CASES])
def test_case_in_a_real_process(case: Path, tmp_path: Path) -> None:
    """No traceback reaches the user, even from a crash the in-process runner would hide."""
    project, outside, spec = _prepare(case, tmp_path)
    os.chmod(outside / "precious.txt", 0o644)
    before = snapshot(project)
    result = subprocess.run(
        [sys.executable, "-m", "generator", *spec["args"], "--project", str(project)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "CMGEN_DEBUG": ""},
    )
    _check_output(spec, result.returncode, result.stdout, result.stderr)
    _check_tree(spec, project, before, outside)


def test_the_corpus_is_not_empty() -> None:
    assert len(CASE_DIRS) >= 40


def test_debug_shows_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    project, _, spec = _prepare(CASES / "duplicate-key", tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--debug", *spec["args"], "--project", str(project)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" in result.stderr
    assert re.search(spec["stderr"], result.stderr, re.MULTILINE)


# --- a read-only output folder ------------------------------------------------------------


def _immutable(path: Path, on: bool) -> bool:
    """``chattr +i``: read-only even for root (chmod is not). False if unsupported here."""
    if shutil.which("chattr") is None:
        return False
    result = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return result.returncode == 0


@pytest.mark.parametrize("where", ["out/dev", "out/dev/week3/day3/app"])
def test_read_only_output_folder(project_dir: Path, where: str) -> None:
    folder = project_dir / where
    if os.geteuid() != 0:
        folder.chmod(0o555)
        lock = True
    else:
        lock = _immutable(folder, True)
        if not lock:
            pytest.skip("running as root and chattr +i is unsupported here: no read-only folder root cannot write")
    before = snapshot(project_dir)
    try:
        result = cmgen("render", "--env", "dev", "--set", "app.message=changed", project=project_dir)
    finally:
        if os.geteuid() != 0:
            folder.chmod(0o755)
        else:
            _immutable(folder, False)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert re.search(r"error: (the output folder is not writable|cannot write: )", result.stderr)
    tree = project_dir / "out/dev/week3/day3"
    if where == "out/dev":
        assert snapshot(project_dir) == before
    else:
        # Refused before the commit point (preflight): nothing changed; once writable, it renders.
        assert (tree / "app" / "configmap.yaml").read_bytes() == before["out/dev/week3/day3/app/configmap.yaml"][1]  # type: ignore[index]
        again = cmgen("render", "--env", "dev", "--set", "app.message=changed", project=project_dir)
        assert again.exit_code == 0, again.output
        assert "  message: changed\n" in (tree / "app" / "configmap.yaml").read_text()
        assert sorted(p.name for p in (project_dir / "out/dev").iterdir()) == [".cmgen-manifest.json", "week3"]


# --- streams and special files (issue 22, class 2) ------------------------------------------


def _run(args: list[str], cwd: Path, stdin: Any = subprocess.DEVNULL, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """cmgen in a real process whose address space is capped at 2 GiB: reading a stream
    whole would end in MemoryError (exit 3) instead of exhausting the machine's memory."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd,
        stdin=stdin, timeout=timeout, preexec_fn=cap, env={**os.environ, "CMGEN_DEBUG": ""},
    )


def _one_located_error(result: subprocess.CompletedProcess[str], pattern: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len(LOCATED.findall(result.stderr)) == 1, result.stderr
    assert re.search(pattern, result.stderr, re.MULTILINE), result.stderr


def test_stdin_endless_stream_is_refused_after_the_size_limit(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        result = _run(["validate", "-"], tmp_path, stdin=zero)
    _one_located_error(result, r"^<stdin>: error: file is larger than 64 MiB$")


@pytest.mark.parametrize(
    "args",
    [["validate", "/dev/zero"], ["validate", "--crd", "/dev/zero", "-"], ["lint", "/dev/zero"]],
    ids=["validate-file", "validate-crd", "lint-file"],
)
def test_a_device_is_refused_before_it_is_read(tmp_path: Path, args: list[str]) -> None:
    result = _run(args, tmp_path)
    _one_located_error(result, r"^/dev/zero: error: not a regular file \(a device, FIFO or socket\)")


def test_a_fifo_without_a_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "manifests.yaml"
    os.mkfifo(fifo)
    result = _run(["validate", str(fifo)], tmp_path, timeout=30)
    _one_located_error(result, r"manifests\.yaml: error: not a regular file")


def test_a_device_among_the_project_crds_is_refused(project_dir: Path) -> None:
    """/dev/zero lies outside the project: the trust model refuses it before any read."""
    config = project_dir / "cmgen.yaml"
    config.write_text(config.read_text().replace("crds: []", "crds: [/dev/zero]"))
    before = snapshot(project_dir)
    for command in ("render", "check"):
        result = _run([command, "--env", "dev", "--project", str(project_dir)], project_dir)
        _one_located_error(result, r"^cmgen.yaml:\d+:\d+: error: crds: a path that leads outside the project")
    assert snapshot(project_dir) == before


def test_a_fifo_among_the_project_crds_is_refused_without_hanging(project_dir: Path) -> None:
    config = project_dir / "cmgen.yaml"
    config.write_text(config.read_text().replace("crds: []", "crds: [crds.fifo]"))
    before = snapshot(project_dir)  # before the FIFO: reading it would block the snapshot
    os.mkfifo(project_dir / "crds.fifo")
    for command in ("render", "check"):
        result = _run([command, "--env", "dev", "--project", str(project_dir)], project_dir, timeout=20)
        _one_located_error(result, r"crds.fifo: error: not a regular file")
    (project_dir / "crds.fifo").unlink()
    assert snapshot(project_dir) == before


# --- other exit-3 crashes (issue 22, class 12) ----------------------------------------------

_NO_DAC = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def _as_a_user(args: list[str]) -> list[str]:
    """``args`` run without the capabilities that let root read and write any file, so a
    permission test means the same as root as it does for a user."""
    if os.geteuid() != 0:
        return args
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: root would read and write every file")
    return [*_NO_DAC, *args]


def _cmgen_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _as_a_user([sys.executable, "-m", "generator", *args]), capture_output=True, text=True,
        cwd=cwd, timeout=120, env={**os.environ, "CMGEN_DEBUG": "", "CMGEN_CACHE_DIR": str(cwd / "cache")},
    )


def test_check_reports_an_unreadable_stray_file_as_a_stray(project_dir: Path) -> None:
    stray = project_dir / "out/dev/week3/day3/app/stray.yaml"
    stray.write_text("secret: 1\n")
    stray.chmod(0o000)
    before = snapshot(project_dir)
    result = _cmgen_process(["check", "--env", "dev", "--project", str(project_dir)], project_dir.parent)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.findall(r"^\S+: error\[\w+\] .*$", result.stderr, re.MULTILINE) == [
        "out/dev/week3/day3/app/stray.yaml:1:1: error[stray] is not generated by cmgen; "
        "kubectl apply -R would apply it: delete it or add a template"
    ]
    assert snapshot(project_dir) == before


def test_init_into_a_folder_that_is_not_writable(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = _cmgen_process(["init", str(parent / "platform")], tmp_path)
    finally:
        parent.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == f"{parent / 'platform'}: error: cannot create the project: Permission denied\n"
    assert list(parent.iterdir()) == []
