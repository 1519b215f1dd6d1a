"""CloudMart's vendored CRDs (crds/): what they are, and that they cover every custom resource
its features create, so render, check and the hooks validate them all locally."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from generator import pipeline
from generator.findings import NO_SCHEMA
from generator.yamlio.load import load_one
from generator.project import Project
from tests.conftest import REPO

CRDS = REPO / "crds"
FEATURES = (
    "networkPolicies", "tls", "autoscaling", "snapshots", "backups", "monitoring",
    "coreDNS", "gitops", "mesh", "dashboards", "tracing", "logging",
)


def _listed() -> dict[str, str]:
    """file -> sha256, from the table of crds/PROVENANCE.md."""
    text = (CRDS / "PROVENANCE.md").read_text()
    return dict(re.findall(r"^\| `([^`]+\.yaml)` \|.*\| `([0-9a-f]{64})` \|$", text, re.M))


def test_every_vendored_crd_is_listed_with_its_checksum() -> None:
    listed = _listed()
    on_disk = {path.relative_to(CRDS).as_posix() for path in CRDS.rglob("*.yaml")}
    assert set(listed) == on_disk and len(on_disk) == 10
    for name, digest in listed.items():
        assert hashlib.sha256((CRDS / name).read_bytes()).hexdigest() == digest, name
    assert (CRDS / "LICENSE-Apache-2.0.txt").is_file()


def test_vendored_crds_are_upstream_bytes(shared_crds: Path) -> None:
    """Whole files equal the upstream copies; Istio's are documents of its one file, verbatim."""
    istio = (shared_crds / "istio" / "crd-all.gen.yaml").read_text()
    for path in sorted(CRDS.rglob("*.yaml")):
        name = path.relative_to(CRDS).as_posix()
        if name.startswith("istio/"):
            assert f"---\n{path.read_text()}---\n" in istio, name
        else:
            assert path.read_bytes() == (shared_crds / name).read_bytes(), name


def test_cmgen_yaml_lists_the_vendored_crds(repo_project: Project) -> None:
    assert sorted(repo_project.config.crds) == sorted(path for path in CRDS.iterdir() if path.is_dir())


@pytest.mark.parametrize("env", ["kind", "minikube", "prod"])
def test_every_custom_resource_of_every_feature_has_a_schema(repo_project: Project, env: str) -> None:
    sets = tuple(f"features.{feature}=true" for feature in FEATURES)
    options = pipeline.Options(sets=sets, require_schemas=True, docs=False)
    build = pipeline.build(repo_project, env, options)
    custom = [m for m in build.manifests if "." in m.api_version.partition("/")[0] and not m.api_version.endswith("k8s.io/v1")]
    assert len(custom) > 20
    assert not [finding.text() for finding in build.findings if finding.rule == NO_SCHEMA]
    errors = [finding for finding in build.findings if finding.severity == "error"]
    # kind's local-path volumes cannot be snapshotted: its VolumeSnapshots are refused
    # (tests/test_docs_deploy.py), and nothing else is wrong with every feature on.
    refused = {f.resource for f in errors if env == "kind" and f.rule == "snapshot-driver"}
    assert refused == ({"VolumeSnapshot/postgres-user-data-snapshot", "VolumeSnapshot/postgres-order-data-snapshot",
                        "VolumeSnapshot/mongodb-product-data-snapshot"} if env == "kind" else set())
    assert not [finding.text() for finding in errors if finding.rule != "snapshot-driver"]


# Which upstream release each add-on pin installs, written by hand from the charts' releases
# (evidence in the comments next to the pins in values/base.yaml). A pin not in this table, or
# CRDs vendored from another release, fails the test below: pin and CRDs move together.
RELEASE_OF_PIN = {
    "cert-manager/cert-manager": {"v1.21.1": "v1.21.1"},
    "prometheus-operator/prometheus-operator": {"88.3.0": "v0.93.0"},
    "argoproj/argo-cd": {"10.3.3": "v3.5.1"},
    "istio/istio": {"1.30.3": "1.30.3"},
    "kubernetes-csi/external-snapshotter": {"v8.6.0": "v8.6.0"},
}


def _pins() -> dict[str, str]:
    """upstream repository -> the pin of the add-on bringing its CRDs, from values/base.yaml."""
    addons = load_one((REPO / "values" / "base.yaml").read_text(), "values/base.yaml")["addons"]["available"]
    snapshot_refs = {url.rpartition("?ref=")[2] for command in addons["volume-snapshots"]["install"]["kind"]["run"]
                     for url in command if "?ref=" in url}
    assert len(snapshot_refs) == 1
    return {
        "cert-manager/cert-manager": addons["cert-manager"]["install"]["default"]["helm"]["version"],
        "prometheus-operator/prometheus-operator":
            addons["kube-prometheus-stack"]["install"]["default"]["helm"]["version"],
        "argoproj/argo-cd": addons["argo-cd"]["install"]["default"]["helm"]["version"],
        "istio/istio": addons["istio"]["install"]["default"]["check"]["expect"],
        "kubernetes-csi/external-snapshotter": snapshot_refs.pop(),
    }


def test_add_on_pins_install_the_releases_of_the_vendored_crds() -> None:
    text = (CRDS / "PROVENANCE.md").read_text()
    vendored = dict(re.findall(r"^\| `[^`]+` \| ([\w-]+/[\w-]+) `([^`]+)` \(", text, re.M))
    assert len(vendored) == 5
    for repository, pin in _pins().items():
        assert RELEASE_OF_PIN[repository].get(pin) == vendored[repository], (repository, pin)
