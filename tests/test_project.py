from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import CmgenError
from generator.project import Project, check_env_name


@pytest.mark.parametrize("name", ["dev", "prod-eu-1", "a", "a" * 63, "0"])
def test_valid_env_names(name: str) -> None:
    assert check_env_name(name) == name


@pytest.mark.parametrize(
    "name", ["", "a/b", "..", "../x", "/etc", ".", "Dev", "-a", "a-", "a_b", "a" * 64, "a b", "a\n"]
)
def test_invalid_env_names(name: str) -> None:
    with pytest.raises(CmgenError, match="invalid env name"):
        check_env_name(name)


def test_layout(project_dir: Path) -> None:
    project = Project.load(project_dir)
    assert project.envs() == ["dev", "prod"]
    assert project.env_values("dev") == project_dir / "values" / "dev.yaml"
    target = project.output("dev")
    assert target.root == project_dir / "out" / "dev"
    assert target.tree == project_dir / "out" / "dev" / "week3" / "day3"
    assert project.output("dev", project_dir / "elsewhere").tree == (
        project_dir / "elsewhere" / "week3" / "day3"
    )
    names = [project.output_name(t).as_posix() for t in project.templates()]
    assert names == ["README.md", "app/configmap.yaml", "app/deployment.yaml", "scripts/hello.sh"]
    assert project.display(project_dir / "values" / "dev.yaml") == "values/dev.yaml"
    assert project.display(Path("/elsewhere/x")) == "/elsewhere/x"


def test_discover_walks_up(project_dir: Path) -> None:
    assert Project.discover(project_dir / "templates" / "app").root == project_dir


def test_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(CmgenError, match="not a cmgen project"):
        Project.load(tmp_path)


def test_unknown_env_lists_the_known_ones(project_dir: Path) -> None:
    with pytest.raises(CmgenError, match=r"unknown env 'qa' \(known: dev, prod\)"):
        Project.load(project_dir).env_values("qa")


def test_env_file_with_an_invalid_name_is_not_an_env(project_dir: Path) -> None:
    (project_dir / "values" / "Bad_Name.yaml").write_text("{}\n")
    assert Project.load(project_dir).envs() == ["dev", "prod"]


def test_a_non_template_file_in_templates_is_refused(project_dir: Path) -> None:
    (project_dir / "templates" / "notes.txt").write_text("x\n")
    with pytest.raises(CmgenError, match="not a template") as caught:
        Project.load(project_dir).templates()
    assert caught.value.location.file == "templates/notes.txt"


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        ("tree: ../x\n", "cmgen.yaml:1:7", "tree must be a relative path inside"),
        ("tree: /abs\n", "cmgen.yaml:1:7", "tree must be a relative path inside"),
        ("tree: ''\n", "cmgen.yaml:1:7", "tree must be a relative path inside"),
        ("tree: {a: 1}\n", "cmgen.yaml:1:7", "tree must be a relative path"),
        ("tree: .cmgen-staging\n", "cmgen.yaml:1:7", "tree must not be inside cmgen's own files"),
        ("tree: .cmgen-manifest.json/x\n", "cmgen.yaml:1:7", "tree must not be inside cmgen's own"),
        ("crds: 5\n", "cmgen.yaml:1:7", "crds must be a list"),
        ("kubeVersion: 1.30\n", "cmgen.yaml:1:14", "kubeVersion must be a string"),
        ("trees: x\n", "cmgen.yaml:1:1", "unknown setting 'trees'"),
        ("- a\n", "cmgen.yaml:1:1", "expected a mapping"),
        ("a: 1\na: 2\n", "cmgen.yaml:2:1", "duplicate key"),
    ],
)
def test_bad_config(project_dir: Path, config: str, where: str, message: str) -> None:
    (project_dir / "cmgen.yaml").write_text(config)
    with pytest.raises(CmgenError) as caught:
        Project.load(project_dir)
    assert str(caught.value.location) == where
    assert message in caught.value.message


def test_config_defaults(project_dir: Path) -> None:
    (project_dir / "cmgen.yaml").write_text("# nothing\ncrds:\n")
    config = Project.load(project_dir).config
    assert (config.tree, config.kube_version, config.crds) == (Path("manifests"), "1.35", ())
    assert config.layout.templates == ()


# --- where an env is written, and which symlinks are followed on the way ---------------


def test_the_default_output_follows_no_symlink_below_the_project(project_dir: Path) -> None:
    target = Project.load(project_dir).output("dev")
    assert target.base == project_dir
    assert target.symlink() is None


@pytest.mark.parametrize("where", ["out", "out/dev", "out/dev/week3", "out/dev/week3/day3"])
def test_symlink_names_the_first_link_on_the_way_to_the_tree(
    project_dir: Path, tmp_path: Path, where: str
) -> None:
    link = project_dir / where
    moved = tmp_path / "moved"
    link.rename(moved)
    link.symlink_to(moved)
    assert Project.load(project_dir).output("dev").symlink() == link


def test_a_dangling_symlink_is_found_too(project_dir: Path, tmp_path: Path) -> None:
    shutil.rmtree(project_dir / "out")
    (project_dir / "out").symlink_to(tmp_path / "nowhere")
    assert Project.load(project_dir).output("dev").symlink() == project_dir / "out"


