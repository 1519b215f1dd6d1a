"""``when:`` in cmgen.yaml: which templates render in an env (generator/conditions.py).

The fixture project renders a ConfigMap (templates/app/configmap.yaml.j2) and a Deployment
(templates/app/deployment.yaml.j2); each test gates them with a ``when`` it writes and sets
the values it reads with ``--set``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import pipeline
from generator.errors import CmgenError
from generator.options import Options
from generator.project import Project
from tests.conftest import REPO, cmgen

CONFIG = 'tree: week3/day3\nkubeVersion: "1.35"\ncrds: []\n'
CONFIGMAP = "app/configmap.yaml"


def _build(project_dir: Path, when: str, *sets: str, env: str = "dev") -> pipeline.Build:
    (project_dir / "cmgen.yaml").write_text(CONFIG + when)
    schema_file = project_dir / "values" / "values.schema.json"
    schema = json.loads(schema_file.read_text())
    schema["properties"]["app"]["additionalProperties"] = True  # room for the keys set here
    schema_file.write_text(json.dumps(schema))
    return pipeline.build(Project.load(project_dir), env, Options(sets=sets, docs=False))


def _error(project_dir: Path, when: str, *sets: str) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        _build(project_dir, when, *sets)
    return caught.value


def test_a_template_renders_only_where_its_key_is_true(project_dir: Path) -> None:
    when = "when:\n  app/configmap.yaml.j2: app.config\n"
    assert CONFIGMAP in _build(project_dir, when, "app.config=true").files
    off = _build(project_dir, when, "app.config=false")
    assert CONFIGMAP not in off.files
    assert "app/deployment.yaml" in off.files  # a template not listed always renders


def test_every_key_of_a_list_must_be_true(project_dir: Path) -> None:
    when = "when:\n  app/configmap.yaml.j2: [app.config, app.extra]\n"
    assert CONFIGMAP in _build(project_dir, when, "app.config=true", "app.extra=true").files
    assert CONFIGMAP not in _build(project_dir, when, "app.config=true", "app.extra=false").files
    assert CONFIGMAP not in _build(project_dir, when, "app.config=false", "app.extra=true").files


def test_a_key_missing_from_the_values_is_an_error_at_its_line(project_dir: Path) -> None:
    error = _error(project_dir, "when:\n  app/configmap.yaml.j2: [app.config, app.confg]\n", "app.config=true")
    assert (error.location.file, error.location.line, error.location.column) == ("cmgen.yaml", 5, 39)
    assert error.message == "when: app.confg: app has no key 'confg'"
    assert error.context == ("while rendering env dev",)


def test_a_key_off_is_checked_as_well_as_one_on(project_dir: Path) -> None:
    """A typo after a false key is not hidden by the template already being off."""
    error = _error(project_dir, "when:\n  app/configmap.yaml.j2: [app.config, nothing.here]\n", "app.config=false")
    assert error.message == "when: nothing.here: the values have no key 'nothing'"


@pytest.mark.parametrize(("value", "shown"), [
    ('"false"', "str 'false'"), ("1", "int 1"), ("null", "nothing"), ("{a: 1}", "dict {'a': 1}"),
])
def test_a_key_that_is_not_true_or_false_is_an_error(project_dir: Path, value: str, shown: str) -> None:
    error = _error(project_dir, "when:\n  app/configmap.yaml.j2: app.config\n", f"app.config={value}")
    assert error.message == f"when: app.config must be true or false, found {shown}"
    assert (error.location.file, error.location.line) == ("cmgen.yaml", 5)


def test_a_template_that_does_not_render_is_still_compiled(project_dir: Path) -> None:
    (project_dir / "templates" / "app" / "configmap.yaml.j2").write_text("kind: ConfigMap\n{% if %}\n")
    error = _error(project_dir, "when:\n  app/configmap.yaml.j2: app.config\n", "app.config=false")
    assert (error.location.file, error.location.line) == ("templates/app/configmap.yaml.j2", 2)
    assert error.message.startswith("template syntax:")


@pytest.mark.parametrize(("when", "where", "message"), [
    ("when: [a]\n", (4, 7), "when must be a mapping: template path -> a values key or a list of them"),
    ("when:\n  app/nothing.yaml.j2: a.b\n", (5, 3), "when: 'app/nothing.yaml.j2': no such template in templates/"),
    ("when:\n  _partials/labels.yaml.j2: a.b\n", (5, 3),
     "when: '_partials/labels.yaml.j2': a partial ('_') renders nothing on its own: name the template that includes it"),
    ("when:\n  ../cmgen.yaml: a.b\n", (5, 3), "when: '../cmgen.yaml': name a template by its path under templates/"),
    ("when:\n  app/configmap.yaml.j2: a.b\n  ./app/configmap.yaml.j2: a.c\n", (6, 3),
     "when: './app/configmap.yaml.j2' is listed twice"),
    ("when:\n  app/configmap.yaml.j2: []\n", (5, 26), "when.app/configmap.yaml.j2: give at least one values key"),
    ("when:\n  app/configmap.yaml.j2: a..b\n", (5, 26),
     "when: 'a..b': a values key is dotted names, such as features.gitops"),
    ("when:\n  app/configmap.yaml.j2: [a.b, 3]\n", (5, 32), "when.app/configmap.yaml.j2[1]: expected a non-empty string, found int 3"),
    ("when:\n  app/configmap.yaml.j2: {a: b}\n", (5, 26), "when.app/configmap.yaml.j2: expected a list"),
])
def test_a_bad_setting_is_an_error_at_its_line(
    project_dir: Path, when: str, where: tuple[int, int], message: str
) -> None:
    (project_dir / "cmgen.yaml").write_text(CONFIG + when)
    with pytest.raises(CmgenError) as caught:
        Project.load(project_dir)
    error = caught.value
    assert (error.location.file, error.location.line, error.location.column) == ("cmgen.yaml", *where)
    assert error.message == message


def test_the_cli_reports_a_missing_key_on_one_located_line_with_exit_2(project_dir: Path) -> None:
    (project_dir / "cmgen.yaml").write_text(CONFIG + "when:\n  app/configmap.yaml.j2: app.config\n")
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 2
    assert "cmgen.yaml:5:26: error: when: app.config: app has no key 'config'" in result.output
    assert "Traceback" not in result.output


def test_cloudmart_gates_each_feature_template_on_a_boolean_feature(repo_project: Project) -> None:
    """Every key of the repo's ``when`` is a boolean feature of the values schema, and with
    every feature on, every gated template renders objects."""
    schema = json.loads((REPO / "values" / "values.schema.json").read_text())
    features = schema["properties"]["features"]["properties"]
    gated = repo_project.config.when.entries
    assert len(gated) == 15  # as docs/project.md and CHANGELOG say
    for condition in gated:
        header = (REPO / "templates" / condition.template).read_text().splitlines()[0]
        for key in condition.keys:
            assert key.path[0] == "features" and len(key.path) == 2, condition
            assert features[key.path[1]]["type"] == "boolean", key
            assert ".".join(key.path) in header, (condition.template, "its header comment names its switch")
    sets = tuple(f"features.{name}=true" for name in features)
    build = pipeline.build(repo_project, "prod", Options(sets=sets, docs=False))
    headers = {file.data.decode().splitlines()[0] for name, file in build.files.items() if name.endswith(".yaml")}
    for condition in gated:
        assert f"# Generated by cmgen from templates/{condition.template} for env prod." in headers, condition.template


def test_dashboards_without_monitoring_fail_at_their_template_line(repo_project: Project) -> None:
    """A dependency that must not be a silent skip stays in the template (docs/project.md)."""
    sets = ("features.dashboards=true", "features.monitoring=false")
    with pytest.raises(CmgenError) as caught:
        pipeline.build(repo_project, "minikube", Options(sets=sets, docs=False))
    assert caught.value.message == ("features.dashboards needs features.monitoring: "
                                    "the dashboards read the series Prometheus scrapes")
    location = caught.value.location
    assert location.file == "templates/k8s-manifests/monitoring/grafana-dashboards.yaml.j2" and location.line
