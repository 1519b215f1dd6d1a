from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import CmgenError
from generator.manifests import by_tree, expand_paths, from_text, load_paths
from generator.project import STATE_FILE

SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"


def _tree(root: Path, generated: bool) -> Path:
    (root / "k8s").mkdir(parents=True)
    (root / "k8s" / "svc.yaml").write_text(SERVICE)
    if generated:
        (root / STATE_FILE).write_text('{"files": {}}\n')
    return root


def test_each_generated_tree_is_its_own_set(tmp_path: Path) -> None:
    first = _tree(tmp_path / "out" / "dev", generated=True)
    second = _tree(tmp_path / "out" / "prod", generated=True)
    groups = by_tree(load_paths([str(first), str(second)]))
    assert [len(group) for group in groups] == [1, 1]


def test_files_outside_generated_trees_form_one_set(tmp_path: Path) -> None:
    first = _tree(tmp_path / "a", generated=False)
    second = _tree(tmp_path / "b", generated=False)
    groups = by_tree(load_paths([str(first), str(second)]))
    assert [len(group) for group in groups] == [2]


def test_folders_expand_to_yaml_files_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_text(SERVICE)
    (tmp_path / "a.yaml").write_text(SERVICE)
    (tmp_path / "notes.txt").write_text("x")
    assert expand_paths([str(tmp_path)]) == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yml")]
    with pytest.raises(CmgenError, match="no such file"):
        expand_paths([str(tmp_path / "missing")])


def test_a_document_that_is_not_a_mapping_is_bad_input() -> None:
    with pytest.raises(CmgenError) as caught:
        from_text("---\n- a\n- b\n", "list.yaml")
    assert str(caught.value.location) == "list.yaml:2:1"
