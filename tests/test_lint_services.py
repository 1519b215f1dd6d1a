from __future__ import annotations

from tests.lintcase import clone, container, deployment, hits, service

from generator.lint import services


def test_service_selector() -> None:
    assert hits(services.service_selector, deployment(), service()) == []
    assert hits(services.service_selector, deployment(), service(app="nope")) == [
        "selector app=nope matches no pod template in namespace shop"
    ]


def test_service_selector_ignores_selectorless_services() -> None:
    manual = service()
    del manual["spec"]["selector"]
    assert hits(services.service_selector, manual) == []


def test_target_port_by_name_and_number() -> None:
    assert hits(services.service_target_port, deployment(), service(target="http")) == []
    assert hits(services.service_target_port, deployment(), service(target=8080)) == []
    assert (
        "names no container port"
        in hits(services.service_target_port, deployment(), service(target="web"))[0]
    )
    assert (
        "is not a containerPort"
        in hits(services.service_target_port, deployment(), service(target=80))[0]
    )


def test_target_port_defaults_to_port() -> None:
    svc = service()
    del svc["spec"]["ports"][0]["targetPort"]
    svc["spec"]["ports"][0]["port"] = 8080
    assert hits(services.service_target_port, deployment(), svc) == []


def _statefulset() -> dict:
    sts = deployment("db", replicas=1)
    sts["kind"] = "StatefulSet"
    sts["spec"]["serviceName"] = "db"
    return sts


def test_statefulset_service_headless_and_matching() -> None:
    headless = service("db")
    headless["spec"]["clusterIP"] = "None"
    assert hits(services.statefulset_service, _statefulset(), headless) == []
    assert "not a headless" in hits(services.statefulset_service, _statefulset(), service("db"))[0]
    assert "no Service" in hits(services.statefulset_service, _statefulset())[0]
    other = clone(headless)
    other["spec"]["selector"] = {"app": "other"}
    assert "does not match" in hits(services.statefulset_service, _statefulset(), other)[0]


def test_container_ports_collects_names() -> None:
    from tests.lintcase import load

    from generator.k8s.index import Index

    pod = Index.build(load(deployment())).pods[0]
    assert services.container_ports([pod]) == ({8080}, {"http"})
    assert container(deployment())["ports"][0]["containerPort"] == 8080
