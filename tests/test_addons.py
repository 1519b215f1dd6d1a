"""Add-ons read from the merged values: which belong to an env, which recipe installs them,
and the located errors of a catalog that cannot work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import addons, values
from generator.errors import CmgenError
from generator.merge import Values
from generator.project import Project
from tests.conftest import REPO

HELM = {"helm": {"repo": "https://example.org/charts", "chart": "c", "version": "1.2.3", "namespace": "n",
                 "values": {"b": 1, "a": {"c": True}}}}


def _values(**section: Any) -> Values:
    catalog = {"ingress": {"description": "i", "when": ["features.web"], "provides": {"ingressClasses": ["nginx"]},
                           "install": {"kind": {"run": [["kubectl", "apply", "-f", "x.yaml"]]}, "default": HELM}},
               "disks": {"description": "d", "provides": {"provisioners": ["p"]}},
               "mesh": {"description": "m", "when": ["features.mesh"], "provides": {}, "install": {"minikube": HELM}}}
    data = {"features": {"web": True, "mesh": False}, "addons": {"cluster": "kind", "present": [], "available": catalog}}
    data["addons"].update(section)
    return Values(data)


def test_features_bring_in_their_addons_and_the_env_marks_what_is_there() -> None:
    found = addons.load(_values(present=["disks"]), "dev")
    assert found is not None
    assert [(a.name, a.present) for a in found.installed] == [("ingress", False), ("disks", True)]
    assert [a.name for a in found.others] == ["mesh"]
    assert [a.name for a in found.to_install] == ["ingress"]


def test_the_clusters_recipe_wins_over_the_default() -> None:
    kind = addons.load(_values(), "dev")
    gke = addons.load(_values(cluster="gke"), "prod")
    assert kind is not None and gke is not None
    assert kind.installed[0].recipe is not None and kind.installed[0].recipe.run == (("kubectl", "apply", "-f", "x.yaml"),)
    recipe = gke.installed[0].recipe
    assert recipe is not None and recipe.helm is not None
    assert recipe.helm.values == '{"a": {"c": true}, "b": 1}'
    assert recipe.commands("ingress")[0] == ("helm upgrade --install ingress c --repo https://example.org/charts "
                                             "--version 1.2.3 --namespace n --create-namespace --wait --timeout 10m "
                                             "-f - <<'VALUES'")


def test_a_needed_addon_without_a_recipe_is_an_error() -> None:
    data = _values(cluster="gke").data
    data["features"]["mesh"] = True
    with pytest.raises(CmgenError, match="add-on mesh is needed by env prod but has no install recipe for cluster 'gke'"):
        addons.load(Values(data), "prod")


def test_unknown_names_and_paths_are_errors() -> None:
    with pytest.raises(CmgenError, match="add-on 'nfs' is not in addons.available"):
        addons.load(_values(present=["nfs"]), "dev")
    data = _values().data
    data["addons"]["available"]["ingress"]["when"] = ["features.webb"]
    with pytest.raises(CmgenError, match="features.webb is not a values key"):
        addons.load(Values(data), "dev")


def test_without_an_addons_section_there_is_nothing_to_judge() -> None:
    assert addons.load(Values({"features": {}}), "dev") is None


def test_errors_point_at_the_values_line(repo_project: Project, tmp_path: Path) -> None:
    merged = values.load(repo_project, "kind", ("addons.present=[nfs]",))
    with pytest.raises(CmgenError) as raised:
        addons.load(merged, "kind")
    assert raised.value.location.file == "--set addons.present=[nfs]"


@pytest.mark.parametrize(("kind", "crd"), [("ServiceMonitor", "servicemonitors.g"), ("Ingress", "ingresses.g"),
                                           ("Policy", "policies.g"), ("Gateway", "gateways.g"), ("Mesh", "meshes.g")])
def test_conventional_crd_names(kind: str, crd: str) -> None:
    assert addons.crd_name("g", kind) == crd


def test_a_recipe_adds_what_its_install_provides_only_where_it_is_chosen() -> None:
    """minikube's volume-snapshots recipe also enables a CSI driver: on minikube the add-on
    provides that provisioner, on another cluster (another recipe) it does not."""
    catalog = {"snaps": {"description": "s", "when": ["features.snap"],
                         "provides": {"crds": {"volumesnapshots.snapshot.storage.k8s.io": "VolumeSnapshot"},
                                      "provisioners": ["own"]},
                         "install": {"minikube": {"run": [["minikube", "addons", "enable", "csi"]],
                                                  "provides": {"provisioners": ["hostpath.csi.k8s.io"],
                                                               "secrets": ["kube-system/token"]}},
                                     "default": {"run": [["kubectl", "apply", "-k", "crds"]]}}}}

    def loaded(cluster: str) -> addons.Addon:
        data = {"features": {"snap": True}, "addons": {"cluster": cluster, "available": catalog}}
        found = addons.load(Values(data), "env")
        assert found is not None
        (addon,) = found.installed
        return addon

    on_minikube, elsewhere = loaded("minikube"), loaded("kind")
    assert on_minikube.provisioners == ("own", "hostpath.csi.k8s.io")
    assert on_minikube.secrets == ("kube-system/token",)
    assert on_minikube.crds == elsewhere.crds == (("volumesnapshots.snapshot.storage.k8s.io", "VolumeSnapshot"),)
    assert (elsewhere.provisioners, elsewhere.secrets) == (("own",), ())
