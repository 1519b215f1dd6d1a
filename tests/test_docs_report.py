"""docs/network-storage-analysis.md states facts computed from the objects."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from generator import docs, pipeline
from generator.docs import report
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of

REPORT = "docs/network-storage-analysis.md"


def report_text(build: Build, project: Project, env: str) -> str:
    """The analysis report of a build made without the docs stage (no charts drawn)."""
    kinds = {manifest.kind for manifest in build.manifests}
    files = {name: item.data for name, item in build.files.items()}
    return docs.render_report(graph_of(build, project), env, files, kinds)


def _report(build: Build) -> str:
    return build.files[REPORT].data.decode()


def test_report_names_every_service_and_the_total(minikube_build: Build, repo_project: Project) -> None:
    text = _report(minikube_build)
    for service in graph_of(minikube_build, repo_project).services:
        assert f"| `{service.name}` | {service.namespace} |" in text
    assert "**Total requested: 50Gi** in 4 claims." in text
    assert "| `fast-ssd` | `k8s.io/minikube-hostpath` | Retain | allowed | WaitForFirstConsumer | 2 | 30Gi |" in text


def test_report_keeps_the_tutorial_sections(minikube_build: Build) -> None:
    text = _report(minikube_build)
    for heading in ("네트워킹 분석", "Service 타입별 활용 전략", "Ingress 라우팅 전략", "스토리지 분석",
                    "StorageClass 전략", "PVC 할당 전략", "데이터 백업 전략", "성능 메트릭", "개선 권장사항"):
        assert heading in text
    assert text.count("```mermaid") == 2


def test_report_links_the_readme_defects_instead_of_copying_them(minikube_build: Build) -> None:
    text = _report(minikube_build)
    assert "(../README.md#what-cmgen-fixes-in-the-tutorials-yaml) (15 defects)" in text
    assert "password123" not in text


def test_policies_off_then_matrix(minikube_build: Build, secured_build: Build) -> None:
    assert "NetworkPolicies are off in this env" in _report(minikube_build)
    secured = _report(secured_build)
    assert "14 NetworkPolicies select 11 of 11 workloads." in secured
    assert "| backend/user-service | · | · | · | · | · | · | TCP/5432 | TCP/6379 |" in secured
    assert "Turn on NetworkPolicies" not in secured


def test_every_performance_target_says_how_it_is_measured(minikube_build: Build) -> None:
    section = _report(minikube_build).split("(성능 메트릭)")[1].split("\n## ")[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    measured = {cells[0].removeprefix("| "): cells[1] for cells in rows[1:]}
    for target in ("API response time < 500 ms", "service-to-service latency < 50 ms", "100 concurrent requests",
                   "data survives a database pod restart"):
        assert measured[target].startswith("section ")


def test_readme_link_without_a_fixes_section() -> None:
    assert report.readme_link({}) is None
    assert report.readme_link({"README.md": b"# x\n## Layout\n"}) == ("../README.md", 0)


def _pod_specs(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Pod specs of one object, by the API's own paths (written out here, apart from the graph)."""
    spec = document.get("spec") or {}
    found = {
        "Pod": spec,
        "Deployment": (spec.get("template") or {}).get("spec"),
        "StatefulSet": (spec.get("template") or {}).get("spec"),
        "DaemonSet": (spec.get("template") or {}).get("spec"),
        "ReplicaSet": (spec.get("template") or {}).get("spec"),
        "Job": (spec.get("template") or {}).get("spec"),
        "CronJob": ((((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")),
    }.get(document.get("kind", ""))
    return [found] if found else []


def _mounted_claims(build: Build) -> set[tuple[str, str]]:
    """(namespace, claim) of every claim some pod template mounts, read from the YAML files."""
    mounted = set()
    for name, item in build.files.items():
        if not name.endswith(".yaml"):
            continue
        for document in yaml.safe_load_all(item.data):
            if not isinstance(document, dict):
                continue
            namespace = (document.get("metadata") or {}).get("namespace", "default")
            for pod in _pod_specs(document):
                for volume in pod.get("volumes") or []:
                    claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
                    if claim:
                        mounted.add((namespace, claim))
            if document.get("kind") == "StatefulSet":
                for template in document["spec"].get("volumeClaimTemplates") or []:
                    for ordinal in range(document["spec"].get("replicas", 1)):
                        mounted.add((namespace, f"{template['metadata']['name']}-{document['metadata']['name']}-{ordinal}"))
    return mounted


@pytest.mark.parametrize("env", ["minikube", "kind", "prod"])
def test_a_claim_reported_not_mounted_has_no_pod_template_mounting_it(repo_project: Project, env: str) -> None:
    build = pipeline.build(repo_project, env, pipeline.Options(docs=False))
    text = report_text(build, repo_project, env)
    unmounted = re.findall(r"^\| `([^`]+)`[^|]* \| ([^ |]+) \|.*\| \*\*not mounted\*\* \|$", text, flags=re.MULTILINE)
    rows = re.findall(r"^\| `([^`]+)`[^|]* \| ([^ |]+) \| .* \|$", text.split("(PVC 할당 전략)")[1].split("\n#")[0],
                      flags=re.MULTILINE)
    assert rows, "the PVC table lists the claims"
    mounted = _mounted_claims(build)
    for claim, namespace in unmounted:
        assert (namespace, claim) not in mounted, f"{namespace}/{claim} is mounted, yet reported not mounted"
