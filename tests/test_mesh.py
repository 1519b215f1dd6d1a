"""Issue 10, judged on the rendered objects: the Istio traffic split is consistent (weights,
subsets, the pods they select), the mesh keeps Pod Security honest, the dashboards are
valid Grafana JSON built from the platform model, tracing and logging are wired."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from generator import pipeline
from generator.project import Project
from generator.values import load as load_values
from tests.conftest import REPO

PROJECT = Project.load(REPO)
ENVS = PROJECT.envs()


def _objects(env: str, *sets: str) -> list[dict[str, Any]]:
    build = pipeline.build(PROJECT, env, pipeline.Options(sets=sets))
    return [m.data for m in build.manifests]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict[str, Any]]]:
    return {env: _objects(env) for env in ENVS}


def _of(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def _pods(objects: list[dict[str, Any]], namespace: str) -> list[tuple[str, dict[str, str]]]:
    return [
        (o["metadata"]["name"], o["spec"]["template"]["metadata"]["labels"])
        for o in objects
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet") and o["metadata"]["namespace"] == namespace
    ]


def _host(service: dict[str, Any]) -> str:
    return f"{service['metadata']['name']}.{service['metadata']['namespace']}.svc.cluster.local"


def assert_split_consistent(objects: list[dict[str, Any]]) -> int:
    """Every VirtualService route's weights sum to 100, each subset it names is defined by a
    DestinationRule for the same host, and each subset's labels select pods that the host's
    Service selects. Returns the number of routes checked."""
    services = {_host(s): s for s in _of(objects, "Service")}
    rules = {(r["metadata"]["namespace"], r["spec"]["host"]): r for r in _of(objects, "DestinationRule")}
    checked = 0
    for vs in _of(objects, "VirtualService"):
        namespace = vs["metadata"]["namespace"]
        for http in vs["spec"]["http"]:
            routes = http["route"]
            assert sum(route.get("weight", 100 if len(routes) == 1 else 0) for route in routes) == 100
            for route in routes:
                host = route["destination"]["host"]
                service = services[host]
                rule = rules[(namespace, host)]
                subsets = {s["name"]: s["labels"] for s in rule["spec"]["subsets"]}
                subset = route["destination"]["subset"]
                assert subset in subsets, f"{vs['metadata']['name']}: subset {subset} not in DestinationRule"
                matching = [
                    name for name, labels in _pods(objects, service["metadata"]["namespace"])
                    if service["spec"]["selector"].items() <= labels.items()
                    and subsets[subset].items() <= labels.items()
                ]
                assert matching, f"subset {subset} of {host} selects no pod behind the Service"
                ports = {p["port"] for p in service["spec"]["ports"]}
                assert route["destination"]["port"]["number"] in ports
                checked += 1
    return checked


@pytest.mark.parametrize("env", ENVS)
def test_traffic_split_is_consistent(env: str, rendered: dict[str, list[dict[str, Any]]]) -> None:
    objects = rendered[env]
    checked = assert_split_consistent(objects)
    mesh = load_values(PROJECT, env).data["features"]["mesh"]
    assert (checked > 0) == mesh


def test_prod_splits_product_service_90_10(rendered: dict[str, list[dict[str, Any]]]) -> None:
    (vs,) = _of(rendered["prod"], "VirtualService")
    weights = {r["destination"]["subset"]: r["weight"] for r in vs["spec"]["http"][0]["route"]}
    assert weights == {"v1": 90, "v2": 10}
    names = {o["metadata"]["name"] for o in _of(rendered["prod"], "Deployment")}
    assert {"product-service", "product-service-v2"} <= names


def test_weight_from_values_and_zero_renders_no_canary() -> None:
    objects = _objects("minikube", "features.mesh=true", "mesh.canary.weight=25")
    assert assert_split_consistent(objects) == 2
    (vs,) = _of(objects, "VirtualService")
    assert [r["weight"] for r in vs["spec"]["http"][0]["route"]] == [75, 25]
    objects = _objects("minikube", "features.mesh=true", "mesh.canary.weight=0")
    assert not _of(objects, "VirtualService") and not _of(objects, "DestinationRule")
    assert "product-service-v2" not in {o["metadata"]["name"] for o in _of(objects, "Deployment")}


def test_version_label_on_pods_never_in_selectors(rendered: dict[str, list[dict[str, Any]]]) -> None:
    for o in _of(rendered["prod"], "Deployment") + _of(rendered["prod"], "StatefulSet"):
        assert "version" in o["spec"]["template"]["metadata"]["labels"]
        if not o["metadata"]["name"].endswith("-v2"):
            assert "version" not in o["spec"]["selector"]["matchLabels"]


def test_meshed_namespaces_stay_restricted_and_strict(rendered: dict[str, list[dict[str, Any]]]) -> None:
    objects = rendered["prod"]
    meshed = [n for n in _of(objects, "Namespace") if n["metadata"]["labels"].get("istio-injection") == "enabled"]
    assert {n["metadata"]["name"] for n in meshed} == {"frontend", "backend", "data"}
    for namespace in meshed:
        assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    strict = {p["metadata"]["namespace"] for p in _of(objects, "PeerAuthentication")
              if p["metadata"]["name"] == "default" and p["spec"]["mtls"]["mode"] == "STRICT"}
    assert strict == {"frontend", "backend", "data"}
    for o in objects:
        for container in _containers(o):
            assert not container.get("securityContext", {}).get("capabilities", {}).get("add")


def _containers(o: dict[str, Any]) -> list[dict[str, Any]]:
    spec = o.get("spec", {})
    spec = spec.get("jobTemplate", {}).get("spec", spec)
    pod = spec.get("template", {}).get("spec", {})
    return pod.get("containers", []) + pod.get("initContainers", [])


def test_network_policies_let_sidecars_reach_istiod(rendered: dict[str, list[dict[str, Any]]]) -> None:
    for policy in _of(rendered["prod"], "NetworkPolicy"):
        if policy["metadata"]["namespace"] == "logging" or not policy["spec"]["podSelector"]:
            continue
        ports = [
            (peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"], port["port"])
            for rule in policy["spec"]["egress"] for peer in rule.get("to", []) for port in rule["ports"]
            if "namespaceSelector" in peer
        ]
        assert ("istio-system", 15012) in ports, policy["metadata"]["name"]


# --- dashboards -----------------------------------------------------------------------------


def _dashboards(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {}
    for cm in _of(objects, "ConfigMap"):
        if cm["metadata"].get("labels", {}).get("grafana_dashboard") == "1":
            for name, text in cm["data"].items():
                found[name] = json.loads(text)
    return found


def assert_grafana_dashboard(board: dict[str, Any]) -> None:
    assert isinstance(board["schemaVersion"], int) and board["uid"] and board["title"]
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        if panel["type"] != "row":
            assert panel["targets"]
            refs = [target["refId"] for target in panel["targets"]]
            assert len(refs) == len(set(refs))
            assert all(target["expr"] for target in panel["targets"])


def test_dashboards_are_grafana_json_from_the_model(rendered: dict[str, list[dict[str, Any]]]) -> None:
    boards = _dashboards(rendered["prod"])
    assert set(boards) == {"cloudmart-network.json", "cloudmart-storage.json"}
    for board in boards.values():
        assert_grafana_dashboard(board)
    values = load_values(PROJECT, "prod").data
    network = json.dumps(boards["cloudmart-network.json"])
    for c in values["components"]:
        assert re.search(rf'destination_service_name=\\"{c["service"]["name"]}\\"', network)
    storage = json.dumps(boards["cloudmart-storage.json"])
    for v in values["volumes"]:
        assert f'persistentvolumeclaim=\\"{v["name"]}\\"' in storage


def test_dashboards_without_the_mesh_read_the_nginx_exporter() -> None:
    objects = _objects("minikube", "features.monitoring=true", "features.dashboards=true")
    boards = _dashboards(objects)
    for board in boards.values():
        assert_grafana_dashboard(board)
    assert "istio_" not in json.dumps(boards) and "nginx_http_requests_total" in json.dumps(boards)


# --- tracing and logging ----------------------------------------------------------------------


def test_every_service_exports_traces(rendered: dict[str, list[dict[str, Any]]]) -> None:
    web = [o for o in _of(rendered["prod"], "Deployment")
           if o["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == "web"]
    assert len(web) == 8  # seven services and the canary
    for o in web:
        env = {e["name"]: e.get("value") for e in o["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector.observability.svc.cluster.local:4317"
        assert env["OTEL_SERVICE_NAME"] == o["spec"]["template"]["metadata"]["labels"]["app"]
        assert f"k8s.namespace.name={o['metadata']['namespace']}" in env["OTEL_RESOURCE_ATTRIBUTES"]
        assert "deployment.environment.name=prod" in env["OTEL_RESOURCE_ATTRIBUTES"]


def test_fluent_bit(rendered: dict[str, list[dict[str, Any]]]) -> None:
    objects = [o for o in rendered["prod"] if o["metadata"].get("namespace") == "logging"
               or o["kind"] in ("ClusterRole", "ClusterRoleBinding") or o["metadata"]["name"] == "logging"]
    (namespace,) = _of(objects, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
    (role,) = _of(objects, "ClusterRole")
    assert role["rules"] == [{"apiGroups": [""], "resources": ["pods", "namespaces"], "verbs": ["get", "list", "watch"]}]
    (daemonset,) = _of(objects, "DaemonSet")
    (container,) = daemonset["spec"]["template"]["spec"]["containers"]
    assert re.fullmatch(r"fluent/fluent-bit:\d+\.\d+\.\d+", container["image"])
    context = container["securityContext"]
    assert context["readOnlyRootFilesystem"] and context["capabilities"]["drop"] == ["ALL"]
    assert context["allowPrivilegeEscalation"] is False
    (config,) = [c for c in _of(objects, "ConfigMap") if c["metadata"]["name"] == "fluent-bit"]
    text = config["data"]["fluent-bit.conf"]
    assert "Path              /var/log/containers/*.log" in text and "Name                kubernetes" in text
    assert "Host                ${ELASTICSEARCH_HOST}" in text
    # Every ${VARIABLE} of the configuration is a variable of the container.
    env = {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}
    assert set(re.findall(r"\$\{([A-Z_]+)\}", text)) == set(env)
    # The names of the chart's certificate (elastic/helm-charts v8.5.1, _helpers.tpl
    # "elasticsearch.gen-certs": masterService, masterService.<ns>, masterService.<ns>.svc):
    # with tls.verify on, the host must be one of them.
    assert "tls.verify          true" in text
    # Fluent Bit's classic format takes a value as written, quotes included ("On" is no
    # boolean to it: flb_utils_bool compares the text with on/off/true/false/yes/no).
    assert '"' not in text
    assert env["ELASTICSEARCH_HOST"] in ("elasticsearch-master", "elasticsearch-master.elastic",
                                         "elasticsearch-master.elastic.svc")
    assert env["ELASTICSEARCH_PORT"] == "9200"
    # The chart's credentials Secret (keys username, password) and only its CA's certificate.
    assert "HTTP_User           ${ELASTICSEARCH_USER}" in text and "HTTP_Passwd         ${ELASTICSEARCH_PASSWORD}" in text
    assert env["ELASTICSEARCH_USER"] == {"secretKeyRef": {"name": "elasticsearch-master-credentials", "key": "username"}}
    assert env["ELASTICSEARCH_PASSWORD"] == {"secretKeyRef": {"name": "elasticsearch-master-credentials", "key": "password"}}
    (ca_file,) = re.findall(r"tls\.ca_file +(\S+)", text)
    (mount,) = [m for m in container["volumeMounts"] if ca_file.startswith(m["mountPath"] + "/")]
    (volume,) = [v for v in daemonset["spec"]["template"]["spec"]["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"] == {"secretName": "elasticsearch-master-certs",
                                "items": [{"key": "ca.crt", "path": ca_file.rpartition("/")[2]}]}
    annotations = daemonset["metadata"]["annotations"]
    assert annotations["cmgen.io/external-secrets"] == "elasticsearch-master-credentials, elasticsearch-master-certs"
