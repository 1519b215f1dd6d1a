"""The repository's pre-commit hooks, run by the real pre-commit framework.

Each run is what ``pre-commit try-repo REPO HOOK --all-files`` does: a config naming this
repository at a commit and the one hook, then ``pre-commit run``. try-repo itself uses a
new store, so it installs cmgen into a new environment at every call (a minute or more
each); here the repository's files are committed once per test run (``hook_repo``) and
every run shares one store, so pre-commit installs cmgen (from PyPI's packages) once.
Needs git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, built_once

PROJECT_FILES = ["cmgen.yaml", "values", "templates", "out", "crds"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


# Set by the ``consumer`` fixture: the committed copy of this repository and the shared store.
_HOOKS: dict[str, Path] = {}


def _commit_this_repository(folder: Path) -> None:
    """The repository's tracked files as they are in the working tree (what try-repo
    commits from a repository with local changes), committed in a new git repository."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    git(folder, "init", "-q")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "cmgen under test")


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A separate git repository holding a copy of the CloudMart project."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _HOOKS["repo"] = built_once(tmp_path_factory, "cmgen-hooks-repo", _commit_this_repository)
    _HOOKS["home"] = built_once(tmp_path_factory, "pre-commit-home", lambda folder: None)
    root = tmp_path_factory.mktemp("consumer")
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    if (REPO / "overlays").is_dir():
        shutil.copytree(REPO / "overlays", root / "overlays")
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "project")
    return root


def try_repo(consumer: Path, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo REPO HOOK --all-files`` in ``consumer``, with the shared store."""
    repo = _HOOKS["repo"]
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True)
    config = consumer.parent / f"{consumer.name}-{hook}.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(repo), "rev": rev.stdout.strip(), "hooks": [{"id": hook}]}]}))
    # PIP_COMPILE=false: the hook environment's pip install writes no bytecode for the whole
    # dependency tree up front (as the README's install line, --no-compile); the hooks
    # compile what they import.
    environment = dict(os.environ, PRE_COMMIT_HOME=str(_HOOKS["home"]), PIP_COMPILE="false")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--config", str(config), hook, "--all-files", *args],
        cwd=consumer,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_hooks_file_declares_the_hooks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["cmgen-check", "cmgen-validate", "cmgen-lint", "cmgen-render"]
    local = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [hook["id"] for hook in local] == [hook["id"] for hook in hooks]


def test_check_hook_passes_on_a_clean_tree_and_fails_on_a_tampered_one(consumer: Path) -> None:
    clean = try_repo(consumer, "cmgen-check")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    target = consumer / "out/minikube/week3/day3/k8s-manifests/networking/ingress.yaml"
    original = target.read_text()
    target.write_text(original.replace("number: 80", "number: 81", 1))
    try:
        tampered = try_repo(consumer, "cmgen-check")
    finally:
        target.write_text(original)  # the consumer repository is shared by this module's tests
    assert tampered.returncode != 0
    assert "networking/ingress.yaml" in tampered.stdout + tampered.stderr
    # cmgen is not on the consumer's PATH: the finding names the hook that fixes it
    assert "run: pre-commit run cmgen-render --hook-stage manual" in tampered.stdout


def test_the_render_hook_fixes_what_the_check_hook_reports(consumer: Path) -> None:
    target = consumer / "out/minikube/week3/day3/k8s-manifests/networking/ingress.yaml"
    original = target.read_text()
    target.write_text(original.replace("number: 80", "number: 81", 1))
    try:
        rendered = try_repo(consumer, "cmgen-render", "--hook-stage", "manual")
        assert rendered.returncode != 0  # pre-commit fails a hook that changed files
        assert target.read_text() == original
        assert try_repo(consumer, "cmgen-check").returncode == 0
    finally:
        target.write_text(original)


def test_validate_and_lint_hooks_pass_clean_and_fail_on_a_broken_manifest(consumer: Path) -> None:
    for hook in ("cmgen-validate", "cmgen-lint"):
        clean = try_repo(consumer, hook)
        assert clean.returncode == 0, hook + clean.stdout + clean.stderr

    target = consumer / "out/minikube/week3/day3/k8s-manifests/networking/api-services.yaml"
    original = target.read_text()
    selector = "  selector:\n    app: user-service\n"
    assert selector in original
    try:
        target.write_text(original.replace("port: 8080", 'port: "eighty"', 1))
        invalid = try_repo(consumer, "cmgen-validate")
        target.write_text(original.replace(selector, "  selector:\n    app: no-such-pods\n", 1))
        dangling = try_repo(consumer, "cmgen-lint")
    finally:
        target.write_text(original)
    assert invalid.returncode != 0
    assert "api-services.yaml" in invalid.stdout and "error[schema]" in invalid.stdout
    assert dangling.returncode != 0
    assert "error[service-selector]" in dangling.stdout
