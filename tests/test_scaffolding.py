"""``cmgen init``: the scaffold renders and checks clean straight away."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from generator.cli import app

runner = CliRunner()


def test_init_creates_a_project_that_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "platform"
    created = runner.invoke(app, ["init", str(target)])
    assert created.exit_code == 0, created.output
    for name in (".pre-commit-config.yaml", "README.md", "cmgen.yaml", "values/values.schema.json"):
        assert (target / name).is_file(), name
    assert (target / "out/dev/manifests/apps.yaml").is_file()

    checked = runner.invoke(app, ["check", "--all-envs", "--project", str(target)])
    assert checked.exit_code == 0, checked.output

    (target / "out/dev/manifests/apps.yaml").write_text("tampered\n")
    drifted = runner.invoke(app, ["check", "--all-envs", "--project", str(target)])
    assert drifted.exit_code == 1
    assert "out/dev/manifests/apps.yaml" in drifted.output


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["keep.txt"]


def _init(target: Path) -> Path:
    created = runner.invoke(app, ["init", str(target)])
    assert created.exit_code == 0, created.output
    return target


def _render_clean(project: Path, env: str) -> None:
    """Rendered (valid: exit 0) and lint-clean: ``cmgen lint`` finds nothing."""
    rendered = runner.invoke(app, ["render", "--env", env, "--project", str(project)])
    assert rendered.exit_code == 0, rendered.output
    linted = runner.invoke(app, ["lint", str(project / "out" / env / "manifests")])
    assert linted.exit_code == 0 and "no findings" in linted.output.lower(), linted.output


def test_the_scaffold_renders_lint_clean_with_its_layout_and_overlay(tmp_path: Path) -> None:
    project = _init(tmp_path / "platform")
    _render_clean(project, "dev")
    tree = project / "out/dev/manifests"
    assert sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.yaml")) == [
        "apps.yaml", "namespaces/web.yaml", "network-policies.yaml", "services/web.yaml",
    ]
    assert "app.kubernetes.io/instance: myplatform-dev" in (tree / "apps.yaml").read_text()  # the overlay


def test_the_readme_names_files_the_scaffold_has(tmp_path: Path) -> None:
    project = _init(tmp_path / "platform")
    readme = (project / "README.md").read_text()
    named = {name for name in re.findall(r"`([^`\s]+)`", readme) if "/" in name or name.endswith((".yaml", ".json"))}
    concrete = {name for name in named if "<" not in name}
    assert {"cmgen.yaml", "values/base.yaml", "values/values.schema.json", "overlays/dev/kustomization.yaml",
            "templates/apps.yaml.j2"} <= concrete
    assert [name for name in sorted(concrete) if not (project / name).exists()] == []
    # The README's placeholders name real files for env dev and namespace web.
    for name in named - concrete:
        real = name.replace("<env>", "dev").replace("<name>", "web").replace("<namespace>", "web")
        assert (project / real).exists() or (project / "out/dev/manifests" / real).exists(), name


def test_the_readme_recipes_work(tmp_path: Path) -> None:
    """A new component in a new namespace, a new engine and a new env with an overlay: only
    the files the README names are touched, and the result renders lint-clean."""
    project = _init(tmp_path / "platform")
    base = project / "values/base.yaml"
    text = base.read_text().replace("namespaces:\n  - name: web\n", "namespaces:\n  - name: web\n  - name: shop\n")
    text = text.replace("engines:\n", "engines:\n  api:\n    readiness: {httpGet: {path: /health, port: http}}\n"
                        "    liveness: {httpGet: {path: /health, port: http}}\n    writable:\n"
                        "      - {name: tmp, path: /tmp}\n      - {name: cache, path: /var/cache/nginx}\n")
    text += ("  - name: cart\n    namespace: shop\n    engine: api\n"
             "    image: nginxinc/nginx-unprivileged:1.28.0-alpine\n    port: 8081\n    replicas: 2\n"
             "    resources:\n      requests: {cpu: 50m, memory: 64Mi}\n      limits: {cpu: 250m, memory: 128Mi}\n")
    base.write_text(text)
    (project / "values/prod.yaml").write_text("platform:\n  environment: prod\n")
    (project / "overlays/prod").mkdir()
    overlay = (project / "overlays/dev/kustomization.yaml").read_text().replace("myplatform-dev", "myplatform-prod")
    (project / "overlays/prod/kustomization.yaml").write_text(overlay)
    for env in ("dev", "prod"):
        _render_clean(project, env)
    tree = project / "out/prod/manifests"
    assert (tree / "namespaces/shop.yaml").is_file() and "name: cart\n" in (tree / "services/shop.yaml").read_text()
    cart = (tree / "apps.yaml").read_text()
    assert "name: cart\n" in cart and "path: /health" in cart and "mountPath: /var/cache/nginx" in cart
    assert "app.kubernetes.io/instance: myplatform-prod" in cart


def test_the_readme_switch_recipe_leaves_one_env_without_the_gated_template(tmp_path: Path) -> None:
    project = _init(tmp_path / "platform")
    (project / "values/prod.yaml").write_text("platform:\n  environment: prod\nfeatures:\n  networkPolicies: false\n")
    _render_clean(project, "dev")
    rendered = runner.invoke(app, ["render", "--env", "prod", "--project", str(project)])
    assert rendered.exit_code == 0, rendered.output
    linted = runner.invoke(app, ["lint", str(project / "out/prod/manifests")])  # what the switch costs
    assert "warning[network-policy] Deployment/hello: no NetworkPolicy restricts" in linted.output
    assert (project / "out/dev/manifests/network-policies.yaml").is_file()
    assert not (project / "out/prod/manifests/network-policies.yaml").exists()
    assert (project / "out/prod/manifests/apps.yaml").is_file()


def test_an_app_with_an_unknown_engine_is_an_error_at_the_template(tmp_path: Path) -> None:
    project = _init(tmp_path / "platform")
    base = project / "values/base.yaml"
    base.write_text(base.read_text().replace("    engine: web\n", "    engine: wbe\n"))
    result = runner.invoke(app, ["render", "--env", "dev", "--project", str(project)])
    assert result.exit_code == 2
    assert "templates/apps.yaml.j2:5:1: error: app hello: no engine wbe in engines" in result.output


def test_with_docs_on_every_manifest_file_of_the_scaffold_is_deployed(tmp_path: Path) -> None:
    """The deploy scripts know no folder name of the tutorial: with ``docs: true``, each
    manifest file of a scaffolded project is applied by one of them."""
    project = _init(tmp_path / "platform")
    config = project / "cmgen.yaml"
    config.write_text(config.read_text() + "docs: true\n")
    rendered = runner.invoke(app, ["render", "--env", "dev", "--project", str(project)])
    assert rendered.exit_code == 0, rendered.output
    tree = project / "out/dev/manifests"
    manifests = {path.relative_to(tree).as_posix() for path in tree.rglob("*.yaml")}
    scripts = "".join(path.read_text() for path in (tree / "scripts").glob("deploy-*.sh"))
    applied = set(re.findall(r"kubectl apply -f (\S+)", scripts))
    assert manifests and manifests <= applied
