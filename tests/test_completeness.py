"""Nothing is dropped: every namespace, component, volume and edge of the merged values is in
the rendered output, for every env, for generated platforms and for a new env with an overlay
(issue 16, "Nothing is dropped, ever").

What counts as present is read from the values alone: a Namespace per namespace; a Deployment
or StatefulSet and a Service per component (``service.name``), in its namespace; a
PersistentVolumeClaim per volume; per edge (``connects``), an env var of the caller's
containers whose name starts with the edge's ``env`` and whose value names the target's
Service by its cluster DNS name.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline, render, values
from generator.project import Project
from tests.conftest import REPO, cmgen, copy_repo_project

ENVS = Project.load(REPO).envs()
WORKLOADS = ("Deployment", "StatefulSet")
Index = dict[tuple[str, str, str], dict[str, Any]]


def missing(merged: dict[str, Any], objects: list[dict[str, Any]]) -> list[str]:
    """Each item of the values that the objects do not carry, one line each."""
    index: Index = {}
    for obj in objects:
        metadata = obj.get("metadata") or {}
        index[(obj["kind"], metadata.get("namespace", ""), metadata["name"])] = obj
    gone = [f"namespace {ns['name']}" for ns in merged["namespaces"] if ("Namespace", "", ns["name"]) not in index]
    gone += [f"volume {v['namespace']}/{v['name']}" for v in merged.get("volumes", [])
             if ("PersistentVolumeClaim", v["namespace"], v["name"]) not in index]
    components = {c["name"]: c for c in merged["components"]}
    for c in merged["components"]:
        workload = _workload(index, c)
        if workload is None:
            gone.append(f"workload of component {c['namespace']}/{c['name']}")
        if ("Service", c["namespace"], c["service"]["name"]) not in index:
            gone.append(f"Service of component {c['namespace']}/{c['name']}")
        for edge in c.get("connects", []):
            target = components[edge["to"]]
            host = f"{target['service']['name']}.{target['namespace']}.svc"
            env = [variable for container in _containers(workload) for variable in container.get("env", [])]
            if not any(v["name"].startswith(edge["env"] + "_") and host in str(v.get("value", "")) for v in env):
                gone.append(f"edge {c['name']} -> {edge['to']} ({edge['env']}_*)")
    return gone


def _workload(index: Index, component: dict[str, Any]) -> dict[str, Any] | None:
    found = (index.get((kind, component["namespace"], component["name"])) for kind in WORKLOADS)
    return next((obj for obj in found if obj is not None), None)


def _containers(workload: dict[str, Any] | None) -> list[dict[str, Any]]:
    spec = (workload or {}).get("spec", {}).get("template", {}).get("spec", {})
    return [*spec.get("containers", []), *spec.get("initContainers", [])]


def unexplained(build: pipeline.Build) -> list[str]:
    """Findings of validate and lint that no annotation or setting skips with a reason."""
    return [finding.text() for finding in build.findings if finding.skip is None]


def _build(project: Project, env: str, sets: tuple[str, ...] = (), renderer: render.Renderer | None = None
           ) -> tuple[dict[str, Any], pipeline.Build]:
    merged = values.load(project, env, sets).data
    build = pipeline.build(project, env, pipeline.Options(sets=sets, docs=False), renderer)
    return merged, build


@pytest.mark.parametrize("env", ENVS)
def test_every_values_item_of_every_env_is_rendered(repo_project: Project, env: str) -> None:
    merged, build = _build(repo_project, env)
    assert not missing(merged, [m.data for m in build.manifests])
    assert not unexplained(build)


def test_the_check_sees_a_dropped_item(repo_project: Project) -> None:
    """The checker itself: it names what a build without it lacks."""
    merged, build = _build(repo_project, "minikube")
    dropped = {("Namespace", "data"), ("StatefulSet", "postgres-user"), ("PersistentVolumeClaim", "postgres-order-logs"),
               ("Service", "redis-cache-service")}
    kept = [copy.deepcopy(m.data) for m in build.manifests if (m.data["kind"], m.data["metadata"]["name"]) not in dropped]
    user_service = next(obj for obj in kept if obj["kind"] == "Deployment" and obj["metadata"]["name"] == "user-service")
    for container in user_service["spec"]["template"]["spec"]["containers"]:
        container["env"] = [v for v in container.get("env", []) if not v["name"].startswith("DB_")]
    assert missing(merged, kept) == [
        "namespace data",
        "volume data/postgres-order-logs",
        "edge user-service -> postgres-user (DB_*)",
        "workload of component data/postgres-user",
        "Service of component data/redis-cache",
    ]


# --- generated platforms ------------------------------------------------------------------

EXISTING = {"frontend": "web-frontend", "backend": "order-service", "data": "redis-cache"}
NEW_NAMESPACES = ("billing", "search", "media-eu", "ledger")
NAMES = ("alpha", "bravo", "charlie-api", "delta-cache", "echo")
IMAGES = {"web": "nginxinc/nginx-unprivileged:1.28.0-alpine", "redis": "redis:7.4.1-alpine"}
PORTS = {"web": 8080, "redis": 6379}


@st.composite
def platforms(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """An env, new namespaces, and new web and redis components in new and existing
    namespaces, calling each other and CloudMart's own components."""
    env = draw(st.sampled_from(ENVS))
    new = draw(st.lists(st.sampled_from(NEW_NAMESPACES), min_size=1, max_size=2, unique=True))
    namespaces = [{"name": name, "tier": name} for name in new]
    names = draw(st.lists(st.sampled_from(NAMES), min_size=len(new), max_size=4, unique=True))
    components: list[dict[str, Any]] = []
    for i, name in enumerate(names):  # the first ones fill the new namespaces: none is empty
        engine = draw(st.sampled_from(("web", "redis")))
        component: dict[str, Any] = {
            "name": name, "namespace": new[i] if i < len(new) else draw(st.sampled_from([*new, *EXISTING])),
            "description": f"generated {engine} {name}", "engine": engine, "image": IMAGES[engine],
            "port": PORTS[engine], "service": {"name": f"{name}-svc", "port": PORTS[engine]},
            "replicas": draw(st.integers(1, 3)) if engine == "web" else 1,
        }
        if engine == "web":
            targets = [c["name"] for c in components] + list(EXISTING.values())
            chosen = draw(st.lists(st.sampled_from(targets), max_size=2, unique=True))
            if chosen:
                component["connects"] = [{"to": to, "env": to.upper().replace("-", "_")} for to in chosen]
        components.append(component)
    return env, namespaces, components


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, render.Renderer]:
    project = Project.load(copy_repo_project(tmp_path_factory.mktemp("generated") / "project"))
    return project, render.Renderer(project)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(platform=platforms())
