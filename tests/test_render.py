from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator import render, yamlio
from generator.errors import CmgenError
from generator.project import Project

VALUES: dict[str, Any] = {
    "env": "dev",
    "app": {"name": "shop", "image": "nginx:1.27", "replicas": 2, "message": "hello", "labels": {"tier": "web"}},
    "components": [{"name": "api", "port": 8080}],
}


def _template(project_dir: Path, name: str, text: str) -> Path:
    path = project_dir / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _render(project_dir: Path, name: str, text: str, values: dict[str, Any] | None = None) -> str:
    path = _template(project_dir, name, text)
    return render.Renderer(Project.load(project_dir)).render(path, values or VALUES).text


def _error(project_dir: Path, name: str, text: str, values: dict[str, Any] | None = None) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        _render(project_dir, name, text, values)
    return caught.value


def test_renders_the_fixture_templates_in_sorted_order(project_dir: Path) -> None:
    renderer = render.Renderer(Project.load(project_dir))
    outputs = render.render_all(renderer, VALUES)
    assert [r.output.as_posix() for r in outputs] == [
        "README.md", "app/configmap.yaml", "app/deployment.yaml", "scripts/hello.sh",
    ]
    again = render.render_all(render.Renderer(Project.load(project_dir)), VALUES)
    assert [r.text for r in outputs] == [r.text for r in again]


def test_undefined_value_at_the_template_line(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "a: 1\nb: {{ app.nope }}\n")
    assert str(error.location) == "templates/x.yaml.j2:2:1"
    assert error.message == "undefined value: 'dict object' has no attribute 'nope'"


@pytest.mark.parametrize("suffix", [".yaml", ".sh", ".md", ".txt"])
def test_undefined_value_is_an_error_for_every_output_type(project_dir: Path, suffix: str) -> None:
    error = _error(project_dir, f"x{suffix}.j2", "\n\n{{ nope }}\n")
    assert str(error.location) == f"templates/x{suffix}.j2:3:1"
    assert "'nope' is undefined" in error.message


def test_undefined_in_a_statement(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "a: 1\n{% for x in nope %}\n{% endfor %}\n")
    assert str(error.location) == "templates/x.yaml.j2:2:1"


def test_undefined_inside_an_included_partial_is_located_in_the_partial(project_dir: Path) -> None:
    _template(project_dir, "_partials/bad.yaml.j2", "# a partial\nb: {{ missing }}\n")
    error = _error(project_dir, "x.yaml.j2", "a: 1\n{% include '_partials/bad.yaml.j2' %}\n")
    assert str(error.location) == "templates/_partials/bad.yaml.j2:2:1"


def test_syntax_error_line(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "a: 1\n{% for x in y %}\nb: 2\n{% endfo %}\n")
    assert str(error.location) == "templates/x.yaml.j2:4:1"
    assert error.message.startswith("template syntax: Encountered unknown tag 'endfo'")


def test_syntax_error_in_a_partial(project_dir: Path) -> None:
    _template(project_dir, "_partials/broken.j2", "\n{{ a b }}\n")
    error = _error(project_dir, "x.yaml.j2", "{% include '_partials/broken.j2' %}\n")
    assert str(error.location) == "templates/_partials/broken.j2:2:1"


def test_missing_include(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "a: 1\n{% include '_partials/nope.j2' %}\n")
    assert error.message == "template not found: _partials/nope.j2"
    assert str(error.location) == "templates/x.yaml.j2:2:1"


def test_fail_in_a_template(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "a: 1\n{% if app.replicas > 1 %}{{ fail('too many') }}{% endif %}\n")
    assert (str(error.location), error.message) == ("templates/x.yaml.j2:2:1", "too many")


@pytest.mark.parametrize(
    ("value", "message"),
    [("nope", "no component with name 'nope'"), ("api", "2 component with name 'api'")],
)
def test_one(project_dir: Path, value: str, message: str) -> None:
    values = dict(VALUES, components=[{"name": "api"}, {"name": "api"}])
    error = _error(project_dir, "x.yaml.j2", f"a: {{{{ one(components, 'name', '{value}', 'component') }}}}\n", values)
    assert (str(error.location), error.message) == ("templates/x.yaml.j2:1:1", message)
    text = _render(project_dir, "y.yaml.j2", "a: {{ one(components, 'name', 'api').name }}\n")
    assert text == "a: api\n"


