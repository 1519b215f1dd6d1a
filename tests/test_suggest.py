from __future__ import annotations

from generator.suggest import did_you_mean


def test_the_closest_candidate_is_suggested() -> None:
    assert did_you_mean("prd", ["dev", "prod", "minikube"]) == " (did you mean 'prod'?)"
    assert did_you_mean("user-servce", ["user-service", "order-service"]) == " (did you mean 'user-service'?)"


def test_nothing_close_suggests_nothing() -> None:
    assert did_you_mean("staging", ["dev", "prod"]) == ""
    assert did_you_mean("x", []) == ""
