"""Claims in the docs that are facts of the code are checked against the code."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.lint import RULES
from generator.manifests import from_text
from generator.validate import validate
from tests.conftest import REPO, cmgen, copy_repo_project


def test_lint_doc_lists_every_rule_with_its_severity() -> None:
    text = (REPO / "docs" / "lint.md").read_text()
    documented = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", text, re.MULTILINE))
    assert documented == {rule.id: rule.severity for rule in RULES}


def test_readme_test_line_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.DOTALL)
    test_line = next(block for block in blocks if "pytest" in block)
    assert test_line in ci


def test_kubernetes_objects_shown_in_the_docs_are_valid(shared_crds: Path) -> None:
    """Every YAML example in docs/ that is a Kubernetes object passes strict validation."""
    manifests = []
    for doc in sorted((REPO / "docs").glob("*.md")):
        for number, block in enumerate(re.findall(r"```yaml\n(.*?)```", doc.read_text(), re.DOTALL)):
            name = f"{doc.name}#yaml-{number}"
            found = [m for m in from_text(block, name) if "apiVersion" in m.data and "kind" in m.data]
            manifests.extend(found)
    assert any(m.kind == "Kustomization" for m in manifests)  # the Flux example is among them
    report = validate(manifests, "1.35", [shared_crds], require_schemas=True)
    assert report.ok, "\n".join(finding.text() for finding in report.findings)


def test_the_ci_example_uploads_only_findings_not_skipped(tmp_path: Path) -> None:
    """The jq line of docs/git-workflow.md, run on this repository's SARIF: every skipped
    finding (a suppressed result) is dropped, every other one is kept."""
    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed (GitHub's runners have it)")
    workflow = (REPO / "docs" / "git-workflow.md").read_text()
    (line,) = re.findall(r"- run: (jq .*)$", workflow, re.MULTILINE)
    sarif = json.loads(cmgen("lint", str(REPO / "out"), "--output", "sarif").stdout)
    suppressed = sum(1 for result in sarif["runs"][0]["results"] if result["suppressions"])
    sarif["runs"][0]["results"].append({**sarif["runs"][0]["results"][0], "suppressions": []})
    (tmp_path / "lint.sarif").write_text(json.dumps(sarif))
    subprocess.run(["bash", "-c", line], cwd=tmp_path, check=True)
    uploaded = json.loads((tmp_path / "upload.sarif").read_text())["runs"][0]["results"]
    assert suppressed > 0
    assert len(uploaded) == len(sarif["runs"][0]["results"]) - suppressed == 1
    assert uploaded[0]["suppressions"] == []


def test_the_readmes_template_error_example_is_what_cmgen_prints(tmp_path: Path) -> None:
    """The README's bad-input example for a template names a real file and line: a typo
    there (``c.namespacee``) gives exactly that line."""
    readme = (REPO / "README.md").read_text()
    (example,) = re.findall(r"^templates/\S+: error: undefined value: .*$", readme, re.MULTILINE)
    template, line = re.match(r"(templates/\S+?):(\d+):1:", example).groups()  # type: ignore[union-attr]
    project = copy_repo_project(tmp_path / "project")
    lines = (project / template).read_text().splitlines(keepends=True)
    assert "c.namespace }}" in lines[int(line) - 1]
    lines[int(line) - 1] = lines[int(line) - 1].replace("c.namespace }}", "c.namespacee }}")
    (project / template).write_text("".join(lines))
    result = cmgen("render", "--env", "minikube", project=project)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == example
