"""Every feature switch, turned on alone in a small env: it renders valid, lint-clean objects
(real CRDs for its custom resources) and the env README says it is on."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline, yamlio
from generator.findings import has_errors
from generator.project import Project
from tests.conftest import REPO

PROJECT = Project.load(REPO)
FEATURES = sorted(yamlio.load_one(PROJECT.base_values.read_text(), "base.yaml")["features"])
NEEDS = {"dashboards": ("monitoring",)}


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_renders_clean_and_shows_in_the_readme(feature: str, shared_crds: Path) -> None:
    sets = tuple(f"features.{name}=true" for name in (feature, *NEEDS.get(feature, ())))
    options = pipeline.Options(sets=sets, crds=(shared_crds,), require_schemas=True, docs=False)
    build = pipeline.build(PROJECT, "minikube", options)
    errors = [f.text() for f in build.findings if f.severity == "error"]
    warnings = [f.text() for f in build.findings if f.severity == "warning"]
    assert not has_errors(build.findings), "\n".join(errors)
    assert not warnings, "\n".join(warnings)
    readme = build.files["README.md"].data.decode()
    assert f"| {feature} | on |" in readme


def test_features_are_off_by_default() -> None:
    readme = (REPO / "out/minikube/week3/day3/README.md").read_text()
    for feature in FEATURES:
        assert f"| {feature} | off |" in readme


def test_coredns_keeps_the_cluster_zone_and_forwards_to_the_upstreams() -> None:
    build = pipeline.build(PROJECT, "minikube", pipeline.Options(sets=("features.coreDNS=true",), docs=False))
    [configmap] = [m for m in build.manifests if m.name == "coredns"]
    corefile = configmap.data["data"]["Corefile"]
    assert "kubernetes cluster.local in-addr.arpa ip6.arpa" in corefile
    assert "forward . 1.1.1.1 8.8.8.8" in corefile and "reload" in corefile
    gke = pipeline.build(
        PROJECT, "prod", pipeline.Options(sets=("features.coreDNS=true",), docs=False)
    )
    [kube_dns] = [m for m in gke.manifests if m.name == "kube-dns"]
    assert yamlio.load_one(kube_dns.data["data"]["upstreamNameservers"], "x") == ["1.1.1.1", "8.8.8.8"]
