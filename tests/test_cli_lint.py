"""``cmgen lint`` through the real app: exit codes, formats, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from tests.lintcase import container, hardened
from tests.sarif_judge import schema_errors
from typer.testing import CliRunner

from generator.cli import app

TUTORIAL = str(Path(__file__).parent / "fixtures" / "tutorial")
runner = CliRunner()


def _write(tmp_path: Path, objects: list[dict]) -> str:
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump_all(objects, sort_keys=False))
    return str(path)


def test_errors_exit_1_with_sorted_lines_and_summary() -> None:
    result = runner.invoke(app, ["lint", TUTORIAL])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "8 errors, 57 warnings"  # 13 + 11 hardening x 4 workloads
    places = [
        (file, int(line), int(column))
        for file, line, column, *_ in (x.split(":") for x in lines[:-1])
    ]
    assert places == sorted(places)
    assert any(
        ": error[ingress-backend-service] Ingress/cloudmart-ingress: " in line for line in lines
    )


def test_clean_set_exits_0(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", _write(tmp_path, hardened())])
    assert (result.exit_code, result.stdout) == (0, "no findings\n")


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    objects = hardened()
    del objects[1]["spec"]["template"]["spec"]["automountServiceAccountToken"]
    result = runner.invoke(app, ["lint", _write(tmp_path, objects)])
    assert result.exit_code == 0
    assert "warning[automount-token]" in result.stdout


def test_json_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "--output", "json", TUTORIAL])
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert document["counts"]["error"] == 8
    assert {"file", "line", "column", "severity", "rule", "resource", "message"} <= set(
        document["findings"][0]
    )


def test_sarif_output() -> None:
    result = runner.invoke(app, ["lint", "-o", "sarif", TUTORIAL])
    document = json.loads(result.stdout)
    run = document["runs"][0]
    assert document["version"] == "2.1.0"
    assert len(run["tool"]["driver"]["rules"]) >= 40
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert schema_errors(document) == []


def _skipping(tmp_path: Path) -> str:
    """A clean set but for one warning that its object skips with a reason."""
    objects = hardened()
    del container(objects[1])["securityContext"]["readOnlyRootFilesystem"]
    objects[1]["metadata"]["annotations"] = {
        "cmgen.io/lint-skip.read-only-root-fs": "nginx writes /var/cache"
    }
    return _write(tmp_path, objects)


def test_sarif_suppresses_a_skipped_finding_in_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "-o", "sarif", _skipping(tmp_path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert schema_errors(document) == []
    [skipped] = document["runs"][0]["results"]
    assert (skipped["ruleId"], skipped["level"]) == ("read-only-root-fs", "warning")
    assert skipped["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "nginx writes /var/cache"}
    ]
    assert "skipped" not in skipped["message"]["text"]


def test_text_and_json_show_a_skip(tmp_path: Path) -> None:
    path = _skipping(tmp_path)
    text = runner.invoke(app, ["lint", path])
    assert text.exit_code == 0
    assert ": info[read-only-root-fs] " in text.stdout
    assert " [skipped: nginx writes /var/cache]" in text.stdout
    assert text.stdout.endswith("1 skipped\n")
    [finding] = json.loads(runner.invoke(app, ["lint", "-o", "json", path]).stdout)["findings"]
    assert finding["severity"] == "info"
    assert finding["skip"] == {"reason": "nginx writes /var/cache", "severity": "warning"}


def test_bad_yaml_exits_2_with_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("kind: Service\nmetadata: {name: x\n")
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:")
    assert ": error: " in result.stderr and "Traceback" not in result.stderr


def test_missing_path_and_bad_format_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["lint", str(tmp_path / "nope")]).exit_code == 2
    result = runner.invoke(app, ["lint", "-o", "xml", TUTORIAL])
    assert result.exit_code == 2 and "--output must be one of" in result.stderr
    assert runner.invoke(app, ["lint"]).exit_code == 2


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "-"], input=yaml.safe_dump_all(hardened()))
    assert result.exit_code == 0


def test_rules_listing() -> None:
    result = runner.invoke(app, ["lint", "--rules"])
    assert result.exit_code == 0
    assert "service-selector\terror\t" in result.stdout


# --- bad input still gives a document (issue 22, decided) ---------------------------------


def test_sarif_on_bad_input_is_a_valid_log_with_the_error_as_a_notification(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [\n")
    result = runner.invoke(app, ["lint", "--output", "sarif", str(broken)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{broken}:2:1: error: did not find expected node content")
    log = json.loads(result.stdout)
    assert schema_errors(log) == []
    (run,) = log["runs"]
    assert run["results"] == []
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"].startswith("did not find expected node content")
    location = notification["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": str(broken)}, "region": {"startLine": 2, "startColumn": 1}}


def test_json_on_bad_input_carries_the_error() -> None:
    result = runner.invoke(app, ["lint", "--output", "json"])
    assert result.exit_code == 2
    assert result.stderr == "cmgen: error: no PATH given: name manifest files or folders (or - for stdin)\n"
    document = json.loads(result.stdout)
    assert document["findings"] == []
    assert document["errors"] == [{
        "file": None, "line": None, "column": None, "context": [],
        "message": "no PATH given: name manifest files or folders (or - for stdin)",
    }]


def test_junit_and_tap_outputs_have_a_test_per_object(tmp_path: Path) -> None:
    from junitparser import JUnitXml
    from tap.parser import Parser

    junit = runner.invoke(app, ["lint", TUTORIAL, "--output", "junit"])
    assert junit.exit_code == 1
    (tmp_path / "lint.xml").write_text(junit.stdout)
    xml = JUnitXml.fromfile(str(tmp_path / "lint.xml"))
    text = runner.invoke(app, ["lint", TUTORIAL]).stdout.splitlines()
    failing = {line.split(": ")[1].split(" ", 1)[1] for line in text if ": error[" in line}
    assert xml.failures == len(failing) > 0
    tap = runner.invoke(app, ["lint", TUTORIAL, "--output", "tap"])
    tests = [line for line in Parser().parse_text(tap.stdout) if line.category == "test"]
    assert len(tests) == xml.tests
    assert sum(not test.ok for test in tests) == xml.failures
