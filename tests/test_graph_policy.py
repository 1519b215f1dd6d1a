"""The NetworkPolicy allow matrix follows Kubernetes semantics."""

from __future__ import annotations

from generator import graph
from generator.manifests import from_text
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of


def test_rendered_policies_allow_exactly_the_calls_and_the_ingress(secured_build: Build, repo_project: Project) -> None:
    platform = graph_of(secured_build, repo_project)
    assert platform.policies is not None
    workloads = {w.key for w in platform.workloads}
    allowed = {(a.source, a.target) for a in platform.policies.allows if a.source in workloads and a.target in workloads}
    calls = set()
    for edge in platform.edges:
        service = platform.service(edge.service)
        assert service is not None
        calls.update((edge.source, backend) for backend in service.backends)
    assert allowed == calls
    routed = {a.target for a in platform.policies.allows if a.source == "namespace ingress-nginx"}
    assert "backend/user-service" in routed and "data/postgres-user" not in routed
    assert set(platform.policies.isolated) == workloads


def test_no_policies_means_no_matrix(minikube_build: Build, repo_project: Project) -> None:
    assert graph_of(minikube_build, repo_project).policies is None


def _pod(name: str, namespace: str, port: int) -> str:
    return f"""\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: c, image: i, ports: [{{name: web, containerPort: {port}}}]}}]
"""


def test_ingress_isolation_named_ports_and_unselected_pods() -> None:
    text = _pod("a", "one", 80) + _pod("b", "one", 8080) + _pod("c", "two", 9000) + """\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-a-to-b, namespace: one}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: a}}}]
      ports: [{port: web}]
"""
    platform = graph.build(from_text(text, "policy.yaml"))
    assert platform.policies is not None
    allows = {(a.source, a.target): a.ports for a in platform.policies.allows}
    assert allows[("one/a", "one/b")] == ("TCP/8080",)  # named port resolved on the target
    assert ("two/c", "one/b") not in allows  # a podSelector-only peer is the policy's namespace
    assert allows[("one/b", "two/c")] == ("TCP/9000",)  # c is selected by no policy: open
    assert platform.policies.isolated == ("one/b",)
