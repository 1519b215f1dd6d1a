"""The build cache: a check of unchanged inputs replays a stored build (``generator.buildcache``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from generator import buildcache, pipeline
from generator.findings import Finding, Override, Skip
from generator.options import Options
from generator.project import JOURNAL_FILE, STAGING_DIR, STATE_FILE, Project
from tests.conftest import REPO, cmgen, snapshot

# Runs builds in a fresh interpreter and prints every file they opened.
_AUDIT = """
import json, os, sys
from pathlib import Path
from typing import Any
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.add(os.path.abspath(os.fsdecode(args[0])))
from generator import pipeline
from generator.options import Options
from generator.project import Project
project = Project.load(Path(sys.argv[1]))
crds = tuple(Path(path) for path in sys.argv[2:])
sys.addaudithook(hook)
for env in project.envs():
    pipeline.build(project, env, Options(crds=crds))
print(json.dumps(sorted(opened)))
"""


# The import names of buildcache.DEPENDENCIES, whose files the key covers by version.
_KEYED_PACKAGES = {"jinja2", "markupsafe", "yaml", "_yaml", "jsonschema", "jsonschema_rs", "kubernetes_validate"}


def _covered_elsewhere(path: str) -> bool:
    """Files the key covers by version or digest rather than by path: Python's own library,
    the distributions of ``DEPENDENCIES``, cmgen's package, and the caches."""
    _, _, inside = path.partition("/site-packages/")
    if inside:
        return inside.split("/")[0] in _KEYED_PACKAGES
    roots = {sys.base_prefix, str(Path(buildcache.__file__).parent), os.environ["CMGEN_CACHE_DIR"]}
    return any(path.startswith(root + "/") for root in roots)


def test_the_key_names_every_dependency_version() -> None:
    names = buildcache._distributions()
    assert {name.partition("-")[0].lower() for name in names} == set(buildcache.DEPENDENCIES)
    assert all(name.removesuffix(".dist-info").count("-") == 1 for name in names)


def test_a_build_opens_only_files_the_key_covers(tmp_path: Path, shared_crds: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _AUDIT, str(REPO), str(shared_crds)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    opened = set(json.loads(result.stdout))
    project = Project.load(REPO)
    covered = {str(path.resolve()) for path in buildcache.inputs(project, Options(crds=(shared_crds,)))}
    assert any(path.endswith("values/prod.yaml") for path in opened)  # the hook saw the builds
    # compared resolved: the CRD folder may be reached through a symlink (../shared)
    uncovered = {path for path in opened if str(Path(path).resolve()) not in covered}
    assert {path for path in uncovered if not _covered_elsewhere(path)} == set()


def test_other_distributions_do_not_change_the_key(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit runs cmgen in an environment of its own, with other packages than the
    user's: a check there must find the build that ``cmgen render`` stored."""
    before = _key(project_dir)
    other = tmp_path / "site"
    for name in ("pytest-9.2.0.dist-info", "rich-15.0.0.dist-info", "jinja2_extras-1.0.dist-info"):
        (other / name).mkdir(parents=True)
    monkeypatch.syspath_prepend(str(other))
    assert _key(project_dir) == before
    (other / "jinja2-9.9.9.dist-info").mkdir()  # a second Jinja2 ahead on the path
    assert _key(project_dir) != before


def _store(project: Project, env: str, options: Options, build: pipeline.Build) -> None:
    buildcache.store(buildcache.key(project, env, options), project, env, options, build)


def _lookup(project: Project, env: str, options: Options) -> buildcache.Entry | None:
    return buildcache.lookup(buildcache.key(project, env, options))


def test_a_build_whose_inputs_changed_while_it_ran_is_not_stored(project_dir: Path) -> None:
    project = Project.load(project_dir)
    before = buildcache.key(project, "dev", Options())
    build = pipeline.build(project, "dev")
    values = project_dir / "values/dev.yaml"
    values.write_text(values.read_text() + "\n")  # edited during the build
    buildcache.store(before, project, "dev", Options(), build)
    assert _lookup(project, "dev", Options()) is None
    assert buildcache.lookup(before) is None


def _key(root: Path, env: str = "dev", options: Options = Options()) -> str | None:
    return buildcache.key(Project.load(root), env, options)


def test_every_input_changes_the_key(project_dir: Path) -> None:
    before = _key(project_dir)
    assert before is not None
    inputs = buildcache.inputs(Project.load(project_dir), Options())
    assert len(inputs) > 5
    for path in inputs:
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert _key(project_dir) != before, path
        path.write_bytes(original)
    assert _key(project_dir) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "templates/app/extra.yaml.j2").write_text("a: 1\n"),
        lambda root: (root / "templates/_partials/unused.j2").write_text(""),
        lambda root: (root / "values/qa.yaml").write_text("{}\n"),
        lambda root: (root / "overlays/dev").mkdir(parents=True)
        or (root / "overlays/dev/kustomization.yaml").write_text("resources: []\n"),
    ],
    ids=["new template", "new partial", "new env", "new overlay"],
)
def test_a_new_input_file_changes_the_key(project_dir: Path, change: object) -> None:
    before = _key(project_dir)
    change(project_dir)  # type: ignore[operator]
    assert _key(project_dir) != before


