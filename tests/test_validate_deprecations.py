from __future__ import annotations

import pytest

from generator.k8s import schemas
from generator.validate import deprecations
from generator.project import DEFAULT_KUBE_VERSION


def test_known_removal_names_its_replacement() -> None:
    removed = deprecations.removed("extensions/v1beta1", "Deployment")
    assert removed is not None
    assert (removed.removed_in, removed.advice()) == ("1.16", "use apps/v1")


def test_api_without_successor_gives_its_note() -> None:
    removed = deprecations.removed("policy/v1beta1", "PodSecurityPolicy")
    assert removed is not None and "Pod Security Admission" in removed.advice()


def test_current_api_is_not_removed() -> None:
    assert deprecations.removed("apps/v1", "Deployment") is None
    assert "extensions" in deprecations.removed_groups()


@pytest.mark.parametrize("version", schemas.available_versions())
def test_table_agrees_with_the_official_schemas(version: str) -> None:
    """A removed API has no schema from its removal on; its replacement has one."""
    for (api_version, kind), removed in deprecations._table().items():
        major, minor = (int(part) for part in version.split("."))
        gone = (major, minor) >= tuple(int(part) for part in removed.removed_in.split("."))
        if gone:
            assert schemas.definition_for(version, api_version, kind) is None, (api_version, kind)
        if removed.replacement and version == DEFAULT_KUBE_VERSION:
            assert schemas.definition_for(version, removed.replacement, kind), (api_version, kind)
