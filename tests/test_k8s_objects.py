"""The object types: ``Manifest`` (an object in its file) and ``Placed`` (on its way there)."""

from __future__ import annotations

from collections.abc import Sequence

from generator.k8s.objects import Manifest, Placed, Source
from generator.manifests import from_text

SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"


class Traced:
    def trace(self, path: Sequence[str | int]) -> str:
        return f"templates/svc.yaml.j2:{len(path)}"


def test_findings_locate_the_node_of_a_path() -> None:
    [manifest] = from_text("---\n" + SERVICE + "spec:\n  ports: [{port: x}]\n", "svc.yaml")
    finding = manifest.finding("error", "schema", "bad port", ["spec", "ports", 0, "port"])
    assert (finding.file, finding.line, finding.resource) == ("svc.yaml", 6, "Service/web")


def test_a_finding_names_the_template_line_only_when_traced() -> None:
    [manifest] = from_text(SERVICE, "svc.yaml", Traced())
    path = ["metadata", "name"]
    assert manifest.finding("error", "r", "m", path).origin == "templates/svc.yaml.j2:2"
    assert manifest.finding("error", "r", "m", path, traced=False).origin == ""


def test_fields_of_an_object_with_missing_or_odd_metadata() -> None:
    manifest = Manifest({"kind": "ConfigMap", "metadata": "x"}, Source("a.yaml", ""), 0, 1)
    assert (manifest.name, manifest.namespace, manifest.ref, manifest.api_version) == (
        "", None, "ConfigMap/?", ""
    )
    assert Manifest({}, Source("a.yaml", ""), 0, 1).ref == "?/?"


def test_placed_objects_compare_by_file_and_data_not_by_origin() -> None:
    data = {"kind": "ConfigMap"}
    assert Placed("a.yaml", data, Traced()) == Placed("a.yaml", data)
    assert Placed("a.yaml", data) != Placed("b.yaml", data)
