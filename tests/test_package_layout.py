"""The package's shape (issue 21): no import cycles between cmgen's modules, counting the
imports made inside functions too (a lazy import still ties the two modules together), but
not those made only for type checking (``if TYPE_CHECKING:``), which never run."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import generator
from generator import values
from generator.project import Project

PACKAGE = Path(generator.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, known: set[str]) -> set[str]:
    """The cmgen modules ``path`` imports: ``from a.b import c`` is module ``a.b.c`` when that
    is a module, else ``a.b``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else node.module)
    return {name for name in found if name in known}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, known) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected component of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_cycle_finder_finds_a_lazy_import_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_for_type_checking_only_are_not_edges(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generator import a\n"
        "def f():\n    from generator import b\n"
    )
    assert _imports(source, {"generator.a", "generator.b"}) == {"generator.b"}


def test_no_import_cycles_between_cmgen_modules() -> None:
    # A package's __init__ that imports its own submodules, which import siblings through
    # the package name, is not a cycle here: ``from generator.validate import explain``
    # names the module generator.validate.explain.
    assert cycles(import_graph()) == []


def test_the_kubernetes_core_depends_on_no_stage_and_no_project() -> None:
    """generator.k8s is what every stage shares (STYLE.md: Kubernetes object knowledge lives
    once): it may use the YAML module, the error and the finding types, and nothing else."""
    allowed = {"generator.yamlio", "generator.errors", "generator.findings"}
    assert any(module.startswith("generator.k8s.") for module in import_graph())
    outside = {
        (module, target)
        for module, targets in import_graph().items()
        if module.startswith("generator.k8s")
        for target in targets
        if not target.startswith("generator.k8s") and target not in allowed
    }
    assert outside == set()


def test_the_tool_names_nothing_of_its_first_project(repo_project: Project) -> None:
    """generator/ is the tool: CloudMart's platform name, tree, env names and engine names
    appear only in the project (and in ``cmgen init``'s scaffold, which is an example).
    Words that are ordinary English or Kubernetes words (the engine ``web``, the env
    ``kind``) cannot be told apart and are left out."""
    merged = values.load(repo_project, "prod").data
    words = {merged["platform"]["name"], *merged["engines"], *repo_project.envs()}
    words |= set(repo_project.config.tree.parts)
    words -= {"web", "kind"}
    assert {"cloudmart", "postgres", "mongodb", "minikube", "week3"} <= {w.lower() for w in words}
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_dir() or "scaffold" in path.relative_to(PACKAGE).parts or path.suffix == ".pyc":
            continue
        text = path.read_text(encoding="utf-8", errors="ignore").lower()
        found += [
            f"{path.relative_to(PACKAGE)}: {word}"
            for word in sorted(words)
            if re.search(rf"\b{re.escape(word.lower())}\b", text)
        ]
    assert found == []
