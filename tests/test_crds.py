from __future__ import annotations

from pathlib import Path

import pytest

from generator import crds, manifests
from generator.errors import CmgenError

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
    - name: v1beta1
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object}
"""


def _catalog(text: str) -> crds.Catalog:
    return crds.catalog([], manifests.from_text(text, "crd.yaml"))


def test_served_versions_are_found_and_unserved_are_not() -> None:
    catalog = _catalog(CRD)
    assert len(catalog) == 2
    found = catalog.find("example.com/v1", "Widget")
    assert found is not None and (found.file, found.line) == ("crd.yaml", 1)
    assert catalog.find("example.com/v1beta1", "Widget") is None
    assert catalog.served("example.com/v1beta1", "Widget") == ["example.com/v1"]
    assert catalog.served("example.com/v1", "Gadget") == []


def test_json_schema_is_strict_with_object_meta_and_fixed_type() -> None:
    version = _catalog(CRD).find("example.com/v1", "Widget")
    assert version is not None
    schema = version.json_schema()
    assert schema is not None
    assert schema["additionalProperties"] is False
    assert schema["properties"]["apiVersion"] == {"enum": ["example.com/v1"]}
    assert schema["properties"]["kind"] == {"enum": ["Widget"]}
    assert schema["properties"]["metadata"] == {"$ref": crds.OBJECT_META}
    assert schema["properties"]["spec"]["additionalProperties"] is False


def test_root_preserve_unknown_fields_keeps_the_root_open() -> None:
    text = CRD.replace(
        "          type: object\n          properties:",
        "          type: object\n          x-kubernetes-preserve-unknown-fields: true\n"
        "          properties:",
    )
    version = _catalog(text).find("example.com/v1", "Widget")
    assert version is not None
    schema = version.json_schema()
    assert schema is not None and "additionalProperties" not in schema


@pytest.mark.parametrize(
    "broken",
    [
        CRD.replace("  group: example.com\n", ""),
        CRD.replace("names: {plural: widgets, kind: Widget}", "names: widgets"),
        CRD.replace("spec:\n  group", "spec: 1\nx:\n  group"),
    ],
)
def test_a_malformed_crd_defines_nothing(broken: str) -> None:
    assert len(_catalog(broken)) == 0


def test_a_non_crd_defines_nothing() -> None:
    assert len(_catalog("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")) == 0


def test_crd_files_are_read_from_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "widgets.yml").write_text(CRD)
    (tmp_path / "notes.txt").write_text("not yaml: [")
    catalog = crds.catalog([tmp_path])
    assert catalog.find("example.com/v1", "Widget") is not None


def test_missing_crd_path_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(CmgenError, match="no such file or folder"):
        crds.catalog([tmp_path / "absent"])


def test_stdin_is_not_a_crd_source() -> None:
    with pytest.raises(CmgenError, match="not from stdin"):
        crds.catalog([Path("-")])


def test_real_crds_load(shared_crds: Path) -> None:
    catalog = crds.catalog([shared_crds])
    assert catalog.find("cert-manager.io/v1", "Certificate") is not None
    assert catalog.find("networking.istio.io/v1beta1", "VirtualService") is not None
    assert catalog.find("snapshot.storage.k8s.io/v1beta1", "VolumeSnapshot") is None
