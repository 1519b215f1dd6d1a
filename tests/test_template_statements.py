"""benchmarks/template_statements.py (docs/templates.md): the count of statement lines, and
the invariant it measured: no template of the project or of cmgen's docs mutates data."""

from __future__ import annotations

import importlib.util
import sys
import re
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).parent.parent


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("template_statements", REPO / "benchmarks" / "template_statements.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_statement_line_starts_with_a_tag_and_a_do_line_with_do() -> None:
    text = "a: 1\n{% if x %}\n  {%- do y.append(1) %}\nb: {% if z %}1{% endif %}\n{# comment #}\n{% endif %}\n"
    module = _module()
    assert module.count(text) == module.Count(6, 3, 1)


def test_the_table_totals_every_template_under_the_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml.j2").write_text("{% for x in y %}\nk: v\n{% endfor %}\n")
    (tmp_path / "sub" / "b.md.j2").write_text("text\n")
    (tmp_path / "c.txt").write_text("{% not a template %}\n")
    table = _module().table([tmp_path])
    assert table.splitlines()[-1] == "| **total** | 4 | 2 (50.0%) | 0 |"
    assert len(table.splitlines()) == 5


def test_no_template_mutates_data() -> None:
    table = _module().table([REPO / "templates", REPO / "generator" / "docs" / "templates"])
    assert table.splitlines()[-1].endswith("| 0 |")


def test_cloudmarts_templates_are_at_most_15_percent_statements_as_documented() -> None:
    """Issue 16's target, and docs/templates.md's "now" table is today's count."""
    table = _module().table([REPO / "templates"])
    total = table.splitlines()[-1]
    assert total in (REPO / "docs" / "templates.md").read_text()
    lines, statements = (int(cell) for cell in re.findall(r"\| (\d+) ", total)[:2])
    assert statements / lines <= 0.15
