"""How much of the templates is Jinja statements (docs/templates.md, issue 16's measure).

Run from the repository root::

    .venv/bin/python benchmarks/template_statements.py templates [generator/docs/templates ...]

For every ``*.j2`` file under the folders given, in path order: its lines, its *statement*
lines (the line, stripped, starts with ``{%``) and among those its ``{% do %}`` lines; then
the totals, as a Markdown table.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

_STATEMENT = re.compile(r"^\s*\{%")
_DO = re.compile(r"^\s*\{%-?\s*do\b")


@dataclass(frozen=True)
class Count:
    lines: int
    statements: int
    dos: int


def count(text: str) -> Count:
    lines = text.splitlines()
    return Count(len(lines), sum(1 for line in lines if _STATEMENT.match(line)),
                 sum(1 for line in lines if _DO.match(line)))


def table(folders: list[Path]) -> str:
    rows = ["| file | lines | statements | do |", "|---|---:|---:|---:|"]
    total = Count(0, 0, 0)
    for path in sorted(p for folder in folders for p in folder.rglob("*.j2")):
        found = count(path.read_text())
        rows.append(f"| `{path.as_posix()}` | {found.lines} | {found.statements} | {found.dos} |")
        total = Count(total.lines + found.lines, total.statements + found.statements, total.dos + found.dos)
    share = 100 * total.statements / total.lines if total.lines else 0.0
    rows.append(f"| **total** | {total.lines} | {total.statements} ({share:.1f}%) | {total.dos} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(table([Path(arg) for arg in sys.argv[1:]]))
