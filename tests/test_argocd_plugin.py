"""The Argo CD config management plugin (deploy/argocd-cmp/): its generate command run as
Argo CD's repo server runs it, and its sidecar built with real Kustomize and validated.

There is no Argo CD here: the repo server's way of running a plugin is reproduced: cwd is
the Application's source path in a read-only checkout, ARGOCD_APP_* and ARGOCD_ENV_* are
set, HOME is not writable and the cache lives outside it (the sidecar's CMGEN_CACHE_DIR), no
terminal, stdin empty; stdout is read as a YAML stream of objects.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, copy_repo_project, snapshot

CMP = REPO / "deploy" / "argocd-cmp"
KUBECTL = Path(sys.executable).parent / "kubectl"


def _plugin() -> dict[str, Any]:
    plugin = yaml.safe_load((CMP / "plugin.yaml").read_text())
    assert (plugin["apiVersion"], plugin["kind"]) == ("argoproj.io/v1alpha1", "ConfigManagementPlugin")
    return plugin


def _sidecar_env() -> dict[str, str]:
    sidecar = yaml.safe_load((CMP / "sidecar.yaml").read_text())
    (container,) = sidecar["spec"]["template"]["spec"]["containers"]
    return {entry["name"]: entry["value"] for entry in container.get("env", [])}


def _read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(stat.S_IMODE(path.lstat().st_mode) & ~0o222)


def _without_dac_override() -> list[str]:
    """As root, file modes bind only without CAP_DAC_OVERRIDE: drop it (and the read
    override) for the child, as the sidecar runs as uid 999."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only checkout would not be read-only")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A read-only checkout of a repository whose app path ``platform/`` is CloudMart."""
    app = tmp_path / "repo" / "platform"
    app.mkdir(parents=True)
    copy_repo_project(app)
    _read_only(tmp_path / "repo")
    yield app
    for path in [tmp_path / "repo", *(tmp_path / "repo").rglob("*")]:
        path.chmod(stat.S_IMODE(path.lstat().st_mode) | 0o200)


def _generate(app: Path, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    spec = _plugin()["spec"]["generate"]
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    home.chmod(0o555)
    environment = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",  # the image has cmgen on PATH
        "HOME": str(home),
        "ARGOCD_APP_NAME": "cloudmart-prod",
        "ARGOCD_APP_NAMESPACE": "argocd",
        "ARGOCD_APP_PROJECT_NAME": "default",
        "ARGOCD_APP_REVISION": "0123456789abcdef0123456789abcdef01234567",
        "ARGOCD_APP_SOURCE_PATH": "platform",
        "ARGOCD_APP_SOURCE_REPO_URL": "https://github.com/example/cloudmart",
        "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
        "KUBE_VERSION": "1.35.0",
        **{name: value.replace("/tmp", str(tmp_path)) for name, value in _sidecar_env().items()},
        **env,
    }
    return subprocess.run(
        [*_without_dac_override(), *spec["command"], *spec.get("args", [])],
        cwd=app, env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _objects(stream: str) -> list[dict[str, Any]]:
    """What Argo CD takes from a plugin: every non-empty document, each an object."""
    objects = [doc for doc in yaml.safe_load_all(stream) if doc is not None]
    for item in objects:
        assert isinstance(item, dict) and item.get("apiVersion") and item.get("kind") and item["metadata"]["name"]
    return objects


def _on_disk(env: str) -> list[Any]:
    tree = REPO / "out" / env / "week3" / "day3"
    found: list[Any] = []
    for path in sorted(tree.rglob("*.yaml"), key=lambda p: p.relative_to(tree).as_posix()):
        found.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None)
    return found


def test_the_checkout_is_really_read_only(checkout: Path) -> None:
    probe = subprocess.run([*_without_dac_override(), "sh", "-c", "echo x > cmgen.yaml"], cwd=checkout, capture_output=True)
    assert probe.returncode != 0


def test_generate_prints_the_env_as_argo_cd_reads_it(checkout: Path, tmp_path: Path) -> None:
    before = snapshot(checkout)
    result = _generate(checkout, tmp_path, {"ARGOCD_ENV_CMGEN_ENV": "prod"})
    assert result.returncode == 0, result.stderr
    assert _objects(result.stdout) == _on_disk("prod")  # the committed tree, object for object
    assert snapshot(checkout) == before
    assert any((tmp_path / "cmgen-cache").iterdir())  # the cache went where the sidecar says


def test_generate_without_the_env_fails_and_says_what_to_set(checkout: Path, tmp_path: Path) -> None:
    result = _generate(checkout, tmp_path, {})
    assert result.returncode != 0 and result.stdout == ""
    assert "set CMGEN_ENV in the Application's spec.source.plugin.env" in result.stderr


def test_generate_with_bad_input_fails_with_a_located_error(checkout: Path, tmp_path: Path) -> None:
    result = _generate(checkout, tmp_path, {"ARGOCD_ENV_CMGEN_ENV": "prd"})
    assert (result.returncode, result.stdout) == (2, "")
    assert "unknown env 'prd' (did you mean 'prod'?)" in result.stderr


def test_the_sidecar_component_builds_with_kustomize_and_validates(tmp_path: Path) -> None:
    """The component on a stand-in for Argo CD's argocd-repo-server (its two shared volumes)."""
    shutil.copytree(CMP, tmp_path / "cmp")
    (tmp_path / "repo-server.yaml").write_text(REPO_SERVER)
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [repo-server.yaml]\nnamespace: argocd\ncomponents: [cmp]\n"
    )
    built = subprocess.run([str(KUBECTL), "kustomize", str(tmp_path)], capture_output=True, text=True, check=True)
    objects = {item["kind"]: item for item in yaml.safe_load_all(built.stdout)}
    assert objects["ConfigMap"]["data"]["plugin.yaml"] == (CMP / "plugin.yaml").read_text()
    containers = {c["name"]: c for c in objects["Deployment"]["spec"]["template"]["spec"]["containers"]}
    assert containers["cmgen"]["command"] == ["/var/run/argocd/argocd-cmp-server"]
    (tmp_path / "built.yaml").write_text(built.stdout)
    validated = subprocess.run(
        [str(Path(sys.executable).parent / "cmgen"), "validate", str(tmp_path / "built.yaml")],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert validated.returncode == 0, validated.stdout + validated.stderr


REPO_SERVER = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: argocd-repo-server}
  template:
    metadata:
      labels: {app.kubernetes.io/name: argocd-repo-server}
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v3.5.1
      volumes:
        - name: var-files
          emptyDir: {}
        - name: plugins
          emptyDir: {}
"""
