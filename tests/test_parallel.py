from __future__ import annotations

import os

import pytest

from generator import parallel
from generator.errors import CmgenError


def _job(env: str) -> tuple[str, int]:
    if env.startswith("bad"):
        raise CmgenError(f"no {env}", "values", 1, 1)
    return env, os.getpid()


def test_outcomes_come_back_in_env_order_from_several_processes() -> None:
    envs = [f"e{number}" for number in range(6)]
    outcomes = parallel.run(_job, envs, 3)
    assert [outcome.env for outcome in outcomes] == envs
    assert [outcome.result[0] for outcome in outcomes if outcome.result] == envs
    assert outcomes[0].result and outcomes[0].result[1] == os.getpid()  # the first env: here
    assert len({outcome.result[1] for outcome in outcomes if outcome.result}) > 1


def test_bad_input_of_one_env_is_reported_and_the_others_still_run() -> None:
    for jobs in (1, 2):
        outcomes = parallel.run(_job, ["a", "bad-b", "c"], jobs)
        assert [(o.env, o.error) for o in outcomes] == [("a", None), ("bad-b", "values:1:1: error: no bad-b"), ("c", None)]


def test_a_single_env_raises_its_error() -> None:
    with pytest.raises(CmgenError, match="no bad"):
        parallel.run(_job, ["bad"], 4)


def test_jobs_must_be_positive() -> None:
    with pytest.raises(CmgenError, match="-j must be 1 or more, not 0"):
        parallel.run(_job, ["a", "b"], 0)
    assert parallel.run(_job, [], 2) == []
