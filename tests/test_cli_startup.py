"""What a command imports decides most of a cold start (docs/performance.md, "Cold start").

Each command runs in a fresh interpreter, as a user's shell or a pre-commit hook runs it,
and reports the modules it loaded. Heavy modules a command does not need must stay out:
pydantic (Typer 0.29 imports it for every command), python-jsonschema (cmgen validates with
jsonschema-rs and imports it only to explain an invalid values file), matplotlib (a check
whose charts record the same source hash never draws them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, cmgen, copy_repo_project, snapshot

_RUN = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules))))
sys.argv = ["cmgen", *sys.argv[1:]]
from generator.cli import main
main()
"""


def loaded(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> set[str]:
    """The modules a command loaded: packages by their top-level name, cmgen's in full."""
    result = subprocess.run(
        [sys.executable, "-c", _RUN, *args], capture_output=True, text=True, cwd=cwd, env=env
    )
    assert result.returncode == 0, result.stderr
    names = json.loads(result.stdout.splitlines()[-1])
    return {name if name.startswith("generator.") else name.split(".")[0] for name in names}


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (("envs",), {"pydantic", "jsonschema", "jinja2", "jsonschema_rs", "matplotlib", "multiprocessing", "concurrent", "xml"}),
        (("validate", "out/minikube/week3/day3/k8s-manifests"), {"pydantic", "jsonschema", "jinja2", "matplotlib"}),
        (("lint", "out/minikube/week3/day3/k8s-manifests"), {"pydantic", "jsonschema", "jinja2", "matplotlib"}),
        (("check", "--env", "minikube"), {"pydantic", "jsonschema", "matplotlib"}),
    ],
    ids=["envs", "validate", "lint", "check"],
)
def test_a_command_loads_only_what_it_uses(args: tuple[str, ...], absent: set[str]) -> None:
    modules = loaded(*args)
    assert "generator" in modules  # the probe saw the command run
    assert not modules & absent, f"cmgen {' '.join(args)} imported {sorted(modules & absent)}"


def test_a_check_of_unchanged_inputs_loads_no_stage(tmp_path: Path) -> None:
    env = {**os.environ, "CMGEN_CACHE_DIR": str(tmp_path)}
    args = ("check", "--env", "minikube")
    assert "generator.pipeline" in loaded(*args, env=env)  # nothing stored yet: a full build
    modules = loaded(*args, env=env)
    heavy = {"jinja2", "jsonschema_rs", "generator.pipeline", "generator.render", "generator.lint"}
    assert not modules & heavy, f"a check of a stored build imported {sorted(modules & heavy)}"


def _copy_of_this_project(root: Path) -> Path:
    return copy_repo_project(root, "out")


def test_a_render_of_unchanged_inputs_draws_no_chart(tmp_path: Path) -> None:
    """The committed charts record the source hash of the same data: a render keeps them
    instead of drawing them again, so it never imports matplotlib."""
    project = _copy_of_this_project(tmp_path / "project")
    env = {**os.environ, "CMGEN_CACHE_DIR": str(tmp_path / "cache")}
    before = snapshot(project / "out")
    modules = loaded("render", "--env", "minikube", cwd=project, env=env)
    assert "generator.write" in modules  # the probe saw the render write
    assert "matplotlib" not in modules and "generator.docs.painter" not in modules
    assert snapshot(project / "out") == before


def test_a_render_draws_exactly_the_chart_whose_source_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NetworkPolicies change what the mesh chart shows (which calls are blocked), not the
    storage or topology charts: only the mesh chart is drawn again."""
    from generator.docs import charts

    project = _copy_of_this_project(tmp_path / "project")
    screenshots = project / "out/minikube/week3/day3/docs/screenshots"
    before = {path.name: path.read_bytes() for path in screenshots.iterdir()}
    drawn: list[str] = []
    real = charts.draw

    def draw(kind: str, source: str) -> bytes:
        drawn.append(kind)
        return real(kind, source)

    monkeypatch.setattr(charts, "draw", draw)
    result = cmgen("render", "--env", "minikube", "--set", "features.networkPolicies=true", project=project)
    assert result.exit_code == 0, result.output
    assert drawn == ["mesh"]
    after = {path.name: path.read_bytes() for path in screenshots.iterdir()}
    assert [name for name in sorted(after) if after[name] != before[name]] == ["service-mesh.png"]


def test_a_render_of_inputs_already_rendered_loads_no_stage(tmp_path: Path) -> None:
    project = _copy_of_this_project(tmp_path / "project")
    env = {**os.environ, "CMGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert "generator.pipeline" in loaded("render", "--env", "minikube", cwd=project, env=env)  # builds, stores
    modules = loaded("render", "--env", "minikube", cwd=project, env=env)
    heavy = {"jinja2", "jsonschema_rs", "generator.pipeline", "generator.render", "generator.lint"}
    assert "generator.write" in modules
    assert not modules & heavy, f"a render of stored inputs imported {sorted(modules & heavy)}"


_ENTRY = """
import atexit, sys
atexit.register(lambda: print("torn down", file=sys.stderr))
sys.argv = ["cmgen", *sys.argv[2:]]
from generator import cli
getattr(cli, {entry!r})()
"""


@pytest.mark.parametrize(
    "args",
    [("envs",), ("lint", "out", "--output", "json"), ("check", "--env", "no-such-env"), ("render", "--help"), ("no-such-command",)],
    ids=["ok", "large-stdout", "bad-input", "help", "usage"],
)
def test_the_cmgen_command_exits_as_main_does_but_without_the_teardown(args: tuple[str, ...]) -> None:
    """``cmgen`` (``cli.run``) ends with ``os._exit`` after flushing: the same output and exit
    code as ``cli.main``, but no interpreter teardown (atexit handlers do not run)."""

    def invoke(entry: str) -> subprocess.CompletedProcess[bytes]:
        code = _ENTRY.format(entry=entry)
        return subprocess.run([sys.executable, "-c", code, "-", *args], cwd=REPO, capture_output=True)

    fast, plain = invoke("run"), invoke("main")
    assert plain.stderr.endswith(b"torn down\n")
    assert (fast.returncode, fast.stdout, fast.stderr) == (plain.returncode, plain.stdout, plain.stderr[: -len(b"torn down\n")])
    assert fast.stdout or fast.stderr
