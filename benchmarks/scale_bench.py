"""Scaling benchmark: cmgen on synthetic projects from the CloudMart size to ~10,000 objects.

Run from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/scale_bench.py                      # the full report
    .venv/bin/python benchmarks/scale_bench.py --sizes 1000 10000 --skip-kustomize
    .venv/bin/python benchmarks/scale_bench.py --stages PROJECT     # one staged run, JSON

Everything runs pinned to one core (``taskset -c 0``), in fresh processes, with byte-code
caching on; commands compared with each other run interleaved, median of ``--repeat``.

How each stage is measured (``--stages``): one fresh process imports cmgen and runs
``pipeline.build`` with an observer that is told when each stage starts (values, render,
parse, overlay, dump, validate, lint), then ``write.write`` into an empty folder. A
stage's wall time is the ``perf_counter`` time between two calls; its peak RSS is the
process's ``VmHWM`` read from ``/proc/self/status`` when the stage ends, after the peak
was reset when it started (``echo 5 > /proc/self/clear_refs``, Linux >= 4.0): the largest
resident size *during* that stage, not a running maximum over the earlier ones. The whole
process's peak is ``ru_maxrss`` of the ``cmgen render`` child (``os.wait4``).

Prints a Markdown report (the tables of docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import synth  # noqa: E402

BIN = Path(sys.executable).parent
REPO = HERE.parent
BARE_IMPORT = "import jinja2, yaml, jsonschema, typer"
PARSE_ONLY = """\
import pathlib, sys, time, yaml
start = time.perf_counter()
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    count += sum(1 for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader) if doc)
print(count, time.perf_counter() - start)
"""
# Byte-code caching on, as on a user's machine.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


# --- one staged run, in this process --------------------------------------------------


def _peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Recorder:
    """An observer (``generator.progress.Observer``) that times each stage."""

    def __init__(self) -> None:
        self.stages: list[dict[str, Any]] = []
        self.resettable = _reset_peak()
        self.name = ""
        self.started = time.perf_counter()

    def stage(self, name: str, total: int = 0) -> None:
        self._finish()
        self.name = name
        self.resettable = _reset_peak()
        self.started = time.perf_counter()

    def advance(self, done: int = 1) -> None:
        pass

    def close(self) -> None:
        self._finish()
        self.name = ""

    def _finish(self) -> None:
        if self.name:
            seconds = time.perf_counter() - self.started
            self.stages.append({"stage": self.name, "seconds": seconds, "peak_kib": _peak_kib()})


def staged_run(project_dir: Path, env: str, out: Path) -> dict[str, Any]:
    """Import cmgen, build ``env`` and write it to ``out``, timing every stage."""
    recorder = Recorder()
    recorder.stage("import")
    from generator import pipeline, write
    from generator.project import Project

    project = Project.load(project_dir)
    build = pipeline.build(project, env, pipeline.Options(out=out), observer=recorder)
    recorder.stage("write")
    write.write(build.target, build.files)
    recorder.close()
    errors = [finding.text() for finding in build.findings if finding.severity == "error"]
    return {
        "objects": len(build.manifests),
        "files": len(build.files),
        "errors": errors[:10],
        "stages": recorder.stages,
        "peak_resettable": recorder.resettable,
    }


# --- processes ------------------------------------------------------------------------


def pinned(command: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


def run(command: list[str], cwd: Path | None = None) -> tuple[float, str]:
    """Wall seconds and stdout of one pinned process; it must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(
        pinned(command), cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return elapsed, stdout


def peak_rss(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB, ``ru_maxrss``) of one pinned process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        pinned(command), cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    return elapsed, usage.ru_maxrss


def timed(commands: list[tuple[list[str], Path | None]], repeat: int, warm_up: bool = True) -> list[float]:
    """Median wall time of each command, interleaved, after one untimed warm-up each."""
    for command, cwd in commands if warm_up else []:
        run(command, cwd)
    series: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for position, (command, cwd) in enumerate(commands):
            series[position].append(run(command, cwd)[0])
    return [statistics.median(values) for values in series]


def fresh_out(project: Path) -> None:
    shutil.rmtree(project / "out", ignore_errors=True)


def render_cold(project: Path, repeat: int, extra: tuple[str, ...] = ()) -> tuple[float, int]:
    """Median wall time of ``cmgen render`` into an empty out/, and its peak RSS."""
    command = [str(BIN / "cmgen"), "render", "--env", synth.ENV, *extra]
    fresh_out(project)
    run(command, project)  # warm-up: byte code, file cache
    times, peaks = [], []
    for _ in range(repeat):
        fresh_out(project)
        seconds, peak = peak_rss(command, project)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


# --- the report -------------------------------------------------------------------------


def scaling(sizes: list[int], repeat: int, tmp: Path) -> list[str]:
    lines: list[str] = []
    rows = []
    for size in sizes:
        namespaces = synth.namespaces_for(size)
        project = tmp / f"synth-{size}"
        count = synth.generate(project, synth.components_for(size, namespaces), namespaces)
        staged = _staged(project, tmp / f"staged-{size}")
        if staged["errors"]:
            raise SystemExit("the synthetic project has errors:\n" + "\n".join(staged["errors"]))
        wall, peak = render_cold(project, repeat)
        parse_cmd = [sys.executable, "-c", PARSE_ONLY, str(project / "out" / synth.ENV)]
        parse_wall = statistics.median(run(parse_cmd)[0] for _ in range(repeat))
        parse_inner = float(run(parse_cmd)[1].split()[1])
        rows.append((size, count, staged, wall, peak, parse_wall, parse_inner))
        print(f"done: scaling {size}", file=sys.stderr)
    names = [stage["stage"] for stage in rows[0][2]["stages"]]
    lines += [
        "| objects | " + " | ".join(names) + " | `cmgen render` (cold) | peak RSS | "
        "PyYAML C parse of the output (process / in-process) | render / parse |",
        "|---:|" + "---:|" * len(names) + "---:|---:|---:|---:|",
    ]
    for size, count, staged, wall, peak, parse_wall, parse_inner in rows:
        cells = [f"{stage['seconds']:.2f} s" for stage in staged["stages"]]
        lines.append(
            f"| {count} | " + " | ".join(cells) + f" | {wall:.2f} s | {peak / 1024:.0f} MB | "
            f"{parse_wall:.2f} s / {parse_inner:.2f} s | {wall / parse_wall:.2f}x |"
        )
    lines += ["", "Peak RSS during each stage (MB; the process's high-water mark reset at each stage start):", ""]
    lines += ["| objects | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for size, count, staged, *_ in rows:
        cells = [f"{stage['peak_kib'] / 1024:.0f}" for stage in staged["stages"]]
        lines.append(f"| {count} | " + " | ".join(cells) + " |")
    if len(rows) > 1:
        small, large = rows[-2], rows[-1]
        factor = large[1] / small[1]
        lines += [
            "",
            f"Growth from {small[1]} to {large[1]} objects ({factor:.1f}x the objects):"
            f" `cmgen render` {large[3] / small[3]:.2f}x;"
            + "; ".join(
                f" {a['stage']} {b['seconds'] / a['seconds']:.1f}x"
                for a, b in zip(small[2]["stages"], large[2]["stages"])
                if a["seconds"] > 0.001
            ),
        ]
    return lines


def _staged(project: Path, out: Path) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "scale_bench.py"), "--stages", str(project), "--out", str(out)]
    result: dict[str, Any] = json.loads(run(command)[1])
    if not result["peak_resettable"]:
        print("warning: /proc/self/clear_refs is not writable: stage peaks are running maxima", file=sys.stderr)
    return result


