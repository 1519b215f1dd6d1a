from __future__ import annotations

from generator.k8s.identity import ObjectId, effective_namespace, group_of
from generator.k8s.index import namespace_of
from generator.manifests import from_text
from generator.overlay.resource import res_id


def test_object_id_of_a_raw_object_keys_on_the_raw_namespace() -> None:
    data = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    assert ObjectId.of(data) == ObjectId("apps", "Deployment", "", "web")
    assert ObjectId.of(data, with_version=True) == ObjectId("apps", "Deployment", "", "web", "v1")
    assert ObjectId.of({"apiVersion": "v1", "kind": "Service"}) == ObjectId("", "Service", "", "")
    assert ObjectId.of({"kind": "Pod", "metadata": "oops"}) == ObjectId("", "Pod", "", "")


def test_group_of() -> None:
    assert group_of("apps/v1") == "apps"
    assert group_of("v1") == ""
    assert group_of("cert-manager.io/v1") == "cert-manager.io"


def test_effective_namespace() -> None:
    assert effective_namespace("shop") == "shop"
    assert effective_namespace("") == "default"
    assert effective_namespace(None) == "default"
    assert effective_namespace("shop", cluster_scoped=True) == ""


def test_overlay_id_is_the_core_id_with_version_in_the_effective_namespace() -> None:
    data = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    assert res_id(data).key == ObjectId("apps", "Deployment", "default", "web", "v1")


def test_lint_and_overlay_agree_a_volume_attributes_class_has_no_namespace() -> None:
    # Before the core, lint's own list lacked VolumeAttributesClass and gave it "default".
    text = (
        "apiVersion: storage.k8s.io/v1\nkind: VolumeAttributesClass\n"
        "metadata: {name: fast, namespace: shop}\ndriverName: x\n"
    )
    (manifest,) = from_text(text, "vac.yaml")
    assert namespace_of(manifest) == ""
