"""Every command's ``--output json`` against the one schema (docs/json-output.md), judged by
python-jsonschema: success, findings, skips, drift and bad input, on CloudMart and broken
copies of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.reporting.jsondoc import SCHEMA
from tests.conftest import cmgen, copy_repo_project

TUTORIAL = str(Path(__file__).parent / "fixtures" / "tutorial")
REMOVED_APIS = str(Path(__file__).parent / "cases" / "validate" / "invalid" / "removed-apis")
VALIDATOR = Draft202012Validator(json.loads(SCHEMA.read_text()))


def _errors(document: Any) -> list[str]:
    return sorted(error.message for error in VALIDATOR.iter_errors(document))


def _document(stdout: str) -> dict[str, Any]:
    document = json.loads(stdout)  # the whole of stdout: nothing else is printed there
    assert _errors(document) == [], document
    return document


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def cloudmart(tmp_path: Path) -> Path:
    return copy_repo_project(tmp_path / "project", "out")


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA.read_text()))


def test_the_schema_judge_is_not_vacuous() -> None:
    finding = {"file": "a.yaml", "line": 0, "column": 1, "severity": "error", "rule": "r", "message": "m"}
    document = {"version": 2, "command": "lint", "findings": [finding],
                "counts": {"error": 0, "warning": 0, "info": 0}, "errors": [], "extra": 1}
    assert _errors(document) == [
        "0 is less than the minimum of 1", "1 was expected",
        "Additional properties are not allowed ('extra' was unexpected)",
    ]


def test_lint(tmp_path: Path) -> None:
    result = cmgen("lint", "--output", "json", TUTORIAL)
    document = _document(result.stdout)
    assert (result.exit_code, document["version"], document["command"]) == (1, 1, "lint")
    assert document["counts"] == {"error": 8, "warning": 57, "info": 0}  # as its text says
    assert document["errors"] == []


def test_lint_of_cloudmart_has_skips_by_annotation_and_setting(cloudmart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(cloudmart)  # its cmgen.yaml's lint settings apply
    result = cmgen("lint", "--output", "json", "out")
    document = _document(result.stdout)
    assert result.exit_code == 0
    skips = [finding["skip"] for finding in document["findings"] if "skip" in finding]
    assert skips and all(finding["severity"] == "info" for finding in document["findings"] if "skip" in finding)


def test_validate() -> None:
    result = cmgen("validate", "--output", "json", REMOVED_APIS)
    document = _document(result.stdout)
    assert (result.exit_code, document["command"]) == (1, "validate")
    assert document["summary"] == {"resources": 6, "files": 1, "valid": 0, "invalid": 6, "errors": 0, "skipped": 0}


@pytest.mark.parametrize("command", ["lint", "validate"])
def test_bad_input_of_a_manifest_command(tmp_path: Path, command: str) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: Service\nkind: Pod\n")
    result = cmgen(command, "--output", "json", str(broken))
    document = _document(result.stdout)
    assert result.exit_code == 2
    assert document["errors"] == [{"file": str(broken), "line": 2, "column": 1, "context": [],
                                   "message": "duplicate key 'kind' (first defined at line 1)"}]


def test_check_in_sync_and_drifted(cloudmart: Path) -> None:
    result = cmgen("check", "--all-envs", "-j", "1", "--output", "json", project=cloudmart)
    document = _document(result.stdout)
    assert (result.exit_code, document["command"], document["envs"]) == (0, "check", ["kind", "minikube", "prod"])
    assert document["counts"]["error"] == 0 and document["counts"]["info"] > 0
    assert result.stderr.endswith("cmgen: 3 env(s) in sync\n")  # what it did: not on stdout
    ingress = cloudmart / "out/minikube/week3/day3/k8s-manifests/networking/ingress.yaml"
    ingress.write_text(ingress.read_text() + "# edited\n")
    result = cmgen("check", "--env", "minikube", "--output", "json", project=cloudmart)
    document = _document(result.stdout)
    assert result.exit_code == 1
    [drifted] = [finding for finding in document["findings"] if finding["severity"] == "error"]
    assert (drifted["rule"], drifted["file"]) == ("drifted", "out/minikube/week3/day3/k8s-manifests/networking/ingress.yaml")


def test_check_and_render_with_an_env_of_bad_input(cloudmart: Path) -> None:
    values = cloudmart / "values/kind.yaml"
    values.write_text(values.read_text() + "bogus: [\n")
    for command in ("check", "render"):
        result = cmgen(command, "--all-envs", "-j", "1", "--output", "json", project=cloudmart)
        document = _document(result.stdout)
        assert result.exit_code == 2, command
        [error] = document["errors"]
        assert (error["file"], error["context"]) == ("values/kind.yaml", ["while rendering env kind"])


def test_bad_input_before_any_env(cloudmart: Path) -> None:
    result = cmgen("check", "--env", "no-such-env", "--output", "json", project=cloudmart)
    document = _document(result.stdout)
    assert result.exit_code == 2 and len(document["errors"]) == 1


def test_render(cloudmart: Path) -> None:
    result = cmgen("render", "--env", "minikube", "--output", "json", project=cloudmart)
    document = _document(result.stdout)
    assert (result.exit_code, document["command"], document["envs"]) == (0, "render", ["minikube"])
    assert "minikube: 28 files in out/minikube/week3/day3 (0 changed, 0 removed)\n" in result.stderr


def test_the_example_in_the_docs_is_valid() -> None:
    import re

    from tests.conftest import REPO

    text = (REPO / "docs" / "json-output.md").read_text()
    (example,) = re.findall(r"```json\n(.*?)```", text, re.DOTALL)
    assert _errors(json.loads(example)) == []
