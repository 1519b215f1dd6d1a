from __future__ import annotations

from tests.lintcase import container, deployment, hits, service

from generator.lint import containers


def test_port_names() -> None:
    assert hits(containers.port_name, deployment(), service()) == []
    bad = deployment()
    container(bad)["ports"][0]["name"] = "postgres-metrics"
    assert "15 characters" in hits(containers.port_name, bad)[0]


def test_service_ports_named_when_several() -> None:
    svc = service()
    svc["spec"]["ports"].append({"port": 81, "targetPort": "metrics-endpoint-x"})
    found = hits(containers.port_name, svc)
    assert "must name each one" in found[0] and "15 characters" in found[1]


def test_duplicate_ports() -> None:
    assert hits(containers.port_duplicate, deployment(), service()) == []
    bad = deployment()
    container(bad)["ports"].append({"name": "http", "containerPort": 8080})
    found = hits(containers.port_duplicate, bad)
    assert "8080/TCP twice" in found[0] and "'http' is used twice" in found[1]
    svc = service()
    svc["spec"]["ports"].append({"name": "web", "port": 80})
    assert "80/TCP is declared 2 times" in hits(containers.port_duplicate, svc)[0]


def test_duplicate_env() -> None:
    good = deployment()
    container(good)["env"] = [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    assert hits(containers.env_duplicate, good) == []
    container(good)["env"].append({"name": "A", "value": "3"})
    assert "env A twice" in hits(containers.env_duplicate, good)[0]


def test_quantity_syntax() -> None:
    assert hits(containers.quantity_syntax, deployment()) == []
    bad = deployment()
    container(bad)["resources"]["limits"]["memory"] = "512MB"
    bad["spec"]["template"]["spec"]["volumes"][0]["emptyDir"] = {"sizeLimit": "1 Gi"}
    bad["spec"]["volumeClaimTemplates"] = [
        {"metadata": {"name": "d"}, "spec": {"resources": {"requests": {"storage": "ten"}}}}
    ]
    assert len(hits(containers.quantity_syntax, bad)) == 3


def test_requests_not_above_limits() -> None:
    assert hits(containers.requests_exceed_limits, deployment()) == []
    bad = deployment()
    container(bad)["resources"]["requests"]["cpu"] = "1"
    assert "requests cpu 1 above its limit 500m" in hits(containers.requests_exceed_limits, bad)[0]
