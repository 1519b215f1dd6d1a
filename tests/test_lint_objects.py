from __future__ import annotations

from typing import Any

from tests.lintcase import clone, container, deployment, hits, meta, namespace, service

from generator.lint import objects


def test_names_per_kind() -> None:
    dotted = deployment("web.v2")
    container(dotted)["name"] = "web"
    assert hits(objects.name_syntax, dotted, service("web")) == []
    assert "RFC 1035" in hits(objects.name_syntax, service("2web"))[0]
    assert "RFC 1123 label" in hits(objects.name_syntax, namespace("a.b"))[0]
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "a:b"},
    }
    assert hits(objects.name_syntax, role) == []
    cron = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c" * 53}, "spec": {}}
    assert "52" in hits(objects.name_syntax, cron)[0]


def test_missing_name_and_container_volume_names() -> None:
    nameless = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}
    assert hits(objects.name_syntax, nameless) == ["metadata.name is required"]
    bad = deployment()
    container(bad)["name"] = "Web_1"
    bad["spec"]["template"]["spec"]["volumes"][0]["name"] = "tmp.dir"
    assert len(hits(objects.name_syntax, bad)) == 2


def test_label_syntax() -> None:
    assert hits(objects.label_syntax, deployment(), service()) == []
    bad = deployment()
    bad["metadata"]["labels"] = {"version": 1.0, "-bad": "x"}
    bad["metadata"]["annotations"] = {"a/b/c": "x"}
    assert len(hits(objects.label_syntax, bad)) == 2


def test_label_values_are_left_to_the_validate_stage() -> None:
    bad = deployment()
    bad["metadata"]["labels"] = {"version": "-v1-"}
    assert hits(objects.label_syntax, bad) == []


def test_duplicate_objects_same_group_kind_namespace_name() -> None:
    assert hits(objects.duplicate_object, deployment(), service()) == []
    assert (
        "duplicate Deployment 'web'"
        in hits(objects.duplicate_object, deployment(), deployment())[0]
    )
    assert hits(objects.duplicate_object, deployment(), deployment(ns="other")) == []


def test_namespace_missing_only_when_the_set_creates_namespaces() -> None:
    assert hits(objects.namespace_missing, deployment()) == []
    assert hits(objects.namespace_missing, namespace(), deployment()) == []
    stray = clone(deployment(ns="shopp"))
    assert "'shopp' is not created" in hits(objects.namespace_missing, namespace(), stray)[0]
    assert hits(objects.namespace_missing, namespace(), deployment(ns="kube-system")) == []


def test_a_crd_in_the_set_makes_its_kind_cluster_scoped_for_duplicates_and_namespaces() -> None:
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Cluster", "names": {"kind": "Widget"}},
    }

    def widget(ns: str) -> dict[str, Any]:
        return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": meta("w", ns)}

    # Cluster-scoped: the namespace is ignored, so these two are one object defined twice,
    # and neither needs its (uncreated) namespace.
    assert len(hits(objects.duplicate_object, crd, widget("a"), widget("b"))) == 1
    assert hits(objects.namespace_missing, crd, namespace(), widget("nowhere")) == []
    # Without the CRD, Widget is namespaced.
    assert hits(objects.duplicate_object, widget("a"), widget("b")) == []
    assert len(hits(objects.namespace_missing, namespace(), widget("nowhere"))) == 1
