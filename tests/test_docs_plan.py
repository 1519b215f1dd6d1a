"""The scripts' plan is computed from objects, for any env."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator import docs, pipeline, values
from generator.addons import load as load_addons
from generator.docs import deploy, plan
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import REPO, graph_of


def test_files_apply_by_stage_and_kind_order(minikube_build: Build, repo_project: Project) -> None:
    steps = plan.plan(graph_of(minikube_build, repo_project), "minikube")
    assert steps.files["storage"][0] == "k8s-manifests/storage/storage-classes.yaml"
    assert steps.files["workloads"][:2] == ("k8s-manifests/workloads/pod-disruption-budgets.yaml",
                                            "k8s-manifests/workloads/web-nginx-config.yaml")
    assert steps.claims_now == () and len(steps.claims_later) == 4  # all WaitForFirstConsumer
    assert [(s.name, s.namespaces, s.keys) for s in steps.secrets][0] == (
        "mongodb-product-credentials", ("backend", "data"), ("password",))


def test_another_cluster_gets_no_minikube_calls(minikube_build: Build, repo_project: Project) -> None:
    graph = graph_of(minikube_build, repo_project)
    classes = tuple(dataclasses.replace(sc, provisioner="ebs.csi.aws.com", binding_mode="Immediate")
                    for sc in graph.storage_classes)
    elsewhere = dataclasses.replace(graph, storage_classes=classes)
    steps = plan.plan(elsewhere, "prod")
    assert len(steps.claims_now) == 4
    scripts = docs.scripts(elsewhere, "prod")
    assert "minikube" not in scripts["deploy-networking.sh"] + scripts["test-connectivity.sh"]
    assert "get ingress cloudmart-frontend -o 'jsonpath={.status.loadBalancer.ingress[0].ip}'" in scripts["test-connectivity.sh"]
    assert "wait --for=jsonpath='{.status.phase}'=Bound pvc/postgres-user-data" in scripts["deploy-storage.sh"]


def test_the_ingress_address_command_comes_from_the_settings(minikube_build: Build, repo_project: Project) -> None:
    graph = graph_of(minikube_build, repo_project)
    scripts = docs.scripts(graph, "any", options=docs.Settings(ingress_address=("lab-cluster", "address", "--of", "ingress")))
    assert 'address="${INGRESS_ADDRESS:-$(lab-cluster address --of ingress)}"' in scripts["test-connectivity.sh"]
    assert "minikube" not in scripts["test-connectivity.sh"]


def test_the_env_named_minikube_gets_no_minikube_call_without_the_setting(minikube_build: Build, repo_project: Project) -> None:
    scripts = docs.scripts(graph_of(minikube_build, repo_project), "minikube")
    assert "minikube ip" not in scripts["test-connectivity.sh"]
    assert "get ingress cloudmart-frontend -o 'jsonpath={.status.loadBalancer.ingress[0].ip}'" in scripts["test-connectivity.sh"]


def test_a_secret_an_addon_creates_is_copied_from_its_namespace(repo_project: Project) -> None:
    """prod's Fluent Bit reads the Elasticsearch chart's Secrets: their source is the add-on's
    namespace (provides.secrets), the databases' Secrets have none (a random value)."""
    build = pipeline.build(repo_project, "prod", pipeline.Options(docs=False))
    addons = load_addons(values.load(repo_project, "prod"), "prod")
    needs = deploy.deploy(build.manifests, addons)
    steps = plan.plan(graph_of(build, repo_project), "prod", needs.custom_kinds,
                      {s.name: s.namespace for s in needs.sources})
    by_name = {s.name: s for s in steps.secrets}
    assert (by_name["elasticsearch-master-certs"].source, by_name["elasticsearch-master-certs"].keys) == (
        "elastic", ("ca.crt",))
    assert by_name["elasticsearch-master-credentials"].origin == "elastic/elasticsearch-master-credentials"
    assert by_name["elasticsearch-master-credentials"].namespaces == ("logging",)
    assert by_name["postgres-user-credentials"].source is None


def test_any_folder_is_applied_and_only_gitops_objects_wait_for_the_flag(project_dir: Path) -> None:
    """No folder name is special: the fixture's app/ files are applied by deploy-all.sh,
    and a file holding only an Argo CD Application (here in app/ too) only with --gitops."""
    config = project_dir / "cmgen.yaml"
    config.write_text(config.read_text() + "docs: true\n")
    (project_dir / "templates" / "app" / "sync.yaml.j2").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop, namespace: argocd}\n"
        "spec:\n  project: default\n  source: {repoURL: 'https://example.com/r.git', path: app}\n"
        "  destination: {server: 'https://kubernetes.default.svc', namespace: shop}\n")
    build = pipeline.build(Project.load(project_dir), "dev", pipeline.Options(crds=(REPO / "crds" / "argo-cd",)))
    steps = plan.plan(graph_of(build, Project.load(project_dir)), "dev")
    assert steps.files["gitops"] == ("app/sync.yaml",)
    assert "app/deployment.yaml" in steps.files["workloads"] and "app/configmap.yaml" in steps.files["workloads"]
    script = build.files["scripts/deploy-all.sh"].data.decode()
    assert "kubectl apply -f app/deployment.yaml\n" in script


def test_objects_an_overlay_adds_are_applied_by_deploy_all(project_dir: Path) -> None:
    """An overlay's ``resources:`` land in overlay/ of the env's tree, which deploy-all.sh
    applies like any folder of manifests."""
    config = project_dir / "cmgen.yaml"
    config.write_text(config.read_text() + "docs: true\n")
    overlay = project_dir / "overlays" / "dev"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [extra.yaml]\n")
    (overlay / "extra.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: shop}\ndata: {a: b}\n")
    build = pipeline.build(Project.load(project_dir), "dev")
    assert "overlay/extra.yaml" in build.files
    assert "kubectl apply -f overlay/extra.yaml\n" in build.files["scripts/deploy-all.sh"].data.decode()