def test_a_generated_platform_renders_every_item(
    generated: tuple[Project, render.Renderer], platform: tuple[str, list[dict[str, Any]], list[dict[str, Any]]]
) -> None:
    project, renderer = generated
    env, namespaces, components = platform
    sets = (f"namespaces={json.dumps(namespaces)}", f"components={json.dumps(components)}")
    merged, build = _build(project, env, sets, renderer)
    assert {ns["name"] for ns in namespaces} <= {ns["name"] for ns in merged["namespaces"]}
    assert not missing(merged, [m.data for m in build.manifests])
    assert not unexplained(build)


# --- issue 16's Proof, without a new engine: two new namespaces, a new env with an overlay --

STAGING = """\
platform:
  environment: staging
storageClasses:
  - name: fast-ssd
    provisioner: rancher.io/local-path
    allowVolumeExpansion: false
  - name: standard-hdd
    provisioner: rancher.io/local-path
    allowVolumeExpansion: false
addons:
  cluster: kind
  present: [local-path-provisioner]
namespaces:
  - {name: payments, tier: payments}
  - {name: search, tier: search}
components:
  - name: checkout
    namespace: payments
    description: Checkout API
    engine: web
    image: nginxinc/nginx-unprivileged:1.28.0-alpine
    port: 8080
    service: {name: checkout-service, port: 8080}
    replicas: 2
    ingress: {host: pay, paths: [/checkout]}
    connects:
      - {to: search-index, env: SEARCH}
      - {to: order-service, env: ORDERS}
  - name: search-index
    namespace: search
    description: Search cache
    engine: redis
    image: redis:7.4.1-alpine
    port: 6379
    service: {name: search-index-service, port: 6379}
    replicas: 1
"""
STAGING_OVERLAY = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
  - pairs:
      app.kubernetes.io/instance: cloudmart-staging
    includeSelectors: false