def kustomize(size: int, repeat: int, tmp: Path) -> list[str]:
    # kubectl kustomize takes about a minute on 4,000 objects: no warm-up run (the base
    # files were just written and read by the equality check, so they are in the page
    # cache; cmgen's byte code and compiled templates are warm from that check too).
    """``cmgen render`` with an overlay vs ``kubectl kustomize`` on the same base + overlay."""
    namespaces = synth.namespaces_for(size)
    project = tmp / f"kustomize-{size}"
    count = synth.generate(project, synth.components_for(size, namespaces), namespaces, overlay=True)
    base_out = tmp / f"kustomize-{size}-base"
    _write_base(project, base_out)
    overlay = synth.kustomize_tree(base_out, tmp / f"kustomize-{size}-tree")
    kubectl = [str(BIN / "kubectl"), "kustomize", str(overlay)]
    ours = [str(BIN / "cmgen"), "render", "--env", synth.ENV]
    same = _same_objects(project, kubectl)
    fresh_out(project)
    cmgen_time, kubectl_time = timed([(ours, project), (kubectl, None)], repeat, warm_up=False)
    print(f"done: kustomize {size}", file=sys.stderr)
    return [
        "| objects | `cmgen render` (overlay; + validate, lint, write) | `kubectl kustomize` | ratio | same objects |",
        "|---:|---:|---:|---:|---|",
        f"| {count} | {cmgen_time:.2f} s | {kubectl_time:.2f} s | {kubectl_time / cmgen_time:.1f}x | {same} |",
    ]