def test_out_is_followed_as_typed_but_nothing_below_it(project_dir: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    given = tmp_path / "given"
    given.symlink_to(real)
    project = Project.load(project_dir)
    target = project.output("dev", given)
    assert (target.base, target.root, target.tree) == (real, real, real / "week3" / "day3")
    assert target.symlink() is None
    per_env = project.output("dev", given, per_env=True)
    assert (per_env.base, per_env.root) == (real, real / "dev")
    (real / "dev").symlink_to(tmp_path)
    assert per_env.symlink() == real / "dev"


def test_out_that_is_a_symlink_loop(project_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(CmgenError, match="cannot follow the output folder") as caught:
        Project.load(project_dir).output("dev", tmp_path / "a")
    assert caught.value.location.file == str(tmp_path / "a")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("true", (True, "en")), ("false", (False, "en")), ("{language: ko}", (True, "ko")), ("{language: en}", (True, "en"))],
)
def test_docs_is_a_switch_or_a_language(tmp_path: Path, setting: str, expected: tuple[bool, str]) -> None:
    (tmp_path / "cmgen.yaml").write_text(f"docs: {setting}\n")
    config = Project.load(tmp_path).config
    assert (config.docs, config.docs_language) == expected


def test_an_unknown_docs_language_is_located(tmp_path: Path) -> None:
    (tmp_path / "cmgen.yaml").write_text("tree: x\ndocs:\n  language: fr\n")
    with pytest.raises(CmgenError) as caught:
        Project.load(tmp_path)
    assert (caught.value.location.line, caught.value.location.column) == (3, 13)
    assert "language: one of en, ko" in caught.value.message


# --- layout: which file each object goes to (generator/layout.py) ----------------------

_ROUTES = "layout:\n  app/configmap.yaml.j2:\n"


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        ("layout: [a]\n", "cmgen.yaml:1:9", "layout must be a mapping"),
        ("layout:\n  app/nope.yaml.j2:\n    - file: a.yaml\n", "cmgen.yaml:2:3", "no such template in templates/"),
        ("layout:\n  ../x.yaml.j2:\n    - file: a.yaml\n", "cmgen.yaml:2:3", "by its path under templates/"),
        ("layout:\n  _partials/labels.yaml.j2:\n    - file: a.yaml\n", "cmgen.yaml:2:3", "a partial ('_')"),
        ("layout:\n  README.md.j2:\n    - file: a.yaml\n", "cmgen.yaml:2:3", "only templates of YAML objects"),
        (_ROUTES + "    []\n", "cmgen.yaml:3:5", "give at least one route"),
        (_ROUTES + "    - file: a.yaml\n      mtach: {kind: X}\n", "cmgen.yaml:4:7", "unsupported field 'mtach'"),
        (_ROUTES + "    - match: {kind: X}\n", "cmgen.yaml:3:7", "a route needs a file"),
        (_ROUTES + "    - file: ../a.yaml\n", "cmgen.yaml:3:13", "a path inside the env's tree"),
        (_ROUTES + "    - file: /a.yaml\n", "cmgen.yaml:3:13", "a path inside the env's tree"),
        (_ROUTES + "    - file: a.json\n", "cmgen.yaml:3:13", "must end in .yaml or .yml"),
        (_ROUTES + "    - file: .cmgen-x/a.yaml\n", "cmgen.yaml:3:13", "cmgen's own files"),
        (_ROUTES + "    - file: '{app}.yaml'\n", "cmgen.yaml:3:13", "unknown placeholder {app} (known: {name}, {namespace}, {kind})"),
        (_ROUTES + "    - file: '{name!r}.yaml'\n", "cmgen.yaml:3:13", "unknown placeholder {name}"),
        (_ROUTES + "    - file: '{name.yaml'\n", "cmgen.yaml:3:13", "write a placeholder as {name}"),
        (_ROUTES + "    - file: 5\n", "cmgen.yaml:3:13", "expected a non-empty string"),
        (_ROUTES + "    - match: {kind: '('}\n      file: a.yaml\n", "cmgen.yaml:3:21", "invalid regular expression '('"),
        (_ROUTES + "    - match: {labelSelector: 'a in b'}\n      file: a.yaml\n", "cmgen.yaml:3:14", "invalid label selector"),
        (_ROUTES + "    - match: {knd: X}\n      file: a.yaml\n", "cmgen.yaml:3:15", "unsupported field 'knd'"),
        (_ROUTES + "    - file: a.yaml\n    - file: b.yaml\n", "cmgen.yaml:4:7", "route 0 before it takes everything"),
        (_ROUTES + "    - file: a.yaml\n  ./app//configmap.yaml.j2:\n    - file: b.yaml\n", "cmgen.yaml:4:3", "is listed twice"),
    ],
)
def test_bad_layout(project_dir: Path, config: str, where: str, message: str) -> None:
    (project_dir / "cmgen.yaml").write_text(config)
    with pytest.raises(CmgenError) as caught:
        Project.load(project_dir)
    assert str(caught.value.location) == where
    assert message in caught.value.message


def test_a_layout_is_read_in_order(project_dir: Path) -> None:
    (project_dir / "cmgen.yaml").write_text(
        _ROUTES + "    - match: {kind: ConfigMap, labelSelector: app=shop}\n      file: '{namespace}/{name}.yml'\n"
        "    - file: rest.yaml\n"
    )
    (routes,) = Project.load(project_dir).config.layout.templates
    assert (routes.template, routes.line) == ("app/configmap.yaml.j2", 2)
    assert [route.file for route in routes.routes] == ["{namespace}/{name}.yml", "rest.yaml"]
    first, rest = routes.routes
    assert first.match is not None and str(first.match) == "kind=ConfigMap, labelSelector=app=shop"
    assert rest.match is None
