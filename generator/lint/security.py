"""Hardening of pods and containers: Pod Security Standards ``restricted`` plus NSA/CISA.

Fields and thresholds follow ``HARDENING.md`` (rows 1-7, 14, 16). A container setting
overrides the pod's for runAsNonRoot, runAsUser/runAsGroup and seccompProfile. Init
containers are checked like the others, as PSS does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.k8s.index import Container, Index, PodTemplate, dig, mapping, sequence
from generator.lint.registry import Hit

MIN_ID = 10000  # kube-score and checkov CKV_K8S_40: ids below may collide with host users
_SECRET_WORDS = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "APIKEY", "CREDENTIAL",
                 "CREDENTIALS"}  # fmt: skip


def _effective(pod: PodTemplate, container: Container, key: str) -> Any:
    own = mapping(container.data.get("securityContext"))
    return own[key] if key in own else mapping(pod.spec.get("securityContext")).get(key)


def _pod_hit(pod: PodTemplate, names: list[str], problem: str, field: str) -> Hit:
    listed = ", ".join(repr(name) for name in names)
    plural = "s" if len(names) > 1 else ""
    return Hit(
        pod.manifest,
        f"container{plural} {listed}: {problem}",
        (*pod.spec_path, "securityContext", field),
    )


def run_as_non_root(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        names = [c.name for c in pod.containers() if _effective(pod, c, "runAsNonRoot") is not True]
        if names:
            yield _pod_hit(
                pod, names, "runAsNonRoot is not true, so the image may run as root", "runAsNonRoot"
            )


def _id_problem(value: Any, field: str) -> str | None:
    if value is None:
        return f"{field} is not set (the image decides, often root)"
    if not isinstance(value, int) or value < MIN_ID:
        return f"{field} {value} is below {MIN_ID}" + (" (root)" if value == 0 else "")
    return None


def run_as_user(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for field in ("runAsUser", "runAsGroup"):
            problems: dict[str, list[str]] = {}
            for container in pod.containers():
                if problem := _id_problem(_effective(pod, container, field), field):
                    problems.setdefault(problem, []).append(container.name)
            for problem, names in problems.items():
                yield _pod_hit(pod, names, problem, field)


def _container_context(container: Container) -> dict[str, Any]:
    return mapping(container.data.get("securityContext"))


def privilege_escalation(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            if _container_context(container).get("allowPrivilegeEscalation") is not False:
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r}: allowPrivilegeEscalation is not false",
                    (*container.path, "securityContext", "allowPrivilegeEscalation"),
                )


def capabilities(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            caps = mapping(_container_context(container).get("capabilities"))
            path = (*container.path, "securityContext", "capabilities")
            if "ALL" not in [str(cap) for cap in sequence(caps.get("drop"))]:
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r}: capabilities.drop does not contain ALL",
                    (*path, "drop"),
                )
            added = [str(cap) for cap in sequence(caps.get("add")) if cap != "NET_BIND_SERVICE"]
            if added:
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r} adds capabilities "
                    f"{', '.join(added)} (only NET_BIND_SERVICE is allowed)",
                    (*path, "add"),
                )


def seccomp(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        names = [
            container.name
            for container in pod.containers()
            if dig(_effective(pod, container, "seccompProfile"), "type")
            not in ("RuntimeDefault", "Localhost")
        ]
        if names:
            yield _pod_hit(
                pod,
                names,
                "seccompProfile.type is not RuntimeDefault or Localhost",
                "seccompProfile",
            )


def read_only_root_fs(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            if _container_context(container).get("readOnlyRootFilesystem") is not True:
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r}: readOnlyRootFilesystem is not true",
                    (*container.path, "securityContext", "readOnlyRootFilesystem"),
                )


def host_access(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            if pod.spec.get(field) is True:
                yield Hit(
                    pod.manifest,
                    f"{field}: true shares the node's namespace",
                    (*pod.spec_path, field),
                )
        for number, volume in enumerate(sequence(pod.spec.get("volumes"))):
            if "hostPath" in mapping(volume):
                yield Hit(
                    pod.manifest,
                    f"volume {volume.get('name')!r} mounts a hostPath",
                    (*pod.spec_path, "volumes", number, "hostPath"),
                )
        for container in pod.containers():
            if _container_context(container).get("privileged") is True:
                yield Hit(
                    pod.manifest,
                    f"container {container.name!r} is privileged",
                    (*container.path, "securityContext", "privileged"),
                )
            for number, port in enumerate(sequence(container.data.get("ports"))):
                if mapping(port).get("hostPort"):
                    yield Hit(
                        pod.manifest,
                        f"container {container.name!r} binds hostPort {port['hostPort']}",
                        (*container.path, "ports", number, "hostPort"),
                    )


def automount_token(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        setting = pod.spec.get("automountServiceAccountToken")
        if setting is None:
            name = str(pod.spec.get("serviceAccountName") or "default")
            account = index.get("ServiceAccount", pod.namespace, name)
            setting = account.data.get("automountServiceAccountToken") if account else None
        if setting is not False:
            yield Hit(
                pod.manifest,
                "automountServiceAccountToken is not false: every container gets an API token",
                (*pod.spec_path, "automountServiceAccountToken"),
            )


def _sensitive(name: str) -> bool:
    words = re.split(r"[_\-.]", name.upper())
    return words[-1] != "FILE" and any(word in _SECRET_WORDS for word in words)


def env_secret_literal(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            for number, variable in enumerate(sequence(container.data.get("env"))):
                variable = mapping(variable)
                name, value = str(variable.get("name", "")), variable.get("value")
                if value not in (None, "") and _sensitive(name):
                    yield Hit(
                        pod.manifest,
                        f"container {container.name!r} env {name} holds a "
                        "literal secret in the manifest",
                        (*container.path, "env", number, "value"),
                    )