def test_env_options_and_folder_are_in_the_key(project_dir: Path, tmp_path: Path) -> None:
    keys = {
        _key(project_dir),
        _key(project_dir, "prod"),
        _key(project_dir, options=Options(sets=("replicas=2",))),
        _key(project_dir, options=Options(kube_version="1.33")),
        _key(project_dir, options=Options(require_schemas=True)),
        _key(project_dir, options=Options(overlays=False)),
    }
    moved = tmp_path / "moved"
    project_dir.rename(moved)
    keys.add(_key(moved))
    assert len(keys) == 7


def test_cmgen_code_is_in_the_key(project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    (package / "__pycache__").mkdir(parents=True)
    (package / "module.py").write_text("A = 1\n")
    monkeypatch.setattr(buildcache, "_GENERATOR", package)
    before = _key(project_dir)
    (package / "__pycache__" / "module.pyc").write_bytes(b"ignored")
    buildcache._code_digest.cache_clear()  # computed once per process: cmgen's files do not change under it
    assert _key(project_dir) == before
    (package / "module.py").write_text("A = 2\n")
    buildcache._code_digest.cache_clear()
    assert _key(project_dir) != before


def test_a_missing_crd_path_is_no_key(project_dir: Path) -> None:
    assert _key(project_dir, options=Options(crds=(project_dir / "nope",))) is None


def test_an_entry_replays_the_findings_of_its_build(project_dir: Path) -> None:
    project = Project.load(project_dir)
    build = pipeline.build(project, "dev")
    build.findings.append(Finding("a.yaml", 3, 5, "error", "some-rule", "Pod/x", "msg", "hint", "t.j2:2"))
    build.findings.append(Finding("a.yaml", 4, 1, "info", "other", "Pod/x", "m", skip=Skip("why", "warning")))
    build.findings.append(Finding("a.yaml", 5, 1, "info", "third", "Pod/x", "m",
                                  skip=Skip("set", "warning", "cmgen.yaml", 7)))
    build.findings.append(Finding("a.yaml", 6, 1, "error", "fourth", "Pod/x", "m",
                                  override=Override("raised", "warning", "cmgen.yaml", 9)))
    _store(project, "dev", Options(), build)
    entry = _lookup(project, "dev", Options())
    assert entry is not None
    assert entry.findings == build.findings
    assert [finding.skip for finding in entry.findings] == [finding.skip for finding in build.findings]
    assert [f.override for f in entry.findings] == [f.override for f in build.findings]
    assert set(entry.files) == set(build.files)


def test_an_entry_stores_every_field_of_a_finding() -> None:
    assert [field.name for field in fields(Finding)] == [*buildcache._FINDING_FIELDS, "skip", "override"]


def test_off_stores_and_finds_nothing(project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(cache))
    project = Project.load(project_dir)
    build = pipeline.build(project, "dev")
    digest = buildcache.key(project, "dev", Options())
    monkeypatch.setenv("CMGEN_CACHE_DIR", "off")
    buildcache.store(digest, project, "dev", Options(), build)
    assert list(cache.rglob("*.json")) == []
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(cache))
    buildcache.store(digest, project, "dev", Options(), build)
    assert buildcache.lookup(digest) is not None  # stored when on ...
    monkeypatch.setenv("CMGEN_CACHE_DIR", "off")
    assert buildcache.key(project, "dev", Options()) is None
    assert buildcache.lookup(digest) is None  # ... and not read when off


