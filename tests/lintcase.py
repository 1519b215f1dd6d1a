"""Helpers for the lint tests: objects in, hits or findings out.

``hardened()`` is the smallest set that lints clean: the contract the templates follow.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from generator.findings import Finding
from generator.lint import lint
from generator.k8s.objects import Manifest
from generator.lint.registry import Check, LintIndex
from generator.manifests import from_text


def load(*objects: dict[str, Any]) -> list[Manifest]:
    return from_text(yaml.safe_dump_all(objects, sort_keys=False), "test.yaml")


def hits(check: Check, *objects: dict[str, Any]) -> list[str]:
    """The messages ``check`` yields over ``objects``."""
    return [hit.message for hit in check(LintIndex.build(load(*objects)))]


def findings(*objects: dict[str, Any], rule: str | None = None) -> list[Finding]:
    return [f for f in lint(load(*objects)) if rule is None or f.rule == rule]


def pod_spec(name: str = "web") -> dict[str, Any]:
    return {
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 10001,
            "runAsGroup": 10001,
            "fsGroup": 10001,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [
            {
                "name": name,
                "image": "nginxinc/nginx-unprivileged:1.27-alpine",
                "ports": [{"name": "http", "containerPort": 8080}],
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                },
                "resources": {
                    "requests": {"cpu": "100m", "memory": "128Mi"},
                    "limits": {"cpu": "500m", "memory": "256Mi"},
                },
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
            }
        ],
        "volumes": [{"name": "tmp", "emptyDir": {}}],
    }


def meta(name: str, namespace: str | None = "shop", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name}
    if namespace is not None:
        data["namespace"] = namespace
    data.update(extra)
    return data


def namespace(name: str = "shop") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta(name, None)}


def deployment(name: str = "web", replicas: int = 2, ns: str = "shop") -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(name, ns),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": pod_spec(name)},
        },
    }


def service(
    name: str = "web", target: Any = "http", ns: str = "shop", app: str | None = None
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(name, ns),
        "spec": {
            "selector": {"app": app or name},
            "ports": [{"name": "http", "port": 80, "targetPort": target}],
        },
    }


def pdb(name: str = "web", ns: str = "shop") -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": meta(name, ns),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": name}}},
    }


def network_policy(name: str = "web", ns: str = "shop") -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta(name, ns),
        "spec": {
            "podSelector": {"matchLabels": {"app": name}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"namespaceSelector": {}}]}],
            "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}],
        },
    }


def hardened(name: str = "web") -> list[dict[str, Any]]:
    return [namespace(), deployment(name), service(name), pdb(name), network_policy(name)]


def container(workload: dict[str, Any], number: int = 0) -> dict[str, Any]:
    result: dict[str, Any] = workload["spec"]["template"]["spec"]["containers"][number]
    return result


def clone(value: Any) -> Any:
    return copy.deepcopy(value)
