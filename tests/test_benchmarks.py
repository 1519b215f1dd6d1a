"""The benchmark code works (on a tiny size); nothing here is timed or compared."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import yaml

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


def test_synthetic_project_renders_clean_and_every_stage_is_recorded(tmp_path: Path) -> None:
    synth = _module("synth")
    scale = _module("scale_bench")
    count = synth.generate(tmp_path / "p", components=6, namespaces=3, overlay=True)
    assert count == 6 * synth.PER_COMPONENT + 3 * synth.PER_NAMESPACE
    result = scale.staged_run(tmp_path / "p", synth.ENV, tmp_path / "out")
    assert result["errors"] == []
    assert result["objects"] == count
    stages = [stage["stage"] for stage in result["stages"]]
    assert stages == ["import", "values", "render", "parse", "overlay", "dump", "validate", "lint", "write"]
    assert all(stage["seconds"] >= 0 and stage["peak_kib"] >= 0 for stage in result["stages"])
    written = [doc for path in (tmp_path / "out").rglob("*.yaml") for doc in yaml.safe_load_all(path.read_text())]
    assert len(written) == count
    assert all(doc["metadata"]["name"].startswith("bench-") for doc in written if doc["kind"] != "Namespace")


def test_kustomize_layout_lists_every_base_file(tmp_path: Path) -> None:
    synth = _module("synth")
    base = tmp_path / "rendered"
    (base / "ns").mkdir(parents=True)
    (base / "ns" / "a.yaml").write_text("kind: A\n")
    (base / "b.yaml").write_text("kind: B\n")
    overlay = synth.kustomize_tree(base, tmp_path / "k")
    assert yaml.safe_load((tmp_path / "k" / "base" / "kustomization.yaml").read_text()) == {
        "resources": ["b.yaml", "ns-a.yaml"]
    }
    kustomization = yaml.safe_load((overlay / "kustomization.yaml").read_text())
    assert kustomization["resources"] == ["../base"]
    assert kustomization["namePrefix"] == "bench-"


def test_the_sandbox_benchmark_renders_the_same_text_both_ways() -> None:
    """benchmarks/sandbox_bench.py (docs/trust-model.md): runs, and finds the sandboxed and
    the plain renderer's output identical (it asserts so before timing)."""
    import subprocess

    fixture = Path(__file__).parent / "fixtures" / "project"
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "sandbox_bench.py"), "--project", str(fixture), "--rounds", "2"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "sandbox cost: x" in result.stdout


def test_envs_bench_runs_serial_and_parallel_with_identical_results(tmp_path: Path) -> None:
    bench = _module("envs_bench")
    result = bench.bench(tmp_path, envs=3, jobs=2)
    assert (result["envs"], result["render identical"], result["check identical"]) == (3, True, True)
    assert sorted(path.name for path in (tmp_path / "out-render").iterdir()) == ["env-01", "env-02", "env-03"]


def test_cold_start_benchmark_measures_and_names_every_phase(tmp_path: Path) -> None:
    cold = _module("cold_start")
    project = cold.copy_project(tmp_path / "project")
    env = {**os.environ, "CMGEN_CACHE_DIR": str(tmp_path / "cache")}
    (wall, cpu), = cold.measure({"pass": [sys.executable, "-c", "pass"]}, project, env, 1, {}).values()
    assert wall > 0 and cpu > 0
    done = subprocess.run([sys.executable, "-c", cold.PHASES], cwd=project, env=env, capture_output=True, text=True, check=True)
    phases = [line.split(" | ")[0].strip("| ") for line in done.stdout.splitlines()]
    stages = ["values", "render", "parse", "overlay", "dump", "validate", "lint", "docs"]
    assert phases == ["interpreter start", "import typer", "import generator.cli", "import the stages",
                      "project, cache key", *(f"stage {name}" for name in stages), "store the build",
                      "compare with the tree", "total"]


def test_dataclass_cost_benchmark_runs_a_full_check_each_way(tmp_path: Path) -> None:
    cost = _module("dataclass_cost")
    project = cost.cold_start.copy_project(tmp_path / "project")
    env = {**os.environ, "CMGEN_CACHE_DIR": str(tmp_path / "cache")}
    cache = tmp_path / "methods.marshal"
    assert cost.one("as is", project, env, cache)[0] > 0
    total, creating = cost.one("measured", project, env, cache)
    assert 0 < creating < total
    cost.one("precompiled", project, env, cache)
    assert cache.stat().st_size > 0  # the methods' code, kept for the next run
