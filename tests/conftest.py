"""Shared test fixtures and helpers: the repo project, real CRDs, a fresh copy of the fixture
project, tree snapshots, golden trees."""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from generator.cli import app
from generator import engines, graph, pipeline, values
from generator.graph import Graph
from generator.pipeline import Build
from generator.project import Project

# Property tests check properties, not speed: on a loaded CI machine the first example of
# a test (schemas loaded, caches cold) can exceed Hypothesis' 200 ms deadline or trip its
# too-slow health check, which would fail a correct build. Speed is benchmarked instead.
settings.register_profile("cmgen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("cmgen")

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "project"
REPO = TESTS.parent
# The real CRDs live next to the repository (``<x>/main`` + ``<x>/shared`` in CI); a git
# worktree under ``<x>/wt/<name>`` finds them one level further up.
_CRD_CANDIDATES = (REPO.parent / "shared" / "crds", REPO.parent.parent / "shared" / "crds")


@pytest.fixture(scope="session", autouse=True)
def _template_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled templates go to a folder of the test session, not the user's cache."""
    os.environ["CMGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cmgen-cache"))


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every pytest-xdist worker sees (the run's temporary
    folder; each worker's own is one level below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """``name`` in the run's shared folder, built by ``build`` (given an empty folder) by the
    first worker that asks; the others wait for it. Something expensive is built once per
    test run, not once per worker or per test."""
    from filelock import FileLock

    folder = shared_folder(tmp_path_factory) / name
    with FileLock(f"{folder}.lock"):
        if not folder.is_dir():
            partial = folder.with_name(f"{name}.partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            build(partial)
            partial.rename(folder)
    return folder


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The CloudMart project of this repository (read-only: never render into it)."""
    return Project.load(REPO)


@pytest.fixture
def shared_crds() -> Path:
    """The folder of real upstream CRDs (test data, never copied into the project)."""
    for candidate in _CRD_CANDIDATES:
        if candidate.is_dir():
            return candidate
    pytest.skip(f"real CRDs not found (looked in {', '.join(map(str, _CRD_CANDIDATES))})")


# Tests that wait longest on one thing (pre-commit installing cmgen into its environment,
# once per run) go first: a worker starts on them at once while the other workers run the
# rest, instead of the whole run waiting for them at the end.
_FIRST = ("consumer",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not set(_FIRST) & set(getattr(item, "fixturenames", ())))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden trees from the current output instead of comparing.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden")) or os.environ.get(
        "CMGEN_UPDATE_GOLDEN", ""
    ) not in ("", "0")


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/project (with its rendered out/)."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target, symlinks=True)
    return target


PROJECT_INPUTS = ("cmgen.yaml", "templates", "values", "overlays", "crds")  # CloudMart's inputs


def copy_repo_project(target: Path, *extra: str) -> Path:
    """A copy of this repository's project: its inputs (``PROJECT_INPUTS``) and ``extra``
    (e.g. ``"out"``), into ``target``, which may exist. One list, so a new input folder
    (crds/ was one) reaches every test that copies the project."""
    target.mkdir(parents=True, exist_ok=True)
    for name in (*PROJECT_INPUTS, *extra):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under ``root``: file bytes and mode, symlink targets, folders."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = ("symlink", os.readlink(path))
        elif path.is_dir():
            found[name] = ("dir",)
        else:
            found[name] = ("file", path.read_bytes(), path.stat().st_mode & 0o777)
    return found


def tree_diff(expected: Path, actual: Path) -> str:
    """A readable unified diff between two folders ('' when they are equal)."""
    names = sorted(
        {p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file()}
        | {p.relative_to(actual).as_posix() for p in actual.rglob("*") if p.is_file()}
    )
    out: list[str] = []
    for name in names:
        left, right = expected / name, actual / name
        before = left.read_text(encoding="utf-8").splitlines(keepends=True) if left.is_file() else []
        after = right.read_text(encoding="utf-8").splitlines(keepends=True) if right.is_file() else []
        out.extend(
            difflib.unified_diff(
                before,
                after,
                f"expected/{name}" if left.is_file() else "/dev/null",
                f"actual/{name}" if right.is_file() else "/dev/null",
            )
        )
        if left.is_file() and right.is_file():
            if (left.stat().st_mode & 0o100) != (right.stat().st_mode & 0o100):
                out.append(f"mode of {name} differs (executable bit)\n")
    return "".join(out)


def assert_golden(golden: Path, actual: Path, update: bool) -> None:
    """Compare ``actual`` with the golden tree; with the update switch, rewrite it."""
    if update:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(actual, golden)
        return
    diff = tree_diff(golden, actual)
    assert not diff, (
        "output differs from the golden tree (rerun with --update-golden if intended):\n" + diff
    )


def cmgen(*args: str, project: Path | None = None) -> Result:
    """Run the CLI in-process; ``project`` adds ``--project``."""
    extra: Sequence[str] = ("--project", str(project)) if project is not None else ()
    return CliRunner().invoke(app, [*args, *extra])


@pytest.fixture(scope="session")
def minikube_build(repo_project: Project) -> Build:
    """The repo's minikube env, rendered in memory (docs included)."""
    return pipeline.build(repo_project, "minikube")


@pytest.fixture(scope="session")
def secured_build(repo_project: Project) -> Build:
    """minikube with NetworkPolicies and TLS switched on (the features prod-like envs use)."""
    sets = ("features.networkPolicies=true", "features.tls=true")
    return pipeline.build(repo_project, "minikube", pipeline.Options(sets=sets))


def graph_of(build: Build, project: Project) -> Graph:
    """The graph the docs stage builds: with the engine table of the build's env."""
    table = engines.engines(values.load(project, build.env).data)
    return graph.build(build.manifests, project.display(build.target.tree), table)
