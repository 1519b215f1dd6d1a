from __future__ import annotations

import pytest

from generator import manifests
from generator.validate import crds, validators
from generator.errors import CmgenError

DEPLOYMENT = "io.k8s.api.apps.v1.Deployment"


def test_builtin_validators_are_compiled_once_per_version_and_kind() -> None:
    assert validators.builtin("1.35", DEPLOYMENT) is validators.builtin("1.35", DEPLOYMENT)
    assert validators.builtin("1.34", DEPLOYMENT) is not validators.builtin("1.35", DEPLOYMENT)


def test_check_locates_each_violation() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n"
    [manifest] = manifests.from_text(text, "cm.yaml")
    [finding] = validators.builtin("1.35", "io.k8s.api.core.v1.ConfigMap").check(manifest)
    assert finding.text() == (
        "cm.yaml:6:6: error[schema] ConfigMap/x: $.data.a: 1 is not of type 'string'"
    )


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {plural: widgets, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: string, pattern: "(unclosed"}
"""


def _widget(text: str) -> crds.CrdVersion:
    found = crds.catalog([], manifests.from_text(text, "crd.yaml")).find("example.com/v1", "Widget")
    assert found is not None
    return found


def test_custom_validator_is_cached_on_the_crd_version() -> None:
    widget = _widget(CRD.replace(', pattern: "(unclosed"', ""))
    assert validators.custom("1.35", widget) is validators.custom("1.35", widget)


def test_crd_without_schema_has_no_validator() -> None:
    text = CRD.split("      schema:")[0]
    assert validators.custom("1.35", _widget(text)) is None


def test_crd_with_a_broken_schema_is_bad_input_at_the_crd() -> None:
    with pytest.raises(CmgenError) as raised:
        validators.custom("1.35", _widget(CRD))
    assert (raised.value.location.file, raised.value.location.line) == ("crd.yaml", 1)
    assert "CRD schema of example.com/v1 Widget is not valid" in raised.value.message


def test_keys_json_cannot_hold_are_converted_as_kubernetes_does() -> None:
    assert validators.as_json({1: [{True: b"hi"}], None: 1.5}) == {"1": [{"true": "aGk="}], "null": 1.5}
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {a: 1}}\ndata: {1: a}\n"
    [manifest] = manifests.from_text(text, "cm.yaml")
    [finding] = validators.builtin("1.35", "io.k8s.api.core.v1.ConfigMap").check(manifest)
    assert finding.message == "$.metadata.labels.a: 1 is not of type 'string'"
