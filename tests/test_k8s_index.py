from __future__ import annotations

from tests.lintcase import clone, deployment, load, namespace

from generator.k8s.index import Index, matches, namespace_of
from generator.k8s.scope import Scope


def test_pods_are_indexed_per_namespace_and_label() -> None:
    other = deployment("api", ns="other")
    index = Index.build(load(namespace(), deployment(), other))
    assert [pod.manifest.name for pod in index.select("shop", {"matchLabels": {"app": "web"}})] == [
        "web"
    ]
    assert index.select("shop", {"app": "api"}, plain=True) == []
    assert [pod.manifest.name for pod in index.select("other", {})] == ["api"]
    assert index.known_namespaces == {"shop", "other"}


def test_empty_plain_selector_selects_nothing_and_expressions_filter() -> None:
    index = Index.build(load(deployment()))
    assert index.select("shop", {}, plain=True) == []
    selector = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}
    assert len(index.select("shop", selector)) == 1
    selector = {"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}
    assert index.select("shop", selector) == []


def test_matches_expressions() -> None:
    labels = {"app": "web", "tier": "front"}
    assert matches(
        labels, {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}
    )
    assert matches(labels, {"matchExpressions": [{"key": "tier", "operator": "Exists"}]})
    assert not matches(labels, {"matchLabels": {"app": "api"}})
    assert matches(labels, {"app": "web"}, plain=True)


def test_cronjob_pod_template_and_default_namespace() -> None:
    job = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "backup"},
        "spec": {"jobTemplate": {"spec": {"template": clone(deployment()["spec"]["template"])}}},
    }
    index = Index.build(load(job))
    assert index.pods[0].spec_path == ("spec", "jobTemplate", "spec", "template", "spec")
    assert index.pods[0].namespace == "default"
    assert namespace_of(load(namespace())[0]) == ""


def test_known_scope_is_the_start_and_the_sets_own_crds_win_over_it() -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "a"}}
    gadget = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g", "namespace": "a"}}
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "gadgets.example.com"},
        "spec": {"scope": "Namespaced", "names": {"kind": "Gadget"}},
    }
    known = Scope(frozenset({"Widget", "Gadget"}))
    index = Index.build(load(widget, gadget, crd), known=known)
    assert [index.namespace_of(m) for m in index.manifests[:2]] == ["", "a"]
    assert index.get("Widget", "", "w") is not None and index.get("Gadget", "a", "g") is not None
