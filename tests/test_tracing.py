"""Tracing rendered lines back to the template lines that produced them (``generator.tracing``)."""

from __future__ import annotations

from pathlib import Path

from generator import render
from generator.project import Project
from tests.test_render import VALUES


def test_trace_maps_rendered_lines_to_template_lines(project_dir: Path) -> None:
    project = Project.load(project_dir)
    renderer = render.Renderer(project)
    values = dict(VALUES, components=[{"name": "api", "port": 8080}, {"name": "web", "port": 80}])
    rendered = renderer.render(project_dir / "templates" / "app" / "deployment.yaml.j2", values)
    traced = {line: rendered.trace.line(n) for n, line in enumerate(rendered.text.splitlines(), 1)}
    deployment, labels = "templates/app/deployment.yaml.j2", "templates/_partials/labels.yaml.j2"
    assert traced["  name: shop"] == f"{deployment}:5"
    # inside the included partial, text after a comment and an expression
    assert traced["  labels:"] == f"{labels}:2"
    assert traced["    app: shop"] == f"{labels}:3"
    assert traced["    tier: web"] == f"{labels}:6"
    # text right after a tag whose newline trim_blocks removed
    assert traced["spec:"] == f"{deployment}:8"
    assert traced["  replicas: 2"] == f"{deployment}:9"
    assert traced["          image: nginx:1.27"] == f"{deployment}:20"
    # each iteration of a loop
    assert traced["            - name: api"] == f"{deployment}:23"
    assert traced["            - name: web"] == f"{deployment}:23"
    assert traced["              containerPort: 80"] == f"{deployment}:24"
    assert rendered.trace.line(0) == "" and rendered.trace.line(10_000) == ""