def _write_base(project_dir: Path, out: Path) -> None:
    """The base without the overlay, written even though lint finds that its env vars name
    the prefixed Services (they exist only once the overlay has run)."""
    from generator import pipeline, write
    from generator.project import Project

    options = pipeline.Options(overlays=False, out=out)
    build = pipeline.build(Project.load(project_dir), synth.ENV, options)
    write.write(build.target, build.files)


def _same_objects(project: Path, kubectl: list[str]) -> str:
    """Whether both tools produce the same objects (compared as parsed data)."""
    import yaml

    fresh_out(project)
    run([str(BIN / "cmgen"), "render", "--env", synth.ENV], project)
    ours = []
    for path in sorted((project / "out").rglob("*.yaml")):
        ours.extend(doc for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader) if doc)
    theirs = [doc for doc in yaml.load_all(run(kubectl)[1], Loader=yaml.CSafeLoader) if doc]

    def key(doc: dict[str, Any]) -> tuple[str, str, str]:
        meta = doc["metadata"]
        return doc["kind"], meta.get("namespace", ""), meta["name"]

    mine, other = {key(d): d for d in ours}, {key(d): d for d in theirs}
    differing = sum(1 for k in mine.keys() | other.keys() if mine.get(k) != other.get(k))
    return "yes" if not differing else f"no: {differing} of {len(mine)} differ"


def cold_check(repeat: int) -> list[str]:
    """Cold processes, interleaved. The first (untimed) run of ``cmgen check`` stores the build
    in cmgen's cache, so the timed ones replay it, as a pre-commit hook after ``cmgen render``
    does; ``--no-cache`` is the full build (compiled templates still cached)."""
    cmgen = str(BIN / "cmgen")
    check, full, bare, envs, nothing = timed(
        [
            ([cmgen, "check", "--env", "minikube"], REPO),
            ([cmgen, "check", "--env", "minikube", "--no-cache"], REPO),
            ([sys.executable, "-c", BARE_IMPORT], None),
            ([cmgen, "envs"], REPO),
            ([sys.executable, "-c", "pass"], None),
        ],
        repeat,
    )
    return [
        "| cold start (this repo) | median | / bare import |",
        "|---|---:|---:|",
        f"| `cmgen check --env minikube` (inputs unchanged since the last build) | {check * 1000:.0f} ms | {check / bare:.2f}x |",
        f"| `cmgen check --env minikube --no-cache` (full build) | {full * 1000:.0f} ms | {full / bare:.2f}x |",
        f"| `python -c \"{BARE_IMPORT}\"` | {bare * 1000:.0f} ms | 1.00x |",
        f"| `cmgen envs` (start-up, Typer, no pipeline) | {envs * 1000:.0f} ms | {envs / bare:.2f}x |",
        f"| `python -c pass` | {nothing * 1000:.0f} ms | {nothing / bare:.2f}x |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kustomize-size", type=int, default=4000)
    parser.add_argument("--kustomize-repeat", type=int, default=1, help="kubectl takes ~1 min a run")
    parser.add_argument("--skip-kustomize", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--cold-only", action="store_true", help="only the cold-start table")
    parser.add_argument("--stages", type=Path, help="one staged run of this project (JSON)")
    parser.add_argument("--out", type=Path, help="with --stages: where to write")
    args = parser.parse_args()
    if args.stages:
        print(json.dumps(staged_run(args.stages, synth.ENV, args.out)))
        return
    lines = [f"Python {sys.version.split()[0]}, one core (`taskset -c 0`), median of {args.repeat}.", ""]
    if args.cold_only:
        print("\n".join(lines + cold_check(max(args.repeat, 5))))
        return
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        lines += scaling(args.sizes, args.repeat, tmp)
        if not args.skip_kustomize:
            lines += [""] + kustomize(args.kustomize_size, args.kustomize_repeat, tmp)
    if not args.skip_cold:
        lines += [""] + cold_check(max(args.repeat, 5))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
