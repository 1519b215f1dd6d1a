"""Compiled templates on disk: used when valid, never a reason to fail or to differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import jinjacache, render
from generator.project import Project

VALUES = {"name": "a"}


def _project(root: Path, template: str) -> Project:
    (root / "templates").mkdir(parents=True)
    (root / "cmgen.yaml").write_text("tree: t\n")
    (root / "templates" / "a.yaml.j2").write_text(template)
    (root / "templates" / "a.sh.j2").write_text('{% include "_p.j2" %}\n')
    (root / "templates" / "_p.j2").write_text('echo {{ "yes" }}: {{ name }}\n')
    return Project.load(root)


def _render(project: Project) -> dict[str, str]:
    return {r.output.as_posix(): r.text for r in render.render_all(render.Renderer(project), VALUES)}


def test_a_second_run_loads_compiled_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    project = _project(tmp_path / "p", 'x: {{ "yes" }}\n{% include "_p.j2" %}\n')
    first = _render(project)
    cached = sorted((tmp_path / "cache").rglob("*.cache"))
    assert len(cached) == 4  # a.yaml.j2, a.sh.j2 and the partial once per kind of file
    compiled: list[str] = []
    monkeypatch.setattr("jinja2.Environment.compile", lambda *args, **kwargs: compiled.append("!"))
    assert _render(project) == first
    assert compiled == []


def test_a_partial_is_compiled_per_kind_of_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja finalizes constants while compiling: a cached YAML partial must not serve a
    shell script (and the other way round)."""
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    project = _project(tmp_path / "p", '{% include "_p.j2" %}\n')
    first = _render(project)
    assert first == {"a.yaml": 'echo "yes": a\n', "a.sh": "echo yes: a\n"}
    assert _render(project) == first


def test_a_changed_template_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    project = _project(tmp_path / "p", "x: 1\n")
    assert _render(project)["a.yaml"] == "x: 1\n"
    (tmp_path / "p" / "templates" / "a.yaml.j2").write_text("x: 2\n")
    assert _render(project)["a.yaml"] == "x: 2\n"


@pytest.mark.parametrize("setting", ["off", "unwritable", "corrupt"])
def test_no_usable_cache_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CMGEN_CACHE_DIR", "off" if setting == "off" else str(cache))
    project = _project(tmp_path / "p", "x: {{ name }}\n")
    if setting == "unwritable":
        cache.write_text("a file where the folder should be")
    if setting == "corrupt":
        _render(project)
        for path in cache.rglob("*.cache"):
            path.write_bytes(b"garbage")
    assert _render(project)["a.yaml"] == "x: a\n"
    assert (jinjacache.for_environment("project.yaml") is None) == (setting != "corrupt")