def test_only_the_newest_entries_are_kept(project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(buildcache, "KEEP", 2)
    project = Project.load(project_dir)
    build = pipeline.build(project, "dev")
    for version in ("1.33", "1.34", "1.35"):
        _store(project, "dev", Options(kube_version=version), build)
    assert len(list((tmp_path / "cache" / "builds").glob("*.json"))) == 2
    assert _lookup(project, "dev", Options(kube_version="1.35")) is not None


def _broken_build(*args: object, **kwargs: object) -> None:
    raise AssertionError("the check built instead of using the stored build")


def test_a_check_after_a_render_does_not_build(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(project_dir.parent / "cache"))
    assert cmgen("render", "--env", "prod", project=project_dir).exit_code == 0
    full = cmgen("check", "--env", "prod", "--no-cache", project=project_dir)
    monkeypatch.setattr(pipeline, "build", _broken_build)
    replayed = cmgen("check", "--env", "prod", project=project_dir)
    assert (replayed.exit_code, replayed.stdout, replayed.stderr) == (full.exit_code, full.stdout, full.stderr)
    assert replayed.exit_code == 0


@pytest.mark.parametrize(
    "tamper",
    [
        lambda tree: (tree / "README.md").write_text("edited\n"),
        lambda tree: (tree / "README.md").unlink(),
        lambda tree: (tree / "stray.yaml").write_text("a: 1\n"),
        lambda tree: next(p for p in sorted(tree.rglob("*.sh"))).chmod(0o644),
    ],
    ids=["drifted", "missing", "stray", "mode"],
)
def test_a_tree_unlike_the_entry_gets_a_full_check(project_dir: Path, monkeypatch: pytest.MonkeyPatch, tamper: object) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(project_dir.parent / "cache"))
    assert cmgen("check", "--env", "dev", project=project_dir).exit_code == 0  # stores an entry
    tamper(project_dir / "out/dev/week3/day3")  # type: ignore[operator]
    result = cmgen("check", "--env", "dev", project=project_dir)
    assert result.exit_code == 1
    assert "out/dev/week3/day3/" in result.stderr


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"{",
        b"[]",
        b'{"format": FORMAT, "files": {}, "findings": [[1]]}',
        b'{"format": FORMAT, "files": [], "findings": []}',
        b'{"format": FORMAT, "files": {"a": ["sha256:0"]}, "findings": []}',
        b'{"format": FORMAT, "files": {}, "findings": [["f", 1, 1, "fatal", "r", "", "m", "", "", null]]}',
        b'{"format": FORMAT, "files": {}, "findings": [["f", 1, 1, "info", "r", "", "m", "", "", ["why"]]]}',
        b'{"format": 999, "files": {}, "findings": []}',
    ],
)
def test_an_unreadable_entry_is_a_miss(project_dir: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes) -> None:
    cache = project_dir.parent / "cache"
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(cache))
    assert cmgen("check", "--env", "dev", project=project_dir).exit_code == 0
    (entry,) = (cache / "builds").glob("*.json")
    entry.write_bytes(garbage.replace(b"FORMAT", str(buildcache.FORMAT).encode()))
    assert _lookup(Project.load(project_dir), "dev", Options()) is None
    result = cmgen("check", "--env", "dev", project=project_dir)
    assert result.exit_code == 0, result.output
    assert _lookup(Project.load(project_dir), "dev", Options()) is not None  # stored again


# --- symlinked input folders inside the project (issue 22.8) --------------------------------


def _link_overlay(project: Path) -> Path:
    real = project / "shared-overlays" / "dev"
    real.mkdir(parents=True)
    (real / "kustomization.yaml").write_text("commonAnnotations:\n  team: shop\n")
    (project / "overlays").mkdir()
    (project / "overlays" / "dev").symlink_to(Path("..") / "shared-overlays" / "dev")
    return real / "kustomization.yaml"


def _link_partials(project: Path) -> Path:
    partials = project / "templates" / "_partials"
    partials.rename(project / "partials")
    partials.symlink_to(Path("..") / "partials")
    return project / "partials" / "labels.yaml.j2"


