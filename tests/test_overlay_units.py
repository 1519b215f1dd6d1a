"""Unit tests for the small overlay modules: hasher, images, selectors, field specs."""

from __future__ import annotations

import pytest

from generator.errors import CmgenError
from generator.overlay.fieldspec import FieldSpec, SpecConflict, merge_specs, split_path
from generator.overlay.generators import GeneratorOptions
from generator.overlay.gvk import Gvk
from generator.overlay.hasher import content_hash, go_json
from generator.overlay.images import Image, image_matches, split_image
from generator.overlay.reader import Spot
from generator.overlay.selector import parse_label_selector


def test_hash_matches_kustomize() -> None:
    # Values printed by kubectl kustomize 1.37.1 (Kustomize v5.8.1).
    assert content_hash({"kind": "ConfigMap", "data": {"a": "b", "c": "<&>"}}) == "fbf2c25tb9"
    assert content_hash({"kind": "Secret", "type": "Opaque", "data": {"x": "eQ=="}}) == "t86b282gdf"


def test_go_json_escapes_like_go() -> None:
    assert go_json({"b": "<&>", "a": "\u2028"}) == '{"a":"\\u2028","b":"\\u003c\\u0026\\u003e"}'


@pytest.mark.parametrize("image, parts", [
    ("nginx", ("nginx", "", "")),
    ("nginx:1.25", ("nginx", "1.25", "")),
    ("host:5000/team/app:1@sha256:ab", ("host:5000/team/app", "1", "sha256:ab")),
    ("app@sha256:ab", ("app", "", "sha256:ab")),
])
def test_split_image(image: str, parts: tuple[str, str, str]) -> None:
    assert split_image(image) == parts


def test_image_matching_is_by_whole_name() -> None:
    assert image_matches("nginx:1.25", "nginx")
    assert not image_matches("nginx-unprivileged:1", "nginx")


def test_label_selectors() -> None:
    spot = Spot("k.yaml", 1, 1)
    requirements = parse_label_selector("a=b,c!=d,e in (x, y),!f,g", spot)
    labels = {"a": "b", "e": "y", "g": "1"}
    assert all(r.matches(labels) for r in requirements)
    assert not all(r.matches({**labels, "f": "1"}) for r in requirements)
    with pytest.raises(CmgenError):
        parse_label_selector("a=b,,", spot)


def test_field_spec_walk_creates_only_when_told() -> None:
    obj: dict = {"spec": {"items": [{"a": 1}, {"a": 2}]}}
    seen: list = []
    FieldSpec(Gvk(), ("spec", "items", "a")).walk(obj, lambda p, k: seen.append(p[k]), dict)
    assert seen == [1, 2]
    FieldSpec(Gvk(), ("spec", "new", "x"), create=True).walk(obj, lambda p, k: None, dict)
    assert obj["spec"]["new"] == {"x": {}}
    FieldSpec(Gvk(), ("spec", "other")).walk(obj, lambda p, k: None, dict)
    assert "other" not in obj["spec"]


def test_split_path_escapes() -> None:
    assert split_path(r"metadata/annotations/a.io\/b") == ("metadata", "annotations", "a.io/b")


def test_merge_specs_leaves_out_a_path_already_there_for_a_selected_kind() -> None:
    mine = (FieldSpec(Gvk(kind="Pool"), ("metadata", "labels"), create=True),)
    theirs = (FieldSpec(Gvk(), ("metadata", "labels"), create=True),
              FieldSpec(Gvk(kind="Deployment"), ("spec", "x"), create=True))
    assert merge_specs(mine, theirs) == (mine[0], theirs[1])
    narrower = (FieldSpec(Gvk(kind="Deployment"), ("metadata", "labels"), create=True),)
    assert merge_specs(theirs[:1], narrower) == theirs[:1] + narrower


def test_merge_specs_refuses_a_create_conflict() -> None:
    mine = (FieldSpec(Gvk(), ("a",)), FieldSpec(Gvk(kind="K"), ("metadata", "labels")))
    with pytest.raises(SpecConflict) as caught:
        merge_specs(mine, (FieldSpec(Gvk(), ("metadata", "labels"), create=True),))
    assert caught.value.index == 1


@pytest.mark.parametrize("fields, image, expected", [
    ({"tag_suffix": "-x"}, "nginx:1.2", "nginx:1.2-x"),
    ({"tag_suffix": "-x"}, "nginx:1.2@sha256:ab", "nginx:1.2-x"),
    ({"tag_suffix": "-x"}, "nginx", "nginx:-x"),
    ({"tag_suffix": "-x", "new_tag": "2"}, "nginx:1.2", "nginx:2"),
    ({"tag_suffix": "-x", "digest": "sha256:cd"}, "nginx:1.2", "nginx@sha256:cd"),
    ({"tag_suffix": "-x", "new_name": "reg/nginx"}, "nginx:1.2", "reg/nginx:1.2-x"),
])
def test_image_rewrite(fields: dict[str, str], image: str, expected: str) -> None:
    entry = Image(**{"name": "nginx", "new_name": "", "new_tag": "", "digest": "",
                     "spot": Spot("k.yaml"), **fields})
    assert entry.rewrite(image) == expected


def test_a_generators_own_options_override_the_kustomizations_generator_options() -> None:
    glob = GeneratorOptions((("a", "g"), ("b", "g")), (("n", "g"),), disable_hash=True)
    own = GeneratorOptions((("b", "own"),), immutable=True)
    assert own.under(glob) == GeneratorOptions(
        (("a", "g"), ("b", "own")), (("n", "g"),), disable_hash=True, immutable=True
    )
