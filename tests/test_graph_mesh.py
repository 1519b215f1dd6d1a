"""generator.graph.mesh: mTLS modes, traffic splits and telemetry, read from the objects;
and the report's mesh and observability section drawn from them."""

from __future__ import annotations

from dataclasses import replace

from generator import graph, pipeline
from generator.docs.report import context
from generator.graph import mesh
from generator.graph.model import Split, Telemetry
from generator.graph.view import observability
from generator.project import Project


def _graph(project: Project, *sets: str) -> graph.Graph:
    build = pipeline.build(project, "minikube", pipeline.Options(sets=sets))
    return graph.build(build.manifests, project.display(build.target.tree))


def test_mesh_and_telemetry_from_the_objects(repo_project: Project) -> None:
    found = _graph(repo_project, "features.mesh=true", "features.tracing=true", "features.logging=true",
                   "mesh.canary.weight=30")
    assert found.mtls == {"backend": "STRICT", "data": "STRICT", "frontend": "STRICT"}
    assert found.splits == (
        Split("backend/product-service", "v1", 70, ("backend/product-service",)),
        Split("backend/product-service", "v2", 30, ("backend/product-service-v2",)),
    )
    assert Telemetry("logging/fluent-bit", "logs", "elasticsearch-master.elastic.svc:9200") in found.telemetry
    traced = {t.source for t in found.telemetry if t.signal == "traces"}
    assert traced == {w.key for w in found.workloads if w.labels.get("app.kubernetes.io/component") == "web"}
    view = observability(found)
    assert [column.title for column in view.columns] == ["Mesh routes", "Workloads", "Telemetry sinks"]
    assert {link.label for link in view.links if link.kind == "split"} == {"v1 70%", "v2 30%"}


def test_without_the_features_the_report_says_so(minikube_build: pipeline.Build, repo_project: Project) -> None:
    plain = graph.build(minikube_build.manifests, repo_project.display(minikube_build.target.tree))
    assert plain.mtls == {} and plain.splits == () and plain.telemetry == ()
    assert context(plain, "minikube", {}, set())["observability"] == ""


def test_mesh_callers_follow_the_split_and_the_others_do_not(repo_project: Project) -> None:
    found = _graph(repo_project, "features.mesh=true", "mesh.canary.weight=30")
    split = {"backend/product-service": ("v1", 70), "backend/product-service-v2": ("v2", 30)}
    assert mesh.sidecar(found, "frontend/web-frontend")
    assert mesh.shares(found, "frontend/web-frontend", "backend/product-service") == split
    assert mesh.shares(found, "frontend/web-frontend", "backend/user-service") == {}  # no split
    outside = replace(found, namespaces=tuple(replace(ns, labels={}) for ns in found.namespaces))
    assert not mesh.sidecar(outside, "frontend/web-frontend")
    assert mesh.shares(outside, "frontend/web-frontend", "backend/product-service") == {}


def test_injection_follows_the_namespace_and_pod_labels_like_istios_injector(repo_project: Project) -> None:
    found = _graph(repo_project, "features.mesh=true")
    web = found.workload("frontend/web-frontend")
    assert web is not None

    def injected(pod: str | None, namespace: str | None) -> bool:
        labels = {**web.labels, **({"sidecar.istio.io/inject": pod} if pod else {})}
        ns_labels = {"istio-injection": namespace} if namespace else {}
        changed = replace(found, workloads=(replace(web, labels=labels),),
                          namespaces=tuple(replace(ns, labels=ns_labels) for ns in found.namespaces))
        return mesh.sidecar(changed, web.key)

    assert injected(None, "enabled") and injected("true", None) and injected("true", "enabled")
    assert not injected("false", "enabled") and not injected("true", "disabled") and not injected(None, None)
    assert mesh.shares(replace(found, workloads=(replace(web, labels={"sidecar.istio.io/inject": "false"}),)),
                       web.key, "backend/product-service") == {}


def test_a_backend_no_subset_selects_gets_no_share(repo_project: Project) -> None:
    found = _graph(repo_project, "features.mesh=true", "mesh.canary.weight=30")
    only_v1 = tuple(s for s in found.splits if s.subset == "v1")
    shares = mesh.shares(replace(found, splits=only_v1), "frontend/web-frontend", "backend/product-service")
    assert shares == {"backend/product-service": ("v1", 70), "backend/product-service-v2": ("", 0)}
