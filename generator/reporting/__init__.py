"""Findings out, in the format picked by name: one table of reporters, one JSON shape.

Every command that reports findings (render, check, validate, lint) hands a ``Report`` to
the reporter named by its ``--output`` (``REPORTER_BY_NAME``, as check-jsonschema's
``reporter.py``); the reporter returns the text to print. Nothing here decides an exit
code. The formats: ``text`` for people, ``json`` (cmgen's own document, one shape for every
command: docs/json-output.md, schema ``json-output.schema.json``), ``sarif`` (GitHub code
scanning), ``junit`` and ``tap`` (CI test reports: a test per checked resource).
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.errors import CmgenError
from generator.reporting import jsondoc, sarif, testcases, text
from generator.reporting.model import Checked, Report, Reporter, RuleInfo, Summary, counts

_REPORTERS: list[Reporter] = [
    text.TextReporter(), jsondoc.JsonReporter(), sarif.SarifReporter(), testcases.JUnitReporter(),
    testcases.TapReporter(),
]
REPORTER_BY_NAME: Mapping[str, Reporter] = {reporter.name: reporter for reporter in _REPORTERS}
FORMATS = tuple(REPORTER_BY_NAME)


def reporter(name: str) -> Reporter:
    """The reporter called ``name`` (``--output NAME``)."""
    found = REPORTER_BY_NAME.get(name)
    if found is None:
        raise CmgenError(f"--output must be one of {', '.join(FORMATS)}, not {name!r}")
    return found


__all__ = ["FORMATS", "REPORTER_BY_NAME", "Checked", "Report", "Reporter", "RuleInfo", "Summary", "counts", "reporter"]
