from __future__ import annotations

from typing import Any

from tests.lintcase import container, deployment, hits, meta

from generator.lint import volumes


def _pvc(name: str = "data", storage_class: str | None = "fast") -> dict[str, Any]:
    spec: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
    }
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": meta(name),
        "spec": spec,
    }


def _class(name: str = "fast", reclaim: str | None = "Retain") -> dict[str, Any]:
    data: dict[str, Any] = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "provisioner": "x",
    }
    if reclaim:
        data["reclaimPolicy"] = reclaim
    return data


def _mounting(claim: str = "data", kind: str = "Deployment") -> dict[str, Any]:
    workload = deployment("db", replicas=1)
    workload["kind"] = kind
    workload["spec"]["template"]["spec"]["volumes"].append(
        {"name": "data", "persistentVolumeClaim": {"claimName": claim}}
    )
    return workload


def test_storage_class_checked_only_when_the_set_has_classes() -> None:
    assert hits(volumes.pvc_storage_class, _pvc(storage_class="slow")) == []
    assert (
        "'slow' is not a StorageClass"
        in hits(volumes.pvc_storage_class, _pvc(storage_class="slow"), _class())[0]
    )
    assert hits(volumes.pvc_storage_class, _pvc(), _class()) == []
    assert hits(volumes.pvc_storage_class, _pvc(storage_class=None), _class()) == []


def test_volume_claim_exists() -> None:
    assert hits(volumes.volume_claim, _mounting(), _pvc()) == []
    assert "'data'" in hits(volumes.volume_claim, _mounting())[0]


def test_unused_pvc() -> None:
    assert hits(volumes.pvc_unused, _mounting(), _pvc()) == []
    assert hits(volumes.pvc_unused, _pvc()) == ["no pod template mounts this PersistentVolumeClaim"]


def test_volume_mount_names_a_volume_or_claim_template() -> None:
    assert hits(volumes.volume_mount, deployment()) == []
    bad = deployment()
    container(bad)["volumeMounts"].append({"name": "cache", "mountPath": "/cache"})
    assert "mounts volume 'cache'" in hits(volumes.volume_mount, bad)[0]
    bad["kind"] = "StatefulSet"
    bad["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "cache"}, "spec": {}}]
    assert hits(volumes.volume_mount, bad) == []


def test_reclaim_delete_for_statefulset_data() -> None:
    sts = _mounting(kind="StatefulSet")
    assert hits(volumes.pvc_reclaim_delete, sts, _pvc(), _class()) == []
    assert (
        "reclaimPolicy Delete"
        in hits(volumes.pvc_reclaim_delete, sts, _pvc(), _class(reclaim=None))[0]
    )
    assert hits(volumes.pvc_reclaim_delete, _mounting(), _pvc(), _class(reclaim="Delete")) == []
    templated = deployment("db", replicas=1)
    templated["kind"] = "StatefulSet"
    templated["spec"]["volumeClaimTemplates"] = [
        {"metadata": {"name": "data"}, "spec": {"storageClassName": "fast"}}
    ]
    assert (
        "volumeClaimTemplate 'data'"
        in hits(volumes.pvc_reclaim_delete, templated, _class(reclaim="Delete"))[0]
    )


def _snapshot_class(driver: str) -> dict[str, Any]:
    return {"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshotClass",
            "metadata": {"name": "snaps"}, "driver": driver, "deletionPolicy": "Retain"}


def _snapshot(claim: str = "data", snapshot_class: str = "snaps") -> dict[str, Any]:
    return {"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot", "metadata": meta("data-snap"),
            "spec": {"volumeSnapshotClassName": snapshot_class, "source": {"persistentVolumeClaimName": claim}}}


def test_a_snapshot_class_must_name_the_driver_that_provisions_the_claim() -> None:
    # _class() is provisioned by "x"
    (message,) = hits(volumes.snapshot_driver, _snapshot(), _snapshot_class("csi.example.com"), _pvc(), _class())
    assert message == ("its class snaps uses CSI driver csi.example.com, but claim data is provisioned by x "
                       "(StorageClass fast): a driver snapshots only the volumes it provisioned, so this "
                       "snapshot never becomes ready")
    assert hits(volumes.snapshot_driver, _snapshot(), _snapshot_class("x"), _pvc(), _class()) == []


def test_the_snapshot_driver_is_checked_only_when_the_set_holds_class_claim_and_storage_class() -> None:
    mismatched = _snapshot_class("csi.example.com")
    assert hits(volumes.snapshot_driver, _snapshot(), mismatched, _pvc()) == []  # the cluster's StorageClass
    assert hits(volumes.snapshot_driver, _snapshot(), _pvc(), _class()) == []  # the cluster's snapshot class
    assert hits(volumes.snapshot_driver, _snapshot(claim="other"), mismatched, _pvc(), _class()) == []
