"""Acceptance of the CloudMart platform as rendered for every env, judged by other tools:
kubernetes-validate (strict, official schemas), yamllint, and the tutorial's required tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from yamllint import config as yamllint_config
from yamllint import linter

from generator import pipeline
from generator.errors import CmgenError
from generator.project import Project
from tests.conftest import REPO, copy_repo_project

ENVS = Project.load(REPO).envs()
REQUIRED = [
    "README.md",
    "k8s-manifests/namespaces/frontend-ns.yaml",
    "k8s-manifests/namespaces/backend-ns.yaml",
    "k8s-manifests/namespaces/data-ns.yaml",
    "k8s-manifests/networking/frontend-service.yaml",
    "k8s-manifests/networking/api-services.yaml",
    "k8s-manifests/networking/database-services.yaml",
    "k8s-manifests/networking/ingress.yaml",
    "k8s-manifests/storage/storage-classes.yaml",
    "k8s-manifests/storage/postgres-pvc.yaml",
    "k8s-manifests/storage/mongodb-pvc.yaml",
    "k8s-manifests/storage/logs-pvc.yaml",
    "k8s-manifests/workloads/frontend-deployment.yaml",
    "k8s-manifests/workloads/api-deployments.yaml",
    "k8s-manifests/workloads/database-statefulsets.yaml",
]
COMPONENTS = {
    ("frontend", "web-frontend"),
    ("frontend", "mobile-api-gateway"),
    ("frontend", "admin-dashboard"),
    ("backend", "user-service"),
    ("backend", "product-service"),
    ("backend", "order-service"),
    ("backend", "payment-service"),
    ("data", "postgres-user"),
    ("data", "mongodb-product"),
    ("data", "postgres-order"),
    ("data", "redis-cache"),
}


def tree(env: str) -> Path:
    return REPO / "out" / env / "week3" / "day3"


def objects(env: str) -> list[dict]:
    found = []
    for path in sorted((tree(env) / "k8s-manifests").rglob("*.yaml")):
        found.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return found


@pytest.mark.parametrize("env", ENVS)
def test_the_tutorial_tree_is_complete(env: str) -> None:
    missing = [name for name in REQUIRED if not (tree(env) / name).is_file()]
    assert not missing


@pytest.mark.parametrize("env", ENVS)
def test_all_eleven_components_run_as_workloads(env: str) -> None:
    workloads = {
        (obj["metadata"]["namespace"], obj["metadata"]["name"])
        for obj in objects(env)
        if obj["kind"] in ("Deployment", "StatefulSet")
    }
    assert COMPONENTS <= workloads


@pytest.mark.parametrize("env", ENVS)
def test_kubernetes_validate_strict_accepts_every_object(env: str) -> None:
    files = [str(path) for path in sorted((tree(env) / "k8s-manifests").rglob("*.yaml"))]
    for version in ("1.33", "1.35"):
        result = subprocess.run(
            [sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", "-k", version, *files],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("env", ENVS)
def test_yamllint_default_rules_report_nothing(env: str) -> None:
    config = yamllint_config.YamlLintConfig("{extends: default, rules: {line-length: disable}}")
    problems = []
    for path in sorted(tree(env).rglob("*.yaml")):
        problems += [f"{path}:{p.line}: {p.desc}" for p in linter.run(path.read_text(), config)]
    assert not problems


@pytest.mark.parametrize("env", ENVS)
def test_no_plaintext_credentials(env: str) -> None:
    for obj in objects(env):
        assert obj["kind"] != "Secret", "Secrets are created at deploy time, never committed"
        for container in _containers(obj):
            for variable in container.get("env", []):
                name = variable["name"].upper()
                if any(word in name for word in ("PASSWORD", "SECRET", "TOKEN")):
                    # a path to a mounted Secret, or a reference to one: never the value
                    if "value" in variable:
                        assert name.endswith("_FILE") and variable["value"].startswith("/run/secrets/")
                    else:
                        assert "secretKeyRef" in variable["valueFrom"]


def _containers(obj: dict) -> list[dict]:
    spec = obj.get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("containers", []) + spec.get("initContainers", [])


def test_two_renders_are_byte_identical(repo_project: Project) -> None:
    for env in ENVS:
        first = pipeline.build(repo_project, env).files
        second = pipeline.build(repo_project, env).files
        assert first == second


def test_every_service_targets_a_named_container_port() -> None:
    for env in ENVS:
        found = objects(env)
        ports = {
            (obj["metadata"]["namespace"], port["name"])
            for obj in found
            for container in _containers(obj)
            for port in container.get("ports", [])
        }
        for service in (obj for obj in found if obj["kind"] == "Service"):
            for port in service["spec"]["ports"]:
                assert (service["metadata"]["namespace"], port["targetPort"]) in ports


def test_minikube_fits_a_default_two_cpu_minikube(repo_project: Project) -> None:
    """README: 18 pods whose CPU requests leave about 0.9 CPU of 2 to minikube's own pods."""
    build = pipeline.build(repo_project, "minikube", pipeline.Options(docs=False))
    pods = cpu = 0.0
    for manifest in build.manifests:
        if manifest.kind in ("Deployment", "StatefulSet"):
            replicas = manifest.data["spec"].get("replicas", 1)
            pods += replicas
            for container in manifest.data["spec"]["template"]["spec"]["containers"]:
                request = str(container["resources"]["requests"]["cpu"])
                cpu += replicas * (float(request[:-1]) / 1000 if request.endswith("m") else float(request))
    assert pods == 18
    assert cpu <= 1.1


