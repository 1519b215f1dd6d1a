"""The public entry point: placement of objects, no mutation, located errors."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from generator.errors import CmgenError
from generator.k8s.objects import Placed
from generator.overlay import OVERLAY_DIR, apply
from generator.overlay.engine import transforms
from generator.overlay.kustomization import load
from generator.overlay.schema_nav import Navigator

BASE = [
    Placed("k8s-manifests/a.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": {"name": "cfg"}, "data": {"a": "1"}}),
    Placed("k8s-manifests/b.yaml", {"apiVersion": "v1", "kind": "Service",
                                    "metadata": {"name": "svc"}}),
]


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "kustomization.yaml"


def test_placement_and_no_mutation(tmp_path: Path) -> None:
    kust = write(tmp_path, {
        "kustomization.yaml": "namePrefix: p-\nresources: [extra.yaml]\n"
                              "configMapGenerator:\n- name: gen\n  literals: [x=1]\n",
        "extra.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n",
    })
    before = copy.deepcopy(BASE)
    out = apply(kust, BASE, "1.35")
    assert BASE == before
    assert [(p.file, p.data["metadata"]["name"]) for p in out] == [
        ("k8s-manifests/a.yaml", "p-cfg"),
        ("k8s-manifests/b.yaml", "p-svc"),
        (f"{OVERLAY_DIR}/extra.yaml", "p-sa"),
        (f"{OVERLAY_DIR}/generated.yaml", "p-gen-" + out[3].data["metadata"]["name"][-10:]),
    ]


class Traced:
    def __init__(self, name: str) -> None:
        self.name = name

    def trace(self, path: object) -> str:
        return f"{self.name}:1"


def test_each_object_keeps_its_origin_through_renames_and_patches(tmp_path: Path) -> None:
    kust = write(tmp_path, {
        "kustomization.yaml": "namePrefix: p-\nnamespace: shop\nresources: [extra.yaml]\n"
                              "patches:\n- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n"
                              "    metadata: {name: cfg}\n    data: {b: '2'}\n",
        "extra.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n",
    })
    base = [Placed(p.file, p.data, Traced(p.data["metadata"]["name"])) for p in BASE]
    out = apply(kust, base, "1.35")
    assert [(p.data["metadata"]["name"], p.origin) for p in out] == [
        ("p-cfg", base[0].origin), ("p-svc", base[1].origin), ("p-sa", None)
    ]


def test_empty_kustomization_is_identity(tmp_path: Path) -> None:
    kust = write(tmp_path, {"kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                                                  "kind: Kustomization\n"})
    assert apply(kust, BASE, "1.35") == BASE


@pytest.mark.parametrize("text, line, words", [
    ("namePrefix: a-\ncomponents: [x]\n", 2, "unsupported field 'components'"),
    ("resources:\n- https://example.com/x.yaml\n", 2, "remote resources"),
    ("images:\n- newTag: x\n", 2, "'name' is required"),
    ("patches:\n- path: p.yaml\n  patch: x\n", 2, "exactly one"),
    ("kind: Component\n", 1, "components are not supported"),
    ("sortOptions: {order: legacy}\n", 1, "no stream to sort"),
    ("sortOptions:\n  order: fifo\n  legacySortOptions: {}\n", 3, "the order is fifo"),
    ("sortOptions: {}\n", 1, "must be fifo or legacy"),
])
def test_located_errors(tmp_path: Path, text: str, line: int, words: str) -> None:
    kust = write(tmp_path, {"kustomization.yaml": text, "p.yaml": "kind: X\n"})
    with pytest.raises(CmgenError) as caught:
        apply(kust, BASE, "1.35", display=lambda path: path.name)
    assert caught.value.location.file == "kustomization.yaml"
    assert caught.value.location.line == line
    assert words in caught.value.message


def test_env_line_without_value_is_refused(tmp_path: Path) -> None:
    kust = write(tmp_path, {"kustomization.yaml": "configMapGenerator:\n- name: g\n  envs: [e.env]\n",
                            "e.env": "A=1\nHOME\n"})
    with pytest.raises(CmgenError) as caught:
        apply(kust, BASE, "1.35", display=lambda path: path.name)
    assert (caught.value.location.file, caught.value.location.line) == ("e.env", 2)


EVERY_FIELD = """\
resources: [extra.yaml]
configMapGenerator:
- {name: gen, literals: [x=1]}
patchesStrategicMerge:
- |
  {apiVersion: v1, kind: ConfigMap, metadata: {name: cfg}, data: {b: "2"}}
patches:
- patch: |
    {apiVersion: v1, kind: Service, metadata: {name: svc}, spec: {type: NodePort}}
namespace: shop
namePrefix: p-
labels:
- pairs: {team: a}
commonLabels: {app: x}
commonAnnotations: {note: y}
patchesJson6902:
- target: {kind: Service, name: svc}
  patch: '[{"op": "add", "path": "/spec/ports", "value": []}]'
replicas:
- {name: web, count: 2}
images:
- {name: nginx, newTag: "1.27"}
"""


def test_one_list_of_frozen_transforms_in_kustomizes_order(tmp_path: Path) -> None:
    kust = write(tmp_path, {"kustomization.yaml": EVERY_FIELD, "extra.yaml": "{}\n"})
    steps = list(transforms(load(kust), tmp_path, Navigator("1.35")))
    names = [type(step).__name__ + getattr(step, "legacy", "") for step in steps]
    assert names == [
        "Resources", "Unique", "GeneratorArgs", "Patchsm", "Patch", "Namespace", "PrefixSuffix",
        "Labels", "Labels", "Annotations", "Patchjson6902", "Replicas", "Image", "HashSuffixes",
        "NameReferences", "DropEmptyAnnotations", "Unique",
    ]
    assert all(dataclasses.is_dataclass(step) for step in steps)
    for step in steps:
        with pytest.raises(dataclasses.FrozenInstanceError):
            step.apply = None  # type: ignore[method-assign]


def test_a_step_is_made_when_it_is_reached(tmp_path: Path) -> None:
    """The generator that collides with a base object is the error, not the malformed patch
    after it: generators run before the patch transformers are configured, in Kustomize too."""
    kust = write(tmp_path, {"kustomization.yaml": "configMapGenerator:\n- {name: cfg, literals: [x=1]}\n"
                                                  "patches:\n- patch: '[1'\n"})
    with pytest.raises(CmgenError) as caught:
        apply(kust, BASE, "1.35")
    assert caught.value.message == "ConfigMap 'cfg' already exists: use behavior merge or replace"
