from __future__ import annotations

from typing import Any

from tests.lintcase import container, deployment, hits, meta

from generator.lint import security


def _pod(workload: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = workload["spec"]["template"]["spec"]
    return result


def test_run_as_non_root_pod_level_or_per_container() -> None:
    assert hits(security.run_as_non_root, deployment()) == []
    bad = deployment()
    del _pod(bad)["securityContext"]["runAsNonRoot"]
    assert "container 'web': runAsNonRoot is not true" in hits(security.run_as_non_root, bad)[0]
    container(bad)["securityContext"]["runAsNonRoot"] = True
    assert hits(security.run_as_non_root, bad) == []
    override = deployment()
    container(override)["securityContext"]["runAsNonRoot"] = False
    assert hits(security.run_as_non_root, override)


def test_run_as_user_and_group_set_and_high() -> None:
    assert hits(security.run_as_user, deployment()) == []
    bad = deployment()
    del _pod(bad)["securityContext"]["runAsGroup"]
    _pod(bad)["securityContext"]["runAsUser"] = 0
    found = hits(security.run_as_user, bad)
    assert any("runAsUser 0 is below 10000 (root)" in m for m in found)
    assert any("runAsGroup is not set" in m for m in found)


def test_privilege_escalation_must_be_explicitly_false() -> None:
    assert hits(security.privilege_escalation, deployment()) == []
    bad = deployment()
    del container(bad)["securityContext"]["allowPrivilegeEscalation"]
    assert hits(security.privilege_escalation, bad)


def test_capabilities() -> None:
    assert hits(security.capabilities, deployment()) == []
    bad = deployment()
    container(bad)["securityContext"]["capabilities"] = {
        "drop": ["NET_RAW"],
        "add": ["SYS_ADMIN", "NET_BIND_SERVICE"],
    }
    found = hits(security.capabilities, bad)
    assert (
        "does not contain ALL" in found[0] and "SYS_ADMIN" in found[1] and "SYS_ADMIN (" in found[1]
    )


def test_seccomp() -> None:
    assert hits(security.seccomp, deployment()) == []
    bad = deployment()
    container(bad)["securityContext"]["seccompProfile"] = {"type": "Unconfined"}
    assert hits(security.seccomp, bad)


def test_read_only_root_fs() -> None:
    assert hits(security.read_only_root_fs, deployment()) == []
    bad = deployment()
    container(bad)["securityContext"]["readOnlyRootFilesystem"] = False
    assert hits(security.read_only_root_fs, bad)


def test_host_access() -> None:
    assert hits(security.host_access, deployment()) == []
    bad = deployment()
    _pod(bad)["hostNetwork"] = True
    _pod(bad)["volumes"].append({"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}})
    container(bad)["securityContext"]["privileged"] = True
    container(bad)["ports"][0]["hostPort"] = 8080
    assert len(hits(security.host_access, bad)) == 4


def test_automount_token_on_pod_or_service_account() -> None:
    assert hits(security.automount_token, deployment()) == []
    bad = deployment()
    del _pod(bad)["automountServiceAccountToken"]
    assert hits(security.automount_token, bad)
    account = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": meta("default"),
        "automountServiceAccountToken": False,
    }
    assert hits(security.automount_token, bad, account) == []


def test_env_secret_literal() -> None:
    good = deployment()
    container(good)["env"] = [
        {"name": "POSTGRES_PASSWORD_FILE", "value": "/run/secrets/pw"},
        {"name": "POSTGRES_USER", "value": "admin"},
        {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "t"}}},
    ]
    assert hits(security.env_secret_literal, good) == []
    container(good)["env"].append({"name": "JWT_SECRET", "value": "hunter2"})
    container(good)["env"].append({"name": "api-key", "value": "abc"})
    assert len(hits(security.env_secret_literal, good)) == 2
