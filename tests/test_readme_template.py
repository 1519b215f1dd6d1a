"""The env README (templates/README.md.j2) in each docs language: with
``docs: {language: ko}`` in cmgen.yaml it is written in Korean, with the same facts."""

from __future__ import annotations

import re

import pytest

from generator import pipeline
from generator.pipeline import Build
from generator.project import Project
from tests.test_docs_layout import copy_project

# Words a Korean heading may keep: names, as the tutorial writes them.
_TERMS = {"CloudMart", "env", "Ingress", "cmgen", "YAML"}


@pytest.fixture(scope="module")
def korean(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("korean")
    copy_project(root)
    config = root / "cmgen.yaml"  # the copy's settings (layout, when), its docs in Korean
    config.write_text(config.read_text().replace("\ndocs: true\n", "\ndocs: {language: ko}\n"))
    return Project.load(root)


def _readme(project: Project, env: str) -> str:
    build: Build = pipeline.build(project, env, pipeline.Options(docs=False))
    return build.files["README.md"].data.decode()


def _facts(text: str) -> tuple[list[str], list[str], list[str]]:
    """Fenced blocks (without trailing comments), then the numbers and inline code of the prose."""
    blocks = [re.sub(r"[ \t]+#\s[^\n]*", "", block) for block in re.findall(r"```.*?```", text, flags=re.DOTALL)]
    prose = re.sub(r"```.*?```|<!--.*?-->", "", text, flags=re.DOTALL)
    code = re.findall(r"`[^`\n]+`", prose)
    numbers = re.findall(r"\d+(?:\.\d+)?", re.sub(r"`[^`\n]+`", "", prose))
    return blocks, sorted(numbers), sorted(code)


@pytest.mark.parametrize("env", ["minikube", "kind", "prod"])
def test_the_korean_readme_states_the_same_facts(repo_project: Project, korean: Project, env: str) -> None:
    english, translated = _readme(repo_project, env), _readme(korean, env)
    assert _facts(translated) == _facts(english)
    assert translated.count("\n#") == english.count("\n#")
    for heading in re.findall(r"^#+ (.*)$", re.sub(r"```.*?```", "", translated, flags=re.DOTALL), flags=re.MULTILINE):
        assert re.search("[가-힣]", heading), heading
        words = set(re.findall(r"[A-Za-z][A-Za-z.-]*", re.sub(r"`[^`]+`", "", heading))) - _TERMS
        assert not words, heading


def test_english_stays_the_default(repo_project: Project) -> None:
    assert repo_project.config.docs_language == "en"
    assert _readme(repo_project, "minikube").splitlines()[1].startswith("# CloudMart networking & storage")



def _deploy_section(project: Project, env: str, sets: tuple[str, ...]) -> str:
    """The README's Deploy section as the docs stage fills it in (from its heading to the next one of its level)."""
    readme = pipeline.build(project, env, pipeline.Options(sets=sets)).files["README.md"].data.decode()
    assert "<!-- cmgen:deploy -->" not in readme
    (section,) = re.findall(r"^## (?:Deploy|배포)\n.*?(?=^## )", readme, flags=re.DOTALL | re.MULTILINE)
    return section


@pytest.mark.parametrize("env", ["minikube", "kind", "prod"])
@pytest.mark.parametrize("sets", [(), ("features.gitops=true", "features.backups=true", "tls.issuer=letsencrypt-prod")],
                         ids=["as-is", "gitops-backups-refused"])
def test_the_korean_deploy_section_states_the_same_facts(
    repo_project: Project, korean: Project, env: str, sets: tuple[str, ...]
) -> None:
    english, translated = _deploy_section(repo_project, env, sets), _deploy_section(korean, env, sets)
    assert english.startswith("## Deploy\n")
    assert _facts(translated) == _facts(english)  # the same commands, code spans and numbers
    assert translated.count("\n#") == english.count("\n#")
    for heading in re.findall(r"^#+ (.*)$", re.sub(r"```.*?```", "", translated, flags=re.DOTALL), flags=re.MULTILINE):
        assert re.search("[가-힣]", heading), heading
