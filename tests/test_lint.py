"""lint(): the whole set at once; the tutorial's CloudMart tree with every defect it has."""

from __future__ import annotations

from pathlib import Path

from tests.lintcase import findings, hardened

from generator.lint import RULES, lint
from generator.manifests import load_paths

TUTORIAL = Path(__file__).parent / "fixtures" / "tutorial"

# Read off the tutorial's YAML by hand (not copied from the linter's output).
WORKLOADS = (
    "Deployment/user-service",
    "Deployment/product-service",
    "StatefulSet/postgres-user",
    "StatefulSet/mongodb-product",
)
HARDENING = (
    "run-as-non-root", "run-as-user", "privilege-escalation", "capabilities", "seccomp",
    "read-only-root-fs", "automount-token", "liveness-probe", "readiness-probe",
    "network-policy",
)  # fmt: skip
EXPECTED = {
    # Services whose selector matches nothing: no redis, no order-service workload.
    ("service-selector", "Service/redis-cache-service"),
    ("service-selector", "Service/order-service"),
    # The StatefulSets' serviceName Services are ClusterIP, not headless.
    ("statefulset-service", "StatefulSet/postgres-user"),
    ("statefulset-service", "StatefulSet/mongodb-product"),
    # The Ingress in frontend routes to Services that are missing there (one never exists).
    ("ingress-backend-service", "Ingress/cloudmart-ingress"),
    ("ingress-tls", "Ingress/cloudmart-ingress"),
    ("nginx-rewrite-target", "Ingress/cloudmart-ingress"),
    ("nginx-ssl-redirect", "Ingress/cloudmart-ingress"),
    # postgres-order-data: no order database mounts it.
    ("pvc-unused", "PersistentVolumeClaim/postgres-order-data"),
    # mongodb's volumeClaimTemplate mongodb-storage sits on standard-hdd (reclaimPolicy Delete).
    ("pvc-reclaim-delete", "StatefulSet/mongodb-product"),
    # Plaintext passwords.
    ("env-secret-literal", "StatefulSet/postgres-user"),
    ("env-secret-literal", "StatefulSet/mongodb-product"),
    # The databases set no resources (the Deployments do).
    ("resources", "StatefulSet/postgres-user"),
    ("resources", "StatefulSet/mongodb-product"),
    # replicas 3 and 2 without a PodDisruptionBudget.
    ("pdb-missing", "Deployment/user-service"),
    ("pdb-missing", "Deployment/product-service"),
} | {(rule, workload) for rule in HARDENING for workload in WORKLOADS}


def test_tutorial_defects_are_all_found_and_nothing_else() -> None:
    found = {(f.rule, f.resource) for f in lint(load_paths([str(TUTORIAL)]))}
    assert found == EXPECTED


def test_tutorial_ingress_backends_each_reported() -> None:
    found = [f for f in lint(load_paths([str(TUTORIAL)])) if f.rule == "ingress-backend-service"]
    names = sorted(f.message.split("'")[1] for f in found)
    assert names == ["order-service", "product-service", "user-service", "web-frontend-service"]
    assert all("exists in namespace backend" in f.message for f in found if "web-" not in f.message)


def test_tutorial_what_is_right_is_not_flagged() -> None:
    found = {(f.rule, f.resource) for f in lint(load_paths([str(TUTORIAL)]))}
    # DB_HOST / MONGO_HOST resolve to Services with ports 5432 / 27017.
    assert not any(rule == "env-dns" for rule, _ in found)
    # mongodb-storage is mounted from volumeClaimTemplates; StorageClasses exist.
    assert not any(
        rule in ("volume-mount", "pvc-storage-class", "namespace-missing") for rule, _ in found
    )
    # nginx:alpine, postgres:13, mongo:4.4 carry tags.
    assert not any(rule == "image-tag" for rule, _ in found)


def test_hardened_set_is_clean() -> None:
    assert findings(*hardened()) == []


def test_findings_are_sorted_and_carry_hints() -> None:
    result = lint(load_paths([str(TUTORIAL)]))
    assert result == sorted(result)
    assert all(f.hint for f in result)


def test_every_rule_has_a_unique_id() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))


def test_findings_are_located_after_an_empty_document() -> None:
    from generator.manifests import from_text

    text = "---\n# generated\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: Bad_Name\n"
    [finding] = [f for f in lint(from_text(text, "x.yaml")) if f.rule == "name-syntax"]
    assert (finding.line, finding.column) == (7, 9)
