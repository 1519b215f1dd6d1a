from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURE, REPO, assert_golden, cmgen, snapshot


def test_envs(project_dir: Path) -> None:
    result = cmgen("envs", project=project_dir)
    assert (result.exit_code, result.stdout) == (0, "dev\nprod\n")


def test_no_args_shows_help() -> None:
    result = cmgen()
    assert result.exit_code == 2
    assert "Usage" in result.output


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_render_matches_the_golden_tree(project_dir: Path, tmp_path: Path, env: str, update_golden: bool) -> None:
    out = tmp_path / "rendered"
    result = cmgen("render", "--env", env, "--out", str(out), project=project_dir)
    assert result.exit_code == 0, result.output
    assert_golden(FIXTURE / "out" / env / "week3" / "day3", out / "week3" / "day3", update_golden)


def test_render_in_place_is_a_no_op_when_in_sync(project_dir: Path) -> None:
    before = snapshot(project_dir)
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout == "dev: 4 files in out/dev/week3/day3 (0 changed, 0 removed)\n"
    assert snapshot(project_dir) == before


def test_render_all_envs_with_out(project_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = cmgen("render", "--all-envs", "--out", str(out), project=project_dir)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["dev", "prod"]
    assert (out / "prod" / "week3" / "day3" / "app" / "deployment.yaml").is_file()


def test_render_set(project_dir: Path) -> None:
    result = cmgen("render", "--env", "dev", "--set", "app.replicas=5", project=project_dir)
    assert result.exit_code == 0
    assert "(1 changed, 0 removed)" in result.stdout
    text = (project_dir / "out/dev/week3/day3/app/deployment.yaml").read_text()
    assert "  replicas: 5\n" in text
    check = cmgen("check", "--env", "dev", project=project_dir)
    assert check.exit_code == 1
    assert "out/dev/week3/day3/app/deployment.yaml:13:1: error[drifted]" in check.stderr


def test_render_keeps_hand_edited_stale_files(project_dir: Path) -> None:
    readme = project_dir / "out/dev/week3/day3/README.md"
    readme.write_text("edited\n")
    (project_dir / "templates/README.md.j2").unlink()
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 0
    assert "dev: kept week3/day3/README.md: no longer generated, but edited by hand" in result.stderr
    assert readme.read_text() == "edited\n"


def test_check_in_sync(project_dir: Path) -> None:
    result = cmgen("check", "--all-envs", project=project_dir)
    assert (result.exit_code, result.stdout) == (0, "cmgen: 2 env(s) in sync\n")


def test_check_names_drifted_missing_and_stray_files(project_dir: Path) -> None:
    tree = project_dir / "out/dev/week3/day3"
    with (tree / "app/configmap.yaml").open("a") as handle:
        handle.write("# edit\n")
    (tree / "README.md").unlink()
    (tree / "app/stray.yaml").write_text("x: 1\n")
    result = cmgen("check", "--env", "dev", project=project_dir)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if ": error[" in line]
    assert lines[0].startswith("out/dev/week3/day3/README.md:1:1: error[missing] is missing")
    assert lines[1].startswith("out/dev/week3/day3/app/configmap.yaml:")
    assert "error[drifted]" in lines[1]
    assert lines[2].startswith("out/dev/week3/day3/app/stray.yaml:1:1: error[stray]")
    assert len(lines) == 3


def test_diff(project_dir: Path) -> None:
    path = project_dir / "out/dev/week3/day3/app/configmap.yaml"
    path.write_text(path.read_text().replace("message: hello", "message: bye"))
    result = cmgen("diff", "--env", "dev", "--no-color", project=project_dir)
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "--- a/out/dev/week3/day3/app/configmap.yaml\n+++ b/out/dev/week3/day3/app/configmap.yaml\n"
    )
    assert "-  message: bye\n+  message: hello\n" in result.stdout
    colored = cmgen("diff", "--env", "dev", "--color", project=project_dir)
    assert "\x1b[31m-  message: bye\x1b[0m" in colored.stdout
    clean = cmgen("diff", "--env", "prod", project=project_dir)
    assert (clean.exit_code, clean.stdout) == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render"], "cmgen: error: which env? give --env ENV or --all-envs"),
        (["render", "--env", "dev", "--all-envs"], "cmgen: error: give --env or --all-envs, not both"),
        (["check", "--env", "qa"], "values: error: unknown env 'qa' (known: dev, prod)"),
        (["diff", "--env", "../x"], "cmgen: error: invalid env name '../x'"),
    ],
)
def test_usage_errors(project_dir: Path, args: list[str], message: str) -> None:
    result = cmgen(*args, project=project_dir)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_not_a_project(tmp_path: Path) -> None:
    result = cmgen("envs", project=tmp_path)
    assert result.exit_code == 2
    assert "not a cmgen project" in result.stderr


