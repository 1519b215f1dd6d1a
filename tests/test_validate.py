from __future__ import annotations

from pathlib import Path

import pytest

from generator import manifests
from generator.errors import CmgenError
from generator.k8s.objects import Manifest
from generator.validate import Report, validate

CASES = Path(__file__).parent / "cases" / "validate"
VALID = sorted(path for path in (CASES / "valid").iterdir() if path.is_dir())
INVALID = sorted(path for path in (CASES / "invalid").iterdir() if path.is_dir())


def _crd_paths(case: Path, request: pytest.FixtureRequest) -> list[Path]:
    """``crds.txt`` names folders of the shared real CRDs, one per line."""
    listing = case / "crds.txt"
    if not listing.exists():
        return []
    root: Path = request.getfixturevalue("shared_crds")
    return [root / line for line in listing.read_text().split()]


def _run_case(case: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Report:
    crd_paths = _crd_paths(case, request)
    monkeypatch.chdir(case)
    return validate(manifests.load_paths(["."]), "1.35", crd_paths)


@pytest.mark.parametrize("case", VALID, ids=[path.name for path in VALID])
def test_valid_case(case: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _run_case(case, request, monkeypatch)
    assert [finding.text() for finding in report.findings] == []
    assert report.resources > 0
    assert (report.invalid, report.skipped) == (0, 0)


@pytest.mark.parametrize("case", INVALID, ids=[path.name for path in INVALID])
def test_invalid_case(
    case: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [line for line in (case / "expected.txt").read_text().splitlines() if line]
    report = _run_case(case, request, monkeypatch)
    actual = [finding.text() for finding in report.findings]
    assert len(actual) == len(expected), "\n".join(actual)
    for want, got in zip(expected, actual):
        assert got.startswith(want)
    assert not report.ok
    assert report.invalid >= 1


def test_every_cloudmart_kind_has_a_valid_example() -> None:
    loaded = manifests.load_paths([str(CASES / "valid" / "cloudmart")])
    kinds = {(manifest.api_version, manifest.kind) for manifest in loaded}
    assert kinds >= {
        ("v1", "Namespace"),
        ("v1", "Service"),
        ("networking.k8s.io/v1", "Ingress"),
        ("storage.k8s.io/v1", "StorageClass"),
        ("v1", "PersistentVolumeClaim"),
        ("apps/v1", "StatefulSet"),
        ("apps/v1", "Deployment"),
        ("v1", "ConfigMap"),
        ("v1", "Secret"),
        ("networking.k8s.io/v1", "NetworkPolicy"),
        ("autoscaling/v2", "HorizontalPodAutoscaler"),
        ("policy/v1", "PodDisruptionBudget"),
        ("batch/v1", "CronJob"),
        ("v1", "ServiceAccount"),
    }


def _load(text: str) -> list[Manifest]:
    return manifests.from_text(text, "in.yaml")


CUSTOM = """\
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
"""


def test_custom_resource_without_crd_is_skipped_as_info() -> None:
    report = validate(_load(CUSTOM), "1.35")
    assert (report.resources, report.invalid, report.skipped) == (1, 0, 1)
    assert report.ok
    [finding] = report.findings
    assert (finding.severity, finding.rule, finding.line) == ("info", "no-schema", 1)


def test_require_schemas_makes_a_missing_crd_an_error() -> None:
    report = validate(_load(CUSTOM), "1.35", require_schemas=True)
    assert (report.invalid, report.skipped) == (1, 0)
    assert [(f.severity, f.rule) for f in report.findings] == [("error", "no-schema")]


def test_api_removed_later_is_valid_in_an_older_version() -> None:
    hpa = """\
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
"""
    assert validate(_load(hpa), "1.25").findings == []
    [finding] = validate(_load(hpa), "1.26").findings
    assert finding.rule == "unknown-api"
    assert "use autoscaling/v2" in finding.message


def test_null_int_or_string_is_accepted() -> None:
    service = """\
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports: [{port: 80, targetPort: null}]
"""
    assert validate(_load(service), "1.35").findings == []


def test_findings_are_sorted_across_files() -> None:
    bad = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nbogus: 1\n"
    loaded = manifests.from_text(bad, "b.yaml") + manifests.from_text(bad, "a.yaml")
    report = validate(loaded, "1.35")
    assert [finding.file for finding in report.findings] == ["a.yaml", "b.yaml"]
    assert (report.resources, report.invalid, report.skipped) == (2, 2, 0)


def test_report_has_counts_and_findings() -> None:
    report = validate(_load(CUSTOM), "1.35")
    assert (report.resources, report.invalid, report.skipped) == (1, 0, 1)
    assert report.findings[0].rule == "no-schema"


def test_unknown_kubernetes_version_is_bad_input() -> None:
    with pytest.raises(CmgenError, match="no schemas for Kubernetes 1.9"):
        validate(_load(CUSTOM), "1.9")


def test_crd_path_without_crds_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    with pytest.raises(CmgenError, match="no apiextensions.k8s.io/v1 CustomResourceDefinition"):
        validate(_load(CUSTOM), "1.35", [tmp_path])


def test_crd_in_input_overrides_crd_from_path(tmp_path: Path) -> None:
    def crd(field: str) -> str:
        return f"""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: widgets.example.com}}
spec:
  group: example.com
  scope: Namespaced
  names: {{plural: widgets, kind: Widget}}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            {field}: {{type: string}}
"""

    (tmp_path / "crd.yaml").write_text(crd("colour"))
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nsize: big\n"
    from_path = validate(_load(widget), "1.35", [tmp_path])
    assert [f.message for f in from_path.findings] == ["$.size: unknown field"]
    in_stream = validate(_load(widget + "---\n" + crd("size")), "1.35", [tmp_path])
    assert in_stream.findings == []