def test_python_errors_are_located(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "a: 1\nb: {{ app.replicas + 'x' }}\n")
    assert str(error.location) == "templates/x.yaml.j2:2:1"
    assert error.message.startswith("TypeError")


def test_a_value_finalize_cannot_write_is_located(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "a: 1\nb: {{ app.name.upper }}\n")
    assert str(error.location) == "templates/x.yaml.j2:2:1"
    assert "cannot write a builtin_function_or_method into YAML" in error.message


def test_template_recursion(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "{% macro f() %}{{ f() }}{% endmacro %}\na: {{ f() }}\n")
    assert error.message == "template recursion is too deep"


# --- finalize: a value can never add structure ---------------------------------------------

INJECTIONS = [
    "x\nkind: Secret",
    "a: b",
    "---",
    "x\n---\nkind: Secret\nmetadata: {name: evil}",
    "x\n  extra: key",
    "- item",
    "{a: 1}",
    "[1, 2]",
    "&anchor x",
    "*alias",
    "!!binary aGVsbG8=",
    "x # comment",
    "yes",
    "0755",
    "",
    " ",
    "\ttab",
    "'single' \"double\"",
    "ls\u2028ps",
    "nul\x00",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_yaml_value_stays_one_string(project_dir: Path, value: str) -> None:
    values = dict(VALUES, app=dict(VALUES["app"], message=value))
    text = _render(project_dir, "x.yaml.j2", "kind: ConfigMap\ndata:\n  message: {{ app.message }}\n  other: 1\n", values)
    documents = yamlio.load_all(text, "rendered")
    assert [d.data for d in documents] == [
        {"kind": "ConfigMap", "data": {"message": value, "other": 1}}
    ]


@pytest.mark.parametrize("value", [{"a": "b\nc: d"}, ["x", {"y": None}], {"k": [1, 2.5, True]}])
def test_mappings_and_lists_become_flow_collections(project_dir: Path, value: Any) -> None:
    text = _render(project_dir, "x.yaml.j2", "a: {{ v }}\nb: 1\n", dict(VALUES, v=value))
    assert [d.data for d in yamlio.load_all(text, "rendered")] == [{"a": value, "b": 1}]


@pytest.mark.parametrize(
    "value", ["plain", "it's", "$(touch pwned)", "`id`", "a b\nc", "; rm -rf /tmp/x #", "*", "", "-n"]
)
def test_shell_values_are_quoted(project_dir: Path, value: str, tmp_path: Path) -> None:
    text = _render(project_dir, "x.sh.j2", "printf '%s' {{ v }}\n", dict(VALUES, v=value))
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(["sh", "-c", text], cwd=work, capture_output=True, text=True, check=True)
    assert result.stdout == value
    assert list(work.iterdir()) == []


def test_shell_refuses_collections_and_writes_booleans(project_dir: Path) -> None:
    assert _render(project_dir, "x.sh.j2", "{{ t }} {{ f }}\n", dict(VALUES, t=True, f=False)) == "true false\n"
    error = _error(project_dir, "y.sh.j2", "echo {{ app }}\n")
    assert "cannot be written into a shell script" in error.message


def test_other_text_is_plain(project_dir: Path) -> None:
    assert _render(project_dir, "x.md.j2", "{{ a }}|{{ n }}|{{ m }}\n", dict(VALUES, a="a: b", n=None, m=1)) == "a: b||1\n"


def test_to_json_filter(project_dir: Path) -> None:
    text = _render(project_dir, "x.md.j2", "{{ app.labels | to_json }}\n")
    assert text == '{"tier": "web"}\n'


# --- templates are data: Jinja2's sandbox (issue 22.14) ------------------------------------

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ joiner.__init__.__globals__['__builtins__']['open']('MARKER', 'w') }}",
    "{{ fail.__globals__ }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_template_cannot_reach_python_internals(project_dir: Path, payload: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_dir)
    error = _error(project_dir, "evil.yaml.j2", f"kind: ConfigMap\ndata:\n  x: {payload}\n")
    assert str(error.location) == "templates/evil.yaml.j2:3:1"
    assert error.message.startswith("not allowed in a template (templates run in a sandbox): ")
    assert not (project_dir / "MARKER").exists()


