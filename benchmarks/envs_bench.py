"""Many envs at once: ``cmgen render --all-envs`` and ``cmgen check --all-envs`` serial
(``-j 1``) against parallel (``-j N``), with the check that both give the same bytes.

Run from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/envs_bench.py --envs 50 --jobs 2

The project is a copy of CloudMart (cmgen.yaml, templates/, values/, overlays/, crds/) with
``--envs`` envs: ``values/env-NN.yaml`` copies of the three real envs in turn (kind, minikube,
prod), each with its overlay. Each command runs once per job count, with the build cache off
(``CMGEN_CACHE_DIR=off``: every env is built), in a fresh output folder. The trees written,
stdout and stderr of the serial and the parallel run must be byte-identical.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("cmgen.yaml", "templates", "values", "overlays", "crds")
REAL_ENVS = ("kind", "minikube", "prod")


def make_project(target: Path, envs: int) -> list[str]:
    """A copy of CloudMart with ``envs`` envs; returns their names."""
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    for env in REAL_ENVS:
        (target / "values" / f"{env}.yaml").unlink()
        shutil.rmtree(target / "overlays" / env, ignore_errors=True)
    names = []
    for number in range(1, envs + 1):
        model = REAL_ENVS[(number - 1) % len(REAL_ENVS)]
        name = f"env-{number:02d}"
        shutil.copy2(REPO / "values" / f"{model}.yaml", target / "values" / f"{name}.yaml")
        overlay = REPO / "overlays" / model
        if overlay.is_dir():
            shutil.copytree(overlay, target / "overlays" / name)
        names.append(name)
    return names


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run(project: Path, args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = dict(os.environ, CMGEN_CACHE_DIR="off")
    command = [str(Path(sys.executable).parent / "cmgen"), *args, "--project", str(project)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=project)
    return time.perf_counter() - start, result


def bench(workdir: Path, envs: int, jobs: int) -> dict[str, object]:
    project = workdir / "project"
    names = make_project(project, envs)
    results: dict[str, object] = {"envs": len(names), "jobs": jobs, "cpus": os.cpu_count()}
    for command in ("render", "check"):
        outputs = []
        for count in (1, jobs):
            out = workdir / f"out-{command}"  # the same path: the trees name it
            shutil.rmtree(out, ignore_errors=True)
            if command == "render":
                args = ["render", "--all-envs", "-j", str(count), "--out", str(out)]
            else:  # check compares with out/: render it once, untimed
                if not (project / "out").exists():
                    run(project, ["render", "--all-envs", "-j", str(jobs)])
                args = ["check", "--all-envs", "-j", str(count), "--no-cache"]
            seconds, result = run(project, args)
            if result.returncode != 0:
                raise SystemExit(f"{' '.join(args)}: exit {result.returncode}\n{result.stderr[-3000:]}")
            tree = snapshot(out) if out.exists() else {}
            outputs.append((tree, result.stdout, result.stderr))
            results[f"{command} -j {count}"] = round(seconds, 2)
        results[f"{command} identical"] = outputs[0] == outputs[1]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=None)
    options = parser.parse_args()
    workdir = options.workdir or Path(os.environ.get("TMPDIR", "/tmp")) / f"cmgen-envs-bench-{os.getpid()}"
    try:
        print(json.dumps(bench(workdir, options.envs, options.jobs), indent=2))
    finally:
        if options.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