def test_a_bug_is_exit_3_with_a_traceback(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("generator.pipeline.build", broken)
    result = cmgen("render", "--env", "dev", project=project_dir)
    assert result.exit_code == 3
    assert "internal error (a bug; please report it)" in result.stderr
    assert "Traceback" in result.stderr and "RuntimeError: boom" in result.stderr


def test_debug_shows_the_traceback_of_bad_input(project_dir: Path) -> None:
    (project_dir / "values/dev.yaml").write_text("app: [\n")
    plain = cmgen("render", "--env", "dev", project=project_dir)
    debug = cmgen("--debug", "render", "--env", "dev", project=project_dir)
    assert plain.exit_code == debug.exit_code == 2
    assert "Traceback" not in plain.output
    assert "Traceback" in debug.stderr
    assert debug.stderr.rstrip().endswith(plain.stderr.rstrip())


def test_the_real_project_is_in_sync(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", ".git", "tests", "*.egg-info", "__pycache__"))
    result = cmgen("check", "--env", "minikube", project=copy)
    assert result.exit_code == 0, result.output


def test_version_is_the_package_version() -> None:
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    result = cmgen("--version")
    assert (result.exit_code, result.stdout) == (0, f"cmgen {declared}\n")


@pytest.mark.parametrize("args", [["-h"], ["render", "-h"], ["validate", "-h"]])
def test_dash_h_is_help(args: list[str]) -> None:
    result = cmgen(*args)
    assert result.exit_code == 0
    assert "Usage: cmgen" in result.stdout and "--help" in result.stdout


_SCRIPT_MARK = {"bash": "complete -o default -F _cmgen_completion cmgen", "zsh": "#compdef cmgen", "fish": "complete --command cmgen"}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_script(shell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # --install-completion and --show-completion detect the user's shell; Typer's own switch
    # turns detection off so that the shell can be named here.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = cmgen("--show-completion", shell)
    assert result.exit_code == 0
    assert _SCRIPT_MARK[shell] in result.stdout
    assert all(mark not in result.stdout for other, mark in _SCRIPT_MARK.items() if other != shell)


def _complete(project_dir: Path, shell: str, words: str) -> list[str]:
    """What each shell's installed script asks cmgen: the words typed in, candidates out."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "_CMGEN_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    run = [str(Path(sys.executable).parent / "cmgen")]  # the installed entry point
    result = subprocess.run(run, env=env, cwd=project_dir, capture_output=True, text=True)
    return result.stdout.split()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_completes_commands_and_env_names(project_dir: Path, shell: str) -> None:
    if shell == "zsh":  # zsh gets an _arguments line, the candidates quoted in it
        assert " ".join(_complete(project_dir, shell, "cmgen render --env p")) == """_arguments '*: :(("prod"))'"""
        return
    assert _complete(project_dir, shell, "cmgen render --env p") == ["prod"]
    if shell == "bash":
        assert _complete(project_dir, shell, "cmgen re") == ["render"]
        assert _complete(project_dir, shell, "cmgen render --env ") == ["dev", "prod"]


def test_diff_all_envs(project_dir: Path) -> None:
    with (project_dir / "out/prod/week3/day3/app/configmap.yaml").open("a") as handle:
        handle.write("# edit\n")
    result = cmgen("diff", "--all-envs", "--no-color", project=project_dir)
    assert result.exit_code == 1
    assert "+++ out/prod/week3/day3/app/configmap.yaml" in result.stdout or "out/prod/week3/day3/app/configmap.yaml" in result.stdout
    assert "out/dev/" not in result.stdout
    (project_dir / "values" / "dev.yaml").write_text("app:\n  replicas: -1\n")
    both = cmgen("diff", "--all-envs", "--no-color", project=project_dir)
    assert both.exit_code == 2  # bad input in dev, drift in prod: every env, the worst code
    assert "values/dev.yaml:2:13: error:" in both.stderr
    assert "out/prod/week3/day3/app/configmap.yaml" in both.stdout


def test_an_unknown_env_suggests_the_closest(project_dir: Path) -> None:
    result = cmgen("render", "--env", "prd", project=project_dir)
    assert result.exit_code == 2
    assert result.stderr == "values: error: unknown env 'prd' (did you mean 'prod'?) (known: dev, prod)\n"


def test_an_overlay_without_values_says_the_values_file_is_missing(project_dir: Path) -> None:
    (project_dir / "overlays" / "qa").mkdir(parents=True)
    (project_dir / "overlays" / "qa" / "kustomization.yaml").write_text("resources: []\n")
    result = cmgen("render", "--env", "qa", project=project_dir)
    assert result.exit_code == 2
    assert result.stderr == (
        "overlays/qa: error: values/qa.yaml is missing: env 'qa' has an overlay but no values "
        "file (an env is a values file; its overlay is optional)\n"
    )


def test_a_drift_finding_says_how_to_fix_it(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (project_dir / "out/dev/week3/day3/app/configmap.yaml").open("a") as handle:
        handle.write("# edit\n")
    direct = cmgen("check", "--env", "dev", "--no-cache", project=project_dir)
    assert direct.exit_code == 1
    assert (
        "error[drifted] differs from a fresh render (hand-edited or stale); "
        "run: cmgen render --env dev (to see the difference: cmgen diff --env dev)\n"
    ) in direct.stderr
    monkeypatch.setenv("PRE_COMMIT", "1")  # what pre-commit sets for every hook it runs
    hooked = cmgen("check", "--env", "dev", "--no-cache", project=project_dir)
    assert (
        "error[drifted] differs from a fresh render (hand-edited or stale); "
        "run: pre-commit run cmgen-render --hook-stage manual\n"
    ) in hooked.stderr


def test_check_reports_in_every_format_of_the_one_table(project_dir: Path, tmp_path: Path) -> None:
    """check and render take the --output of lint and validate: a drifted file is a SARIF
    error result (a valid log), a JUnit failure and a TAP ``not ok``, on stdout alone."""
    import json

    from junitparser import JUnitXml
    from tap.parser import Parser

    from tests.sarif_judge import schema_errors

    path = project_dir / "out/dev/week3/day3/app/configmap.yaml"
    path.write_text(path.read_text() + "# edit\n")
    sarif = cmgen("check", "--env", "dev", "--output", "sarif", project=project_dir)
    log = json.loads(sarif.stdout)
    assert sarif.exit_code == 1 and schema_errors(log) == []
    errors = [result for result in log["runs"][0]["results"] if result["level"] == "error"]
    assert [result["ruleId"] for result in errors] == ["drifted"]
    junit = cmgen("check", "--env", "dev", "--output", "junit", project=project_dir)
    (tmp_path / "check.xml").write_text(junit.stdout)
    assert JUnitXml.fromfile(str(tmp_path / "check.xml")).failures == 1
    text = cmgen("check", "--env", "dev", "--output", "tap", project=project_dir)
    tests = [line for line in Parser().parse_text(text.stdout) if line.category == "test"]
    assert [test.ok for test in tests].count(False) == 1


def test_check_and_render_reports_have_a_test_per_object_also_when_replayed(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JUnit and TAP list every object of the env (as validate and lint do), not only those
    with findings; a check replayed from the build cache lists the same cases."""
    from junitparser import JUnitXml

    tree = project_dir / "out/dev/week3/day3"
    objects = sorted((path.relative_to(project_dir).as_posix(), f"{doc['kind']}/{doc['metadata']['name']}")
                     for path in tree.rglob("*.yaml") for doc in yaml.safe_load_all(path.read_text()) if doc)
    assert len(objects) >= 2

    def cases(*args: str) -> list[tuple[str, str]]:
        result = cmgen(*args, "--output", "junit", project=project_dir)
        (tmp_path / "report.xml").write_text(result.stdout)
        return sorted((case.classname, case.name) for suite in JUnitXml.fromfile(str(tmp_path / "report.xml"))
                      for case in suite)

    assert cases("check", "--env", "dev", "--no-cache") == objects
    with monkeypatch.context() as patched:  # replayed from the build cache: nothing is built
        patched.setattr("generator.runs.check.check_env", _no_build)
        assert cases("check", "--env", "dev") == objects
    assert cases("render", "--env", "dev") == objects
    tap = cmgen("check", "--env", "dev", "--output", "tap", project=project_dir).stdout
    assert tap.splitlines()[1] == f"1..{len(objects)}"


def _no_build(*args: object) -> None:
    raise AssertionError("the check built the env instead of replaying its stored build")