def test_a_sandboxed_template_through_the_cli_changes_nothing(project_dir: Path, tmp_path: Path) -> None:
    """The issue's payload end to end: exit 2, one located line, out/ byte-identical, no
    command run, from a cold and from a warm compiled-template cache."""
    from tests.conftest import cmgen, snapshot

    marker = tmp_path / "MARKER"
    _template(project_dir, "app/evil.yaml.j2", f"x: {{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}\n")
    before = snapshot(project_dir)
    for _ in range(2):
        result = cmgen("render", "--env", "dev", project=project_dir)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        (line,) = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert line.startswith("templates/app/evil.yaml.j2:1:1: error: not allowed in a template")
        assert not marker.exists()
        assert snapshot(project_dir) == before



def test_partial_renders_a_yaml_partial_as_data_with_the_callers_values(project_dir: Path) -> None:
    _template(project_dir, "_parts/labels.yaml.j2", "app: {{ app.name }}\nport: {{ c.port }}\nnote: {{ note }}\n")
    text = _render(
        project_dir, "x.yaml.j2",
        "{% for c in components %}"
        "labels: {{ partial('_parts/labels.yaml.j2', c=c, note='a: b') | merge({'extra': 1}) }}\n"
        "{% endfor %}",
    )
    assert yamlio.load_one(text, "x") == {"labels": {"app": "shop", "port": 8080, "note": "a: b", "extra": 1}}


def test_partial_values_are_yaml_serialised_even_when_the_caller_is_markdown(project_dir: Path) -> None:
    _template(project_dir, "_parts/v.yaml.j2", "value: {{ text }}\n")
    text = _render(project_dir, "x.md.j2", "{{ partial('_parts/v.yaml.j2', text='x\\ny: 1').value }}")
    assert text == "x\ny: 1"


def test_partial_must_be_yaml(project_dir: Path) -> None:
    _template(project_dir, "_parts/v.md.j2", "x\n")
    error = _error(project_dir, "x.yaml.j2", "a: 1\nb: {{ partial('_parts/v.md.j2') }}\n")
    assert (str(error.location), error.message) == (
        "templates/x.yaml.j2:2:1", "partial '_parts/v.md.j2': a partial read as data must be a .yaml.j2 template",
    )


def test_an_error_inside_a_partial_is_located_in_the_partial(project_dir: Path) -> None:
    _template(project_dir, "_parts/v.yaml.j2", "a: 1\nb: {{ app.nope }}\n")
    error = _error(project_dir, "x.yaml.j2", "x: {{ partial('_parts/v.yaml.j2') }}\n")
    assert str(error.location) == "templates/_parts/v.yaml.j2:2:1"


def test_a_partial_that_is_not_yaml_is_an_error_at_the_calling_line(project_dir: Path) -> None:
    _template(project_dir, "_parts/v.yaml.j2", "a: [\n")
    error = _error(project_dir, "x.yaml.j2", "\nx: {{ partial('_parts/v.yaml.j2') }}\n")
    assert str(error.location) == "templates/x.yaml.j2:2:1"
    assert "_parts/v.yaml.j2 (rendered)" in error.message


def test_partial_leaves_out_the_keys_written_as_none(project_dir: Path) -> None:
    _template(project_dir, "_parts/v.yaml.j2", "a: {{ none }}\nb: [{{ none }}]\nc: {d: {{ 'x' if false else none }}, e: 1}\n")
    text = _render(project_dir, "x.yaml.j2", "x: {{ partial('_parts/v.yaml.j2') }}\n")
    assert yamlio.load_one(text, "x") == {"x": {"b": [None], "c": {"e": 1}}}


@pytest.mark.parametrize("value", ["a,b", "x]", "{y", "k=v,l=w", "plain"])
def test_a_value_reads_back_whole_inside_a_flow_collection(project_dir: Path, value: str) -> None:
    text = _render(project_dir, "x.yaml.j2", "env: [{name: A, value: {{ v }}}, {name: B, value: {{ v }}}]\n", {"v": value})
    assert yamlio.load_one(text, "x") == {"env": [{"name": "A", "value": value}, {"name": "B", "value": value}]}


def test_a_template_cannot_change_a_list_or_mapping(project_dir: Path) -> None:
    error = _error(project_dir, "x.yaml.j2", "{% set xs = [] %}\na: {{ xs.append(1) }}\n")
    assert str(error.location) == "templates/x.yaml.j2:2:1"
    assert error.message.startswith("not allowed in a template (templates run in a sandbox):")
    error = _error(project_dir, "y.yaml.j2", "{% set m = {} %}\n{% do m.update({'a': 1}) %}\n")
    assert (str(error.location), error.message) == ("templates/y.yaml.j2:2:1", "template syntax: Encountered unknown tag 'do'.")
