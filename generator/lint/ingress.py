"""Ingress: backends that exist in the Ingress's own namespace, TLS, ingress-nginx pitfalls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.k8s.index import Index, Path, dig, mapping, sequence
from generator.lint.registry import Hit
from generator.k8s.objects import Manifest

NGINX = "nginx.ingress.kubernetes.io/"


def _backends(ingress: Manifest) -> Iterator[tuple[dict[str, Any], Path]]:
    """Every ``backend`` of an Ingress (default and per path), with its path."""
    spec = mapping(ingress.data.get("spec"))
    if mapping(spec.get("defaultBackend")):
        yield spec["defaultBackend"], ("spec", "defaultBackend")
    for r, rule in enumerate(sequence(spec.get("rules"))):
        for p, entry in enumerate(sequence(dig(rule, "http", "paths"))):
            if mapping(dig(entry, "backend")):
                yield entry["backend"], ("spec", "rules", r, "http", "paths", p, "backend")


def _service_ref(backend: dict[str, Any]) -> tuple[str, Any, Path] | None:
    """(service name, port number or name, path of the port) of a backend, if it names one."""
    service = mapping(backend.get("service"))
    if service:
        port = mapping(service.get("port"))
        value = port.get("number", port.get("name"))
        return str(service.get("name", "")), value, ("service", "port")
    if "serviceName" in backend:  # networking.k8s.io/v1beta1
        return str(backend["serviceName"]), backend.get("servicePort"), ("servicePort",)
    return None


def ingress_backend_service(index: Index) -> Iterator[Hit]:
    for ingress in index.of_kind("Ingress"):
        namespace = index.namespace_of(ingress)
        for backend, path in _backends(ingress):
            ref = _service_ref(backend)
            if ref is None or index.get("Service", namespace, ref[0]) is not None:
                continue
            elsewhere = sorted(
                index.namespace_of(other) for other in index.by_kind_name.get(("Service", ref[0]), [])
            )
            where = (
                f"; it exists in namespace {', '.join(elsewhere)}, but an Ingress can only "
                "route to Services in its own namespace"
                if elsewhere
                else ""
            )
            yield Hit(
                ingress,
                f"backend Service {ref[0]!r} does not exist in namespace {namespace}{where}",
                (*path, "service", "name") if "service" in backend else path,
            )


def ingress_backend_port(index: Index) -> Iterator[Hit]:
    for ingress in index.of_kind("Ingress"):
        for backend, path in _backends(ingress):
            ref = _service_ref(backend)
            service = ref and index.get("Service", index.namespace_of(ingress), ref[0])
            if ref is None or service is None or ref[1] is None:
                continue
            ports = [mapping(port) for port in sequence(dig(service.data, "spec", "ports"))]
            if any(ref[1] in (port.get("port"), port.get("name")) for port in ports):
                continue
            offered = sorted(str(port.get("name") or port.get("port")) for port in ports)
            yield Hit(
                ingress,
                f"Service {ref[0]!r} has no port {ref[1]!r} (it offers {', '.join(offered)})",
                (*path, *ref[2]),
            )


def ingress_tls(index: Index) -> Iterator[Hit]:
    for ingress in index.of_kind("Ingress"):
        if not sequence(dig(ingress.data, "spec", "tls")):
            yield Hit(ingress, "no spec.tls: traffic is served over plain HTTP", ("spec",))


def _annotations(manifest: Manifest) -> dict[str, Any]:
    return mapping(manifest.metadata.get("annotations"))


def nginx_rewrite_target(index: Index) -> Iterator[Hit]:
    """``rewrite-target: /`` without a capture group sends every sub-path to ``/``."""
    for ingress in index.of_kind("Ingress"):
        target = _annotations(ingress).get(NGINX + "rewrite-target")
        if target is None or "$" in str(target):
            continue
        for r, rule in enumerate(sequence(dig(ingress.data, "spec", "rules"))):
            for p, entry in enumerate(sequence(dig(rule, "http", "paths"))):
                prefix = str(dig(entry, "path") or "/")
                if dig(entry, "pathType") != "Exact" and prefix != "/":
                    yield Hit(
                        ingress,
                        f"rewrite-target {target!r} rewrites every request under {prefix} "
                        f"(e.g. {prefix.rstrip('/')}/42) to {target}",
                        ("spec", "rules", r, "http", "paths", p, "path"),
                    )


def nginx_ssl_redirect(index: Index) -> Iterator[Hit]:
    for ingress in index.of_kind("Ingress"):
        key = NGINX + "ssl-redirect"
        if str(_annotations(ingress).get(key)).lower() == "false":
            yield Hit(
                ingress,
                'ssl-redirect "false": clients are not sent to HTTPS',
                ("metadata", "annotations", key),
            )


def nginx_snippet(index: Index) -> Iterator[Hit]:
    """``*-snippet`` annotations inject raw nginx config (CVE-2021-25742)."""
    for ingress in index.of_kind("Ingress"):
        for key in _annotations(ingress):
            if str(key).startswith(NGINX) and "snippet" in str(key):
                yield Hit(
                    ingress,
                    f"{key} injects raw nginx configuration (CVE-2021-25742); ingress-nginx "
                    "refuses snippets unless allow-snippet-annotations is on",
                    ("metadata", "annotations", key),
                )
