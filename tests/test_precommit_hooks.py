"""The repository's pre-commit hooks, run by the real pre-commit framework (try-repo).

pre-commit installs cmgen from this repository into its own environment (from PyPI's
packages), so this test is slow (about a minute the first time) and needs git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

PROJECT_FILES = ["cmgen.yaml", "values", "templates", "out", "crds"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A separate git repository holding a copy of the CloudMart project."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
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
    environment = dict(os.environ, PRE_COMMIT_HOME=str(consumer.parent / "pre-commit-home"))
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--all-files", *args],
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
