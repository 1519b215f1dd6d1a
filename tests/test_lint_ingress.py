from __future__ import annotations

from typing import Any

from tests.lintcase import hits, meta, service

from generator.lint import ingress

NGINX = "nginx.ingress.kubernetes.io/"


def _ingress(annotations: dict[str, Any] | None = None, **backend: Any) -> dict[str, Any]:
    port = backend.get("port", {"number": 80})
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta("web", annotations=annotations or {}),
        "spec": {
            "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}],
            "rules": [
                {
                    "host": "shop.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": backend.get("path", "/"),
                                "pathType": "Prefix",
                                "backend": {
                                    "service": {"name": backend.get("name", "web"), "port": port}
                                },
                            }
                        ]
                    },
                }
            ],
        },
    }


def test_backend_service_must_be_in_the_ingress_namespace() -> None:
    assert hits(ingress.ingress_backend_service, _ingress(), service()) == []
    elsewhere = service(ns="backend")
    [message] = hits(ingress.ingress_backend_service, _ingress(), elsewhere)
    assert (
        "does not exist in namespace shop" in message and "exists in namespace backend" in message
    )
    assert "exists in" not in hits(ingress.ingress_backend_service, _ingress(name="ghost"))[0]


def test_backend_port_by_number_or_name() -> None:
    assert hits(ingress.ingress_backend_port, _ingress(), service()) == []
    assert hits(ingress.ingress_backend_port, _ingress(port={"name": "http"}), service()) == []
    assert (
        "has no port 8080"
        in hits(ingress.ingress_backend_port, _ingress(port={"number": 8080}), service())[0]
    )


def test_legacy_backend_and_default_backend() -> None:
    legacy = _ingress()
    legacy["spec"]["rules"][0]["http"]["paths"][0]["backend"] = {
        "serviceName": "x",
        "servicePort": 80,
    }
    legacy["spec"]["defaultBackend"] = {"service": {"name": "web", "port": {"number": 81}}}
    assert len(hits(ingress.ingress_backend_service, legacy, service())) == 1
    assert len(hits(ingress.ingress_backend_port, legacy, service())) == 1


def test_tls() -> None:
    assert hits(ingress.ingress_tls, _ingress()) == []
    plain = _ingress()
    del plain["spec"]["tls"]
    assert hits(ingress.ingress_tls, plain)


def test_rewrite_target_on_prefix_paths() -> None:
    bad = _ingress({NGINX + "rewrite-target": "/"}, path="/users")
    assert "/users/42" in hits(ingress.nginx_rewrite_target, bad)[0]
    assert hits(ingress.nginx_rewrite_target, _ingress({NGINX + "rewrite-target": "/"})) == []
    captured = _ingress({NGINX + "rewrite-target": "/$2"}, path="/users(/|$)(.*)")
    assert hits(ingress.nginx_rewrite_target, captured) == []


def test_ssl_redirect_false() -> None:
    assert hits(ingress.nginx_ssl_redirect, _ingress({NGINX + "ssl-redirect": "false"}))
    assert hits(ingress.nginx_ssl_redirect, _ingress({NGINX + "ssl-redirect": "true"})) == []


def test_snippets() -> None:
    assert (
        "CVE-2021-25742"
        in hits(ingress.nginx_snippet, _ingress({NGINX + "server-snippet": "x"}))[0]
    )
    assert hits(ingress.nginx_snippet, _ingress({NGINX + "proxy-body-size": "8m"})) == []
