from __future__ import annotations

from typing import Any

from tests.lintcase import deployment, hits, meta, network_policy, pdb

from generator.lint import selectors


def test_selector_must_match_template() -> None:
    assert hits(selectors.selector_mismatch, deployment()) == []
    bad = deployment()
    bad["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    assert "does not match" in hits(selectors.selector_mismatch, bad)[0]
    bad["spec"]["selector"] = {}
    assert "required" in hits(selectors.selector_mismatch, bad)[0]


def test_job_selector_is_generated() -> None:
    job = deployment()
    job["kind"] = "Job"
    job["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    assert hits(selectors.selector_mismatch, job) == []
    job["spec"]["manualSelector"] = True
    assert hits(selectors.selector_mismatch, job)


def _hpa(kind: str = "Deployment", name: str = "web") -> dict[str, Any]:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta("web"),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": name},
            "maxReplicas": 3,
        },
    }


def test_hpa_target() -> None:
    assert hits(selectors.hpa_target, deployment(), _hpa()) == []
    assert "Deployment/api" in hits(selectors.hpa_target, deployment(), _hpa(name="api"))[0]


def test_pdb_and_netpol_selectors_match_something() -> None:
    assert hits(selectors.pdb_selector, deployment(), pdb()) == []
    assert hits(selectors.pdb_selector, deployment(), pdb("api"))
    assert hits(selectors.netpol_selector, deployment(), network_policy()) == []
    assert hits(selectors.netpol_selector, deployment(), network_policy("api"))


def test_pdb_missing_only_above_one_replica() -> None:
    assert "2 replicas" in hits(selectors.pdb_missing, deployment())[0]
    assert hits(selectors.pdb_missing, deployment(), pdb()) == []
    assert hits(selectors.pdb_missing, deployment(replicas=1)) == []


def test_network_policy_coverage_needs_ingress_and_egress() -> None:
    assert "ingress or egress" in hits(selectors.network_policy, deployment())[0]
    assert hits(selectors.network_policy, deployment(), network_policy()) == []
    ingress_only = network_policy()
    ingress_only["spec"]["policyTypes"] = ["Ingress"]
    assert "egress" in hits(selectors.network_policy, deployment(), ingress_only)[0]
    deny_all = network_policy("deny")
    deny_all["spec"]["podSelector"] = {}
    del deny_all["spec"]["policyTypes"]
    assert hits(selectors.network_policy, deployment(), deny_all) == []  # egress rules imply Egress
