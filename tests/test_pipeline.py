from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline, yamlio
from generator.errors import CmgenError
from generator.findings import has_errors
from generator.project import Project


def test_build_is_in_memory_and_complete(project_dir: Path) -> None:
    project = Project.load(project_dir)
    before = sorted(p.as_posix() for p in project_dir.rglob("*"))
    build = pipeline.build(project, "dev")
    assert sorted(p.as_posix() for p in project_dir.rglob("*")) == before
    assert sorted(build.files) == ["README.md", "app/configmap.yaml", "app/deployment.yaml", "scripts/hello.sh"]
    assert build.files["scripts/hello.sh"].executable
    assert [m.ref for m in build.manifests] == ["ConfigMap/shop-config", "Deployment/shop"]
    assert not has_errors(build.findings)
    assert {finding.rule for finding in build.findings} >= {"network-policy"}  # lint ran
    committed = project_dir / "out" / "dev" / "week3" / "day3"
    for name, output in build.files.items():
        assert output.data == (committed / name).read_bytes(), name


def test_manifest_origin_traces_to_the_template(project_dir: Path) -> None:
    build = pipeline.build(Project.load(project_dir), "dev")
    deployment = build.manifests[1]
    assert deployment.origin.trace(["spec", "replicas"]) == "templates/app/deployment.yaml.j2:9"
    assert deployment.origin.trace(["metadata", "labels", "tier"]) == "templates/_partials/labels.yaml.j2:6"
    line, _ = deployment.locate(["spec", "replicas"])
    assert deployment.source.text.splitlines()[line - 1] == "  replicas: 2"


def test_sets_and_out(project_dir: Path, tmp_path: Path) -> None:
    options = pipeline.Options(sets=("app.replicas=9",), out=tmp_path / "elsewhere")
    build = pipeline.build(Project.load(project_dir), "dev", options)
    assert build.target.tree == tmp_path / "elsewhere" / "week3" / "day3"
    assert build.manifests[1].data["spec"]["replicas"] == 9


def _error(project_dir: Path) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        pipeline.build(Project.load(project_dir), "dev")
    assert caught.value.context == ("while rendering env dev",)
    return caught.value


def test_rendered_invalid_yaml_points_at_the_template(project_dir: Path) -> None:
    (project_dir / "templates" / "app" / "x.yaml.j2").write_text("a: 1\nb: [\n{% if true %}\nc: d\n{% endif %}\n")
    error = _error(project_dir)
    assert error.location.file == "templates/app/x.yaml.j2"
    assert "the template renders invalid YAML" in error.message


def test_a_rendered_document_must_be_a_mapping(project_dir: Path) -> None:
    (project_dir / "templates" / "app" / "x.yaml.j2").write_text("---\na: 1\n---\n- b\n")
    error = _error(project_dir)
    assert str(error.location) == "templates/app/x.yaml.j2:4:1"


def test_an_object_rendered_twice(project_dir: Path) -> None:
    source = project_dir / "templates" / "app" / "configmap.yaml.j2"
    (project_dir / "templates" / "app" / "copy.yaml.j2").write_text(source.read_text())
    error = _error(project_dir)
    assert error.message == "ConfigMap/shop-config is rendered twice (also in app/configmap.yaml)"
    assert str(error.location) == "templates/app/copy.yaml.j2:2:1"


def test_the_env_overlay_applies_unless_no_overlays(project_dir: Path) -> None:
    (project_dir / "overlays" / "dev").mkdir(parents=True)
    (project_dir / "overlays" / "dev" / "kustomization.yaml").write_text(
        "commonAnnotations:\n  team: shop\n"
    )
    project = Project.load(project_dir)
    overlaid = pipeline.build(project, "dev")
    assert all(m.metadata["annotations"]["team"] == "shop" for m in overlaid.manifests)
    base = pipeline.build(project, "dev", pipeline.Options(overlays=False))
    assert all("team" not in m.metadata.get("annotations", {}) for m in base.manifests)


def test_an_overlay_error_names_the_kustomization(project_dir: Path) -> None:
    (project_dir / "overlays" / "dev").mkdir(parents=True)
    (project_dir / "overlays" / "dev" / "kustomization.yaml").write_text("bases: [x]\n")
    with pytest.raises(CmgenError) as caught:
        pipeline.build(Project.load(project_dir), "dev")
    error = caught.value
    assert error.context == ("while applying overlays/dev/kustomization.yaml", "while rendering env dev")
    assert error.location.file == "overlays/dev/kustomization.yaml"
    assert error.location.line == 1
    assert "bases" in error.message


