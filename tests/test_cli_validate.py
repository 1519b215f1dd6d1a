"""Acceptance tests of ``cmgen validate`` through the Typer app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app

CASES = Path(__file__).parent / "cases" / "validate"
runner = CliRunner()

HPA_V2BETA2 = """\
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
"""
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"


@pytest.fixture(autouse=True)
def _outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_valid_tree_exits_0_with_a_summary() -> None:
    result = runner.invoke(app, ["validate", str(CASES / "valid" / "cloudmart")])
    assert result.exit_code == 0, result.output
    assert result.output == "15 resources, 0 invalid, 0 skipped\n"


def test_invalid_file_exits_1_with_located_findings(tmp_path: Path) -> None:
    source = CASES / "invalid" / "multi-doc-later-error" / "app.yaml"
    (tmp_path / "app.yaml").write_text(source.read_text())
    result = runner.invoke(app, ["validate", "app.yaml"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "app.yaml:24:7: error[schema] Service/third: $.spec.ports[0].protocoll: "
        "unknown field (did you mean 'protocol'?)",
        "3 resources, 1 invalid, 0 skipped",
    ]


def test_json_output_has_the_same_findings_and_counts() -> None:
    folder = CASES / "invalid" / "removed-apis"
    result = runner.invoke(app, ["validate", str(folder), "--output", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["summary"]["resources"], data["summary"]["invalid"], data["summary"]["skipped"]) == (6, 6, 0)
    assert {finding["rule"] for finding in data["findings"]} == {"unknown-api"}
    assert data["findings"][0]["line"] == 1 and data["findings"][0]["column"] == 13


def test_stdin_is_read_with_a_dash() -> None:
    result = runner.invoke(app, ["validate", "-"], input=WIDGET)
    assert result.exit_code == 0
    assert "info[no-schema] Widget/w: no schema for example.com/v1 Widget: skipped" in result.output
    assert result.output.endswith("1 resources, 0 invalid, 1 skipped\n")


def test_require_schemas_turns_a_skip_into_an_error() -> None:
    result = runner.invoke(app, ["validate", "-", "--require-schemas"], input=WIDGET)
    assert result.exit_code == 1
    assert "error[no-schema] Widget/w" in result.output
    assert result.output.endswith("1 resources, 1 invalid, 0 skipped\n")


def test_kube_version_option_picks_the_schemas(tmp_path: Path) -> None:
    (tmp_path / "hpa.yaml").write_text(HPA_V2BETA2)
    assert runner.invoke(app, ["validate", "hpa.yaml", "--kube-version", "1.25"]).exit_code == 0
    result = runner.invoke(app, ["validate", "hpa.yaml"])
    assert result.exit_code == 1
    assert "not served by Kubernetes 1.35 (removed in 1.26): use autoscaling/v2" in result.output


def test_project_settings_give_the_defaults(tmp_path: Path, shared_crds: Path) -> None:
    shutil.copytree(shared_crds / "cert-manager", tmp_path / "crds")  # a project reads only its own files
    (tmp_path / "cmgen.yaml").write_text('kubeVersion: "1.25"\ncrds:\n  - crds\n')
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "hpa.yaml").write_text(HPA_V2BETA2)
    certificate = CASES / "invalid" / "cert-manager" / "certificate.yaml"
    (tmp_path / "manifests" / "cert.yaml").write_text(certificate.read_text())
    result = runner.invoke(app, ["validate", "manifests"])
    assert result.exit_code == 1
    assert "HorizontalPodAutoscaler" not in result.output
    assert "manifests/cert.yaml:7:15: error[schema] Certificate/cloudmart-tls" in result.output
    override = runner.invoke(app, ["validate", "manifests", "--kube-version", "1.35"])
    assert "error[unknown-api] HorizontalPodAutoscaler/h" in override.output


def test_crd_option_validates_custom_resources(shared_crds: Path) -> None:
    folder = CASES / "valid" / "cert-manager"
    crd = str(shared_crds / "cert-manager")
    result = runner.invoke(app, ["validate", str(folder), "--crd", crd, "--require-schemas"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", str(folder), "--require-schemas"])
    assert result.exit_code == 1


def test_missing_file_is_bad_input() -> None:
    result = runner.invoke(app, ["validate", "absent.yaml"])
    assert result.exit_code == 2
    assert result.output == "absent.yaml: error: no such file or folder\n"


def test_unparseable_yaml_is_bad_input_with_its_location(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("apiVersion: v1\nkind: [ConfigMap\n")
    result = runner.invoke(app, ["validate", "broken.yaml"])
    assert result.exit_code == 2
    assert result.output.startswith("broken.yaml:3:1: error: ")
    assert "Traceback" not in result.output


def test_duplicate_key_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "dup.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nkind: Secret\n")
    result = runner.invoke(app, ["validate", "dup.yaml"])
    assert result.exit_code == 2
    assert result.output.startswith("dup.yaml:3:1: error: duplicate key 'kind'")


def test_unknown_kube_version_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(WIDGET)
    result = runner.invoke(app, ["validate", "w.yaml", "--kube-version", "2.0"])
    assert result.exit_code == 2
    assert "error: no schemas for Kubernetes 2.0 (available: 1.25" in result.output


def test_json_on_bad_input_is_a_document_carrying_the_error(tmp_path: Path) -> None:
    """Issue 22 (decided): a CI parser of --output json gets a document on exit 2 too."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: Service\nkind: Pod\n")
    result = runner.invoke(app, ["validate", "--output", "json", str(broken)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{broken}:2:1: error: duplicate key 'kind'")
    assert json.loads(result.stdout) == {
        "version": 1, "command": "validate", "findings": [], "counts": {"error": 0, "warning": 0, "info": 0},
        "summary": {"resources": 0, "files": 0, "valid": 0, "invalid": 0, "errors": 0, "skipped": 0},
        "errors": [{"file": str(broken), "line": 2, "column": 1, "context": [],
                    "message": "duplicate key 'kind' (first defined at line 1)"}],
    }


BAD_SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  ports:\n    - port: eighty\n"
GOOD_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"


def _three_files(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_SERVICE)
    (tmp_path / "good.yaml").write_text(GOOD_CM)
    (tmp_path / "widget.yaml").write_text(WIDGET)


def test_junit_output_is_well_formed_with_a_case_per_resource(tmp_path: Path) -> None:
    from junitparser import Failure, JUnitXml, Skipped

    _three_files(tmp_path)
    result = runner.invoke(app, ["validate", ".", "--output", "junit"])
    assert result.exit_code == 1
    (tmp_path / "report.xml").write_text(result.output)
    xml = JUnitXml.fromfile(str(tmp_path / "report.xml"))
    assert (xml.tests, xml.failures, xml.skipped, xml.errors) == (3, 1, 1, 0)
    cases = {case.name: case for suite in xml for case in suite}
    assert sorted(cases) == ["ConfigMap/c", "Service/b", "Widget/w"]
    (failure,) = cases["Service/b"].result
    assert isinstance(failure, Failure)
    assert failure.message == "bad.yaml:6:13: error[schema] Service/b: $.spec.ports[0].port: 'eighty' is not of type 'integer'"
    assert isinstance(cases["Widget/w"].result[0], Skipped)
    assert cases["ConfigMap/c"].is_passed


def test_tap_output_is_tap_13(tmp_path: Path) -> None:
    from tap.parser import Parser

    _three_files(tmp_path)
    result = runner.invoke(app, ["validate", ".", "--output", "tap", "--summary"])
    assert result.exit_code == 1
    lines = list(Parser().parse_text(result.output))
    assert lines[0].category == "version" and lines[0].version == 13
    assert lines[1].category == "plan" and lines[1].expected_tests == 3
    tests = [line for line in lines if line.category == "test"]
    assert [(t.number, t.ok, t.skip) for t in tests] == [(1, False, False), (2, True, False), (3, True, True)]
    assert tests[0].yaml_block == {
        "findings": ["bad.yaml:6:13: error[schema] Service/b: $.spec.ports[0].port: 'eighty' is not of type 'integer'"]
    }
    assert result.output.endswith(
        "# Summary: 3 resources found in 3 files - Valid: 1, Invalid: 1, Errors: 0, Skipped: 1\n"
    )


def test_skip_kinds_and_summary(tmp_path: Path) -> None:
    _three_files(tmp_path)
    result = runner.invoke(app, ["validate", ".", "--skip", "Service,example.com/v1/Widget", "--summary"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "3 resources, 0 invalid, 2 skipped\n"
        "Summary: 3 resources found in 3 files - Valid: 1, Invalid: 0, Errors: 0, Skipped: 2\n"
    )
    as_json = json.loads(runner.invoke(app, ["validate", ".", "--skip", "Service", "-o", "json", "--summary"]).output)
    assert as_json["summary"] == {"resources": 3, "files": 3, "valid": 1, "invalid": 0, "errors": 0, "skipped": 2}


def test_sarif_output_of_validate(tmp_path: Path) -> None:
    _three_files(tmp_path)
    result = runner.invoke(app, ["validate", "bad.yaml", "--output", "sarif"])
    assert result.exit_code == 1
    (only,) = json.loads(result.output)["runs"][0]["results"]
    assert (only["ruleId"], only["locations"][0]["physicalLocation"]["region"]) == (
        "schema", {"startLine": 6, "startColumn": 13}
    )


@pytest.mark.parametrize(("files", "code"), [(["good.yaml"], 0), (["bad.yaml"], 1), (["missing.yaml"], 2)])
def test_validate_exit_codes(tmp_path: Path, files: list[str], code: int) -> None:
    _three_files(tmp_path)
    assert runner.invoke(app, ["validate", *files]).exit_code == code
