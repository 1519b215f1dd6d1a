"""What creating cmgen's dataclasses costs a cold full check, and what compiling their
methods once would save (an experiment for docs/performance.md; cmgen does not do this).

``dataclasses`` writes the source of each class's ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` and frozen ``__setattr__``/``__delattr__`` and compiles it with ``exec`` at every
start. Three kinds of fresh process, interleaved, each running ``cmgen check --env minikube
--no-cache`` in a copy of this repository's project (``cold_start.copy_project``):

- ``as is``;
- ``measured``: as is, with the time spent in ``dataclasses._process_class`` added up;
- ``methods precompiled``: ``dataclasses``' ``exec`` is given code objects compiled by an
  earlier run and kept in a ``marshal`` file, as if the methods were compiled once into
  byte-code like the rest of the code.

Each prints its process's CPU time; the median of ``--repeat`` rounds is shown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cold_start  # noqa: E402

RUN = """
import atexit, dataclasses, marshal, os, sys, time
mode, cache_file = sys.argv[1], sys.argv[2]
spent = [0.0]
if mode == "measured":
    process_class = dataclasses._process_class
    def timed(*args):
        start = time.process_time()
        try:
            return process_class(*args)
        finally:
            spent[0] += time.process_time() - start
    dataclasses._process_class = timed
if mode == "precompiled":
    codes = marshal.load(open(cache_file, "rb")) if os.path.exists(cache_file) else {}
    size = len(codes)
    def cached_exec(source, globals=None, locals=None):
        code = codes.get(source)
        if code is None:
            code = codes[source] = compile(source, "<string>", "exec")
        exec(code, globals, locals)
    dataclasses.exec = cached_exec
    atexit.register(lambda: len(codes) != size and marshal.dump(codes, open(cache_file, "wb")))
def report():
    print(f"{time.process_time():.4f} {spent[0]:.4f}", file=sys.__stdout__)
atexit.register(report)
sys.argv = ["cmgen", "check", "--env", "minikube", "--no-cache"]
from generator.cli import main
main()
"""


def one(mode: str, project: Path, env: dict[str, str], cache_file: Path) -> tuple[float, float]:
    done = subprocess.run(
        cold_start.pinned([sys.executable, "-c", RUN, mode, str(cache_file)]),
        cwd=project, env=env, capture_output=True, text=True,
    )
    cpu, spent = done.stdout.split()[-2:]
    return float(cpu), float(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = cold_start.copy_project(Path(tmp) / "project")
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["CMGEN_CACHE_DIR"] = str(Path(tmp) / "cache")
        cache_file = Path(tmp) / "methods.marshal"
        modes = ("as is", "measured", "precompiled")
        for mode in modes:  # untimed: fills the template cache and the method cache
            one(mode, project, env, cache_file)
        cpu: dict[str, list[float]] = {mode: [] for mode in modes}
        spent: list[float] = []
        for _ in range(args.repeat):
            for mode in modes:
                total, creating = one(mode, project, env, cache_file)
                cpu[mode].append(total)
                if mode == "measured":
                    spent.append(creating)
    print(f"| cold `cmgen check --env minikube --no-cache`, CPU, median of {args.repeat} | |\n|---|---:|")
    print(f"| as is | {statistics.median(cpu['as is']) * 1000:.0f} ms |")
    print(f"| of which creating dataclasses (`measured` runs) | {statistics.median(spent) * 1000:.0f} ms |")
    print(f"| dataclass methods precompiled | {statistics.median(cpu['precompiled']) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
