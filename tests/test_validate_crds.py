from __future__ import annotations

from pathlib import Path

import pytest

from generator import manifests
from generator.validate import crds
from generator.errors import CmgenError
from generator.k8s.scope import Scope

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


def _versions(path: Path) -> list[crds.CrdVersion]:
    crds._file_versions.cache_clear()  # a new process: only cmgen's cache on disk remains
    catalog = crds.catalog([path])
    return [version for kind in catalog._kinds.values() for version in kind.values()]


def test_a_parsed_crd_file_is_kept_in_the_cache_by_its_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    crd = tmp_path / "widgets.yaml"
    crd.write_text(CRD)
    fresh = _versions(crd)
    (stored,) = (tmp_path / "cache" / "crds").glob("*.json")
    monkeypatch.setattr(crds.manifests_, "load_paths", lambda paths: pytest.fail("parsed again"))
    replayed = _versions(crd)
    assert replayed == fresh and [v.openapi for v in replayed] == [v.openapi for v in fresh]
    assert [(v.file, v.line) for v in replayed] == [(str(crd), 1), (str(crd), 1)]
    moved = tmp_path / "moved.yaml"  # same bytes elsewhere: the same entry, named as it is now
    moved.write_text(CRD)
    assert {v.file for v in _versions(moved)} == {str(moved)}


@pytest.mark.parametrize("garbage", [b"", b"{}", b'{"format": 1, "versions": [{"group": 1}]}', b"\xff"])
def test_an_unreadable_crd_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    crd = tmp_path / "widgets.yaml"
    crd.write_text(CRD)
    fresh = _versions(crd)
    (stored,) = (tmp_path / "cache" / "crds").glob("*.json")
    stored.write_bytes(garbage)
    assert _versions(crd) == fresh
    assert _versions(crd) == fresh  # and the entry was rewritten


def test_a_changed_crd_file_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    crd = tmp_path / "widgets.yaml"
    crd.write_text(CRD)
    _versions(crd)
    crd.write_text(CRD.replace("served: false", "served: true"))
    assert [v.served for v in _versions(crd)] == [True, True]


@pytest.mark.parametrize("declared, cluster", [("Cluster", {"Gadget", "Widget"}), ("Namespaced", {"Gadget"})])
def test_a_catalog_sets_its_kinds_scope_also_when_read_back_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, declared: str, cluster: set[str]
) -> None:
    monkeypatch.setenv("CMGEN_CACHE_DIR", str(tmp_path / "cache"))
    crd = tmp_path / "widgets.yaml"
    crd.write_text(CRD.replace("scope: Namespaced", f"scope: {declared}"))
    # The base has Widget the other way round: the CRD's scope must win.
    base = Scope(frozenset({"Gadget", "Widget"} if declared == "Namespaced" else {"Gadget"}))
    for _ in ("parsed", "from the cache"):
        crds._file_versions.cache_clear()
        assert crds.catalog([crd]).scope(base).cluster == cluster
    assert list((tmp_path / "cache" / "crds").glob("*.json"))
