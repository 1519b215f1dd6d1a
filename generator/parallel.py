"""One job per env, run in parallel processes with the results of a serial run.

Each env's build is independent of the others, so a job runs in a worker process and
returns plain data (files, findings); the caller prints and writes in env order, so the
output is the same bytes whatever the number of processes. Bad input in one env does not
stop the others: its error comes back as text (``Outcome.error``) and the caller reports
every env before it decides the exit code. Any other exception is a bug and propagates.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from generator.errors import CmgenError

if TYPE_CHECKING:
    import multiprocessing.context

T = TypeVar("T")
_worker = {"on": False}


@dataclass(frozen=True)
class Outcome(Generic[T]):
    env: str
    result: T | None = None
    error: str | None = None  # bad input (a CmgenError), rendered
    cause: CmgenError | None = None  # that error itself (it pickles with its location)


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def in_worker() -> bool:
    """True inside a worker process (which then draws no progress line of its own)."""
    return _worker["on"]


def run(
    job: Callable[[str], T], envs: Sequence[str], jobs: int, preload: Sequence[str] = ()
) -> list[Outcome[T]]:
    """``job(env)`` for every env, in ``jobs`` processes at most; outcomes in env order.

    The first env is built here, then the workers fork: they start with what it loaded and
    compiled (modules, templates, schemas, CRDs) instead of each doing it again, which cost
    more than half the CPU of a second process. ``preload`` names modules imported before
    that, for a job that may not import them itself (matplotlib, when a chart is unchanged).

    One process (``jobs`` 1, or a single env) runs the jobs here, one after another. A
    single env's bad input raises, as in any command about one env."""
    if jobs < 1:
        raise CmgenError(f"-j must be 1 or more, not {jobs}")
    if not envs:
        return []
    if len(envs) == 1:
        return [Outcome(envs[0], result=job(envs[0]))]
    if jobs == 1:
        return [_outcome(job, env) for env in envs]
    import importlib
    from concurrent.futures import ProcessPoolExecutor  # ~15 ms of start-up: only when used

    for module in preload:
        importlib.import_module(module)
    first = _outcome(job, envs[0])
    rest = envs[1:]
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(rest)), mp_context=_context(), initializer=_mark_worker
    ) as pool:
        return [first, *pool.map(_outcome, [job] * len(rest), rest)]


def _outcome(job: Callable[[str], T], env: str) -> Outcome[T]:
    try:
        return Outcome(env, result=job(env))
    except CmgenError as error:
        return Outcome(env, error=error.render(), cause=error)


def _mark_worker() -> None:
    _worker["on"] = True


def _context() -> multiprocessing.context.BaseContext:
    # fork: a worker starts with cmgen and its libraries already imported (no re-import).
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)
