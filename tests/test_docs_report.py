"""docs/network-storage-analysis.md states facts computed from the objects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import docs, pipeline, values
from generator.docs import report
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of

REPORT = "docs/network-storage-analysis.md"
TEMPLATES = Path(docs.__file__).parent / "templates"


def report_text(build: Build, project: Project, env: str, sets: tuple[str, ...] = (), language: str = "en") -> str:
    """The analysis report of a build made without the docs stage (no charts drawn)."""
    kinds = {manifest.kind for manifest in build.manifests}
    files = {name: item.data for name, item in build.files.items()}
    merged = values.load(project, env, sets)
    options = docs.settings(merged.data, values.schema(project), language)
    return docs.render_report(graph_of(build, project), env, files, kinds, options)


def empty_headings(text: str) -> list[str]:
    """Headings followed by nothing but a heading of the same or a higher level (or the end)."""
    lines = [line for line in text.splitlines() if line.strip()]
    found = []
    for number, line in enumerate(lines):
        level = len(line) - len(line.lstrip("#"))
        if not (line.startswith("#") and line[level:level + 1] == " "):
            continue
        following = lines[number + 1] if number + 1 < len(lines) else "#"
        next_level = len(following) - len(following.lstrip("#"))
        if following.startswith("#") and next_level <= level:
            found.append(line)
    return found


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


@pytest.fixture(scope="module")
def env_builds(repo_project: Project) -> dict[str, Build]:
    return {env: pipeline.build(repo_project, env, pipeline.Options(docs=False)) for env in repo_project.envs()}


@pytest.mark.parametrize("env", ["minikube", "kind", "prod"])
def test_no_heading_of_the_report_is_empty(env_builds: dict[str, Build], repo_project: Project, env: str) -> None:
    text = report_text(env_builds[env], repo_project, env)
    assert text.count("\n## ") >= 4
    assert empty_headings(text) == []


def test_the_empty_heading_check_finds_one() -> None:
    assert empty_headings("# a\n\n## b\n\n### c\n\n## d\ntext\n### e\n") == ["### c", "### e"]


def test_the_performance_targets_are_the_env_values(env_builds: dict[str, Build], repo_project: Project) -> None:
    text = report_text(env_builds["prod"], repo_project, "prod", ("performance.responseTimeMs=123", "performance.availabilityPercent=99.95"))
    assert "| API response time (average) | < 123 ms |" in text
    assert "| availability | 99.95 % |" in text
    assert "| throughput | 1000 requests/s |" in text  # values/base.yaml
    assert "1000" not in (TEMPLATES / "network-storage-analysis.md.j2").read_text()


def test_each_storage_class_states_its_documented_performance(env_builds: dict[str, Build], repo_project: Project) -> None:
    prod = report_text(env_builds["prod"], repo_project, "prod")
    assert "| `fast-ssd` | `pd.csi.storage.gke.io` (`pd-ssd`, SSD) | 30 read / 30 write IOPS per GiB, 0.48 MiB/s per GiB" in prod
    assert "postgres-order-data 20Gi: 600 / 600 IOPS, 9.6 MiB/s" in prod  # 20 GiB x 30, x 0.48
    assert "mongodb-product-data 15Gi: 11 / 22 IOPS, 1.8 MiB/s" in prod  # pd-standard: 15 x 0.75, x 1.5, x 0.12
    kind = report_text(env_builds["kind"], repo_project, "kind")
    assert "| `fast-ssd` | `rancher.io/local-path` | node disk, not provisioned" in kind


def test_recommendations_are_the_features_this_env_has_off(env_builds: dict[str, Build], repo_project: Project) -> None:
    minikube = report_text(env_builds["minikube"], repo_project, "minikube")
    short = minikube.split("### Short term (1-2 weeks)")[1].split("###")[0]
    assert "`cmgen render --env minikube --set features.networkPolicies=true`" in short
    assert "features.mesh=true" not in short  # mid term, by x-cmgen-horizon
    prod = report_text(env_builds["prod"], repo_project, "prod")
    assert "### Short term" not in prod  # every short-term feature is on in prod
    assert "`cmgen render --env prod --set features.coreDNS=true`" in prod
    assert "features.tls=true" not in prod