def test_injected_structure_stays_a_string(project_dir: Path) -> None:
    evil = "x\nkind: Secret\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: evil}"
    options = pipeline.Options(sets=(f"app.message={yamlio.scalar(evil)}",))
    build = pipeline.build(Project.load(project_dir), "dev", options)
    assert [m.ref for m in build.manifests] == ["ConfigMap/shop-config", "Deployment/shop"]
    assert build.manifests[0].data["data"]["message"] == evil
    documents = yamlio.load_all(build.files["app/configmap.yaml"].data.decode(), "f")
    assert [d.data["kind"] for d in documents] == ["ConfigMap"]


def test_schema_errors_block_the_render_and_point_at_the_template(project_dir: Path) -> None:
    (project_dir / "templates" / "app" / "bad.yaml.j2").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\n  namespace: shop\n"
        "spec:\n  ports:\n    - port: {{ 'eighty' }}\n  selectr: {}\n"
    )
    build = pipeline.build(Project.load(project_dir), "dev")
    schema = sorted(f for f in build.findings if f.rule == "schema")
    assert [(f.file, f.line, f.severity) for f in schema] == [
        ("out/dev/week3/day3/app/bad.yaml", 11, "error"),  # the port's value
        ("out/dev/week3/day3/app/bad.yaml", 12, "error"),  # the unknown key
    ]
    assert "'eighty' is not of type 'integer'" in schema[0].message
    assert schema[0].origin == "templates/app/bad.yaml.j2:8"
    assert "selectr" in schema[1].message and schema[1].origin == "templates/app/bad.yaml.j2:9"
    assert has_errors(build.findings)


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {plural}.example.com
spec:
  group: example.com
  names: {{kind: {kind}, plural: {plural}, singular: {singular}, listKind: {kind}List}}
  scope: {scope}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}
"""


# Widget is unknown to cmgen: namespaced unless a CRD says otherwise. ClusterIssuer is in
# cmgen's list of well-known cluster-scoped CRD kinds; a project's own CRD overrides it.
@pytest.mark.parametrize("kind, crd_scope, duplicates", [
    ("Widget", "Cluster", 1), ("ClusterIssuer", "Namespaced", 0),
])
def test_the_project_crds_teach_lint_which_kinds_have_a_namespace(
    project_dir: Path, kind: str, crd_scope: str, duplicates: int
) -> None:
    """Two objects named w in two namespaces are one object twice if the project's CRD
    makes their kind cluster-scoped (the namespace is ignored), two objects if namespaced."""
    (project_dir / "crds").mkdir()
    singular = kind.lower()
    crd = CRD.format(kind=kind, plural=f"{singular}s", singular=singular, scope=crd_scope)
    (project_dir / "crds" / "crd.yaml").write_text(crd)
    config = project_dir / "cmgen.yaml"
    config.write_text(config.read_text().replace("crds: []", "crds: [crds]"))
    (project_dir / "templates" / "app" / "widgets.yaml.j2").write_text("".join(
        f"---\napiVersion: example.com/v1\nkind: {kind}\nmetadata:\n  name: w\n  namespace: {ns}\n"
        for ns in ("a", "b")
    ))
    build = pipeline.build(Project.load(project_dir), "dev")
    found = [f for f in build.findings if f.rule == "duplicate-object"]
    assert [(f.file, f.line, f.resource, f.severity) for f in found] == [
        ("out/dev/week3/day3/app/widgets.yaml", 13, f"{kind}/w", "error")
    ][:duplicates]


@pytest.mark.parametrize("crd_scope, needs_namespace", [("Cluster", False), ("Namespaced", True)])
def test_the_project_crds_teach_the_deploy_preflight_which_kinds_have_a_namespace(
    project_dir: Path, crd_scope: str, needs_namespace: bool
) -> None:
    """A Widget that names namespace a, which the set does not create: deploy-all.sh requires
    namespace a only if the project's CRD makes Widget namespaced (a cluster-scoped object's
    namespace is ignored by the API server)."""
    (project_dir / "crds").mkdir()
    (project_dir / "crds" / "crd.yaml").write_text(
        CRD.format(kind="Widget", plural="widgets", singular="widget", scope=crd_scope))
    config = project_dir / "cmgen.yaml"
    config.write_text(config.read_text().replace("crds: []", "crds: [crds]") + "docs: true\n")
    (project_dir / "templates" / "k8s-manifests").mkdir()  # the folder the deploy scripts apply
    (project_dir / "templates" / "k8s-manifests" / "widgets.yaml.j2").write_text(
        "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: a\n")
    build = pipeline.build(Project.load(project_dir), "dev")
    script = build.files["scripts/deploy-all.sh"].data.decode()
    assert ("require namespace a " in script) is needs_namespace
