"""cmgen graph through the CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from generator.cli import app
from tests.conftest import REPO

runner = CliRunner()


def test_graph_formats() -> None:
    for format, start in (("mermaid", "graph LR"), ("dot", "digraph"), ("json", "{")):
        result = runner.invoke(app, ["graph", "--env", "minikube", "--format", format, "-C", str(REPO)])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(start)
    data = json.loads(runner.invoke(app, ["graph", "-e", "minikube", "-f", "json", "-C", str(REPO)]).stdout)
    assert data["requested_storage"] == "50Gi"


def test_graph_bad_format_and_env_are_usage_errors() -> None:
    bad = runner.invoke(app, ["graph", "--env", "minikube", "--format", "xml", "-C", str(REPO)])
    assert bad.exit_code == 2 and "mermaid, dot, json" in bad.output
    unknown = runner.invoke(app, ["graph", "--env", "nope", "-C", str(REPO)])
    assert unknown.exit_code == 2 and "unknown env 'nope'" in unknown.output
