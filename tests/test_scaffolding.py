"""``cmgen init``: the scaffold renders and checks clean straight away."""

from __future__ import annotations

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
