"""Cold starts of cmgen against the bare import of its four main libraries (issue 20).

Each command is a fresh process pinned to one core (``taskset -c 0``), byte-code caching
on, run once untimed, then ``--repeat`` times interleaved (so load drift hits all alike);
the table gives the median wall time and the median CPU time (user + system, from
``os.wait4``) and each one's ratio to ``python -c "import jinja2, yaml, jsonschema, typer"``.
The project is a copy of this repository's (cmgen.yaml, templates/, values/, overlays/, and
the committed out/), in a temporary folder, with its own cmgen cache:

- ``render``: ``cmgen render --env minikube`` with unchanged inputs (writes nothing);
- ``check --no-cache``: ``cmgen check --env minikube --no-cache``, a full build;
- ``check``: ``cmgen check --env minikube``, replaying the build the untimed run stored.

- ``render (not stored)``: the same render with cmgen's stored builds deleted before each
  run: a full build whose write finds every file (charts by their source hash) unchanged.

``--phases`` adds the CPU time of each phase of a full check in one fresh process (imports,
the cache key, each pipeline stage, storing, comparing with the tree), ``--importtime`` the
modules whose own import time (``python -X importtime``, self column) is largest, grouped by
top-level package, for the unchanged render and the full check.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BARE_IMPORT = "import jinja2, yaml, jsonschema, typer"
PROJECT_FILES = ("cmgen.yaml", "templates", "values", "overlays", "crds", "out")


def copy_project(target: Path) -> Path:
    target.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target


def pinned(command: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


PHASES = """
import sys, time
marks = [("interpreter start", time.process_time())]
def mark(name): marks.append((name, time.process_time()))
import typer; mark("import typer")
import generator.cli; mark("import generator.cli")
from pathlib import Path
from generator import buildcache, drift, pipeline, render; mark("import the stages")
from generator.options import Options
from generator.project import Project
class Stages:
    def stage(self, name, total=0): mark(f"stage before {name}")
    def advance(self, done=1): pass
    def close(self): pass
project, options = Project.load(Path.cwd()), Options()
digest = buildcache.key(project, "minikube", options); mark("project, cache key")
build = pipeline.build(project, "minikube", options, render.Renderer(project), Stages()); mark("end of the build")
buildcache.store(digest, project, "minikube", options, build); mark("store the build")
drift.compare(build); mark("compare with the tree")
print(f"| interpreter start | {marks[0][1] * 1000:.0f} ms |")
for (start, before), (end, after) in zip(marks, marks[1:]):
    name = start.replace("stage before ", "stage ") if start.startswith("stage before ") else end
    if not name.startswith("stage before "):  # (the build's set-up before its first stage)
        print(f"| {name} | {(after - before) * 1000:.0f} ms |")
print(f"| total | {marks[-1][1] * 1000:.0f} ms |")
"""


def run(command: list[str], cwd: Path, env: dict[str, str], before: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one pinned process; it must succeed. A
    ``before`` folder is deleted first (cmgen's stored builds)."""
    if before is not None:
        shutil.rmtree(before, ignore_errors=True)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(pinned(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {errors.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(
    commands: dict[str, list[str]], cwd: Path, env: dict[str, str], repeat: int, before: dict[str, Path]
) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) per command: one untimed run each, then ``repeat`` interleaved rounds."""
    for name, command in commands.items():
        run(command, cwd, env, before.get(name))
    series: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            series[name].append(run(command, cwd, env, before.get(name)))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in series.items()
    }


def importtime(command: list[str], cwd: Path, env: dict[str, str], top: int) -> list[str]:
    """The top-level packages whose modules' own import time is largest (microseconds)."""
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], cwd=cwd, env=env, capture_output=True, text=True)
    own: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|( *)(\S+)", line)
        if found:
            name = found[3]
            own[name if name.startswith("generator") else name.split(".")[0]] += int(found[1])
    total = sum(own.values())
    rows = [f"| {name} | {micros / 1000:.1f} ms |" for name, micros in own.most_common(top)]
    return [f"| all imports | {total / 1000:.1f} ms |", *rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--importtime", type=int, default=0, metavar="TOP", help="also list the TOP import costs")
    parser.add_argument("--phases", action="store_true", help="also the CPU time of each phase of a full check")
    args = parser.parse_args()
    cmgen = str(BIN / "cmgen")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["CMGEN_CACHE_DIR"] = str(Path(tmp) / "cache")
        commands = {
            "bare import": [sys.executable, "-c", BARE_IMPORT],
            "render (unchanged)": [cmgen, "render", "--env", "minikube"],
            "render (not stored)": [cmgen, "render", "--env", "minikube"],
            "check --no-cache (full build)": [cmgen, "check", "--env", "minikube", "--no-cache"],
            "check (stored build replayed)": [cmgen, "check", "--env", "minikube"],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        before = {path: path.read_bytes() for path in (project / "out").rglob("*") if path.is_file()}
        results = measure(commands, project, env, args.repeat, {"render (not stored)": Path(tmp) / "cache" / "builds"})
        after = {path: path.read_bytes() for path in (project / "out").rglob("*") if path.is_file()}
        assert before == after, "a render of unchanged inputs changed out/"
        wall0, cpu0 = results["bare import"]
        print(f"| command ({args.repeat} runs, median) | wall | / bare | CPU | / bare |")
        print("|---|---:|---:|---:|---:|")
        for name, (wall, cpu) in results.items():
            print(f"| {name} | {wall * 1000:.0f} ms | {wall / wall0:.2f}x | {cpu * 1000:.0f} ms | {cpu / cpu0:.2f}x |")
        if args.phases:
            print("\n| phase of a full check (CPU) | |\n|---|---:|")
            done = subprocess.run(pinned([sys.executable, "-c", PHASES]), cwd=project, env=env, capture_output=True, text=True)
            print(done.stdout.rstrip() or done.stderr)
        if args.importtime:
            for name in ("render (unchanged)", "check --no-cache (full build)"):
                command = [sys.executable, "-c", "import sys; from generator.cli import main; sys.argv[0] = 'cmgen'; main()",
                           *commands[name][1:]]
                print(f"\n| imports of {name} (own time) | |\n|---|---:|")
                print("\n".join(importtime(command, project, env, args.importtime)))


if __name__ == "__main__":
    main()
