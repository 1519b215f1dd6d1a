"""The empty-cluster test double itself (tests/stubs/cluster/double.py): it must refuse what
a real cluster refuses, or the deploy tests that use it would prove nothing."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.stubs.cluster import double

CLAIM = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "backups", "namespace": "data"},
         "spec": {"storageClassName": "hdd"}}
CLASS = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "hdd"},
         "provisioner": "p", "volumeBindingMode": "WaitForFirstConsumer"}
NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "data"}}
MONITOR = {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
           "metadata": {"name": "m", "namespace": "data"}}


def _pods(kind: str) -> dict[str, object]:
    pod = {"spec": {"volumes": [{"name": "b", "persistentVolumeClaim": {"claimName": "backups"}}]}}
    spec = {"jobTemplate": {"spec": {"template": pod}}} if kind == "CronJob" else {"template": pod}
    return {"apiVersion": "batch/v1" if kind == "CronJob" else "apps/v1", "kind": kind,
            "metadata": {"name": "w", "namespace": "data"}, "spec": spec}


class Session:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.environ = {"PWD": str(folder), "STUB_STATE": str(folder / "state.json"),
                        "STUB_LOG": str(folder / "calls.log"), "STUB_CLUSTER": "", "STUB_ISTIOCTL_VERSION": ""}

    def __call__(self, tool: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
        return double.handle(double.Call(dict(self.environ), stdin), tool, list(args))

    def apply(self, name: str, *objects: dict[str, object]) -> tuple[int, str, str]:
        (self.folder / name).write_text(yaml.safe_dump_all(objects))
        return self("kubectl", "apply", "-f", name)


def test_a_custom_kind_is_refused_until_its_crd_is_installed(tmp_path: Path) -> None:
    kubectl = Session(tmp_path)
    kubectl.apply("ns.yaml", NAMESPACE)
    code, _, error = kubectl.apply("monitor.yaml", MONITOR)
    assert code == 1 and 'no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"' in error
    assert kubectl("helm", "upgrade", "--install", "kps", "kube-prometheus-stack", "--repo", "r", "--version", "1",
                   "--namespace", "monitoring", "--create-namespace")[0] == 0
    assert kubectl.apply("monitor.yaml", MONITOR)[0] == 0


def test_nothing_is_applied_into_a_namespace_that_does_not_exist(tmp_path: Path) -> None:
    code, _, error = Session(tmp_path).apply("claim.yaml", CLAIM)
    assert code == 1 and 'namespaces "data" not found' in error


def test_a_wait_for_first_consumer_claim_binds_only_when_a_running_pod_mounts_it(tmp_path: Path) -> None:
    kubectl = Session(tmp_path)
    kubectl.apply("base.yaml", NAMESPACE, CLASS, CLAIM)
    wait = ("kubectl", "-n", "data", "wait", "--for=jsonpath={.status.phase}=Bound", "pvc/backups")
    kubectl.apply("cron.yaml", _pods("CronJob"))
    assert kubectl(*wait)[0] == 1  # a CronJob's pods do not exist yet
    kubectl.apply("deployment.yaml", _pods("Deployment"))
    assert kubectl(*wait)[0] == 0


def test_istioctl_without_yes_cancels_without_a_terminal(tmp_path: Path) -> None:
    istioctl = Session(tmp_path)
    code, out, _ = istioctl("istioctl", "install", "--set", "profile=default")
    assert code == 1 and "Cancelled" in out
    assert istioctl("istioctl", "install", "-y")[0] == 0


def test_an_unpinned_chart_is_refused(tmp_path: Path) -> None:
    assert Session(tmp_path)("helm", "upgrade", "--install", "x", "cert-manager", "--repo", "r")[0] == 1
