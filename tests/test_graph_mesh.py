"""generator.graph.mesh: mTLS modes, traffic splits and telemetry, read from the objects;
and the report's mesh and observability section drawn from them."""

from __future__ import annotations

from generator import graph, pipeline
from generator.docs.report import context
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
    assert Telemetry("logging/fluent-bit", "logs", "elasticsearch-master.elastic.svc.cluster.local:9200") in found.telemetry
    traced = {t.source for t in found.telemetry if t.signal == "traces"}
    assert traced == {w.key for w in found.workloads if w.labels.get("app.kubernetes.io/component") == "web"}
    view = observability(found)
    assert [column.title for column in view.columns] == ["Mesh routes", "Workloads", "Telemetry sinks"]
    assert {link.label for link in view.links if link.kind == "split"} == {"v1 70%", "v2 30%"}


def test_without_the_features_the_report_says_so(minikube_build: pipeline.Build, repo_project: Project) -> None:
    plain = graph.build(minikube_build.manifests, repo_project.display(minikube_build.target.tree))
    assert plain.mtls == {} and plain.splits == () and plain.telemetry == ()
    assert context(plain, "minikube", {}, set())["observability"] == ""
