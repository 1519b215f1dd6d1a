"""The values schema: in-document references only, no network, JSON Schema's ``pattern``."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import valueschema
from generator.errors import CmgenError
from generator.project import Project
from generator.values import load

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _error(text: str) -> CmgenError:
    with pytest.raises(CmgenError) as caught:
        valueschema.parse(text, "values.schema.json")
    return caught.value


@pytest.mark.parametrize("ref", ["other.json", "file:///etc/passwd", "https://example.com/s.json", "other.json#/a"])
def test_a_reference_that_leaves_the_schema_is_refused_at_its_line(ref: str) -> None:
    text = f'{{\n  "$schema": "{DRAFT}",\n  "properties": {{\n    "app": {{"$ref": "{ref}"}}\n  }}\n}}\n'
    error = _error(text)
    assert (error.location.line, error.location.column) == (4, 21)
    assert error.message.startswith(f"$ref {ref!r}: only references inside the schema are followed")


def test_an_in_document_reference_that_resolves_nowhere_is_refused() -> None:
    text = json.dumps({"$schema": DRAFT, "properties": {"app": {"$ref": "#/$defs/nope"}}})
    assert "nothing in the schema has this location" in _error(text).message


@pytest.mark.parametrize(
    "schema",
    [
        {"$schema": DRAFT, "properties": {"app": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"type": "object"}}},
        {"$schema": DRAFT, "properties": {"app": {"$ref": "#app"}}, "$defs": {"a": {"$anchor": "app"}}},
        {"$schema": DRAFT, "$id": "https://x.example/root.json", "$ref": "#/$defs/a", "$defs": {"a": {}}},
        {"$schema": DRAFT, "properties": {"app": {"$id": "https://x.example/app.json", "$ref": "#/$defs/a", "$defs": {"a": {}}}}},
        {"$schema": DRAFT, "properties": {"app": {"const": {"$ref": "not a reference: data"}}}},
    ],
    ids=["defs", "anchor", "root-id", "nested-id", "data-in-const"],
)
def test_in_document_references_are_followed(schema: dict[str, Any]) -> None:
    assert valueschema.parse(json.dumps(schema), "values.schema.json") == schema


@pytest.mark.parametrize("text", ["true", "false", "[]", '"x"'])
def test_a_schema_that_is_not_an_object_is_refused(text: str) -> None:
    error = _error(text)
    assert (error.location.line, error.location.column) == (1, 1)
    assert error.message.startswith("the values schema must be a JSON object")


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.requests.append(self.path)
        body = json.dumps({"type": "object"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def schema_server() -> Iterator[str]:
    """A real HTTP server on the loopback that serves a schema and counts requests."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Counting.requests = []
    try:
        yield f"http://127.0.0.1:{server.server_port}/app.json"
    finally:
        server.shutdown()
        server.server_close()


def test_a_remote_reference_is_never_fetched(project_dir: Path, schema_server: str) -> None:
    schema_file = project_dir / "values" / "values.schema.json"
    schema = json.loads(schema_file.read_text())
    schema["properties"]["app"] = {"$ref": schema_server}
    schema_file.write_text(json.dumps(schema, indent=2))
    with pytest.raises(CmgenError) as caught:
        load(Project.load(project_dir), "dev")
    assert caught.value.location.file == "values/values.schema.json"
    assert caught.value.location.line is not None
    assert _Counting.requests == []


def test_neither_validator_can_fetch_a_reference(schema_server: str) -> None:
    """Even a schema that skipped ``parse``: both validators are built offline."""
    schema = {"$schema": DRAFT, "properties": {"app": {"$ref": schema_server}}}
    with pytest.raises(ValueError, match="Retrieval is disabled"):
        valueschema.rust_validator(schema).is_valid({"app": 1})
    with pytest.raises(Exception, match="Unresolvable"):
        list(valueschema.python_validator(schema).iter_errors({"app": 1}))
    assert _Counting.requests == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("^a$", r"^a\Z"), (r"^a\$$", r"^a\$\Z"), ("^[$]+$", r"^[$]+\Z"), (r"^[\]$]$", r"^[\]$]\Z"), ("^a|b$", r"^a|b\Z")],
)
def test_ecma_dollar_is_the_end_of_the_string(pattern: str, expected: str) -> None:
    assert valueschema.ecma(pattern) == expected


@pytest.mark.parametrize("value", ["example.com\n", "example.com", "-bad", "a$"])
def test_both_validators_agree_on_pattern(value: str) -> None:
    schema = {"$schema": DRAFT, "type": "string", "pattern": "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"}
    rust = valueschema.rust_validator(schema).is_valid(value)
    python = not list(valueschema.python_validator(schema).iter_errors(value))
    assert rust == python
    assert rust == (value == "example.com")
