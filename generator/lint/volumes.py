"""Storage references: PVCs and their StorageClasses, pod volumes and volumeMounts."""

from __future__ import annotations

from collections.abc import Iterator

from generator.k8s.index import Index, Path, dig, mapping, sequence
from generator.lint.registry import Hit
from generator.k8s.objects import Manifest


def _claims(index: Index) -> Iterator[tuple[Manifest, str, Path]]:
    """Every (object, storageClassName, path) of PVCs and StatefulSet volumeClaimTemplates."""
    for claim in index.of_kind("PersistentVolumeClaim"):
        yield claim, dig(claim.data, "spec", "storageClassName"), ("spec", "storageClassName")
    for workload in index.of_kind("StatefulSet"):
        templates = sequence(dig(workload.data, "spec", "volumeClaimTemplates"))
        for number, template in enumerate(templates):
            path: Path = ("spec", "volumeClaimTemplates", number, "spec", "storageClassName")
            yield workload, dig(template, "spec", "storageClassName"), path


def pvc_storage_class(index: Index) -> Iterator[Hit]:
    """Only when the set defines StorageClasses: a cluster's own (e.g. ``standard``) are unknown."""
    classes = {manifest.name for manifest in index.of_kind("StorageClass")}
    if not classes:
        return
    for manifest, name, path in _claims(index):
        if name and str(name) not in classes:
            yield Hit(
                manifest,
                f"storageClassName {name!r} is not a StorageClass of this set "
                f"({', '.join(sorted(classes))})",
                path,
            )


def _claim_volumes(index: Index) -> Iterator[tuple[Manifest, str, str, Path]]:
    """(workload, namespace, claimName, path) of every persistentVolumeClaim pod volume."""
    for pod in index.pods:
        for number, volume in enumerate(sequence(pod.spec.get("volumes"))):
            claim = dig(volume, "persistentVolumeClaim", "claimName")
            if claim:
                path = (*pod.spec_path, "volumes", number, "persistentVolumeClaim", "claimName")
                yield pod.manifest, pod.namespace, str(claim), path


def volume_claim(index: Index) -> Iterator[Hit]:
    for workload, namespace, claim, path in _claim_volumes(index):
        if index.get("PersistentVolumeClaim", namespace, claim) is None:
            yield Hit(
                workload,
                f"volume uses PersistentVolumeClaim {claim!r}, which is not in namespace "
                f"{namespace} of this set",
                path,
            )


def pvc_unused(index: Index) -> Iterator[Hit]:
    used = {(namespace, claim) for _, namespace, claim, _ in _claim_volumes(index)}
    for claim in index.of_kind("PersistentVolumeClaim"):
        if (index.namespace_of(claim), claim.name) not in used:
            yield Hit(
                claim, "no pod template mounts this PersistentVolumeClaim", ("metadata", "name")
            )


def volume_mount(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        volumes = pod.volume_names()
        for container in pod.containers():
            for number, mount in enumerate(sequence(container.data.get("volumeMounts"))):
                name = mapping(mount).get("name")
                if name is not None and str(name) not in volumes:
                    yield Hit(
                        pod.manifest,
                        f"container {container.name!r} mounts volume {name!r}, which the pod "
                        "does not define (spec.volumes"
                        + (
                            " or volumeClaimTemplates)"
                            if pod.manifest.kind == "StatefulSet"
                            else ")"
                        ),
                        (*container.path, "volumeMounts", number, "name"),
                    )


def _stateful_claims(index: Index) -> Iterator[tuple[Manifest, str, Path, str]]:
    """(object, storageClassName, path, what) of claims holding a StatefulSet's data."""
    by_claim = {
        (namespace, claim)
        for workload, namespace, claim, _ in _claim_volumes(index)
        if workload.kind == "StatefulSet"
    }
    for manifest, name, path in _claims(index):
        if manifest.kind == "StatefulSet":
            template = dig(manifest.data, *path[:3], "metadata", "name")
            yield manifest, str(name or ""), path, f"volumeClaimTemplate {template!r}"
        elif (index.namespace_of(manifest), manifest.name) in by_claim:
            yield manifest, str(name or ""), path, "this claim (used by a StatefulSet)"


def pvc_reclaim_delete(index: Index) -> Iterator[Hit]:
    """StatefulSet data on a StorageClass that deletes the volume with its claim."""
    classes = {manifest.name: manifest for manifest in index.of_kind("StorageClass")}
    for manifest, name, path, what in _stateful_claims(index):
        storage_class = classes.get(name)
        if (
            storage_class is not None
            and storage_class.data.get("reclaimPolicy", "Delete") == "Delete"
        ):
            yield Hit(
                manifest,
                f"{what} uses StorageClass {name!r} with reclaimPolicy Delete: deleting the "
                "claim destroys the data",
                path,
            )


def snapshot_driver(index: Index) -> Iterator[Hit]:
    """A CSI driver snapshots only the volumes it provisioned: a VolumeSnapshot's class must
    name the driver that provisions its claim (the claim's StorageClass provisioner). Checked
    when the set holds the snapshot's class, claim and StorageClass."""
    for snapshot in index.of_kind("VolumeSnapshot"):
        class_name = dig(snapshot.data, "spec", "volumeSnapshotClassName")
        claim_name = dig(snapshot.data, "spec", "source", "persistentVolumeClaimName")
        snapshot_class = index.get("VolumeSnapshotClass", "", str(class_name)) if class_name else None
        claim = index.get("PersistentVolumeClaim", index.namespace_of(snapshot), str(claim_name)) if claim_name else None
        storage_name = dig(claim.data, "spec", "storageClassName") if claim else None
        storage = index.get("StorageClass", "", str(storage_name)) if storage_name else None
        if snapshot_class is None or claim is None or storage is None:
            continue
        driver, provisioner = snapshot_class.data.get("driver"), storage.data.get("provisioner")
        if driver != provisioner:
            yield Hit(
                snapshot,
                f"its class {class_name} uses CSI driver {driver}, but claim {claim_name} is provisioned by "
                f"{provisioner} (StorageClass {storage_name}): a driver snapshots only the volumes it "
                "provisioned, so this snapshot never becomes ready",
                ("spec", "volumeSnapshotClassName"),
            )
