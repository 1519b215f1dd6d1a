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

from tests.conftest import REPO

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
