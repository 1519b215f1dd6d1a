"""cmgen's JSON document: one shape for every command, versioned (``VERSION``).

Described in docs/json-output.md; ``SCHEMA`` (JSON Schema 2020-12) is the contract, and
tests/test_reporting_jsondoc.py validates every command's document against it. A change that
removes or renames a field, or changes its meaning, bumps ``VERSION``; a new optional field
does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.errors import CmgenError
from generator.reporting.model import Report, counts

VERSION = 1
SCHEMA = Path(__file__).with_name("json-output.schema.json")


class JsonReporter:
    name = "json"
    document = True

    def render(self, report: Report) -> str:
        return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: Report) -> dict[str, Any]:
    ordered = sorted(set(report.findings))  # once: every env reports a symlinked out/
    found: dict[str, Any] = {
        "version": VERSION,
        "command": report.command,
        "findings": [finding.as_dict() for finding in ordered],
        "counts": counts(ordered),
        "errors": [error_dict(error) for error in report.errors],
    }
    if report.envs:
        found["envs"] = report.envs
    if report.summary is not None:
        summary = report.summary
        found["summary"] = {"resources": summary.resources, "files": summary.files, "valid": summary.valid,
                            "invalid": summary.invalid, "errors": summary.errors, "skipped": summary.skipped}
    return found


def error_dict(error: CmgenError) -> dict[str, Any]:
    """Bad input that stopped a run, or one env of it."""
    where = error.location
    return {"file": where.file, "line": where.line, "column": where.column, "message": error.message,
            "context": list(error.context)}
