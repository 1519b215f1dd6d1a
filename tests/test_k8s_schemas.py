from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.k8s import schemas
from generator.errors import CmgenError
from tests.conftest import cmgen


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def test_versions_are_normalised() -> None:
    assert schemas.normalise_version("v1.33.2") == "1.33"
    with pytest.raises(CmgenError, match="expected X.Y"):
        schemas.normalise_version("latest")


def test_definition_is_found_by_group_version_kind() -> None:
    assert schemas.definition_for("1.35", "apps/v1", "Deployment") == "io.k8s.api.apps.v1.Deployment"
    assert schemas.definition_for("1.35", "v1", "Deployment") is None
    # A CRD group that happens to start with a Kubernetes group is not Kubernetes'.
    assert schemas.definition_for("1.35", "apps.example.com/v1", "Deployment") is None


def test_groups_kinds_and_versions() -> None:
    assert {"", "apps", "networking.k8s.io"} <= schemas.builtin_groups("1.35")
    assert "Deployment" in schemas.kinds_in("1.35", "apps/v1")
    assert schemas.api_versions_of("1.35", "Service") == ["v1"]


def test_bundle_is_self_contained_and_small() -> None:
    definition = schemas.definitions("1.35")["io.k8s.api.apps.v1.Deployment"]
    bundled = schemas.bundle("1.35", definition)
    names = {ref.removeprefix("#/$defs/") for ref in _refs(bundled)}
    assert names <= set(bundled["$defs"])
    assert "io.k8s.api.core.v1.PodSpec" in names
    assert len(bundled["$defs"]) < len(schemas.definitions("1.35")) / 3


def test_bundle_writes_int_or_string_and_quantity_as_type_unions() -> None:
    bundled = schemas.bundle("1.35", {"$ref": "#/$defs/io.k8s.api.core.v1.ResourceRequirements"})
    assert bundled["$defs"]["io.k8s.apimachinery.pkg.api.resource.Quantity"] == {
        "type": ["number", "string", "null"]
    }


# --- a patch version of a minor version that has no schemas (issue 22, decided) ---------


def test_a_mistyped_version_is_named_as_typed_with_the_likely_one() -> None:
    """``1.3.5`` was reported as "Kubernetes 1.3": the user's text, shortened."""
    with pytest.raises(CmgenError) as caught:
        schemas.normalise_version("1.3.5")
    assert caught.value.message.startswith("no schemas for Kubernetes 1.3.5 (available: 1.25, ")
    assert caught.value.message.endswith("; did you mean 1.35?")


def test_a_patch_version_of_a_known_minor_version_is_that_minor_version() -> None:
    assert schemas.normalise_version("1.35.2") == "1.35"


def test_cli_usage_error_for_the_mistyped_version(tmp_path: Path) -> None:
    result = cmgen("validate", "--kube-version", "1.3.5", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("cmgen: error: no schemas for Kubernetes 1.3.5 ")
    assert "Traceback" not in result.output
