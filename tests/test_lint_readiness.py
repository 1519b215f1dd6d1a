"""deploy-readiness: hand-made sets that need what no add-on of the env provides, and the
same sets once an add-on declares it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import addons, lint, pipeline
from generator.lint import readiness
from generator.lint.registry import LintIndex
from generator.merge import Values
from generator.options import Options
from generator.project import Project
from tests.conftest import REPO, cmgen
from tests.lintcase import container, deployment, load, namespace, service

MONITORING = {
    "description": "Prometheus Operator",
    "when": ["features.monitoring"],
    "provides": {"namespaces": ["monitoring"], "crds": {"servicemonitors.monitoring.coreos.com": "ServiceMonitor"},
                 "services": ["monitoring/prometheus"]},
    "install": {"default": {"helm": {"repo": "https://example.org/charts", "chart": "stack", "version": "1.0.0",
                                     "namespace": "monitoring"}}},
}


def _addons(monitoring: bool, env: str = "prod") -> addons.Addons:
    data = {"features": {"monitoring": monitoring},
            "addons": {"cluster": "gke", "present": ["disks"], "available": {
                "disks": {"description": "CSI", "provides": {"provisioners": ["pd.csi.storage.gke.io"]}},
                "stack": MONITORING}}}
    found = addons.load(Values(data), env)
    assert found is not None
    return found


def monitor(name: str = "x") -> dict[str, Any]:
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": {"name": name, "namespace": "shop"}, "spec": {"selector": {}, "endpoints": []}}


def _hits(monitoring: bool, *objects: dict[str, Any]) -> list[str]:
    index = LintIndex.build(load(*objects))
    index.addons = _addons(monitoring)
    return [f"{hit.manifest.ref}: {hit.message}" for hit in readiness.deploy_readiness(index)]


def test_a_custom_resource_needs_an_addon_of_the_env() -> None:
    assert _hits(False, namespace(), monitor()) == [
        "ServiceMonitor/x: needs CRD servicemonitors.monitoring.coreos.com: "
        "add-on stack provides it but is not part of env prod"]
    assert _hits(True, namespace(), monitor()) == []


def test_a_kind_no_addon_knows_is_named_by_its_conventional_crd() -> None:
    policy = {"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "metadata": {"name": "p"}}
    assert _hits(True, policy) == ["ClusterPolicy/p: needs CRD clusterpolicies.kyverno.io: no add-on of env prod provides it"]


def test_a_crd_in_the_set_serves_its_kind() -> None:
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "servicemonitors.monitoring.coreos.com"},
           "spec": {"group": "monitoring.coreos.com", "names": {"kind": "ServiceMonitor", "plural": "servicemonitors"},
                    "scope": "Namespaced", "versions": []}}
    assert _hits(False, namespace(), crd, monitor()) == []


def test_a_namespace_comes_from_the_set_an_addon_or_the_cluster() -> None:
    dashboards = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d", "namespace": "monitoring"}}
    assert _hits(False, dashboards) == [
        "ConfigMap/d: lives in namespace monitoring: neither the set nor an add-on creates it "
        "(add-on stack provides it but is not part of env prod)"]
    assert _hits(True, dashboards) == []
    system = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "kube-system"}}
    assert _hits(False, system) == []


def test_a_service_dns_name_in_another_namespace_needs_its_addon() -> None:
    workload = deployment("api", ns="shop")
    container(workload)["env"] = [{"name": "METRICS", "value": "http://prometheus.monitoring.svc:9090"},
                                  {"name": "SITE", "value": "https://shop.example.com"}]
    assert _hits(False, namespace(), workload) == [
        "Deployment/api: points at Service monitoring/prometheus (prometheus.monitoring.svc): neither the set nor "
        "an add-on runs it (add-on stack provides it but is not part of env prod)"]
    assert _hits(True, namespace(), workload) == []
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "shop"},
              "data": {"out.conf": "Host es.elastic.svc.cluster.local\nPort 9200\n"}}
    assert _hits(True, namespace(), config) == [
        "ConfigMap/c: points at Service elastic/es (es.elastic.svc.cluster.local): neither the set nor an add-on "
        "runs it (no add-on of env prod provides it)"]


def test_names_in_the_sets_own_namespaces_are_left_to_env_dns() -> None:
    workload = deployment("api", ns="shop")
    container(workload)["env"] = [{"name": "DB", "value": "db.shop.svc.cluster.local"},
                                  {"name": "LOGS", "value": "es.elastic.svc.cluster.local"}]
    assert _hits(False, namespace(), workload, service("web")) == [
        "Deployment/api: points at Service elastic/es (es.elastic.svc.cluster.local): neither the set nor an add-on "
        "runs it (no add-on of env prod provides it)"]


def test_provisioners_and_ingress_classes_need_an_addon() -> None:
    ssd = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "ssd"},
           "provisioner": "ebs.csi.aws.com"}
    disk = dict(ssd, metadata={"name": "disk"}, provisioner="pd.csi.storage.gke.io")
    ingress = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i", "namespace": "shop"},
               "spec": {"ingressClassName": "nginx", "rules": []}}
    assert _hits(True, namespace(), ssd, disk, ingress) == [
        "StorageClass/ssd: provisioner ebs.csi.aws.com runs on no cluster of env prod: no add-on of env prod provides it",
        "Ingress/i: needs IngressClass nginx: no add-on of env prod provides it"]


def test_plain_files_without_addons_are_not_judged() -> None:
    objects = load(monitor(), {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d", "namespace": "monitoring"}})
    assert not [f for f in lint.lint(objects) if f.rule == "deploy-readiness"]
    # with the env's add-ons: the kind, and the namespaces shop and monitoring nobody creates
    assert len([f for f in lint.lint(objects, addons=_addons(False)) if f.rule == "deploy-readiness"]) == 3


@pytest.mark.parametrize("env", Project.load(REPO).envs())
def test_every_env_is_deploy_ready(repo_project: Project, env: str) -> None:
    build = pipeline.build(repo_project, env, Options(docs=False))
    assert not [f.text() for f in build.findings if f.rule == "deploy-readiness"]


def test_a_rendered_finding_points_at_the_object_and_its_template_line(repo_project: Project) -> None:
    sets = ("features.monitoring=true", "addons.available.kube-prometheus-stack.when=[features.dashboards]")
    build = pipeline.build(repo_project, "minikube", Options(sets=sets, docs=False))
    found = [f for f in build.findings if f.rule == "deploy-readiness"]
    monitor_finding = next(f for f in found if f.resource == "ServiceMonitor/cloudmart-frontend")
    assert monitor_finding.severity == "error"
    assert monitor_finding.message == ("needs CRD servicemonitors.monitoring.coreos.com: add-on kube-prometheus-stack "
                                       "provides it but is not part of env minikube")
    assert monitor_finding.file.endswith("k8s-manifests/monitoring/service-monitors.yaml")
    template = "templates/k8s-manifests/monitoring/service-monitors.yaml.j2"
    kind_line = (REPO / template).read_text().splitlines().index("kind: ServiceMonitor") + 1
    assert monitor_finding.origin == f"{template}:{kind_line}"


def test_cmgen_render_reports_an_unprovided_kind_and_writes_nothing_while_lint_on_files_does_not(
        tmp_path: Path) -> None:
    path = tmp_path / "monitor.yaml"
    path.write_text(yaml.safe_dump(monitor()))
    assert "deploy-readiness" not in cmgen("lint", str(path)).output  # no env: the cluster is unknown
    result = cmgen("render", "--env", "minikube", "--out", str(tmp_path / "out"), "--set", "features.monitoring=true",
                   "--set", "addons.available.kube-prometheus-stack.when=[features.dashboards]", project=REPO)
    assert result.exit_code == 1
    assert ("error[deploy-readiness] ServiceMonitor/cloudmart-frontend: needs CRD servicemonitors.monitoring.coreos.com: "
            "add-on kube-prometheus-stack provides it but is not part of env minikube") in result.output
    assert not (tmp_path / "out").exists()