def _copy_project(target: Path) -> None:
    copy_repo_project(target)


def test_adding_a_component_is_a_values_change(tmp_path: Path) -> None:
    """README "Adding a component": values only, and every piece appears."""
    _copy_project(tmp_path)
    env_file = tmp_path / "values" / "minikube.yaml"
    env_file.write_text(
        env_file.read_text()
        + "components:\n"
        "  - name: review-service\n"
        "    namespace: backend\n"
        "    description: Review service (Kotlin)\n"
        "    engine: web\n"
        "    image: nginxinc/nginx-unprivileged:1.28.0-alpine\n"
        "    port: 8085\n"
        "    service: {name: review-service, port: 8085}\n"
        "    replicas: 2\n"
        "    ingress: {host: api, paths: [/reviews]}\n"
        "    connects:\n"
        "      - {to: mongodb-product, env: MONGO}\n"
    )
    build = pipeline.build(Project.load(tmp_path), "minikube", pipeline.Options(docs=False))
    assert not [f.text() for f in build.findings if f.severity != "info"]
    made = {(m.kind, m.name) for m in build.manifests}
    assert {
        ("Deployment", "review-service"),
        ("Service", "review-service"),
        ("ConfigMap", "review-service-nginx"),
        ("PodDisruptionBudget", "review-service"),
    } <= made
    [ingress] = [m for m in build.manifests if m.name == "cloudmart-backend"]
    paths = [p["path"] for rule in ingress.data["spec"]["rules"] for p in rule["http"]["paths"]]
    assert "/reviews" in paths
    [deployment] = [m for m in build.manifests if m.kind == "Deployment" and m.name == "review-service"]
    env = {v["name"]: v.get("value") for v in deployment.data["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["MONGO_HOST"] == "mongodb-product-service.data.svc.cluster.local"
    assert "| review-service (Review service (Kotlin)) |" in build.files["README.md"].data.decode()


def test_an_engine_is_one_partial_chosen_by_name(tmp_path: Path) -> None:
    """README "Adding an engine": a component whose engine is not in the values' engines
    stops the render at component.yaml.j2's check; an engine without its partial stops it at
    pod.yaml.j2's partial() line; with both, the component's pod is built from them."""
    _copy_project(tmp_path)
    env_file = tmp_path / "values" / "minikube.yaml"
    env_file.write_text(
        env_file.read_text()
        + "components:\n"
        "  - name: session-cache\n"
        "    namespace: data\n"
        "    description: Session cache\n"
        "    engine: memcached\n"
        "    image: memcached:1.6.38-alpine\n"
        "    port: 11211\n"
        "    service: {name: session-cache, port: 11211}\n"
        "    replicas: 1\n"
        "    resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {cpu: 250m, memory: 128Mi}}\n"
    )

    def line_of(template: str, start: str) -> int:
        text = (tmp_path / "templates" / "_partials" / template).read_text().splitlines()
        [found] = [n for n, line in enumerate(text, 1) if line.lstrip().startswith(start)]
        return found

    with pytest.raises(CmgenError) as caught:
        pipeline.build(Project.load(tmp_path), "minikube", pipeline.Options(docs=False))
    assert str(caught.value.location) == f"templates/_partials/component.yaml.j2:{line_of('component.yaml.j2', '{{ fail(')}:1"
    assert caught.value.message == "component session-cache runs engine memcached, which is not in the values' engines"

    env_file.write_text(
        env_file.read_text()
        + "engines:\n"
        "  memcached:\n"
        "    title: Memcached\n"
        "    stateful: false\n"
        "    portName: memcached\n"
        "    exporter: {image: prom/memcached-exporter:v0.15.2, port: 9150, args: []}\n"
    )
    with pytest.raises(CmgenError) as caught:
        pipeline.build(Project.load(tmp_path), "minikube", pipeline.Options(docs=False))
    assert str(caught.value.location) == (
        f"templates/_partials/pod.yaml.j2:{line_of('pod.yaml.j2', '{% set e = partial(')}:1")
    assert caught.value.message == "template not found: _partials/engines/memcached.yaml.j2"

    (tmp_path / "templates" / "_partials" / "engines" / "memcached.yaml.j2").write_text(
        "container:\n"
        "  ports: [{name: {{ engine.portName }}, containerPort: {{ c.port }}, protocol: TCP}]\n"
        "  args: []\n  env: []\n  mounts: []\n  volumes: []\n  secrets: []\n"
        "  readiness: {tcpSocket: {port: memcached}}\n"
        "  liveness: {tcpSocket: {port: memcached}, periodSeconds: 20}\n"
        "exporter: {env: [], mounts: []}\n"
    )
    build = pipeline.build(Project.load(tmp_path), "minikube", pipeline.Options(docs=False))
    assert not [f.text() for f in build.findings if f.severity == "error"]
    [deployment] = [m for m in build.manifests if m.kind == "Deployment" and m.name == "session-cache"]
    [container] = deployment.data["spec"]["template"]["spec"]["containers"]
    assert container["ports"] == [{"name": "memcached", "containerPort": 11211, "protocol": "TCP"}]
    assert container["readinessProbe"] == {"tcpSocket": {"port": "memcached"}}
    assert container["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]


@pytest.mark.parametrize("env", ENVS)
def test_no_workload_selects_another_workloads_pods(env: str) -> None:
    """Overlapping workload selectors make controllers fight (Kubernetes docs); the canary
    and its stable Deployment are told apart by `track`."""
    workloads = [
        obj for obj in objects(env) if obj["kind"] in ("Deployment", "StatefulSet", "DaemonSet")
    ]
    for first in workloads:
        selector = first["spec"]["selector"]["matchLabels"]
        for second in workloads:
            if first is second or first["metadata"].get("namespace") != second["metadata"].get("namespace"):
                continue
            labels = second["spec"]["template"]["metadata"]["labels"]
            overlap = all(labels.get(key) == value for key, value in selector.items())
            assert not overlap, f"{first['metadata']['name']} selects the pods of {second['metadata']['name']}"
