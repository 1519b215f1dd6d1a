"""docs/network-storage-analysis.md states facts computed from the objects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import docs, pipeline, values
from generator.docs import report
from generator.errors import CmgenError
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of
from tests.test_docs_layout import GENERATED, copy_project, generated_project

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
    assert "--set features.networkPolicies=true" not in secured  # on: no longer recommended
    assert "--set features.networkPolicies=true" in _report(minikube_build)


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


@pytest.fixture(scope="module")
def env_builds(repo_project: Project) -> dict[str, Build]:
    return {env: pipeline.build(repo_project, env, pipeline.Options(docs=False)) for env in repo_project.envs()}


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
def test_a_claim_reported_not_mounted_has_no_pod_template_mounting_it(
    env_builds: dict[str, Build], repo_project: Project, env: str
) -> None:
    build = env_builds[env]
    text = report_text(build, repo_project, env)
    unmounted = re.findall(r"^\| `([^`]+)`[^|]* \| ([^ |]+) \|.*\| \*\*not mounted\*\* \|$", text, flags=re.MULTILINE)
    rows = re.findall(r"^\| `([^`]+)`[^|]* \| ([^ |]+) \| .* \|$", text.split("(PVC 할당 전략)")[1].split("\n#")[0],
                      flags=re.MULTILINE)
    assert rows, "the PVC table lists the claims"
    mounted = _mounted_claims(build)
    for claim, namespace in unmounted:
        assert (namespace, claim) not in mounted, f"{namespace}/{claim} is mounted, yet reported not mounted"


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


def _facts(text: str) -> tuple[list[str], list[str]]:
    """The numbers and the code spans of a report, sorted (prose aside)."""
    code = re.findall(r"`[^`\n]+`", text)
    numbers = re.findall(r"\d+(?:\.\d+)?", re.sub(r"`[^`\n]+`|\([^)\s]*(?:https?://|screenshots/|README)[^)]*\)|```mermaid.*?```", "", text, flags=re.DOTALL))
    return sorted(numbers), sorted(code)


# Words a Korean heading may keep: Kubernetes kinds and file names, as the tutorial writes them.
_TERMS = {"Service", "Ingress", "StorageClass", "PVC", "scripts/test-connectivity.sh"}


@pytest.mark.parametrize("env", ["minikube", "kind", "prod"])
def test_the_korean_report_states_the_same_facts(env_builds: dict[str, Build], repo_project: Project, env: str) -> None:
    english = report_text(env_builds[env], repo_project, env)
    korean = report_text(env_builds[env], repo_project, env, language="ko")
    assert _facts(korean) == _facts(english)
    assert korean.count("\n#") == english.count("\n#")
    assert empty_headings(korean) == []
    for heading in re.findall(r"^#+ (.*)$", korean, flags=re.MULTILINE):
        assert re.search("[가-힣]", heading), heading
        words = set(re.findall(r"[A-Za-z][A-Za-z./-]*", re.sub(r"`[^`]+`", "", heading))) - _TERMS
        assert words <= {repo_project.root.name, "cloudmart", "env"}, heading


def test_docs_language_ko_in_cmgen_yaml_writes_the_korean_report(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = tmp_path / "cmgen.yaml"  # the copy's settings (layout, when), its docs in Korean
    config.write_text(config.read_text().replace("\ndocs: true\n", "\ndocs: {language: ko}\n"))
    text = pipeline.build(Project.load(tmp_path), "minikube").files[REPORT].data.decode()
    assert "## 💾 스토리지 분석" in text and "Storage analysis" not in text
    assert project.config.docs_language == "en"  # the copy as made: English, the default


def test_a_generated_platform_gets_a_complete_report(tmp_path: Path) -> None:
    project = generated_project(tmp_path)
    build = pipeline.build(project, "prod", pipeline.Options(sets=GENERATED, docs=False))
    for language in ("en", "ko"):
        text = report_text(build, project, "prod", GENERATED, language)
        assert empty_headings(text) == []
        assert "`fraud-detection-scoring-engine-eu-west`" in text
        assert "warehouse-db-data 50Gi: 1500 / 1500 IOPS, 24.0 MiB/s" in text  # pd-ssd: 50 x 30, 50 x 0.48


def test_features_take_their_horizon_and_description_from_the_schema() -> None:
    schema = {"properties": {"features": {"properties": {
        "a": {"description": "A", "x-cmgen-horizon": "short", "x-cmgen-description-ko": "에이"},
        "b": {"description": "B"},
    }}}}
    found = docs.settings({"features": {"a": False, "b": True}}, schema, "ko").features
    assert [(f.name, f.on, f.description, f.horizon) for f in found] == [("a", False, "에이", "short"), ("b", True, "B", "mid")]
    schema["properties"]["features"]["properties"]["b"]["x-cmgen-horizon"] = "soon"
    with pytest.raises(CmgenError, match="x-cmgen-horizon must be one of short, mid, long"):
        docs.settings({"features": {"b": True}}, schema)
