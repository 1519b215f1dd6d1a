from __future__ import annotations

from typing import Any

from tests.lintcase import container, deployment, hits, meta

from generator.lint import configrefs


def _config(kind: str = "ConfigMap", name: str = "settings", **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": kind, "metadata": meta(name), "data": data or {"a": "1"}}


def test_env_from_and_value_from() -> None:
    workload = deployment()
    container(workload)["envFrom"] = [{"configMapRef": {"name": "settings"}}]
    container(workload)["env"] = [
        {"name": "PASSWORD_FILE", "value": "/run/secrets/db/password"},
        {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "a"}}},
    ]
    assert hits(configrefs.config_ref, workload, _config()) == []
    [message] = hits(configrefs.config_ref, workload, _config(b="2"))
    assert "key(s) a" in message
    assert len(hits(configrefs.config_ref, workload)) == 2


def test_optional_refs_may_dangle() -> None:
    workload = deployment()
    container(workload)["env"] = [
        {"name": "X", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": True}}}
    ]
    assert hits(configrefs.config_ref, workload) == []


def test_volume_sources_including_projected() -> None:
    workload = deployment()
    volumes = workload["spec"]["template"]["spec"]["volumes"]
    volumes.append(
        {"name": "cfg", "configMap": {"name": "settings", "items": [{"key": "a", "path": "a"}]}}
    )
    volumes.append({"name": "sec", "secret": {"secretName": "creds"}})
    volumes.append({"name": "all", "projected": {"sources": [{"secret": {"name": "creds"}}]}})
    assert hits(configrefs.config_ref, workload, _config(), _config("Secret", "creds")) == []
    found = hits(configrefs.config_ref, workload)
    assert len(found) == 3 and "Secret 'creds'" in found[1]


def test_service_account_ref() -> None:
    workload = deployment()
    workload["spec"]["template"]["spec"]["serviceAccountName"] = "web"
    account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("web")}
    assert hits(configrefs.service_account_ref, workload, account) == []
    assert "ServiceAccount 'web'" in hits(configrefs.service_account_ref, workload)[0]
    assert hits(configrefs.service_account_ref, deployment()) == []


def test_secrets_declared_external_on_the_workload_may_be_absent() -> None:
    workload = deployment()
    volumes = workload["spec"]["template"]["spec"]["volumes"]
    volumes.append({"name": "db", "secret": {"secretName": "db-credentials"}})
    volumes.append({"name": "cfg", "configMap": {"name": "db-credentials"}})
    assert len(hits(configrefs.config_ref, workload)) == 2
    workload["metadata"]["annotations"] = {"cmgen.io/external-secrets": "other, db-credentials"}
    [message] = hits(configrefs.config_ref, workload)
    assert "ConfigMap 'db-credentials'" in message  # only Secrets can be declared external
