from __future__ import annotations

from tests.lintcase import container, deployment, hits, namespace, service

from generator.lint import dns


def _client(*env: tuple[str, str]) -> dict:
    workload = deployment("api", ns="backend")
    container(workload)["env"] = [{"name": name, "value": value} for name, value in env]
    return workload


def _db() -> dict:
    db = service("db", ns="data", target=5432)
    db["spec"]["ports"][0]["port"] = 5432
    return db


def test_resolving_names_pass() -> None:
    for value in (
        "db.data.svc.cluster.local",
        "db.data.svc",
        "db.data",
        "postgres://u@db.data:5432/x",
    ):
        assert (
            hits(
                dns.env_dns,
                _client(("DB_HOST", value), ("DB_PORT", "5432")),
                _db(),
                namespace("data"),
            )
            == []
        )


def test_missing_service() -> None:
    [message] = hits(dns.env_dns, _client(("DB_HOST", "dbx.data.svc.cluster.local")), _db())
    assert "names Service data/dbx, which is not in this set" in message


def test_port_from_value_or_sibling() -> None:
    assert (
        "has no port 5433" in hits(dns.env_dns, _client(("DB_URL", "db.data.svc:5433")), _db())[0]
    )
    assert (
        "has no port 6543"
        in hits(dns.env_dns, _client(("DB_HOST", "db.data"), ("DB_PORT", "6543")), _db())[0]
    )


def test_unknown_namespaces_and_external_names_are_left_alone() -> None:
    env = (
        ("API", "api.example.com"),
        ("DNS", "kube-dns.kube-system.svc.cluster.local"),
        ("V", "1.5"),
    )
    assert hits(dns.env_dns, _client(*env), _db()) == []