replicas:
  - name: checkout
    count: 3
"""


def test_a_new_env_with_an_overlay_and_two_new_namespaces_renders_complete(tmp_path: Path) -> None:
    root = copy_repo_project(tmp_path / "project")
    (root / "values" / "staging.yaml").write_text(STAGING)
    (root / "overlays" / "staging").mkdir()
    (root / "overlays" / "staging" / "kustomization.yaml").write_text(STAGING_OVERLAY)

    result = cmgen("render", "--env", "staging", "--stdout", project=root)
    assert result.exit_code == 0, result.output  # validates, no lint error
    objects = [obj for obj in yaml.safe_load_all(result.stdout) if obj]
    merged = values.load(Project.load(root), "staging").data
    assert not missing(merged, objects)
    checkout = next(obj for obj in objects if obj["kind"] == "Deployment" and obj["metadata"]["name"] == "checkout")
    assert checkout["spec"]["replicas"] == 3 and checkout["metadata"]["labels"]["app.kubernetes.io/instance"] == "cloudmart-staging"

    build = pipeline.build(Project.load(root), "staging", pipeline.Options(docs=False))
    assert not unexplained(build)  # lint-clean: every finding is skipped with a reason
    for name in ("namespaces/payments-ns.yaml", "namespaces/search-ns.yaml", "networking/payments-services.yaml",
                 "networking/search-services.yaml", "workloads/payments-deployments.yaml",
                 "workloads/search-deployments.yaml"):
        assert f"k8s-manifests/{name}" in build.files, name


def test_the_proof_new_namespaces_a_new_stateful_engine_and_a_new_env_with_an_overlay(tmp_path: Path) -> None:
    """Issue 16's Proof in one copy of CloudMart: the staging env (its values and overlay, two
    new namespaces with components) plus the MySQL engine (its values entry and its partial)
    and a component using it. The output is complete, valid and lint-clean."""
    from tests.test_engines_acceptance import COMPONENT, ENGINE, PARTIAL

    root = copy_repo_project(tmp_path / "project")
    (root / "values" / "staging.yaml").write_text(STAGING)
    (root / "overlays" / "staging").mkdir()
    (root / "overlays" / "staging" / "kustomization.yaml").write_text(STAGING_OVERLAY)
    (root / "templates" / "_partials" / "engines" / "mysql.yaml.j2").write_text(PARTIAL)
    files = (root / "mysql-engine.yaml", root / "mysql-component.yaml")
    files[0].write_text(ENGINE)
    files[1].write_text(COMPONENT)
    project = Project.load(root)

    merged = values.load(project, "staging", files=files).data
    assert "mysql" in merged["engines"] and {"payments", "search"} <= {ns["name"] for ns in merged["namespaces"]}
    build = pipeline.build(project, "staging", pipeline.Options(values_files=files, docs=False))
    assert not unexplained(build)  # valid and lint-clean: every finding is skipped with a reason
    assert not missing(merged, [manifest.data for manifest in build.manifests])
    [mysql] = [m for m in build.manifests if m.kind == "StatefulSet" and m.name == "mysql-orders"]
    assert mysql.data["spec"]["serviceName"] == "mysql-orders-headless"
