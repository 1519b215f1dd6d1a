from __future__ import annotations

from fractions import Fraction

import pytest

from generator.k8s import syntax


@pytest.mark.parametrize("value", ["a", "web-1", "0abc", "a" * 63])
def test_dns1123_label_ok(value: str) -> None:
    assert syntax.dns1123_label(value) is None


@pytest.mark.parametrize("value", ["", "Web", "-a", "a-", "a.b", "a_b", "a" * 64])
def test_dns1123_label_bad(value: str) -> None:
    assert syntax.dns1123_label(value)


def test_subdomain_allows_dots_and_253() -> None:
    assert syntax.dns1123_subdomain("app.example.com") is None
    assert syntax.dns1123_subdomain("a." * 127 + "a") is not None  # 255 characters
    assert syntax.dns1123_subdomain("a..b")


def test_dns1035_needs_a_leading_letter() -> None:
    assert syntax.dns1035_label("web") is None
    assert syntax.dns1035_label("1web")


def test_path_segment() -> None:
    assert syntax.path_segment("system:aggregate-to-edit") is None
    assert syntax.path_segment("a/b") and syntax.path_segment("..")


@pytest.mark.parametrize("key", ["app", "app.kubernetes.io/name", "a_b.c-d", "A1"])
def test_qualified_name_ok(key: str) -> None:
    assert syntax.qualified_name(key) is None


@pytest.mark.parametrize("key", ["", "/a", "a/", "a/b/c", "-a", "Ex.com/a", "a" * 64, "a b"])
def test_qualified_name_bad(key: str) -> None:
    assert syntax.qualified_name(key)


@pytest.mark.parametrize("name", ["http", "web-8080", "h2c"])
def test_port_name_ok(name: str) -> None:
    assert syntax.port_name(name) is None


@pytest.mark.parametrize("name", ["postgres-metrics1", "8080", "a--b", "-http", "HTTP", ""])
def test_port_name_bad(name: str) -> None:
    assert syntax.port_name(name)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100m", Fraction(1, 10)),
        ("1", Fraction(1)),
        (2, Fraction(2)),
        (0.5, Fraction(1, 2)),
        ("128Mi", Fraction(128 * 2**20)),
        ("1G", Fraction(10**9)),
        ("1e3", Fraction(1000)),
        ("1E", Fraction(10**18)),
        (".5", Fraction(1, 2)),
        ("+1Ki", Fraction(1024)),
    ],
)
def test_quantity_values(text: object, value: Fraction) -> None:
    assert syntax.quantity(text) == value


@pytest.mark.parametrize("text", ["", "1.2.3", "100 m", "1mi", "1MB", "abc", "1e", True, None])
def test_quantity_invalid(text: object) -> None:
    assert syntax.quantity(text) is None


@pytest.mark.parametrize(("value", "valid"), [
    ("", True), ("a", True), ("v1.2_beta-3", True), ("A" * 63, True),
    ("-a", False), ("a.", False), ("a b", False), ("A" * 64, False),
])
def test_label_values_as_the_api_server_takes_them(value: str, valid: bool) -> None:
    """IsValidLabelValue (k8s.io/apimachinery validation.go): empty, or at most 63 characters
    of alphanumerics, '-', '_' and '.', alphanumeric at both ends."""
    assert (syntax.label_value(value) is None) is valid