@pytest.mark.parametrize(
    ("link", "edit"),
    [
        (_link_overlay, lambda text: text.replace("team: shop", "team: checkout")),
        (_link_partials, lambda text: text + "    edited: \"yes\"\n"),
    ],
    ids=["overlays-env-folder", "templates-subfolder"],
)
def test_an_edit_under_a_symlinked_folder_is_not_replayed_as_in_sync(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, link: Any, edit: Any
) -> None:
    """The key follows symlinked folders inside the project, as the build does."""
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(project_dir.parent / "cache"))
    edited = link(project_dir)
    assert cmgen("render", "--env", "dev", project=project_dir).exit_code == 0
    assert cmgen("check", "--env", "dev", project=project_dir).exit_code == 0  # an entry
    edited.write_text(edit(edited.read_text()))
    cached = cmgen("check", "--env", "dev", project=project_dir)  # first: a full build stores
    uncached = cmgen("check", "--env", "dev", "--no-cache", project=project_dir)
    assert uncached.exit_code == 1, uncached.output  # the edit drifts the tree ...
    assert (cached.exit_code, cached.stderr) == (uncached.exit_code, uncached.stderr)  # ... cached or not


def test_the_key_covers_files_under_a_symlinked_folder(project_dir: Path) -> None:
    edited = _link_overlay(project_dir)
    assert edited.resolve() in {path.resolve() for path in buildcache.inputs(Project.load(project_dir), Options())}


def test_values_files_and_set_files_are_inputs_of_the_key(project_dir: Path, tmp_path: Path) -> None:
    extra, text = tmp_path / "extra.yaml", tmp_path / "message.txt"
    extra.write_text("app:\n  replicas: 4\n")
    text.write_text("hello")
    options = Options(values_files=(extra,), set_files=(f"app.message={text}",))
    before = _key(project_dir, options=options)
    assert before is not None and before != _key(project_dir)
    for path in (extra, text):
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert _key(project_dir, options=options) != before, path
        path.write_bytes(original)
    assert _key(project_dir, options=options) == before


def test_a_render_of_unchanged_inputs_does_not_build(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(project_dir.parent / "cache"))
    first = cmgen("render", "--env", "prod", project=project_dir)  # builds, writes, stores
    assert first.exit_code == 0, first.output
    built = cmgen("render", "--env", "prod", "--no-overlays", project=project_dir)  # other options: a build
    assert built.exit_code == 0, built.output
    assert cmgen("render", "--env", "prod", project=project_dir).exit_code == 0
    before = snapshot(project_dir / "out")
    monkeypatch.setattr(pipeline, "build", _broken_build)
    replayed = cmgen("render", "--env", "prod", project=project_dir)
    assert (replayed.exit_code, replayed.stderr) == (first.exit_code, first.stderr)
    assert replayed.stdout.endswith("(0 changed, 0 removed)\n"), replayed.stdout
    assert replayed.stdout.split(" (")[0] == first.stdout.split(" (")[0]  # "prod: N files in out/prod/week3/day3"
    assert snapshot(project_dir / "out") == before


@pytest.mark.parametrize(
    "tamper",
    [
        lambda root: (root / "week3/day3/README.md").write_text("edited\n"),
        lambda root: (root / "week3/day3/README.md").unlink(),
        lambda root: next(p for p in sorted(root.rglob("*.sh"))).chmod(0o644),
        lambda root: (root / STATE_FILE).unlink(),
        lambda root: (root / STATE_FILE).write_text('{"files": {}}'),
        lambda root: (root / JOURNAL_FILE).write_text("{}"),
        lambda root: (root / STAGING_DIR).mkdir(),
    ],
    ids=["drifted", "missing", "mode", "no-record", "other-record", "journal", "staging"],
)
def test_a_render_whose_tree_or_record_is_unlike_the_entry_builds_and_writes(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch, tamper: object) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(project_dir.parent / "cache"))
    assert cmgen("render", "--env", "dev", project=project_dir).exit_code == 0  # stores an entry
    before = snapshot(project_dir / "out/dev/week3/day3")
    tamper(project_dir / "out/dev")  # type: ignore[operator]
    built: list[str] = []
    real = pipeline.build

    def build(project: Project, env: str, *args: object, **kwargs: object) -> pipeline.Build:
        built.append(env)
        return real(project, env, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build", build)
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 0, result.output
    assert built == ["dev"]
    assert snapshot(project_dir / "out/dev/week3/day3") == before
    assert cmgen("check", "--env", "dev", "--no-cache", project=project_dir).exit_code == 0
