"""Random overlay cases for the differential judge (``test_overlay_differential.py``).

``make_case(rng, index, folder)`` writes one case: base objects plus an overlay folder
(``kustomization.yaml`` and the files its generators read), and returns the base
objects. It reaches the classes of divergence that issue 17 found:

- generator values and files around and past 52 bytes (kyaml's 70-column base64),
  binary files included, referenced from pods so the hash names show up there too;
- ``namespace:`` together with a prefix and a suffix, and RoleBindings and
  ClusterRoleBindings whose ServiceAccount subjects name the original namespace, the
  overlay's namespace, or none;
- patch targets whose group, version and kind are regular expressions;
- empty and null maps (``metadata.annotations: {}``, ``labels: {}``, ``nodeSelector: {}``),
  in the base and added by patches.

Every name starts with ``c<index>-``, so many cases can be built side by side by one
``kubectl kustomize`` run (each case is a folder listed by a parent kustomization).
Inputs stay inside what both tools accept: a target always matches an object.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import yaml

RBAC = "rbac.authorization.k8s.io"
_EMPTY_VALUES: tuple[Any, ...] = ({}, None)


def make_case(rng: random.Random, index: int, folder: Path) -> list[dict[str, Any]]:
    return _Case(rng, f"c{index}-", folder).write()


class _Case:
    def __init__(self, rng: random.Random, tag: str, folder: Path) -> None:
        self.rng = rng
        self.tag = tag
        self.folder = folder
        self.home = f"{tag}home"
        self.target_ns = f"{tag}target"
        self.kust: dict[str, Any] = {}
        self.objects: list[dict[str, Any]] = []

    def write(self) -> list[dict[str, Any]]:
        self.folder.mkdir(parents=True)
        rng = self.rng
        if rng.random() < 0.7:
            self.kust["namespace"] = self.target_ns
        if rng.random() < 0.7:
            self.kust["namePrefix"] = rng.choice(["p-", "pre-"])
        if rng.random() < 0.5:
            self.kust["nameSuffix"] = rng.choice(["-s", "-suf"])
        generated = self._generators()
        accounts = self._accounts()
        self._workloads(generated, accounts)
        self._bindings(accounts)
        self._patches()
        (self.folder / "kustomization.yaml").write_text(
            yaml.safe_dump(self.kust, sort_keys=False), encoding="utf-8")
        return self.objects

    # -- generators: literals and files around 52 bytes, binary files ------------------

    def _generators(self) -> list[tuple[str, str]]:
        rng = self.rng
        made: list[tuple[str, str]] = []
        for kind, key in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
            entries = []
            for number in range(rng.randint(0, 2)):
                name = f"{self.tag}{kind.lower()}{number}"
                entry: dict[str, Any] = {"name": name}
                literals = [f"l{i}={self._text(rng.choice([0, 10, 51, 52, 53, 70, 105, 106, 140]))}"
                            for i in range(rng.randint(0, 3))]
                files = [self._file(f"{name}-f{i}") for i in range(rng.randint(0, 2))]
                if not literals and not files:
                    literals = ["only=x"]
                if literals:
                    entry["literals"] = literals
                if files:
                    entry["files"] = files
                if kind == "Secret" and rng.random() < 0.3:
                    entry["type"] = "kubernetes.io/tls" if rng.random() < 0.5 else "Opaque"
                if rng.random() < 0.2:
                    entry["options"] = {"disableNameSuffixHash": True}
                entries.append(entry)
                made.append((kind, name))
            if entries:
                self.kust[key] = entries
        return made

    def _text(self, length: int) -> str:
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 +/=")
                       for _ in range(length)).strip() or "v"

    def _file(self, name: str) -> str:
        rng = self.rng
        length = rng.choice([1, 20, 51, 52, 53, 69, 70, 200, 1000])
        path = self.folder / "files" / name
        path.parent.mkdir(exist_ok=True)
        if rng.random() < 0.5:
            # not UTF-8: a leading 0xff byte can start no UTF-8 sequence
            path.write_bytes(bytes([0xFF]) + bytes(rng.randrange(256) for _ in range(length)))
        else:
            path.write_bytes((self._text(length) + "\n" * rng.randint(0, 1)).encode("ascii"))
        return f"files/{name}"

    # -- ServiceAccounts and bindings ------------------------------------------------------

    def _accounts(self) -> list[tuple[str, str]]:
        """(name, namespace or "") of each ServiceAccount."""
        rng = self.rng
        accounts = []
        for number in range(rng.randint(1, 3)):
            namespace = rng.choice(["", self.home, self.target_ns])
            accounts.append((f"{self.tag}sa{number}", namespace))
            self.objects.append({"apiVersion": "v1", "kind": "ServiceAccount",
                                 "metadata": self._metadata(f"{self.tag}sa{number}", namespace)})
        return accounts

    def _bindings(self, accounts: list[tuple[str, str]]) -> None:
        rng = self.rng
        role = {"apiVersion": f"{RBAC}/v1", "kind": "Role",
                "metadata": self._metadata(f"{self.tag}role", ""), "rules": []}
        cluster_role = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole",
                        "metadata": self._metadata(f"{self.tag}role", ""), "rules": []}
        self.objects += [role, cluster_role]
        for number in range(rng.randint(1, 3)):
            cluster = rng.random() < 0.5
            kind = "ClusterRoleBinding" if cluster else "RoleBinding"
            subjects = [self._subject(accounts) for _ in range(rng.randint(1, 3))]
            self.objects.append({
                "apiVersion": f"{RBAC}/v1", "kind": kind,
                "metadata": self._metadata(f"{self.tag}binding{number}", ""),
                "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole" if cluster else "Role",
                            "name": f"{self.tag}role"},
                "subjects": subjects,
            })

    def _subject(self, accounts: list[tuple[str, str]]) -> dict[str, Any]:
        rng = self.rng
        name, namespace = rng.choice(accounts)
        subject: dict[str, Any] = {"kind": "ServiceAccount", "name": name}
        written = rng.choice(["original", "target", "none"])
        if written == "original":
            subject["namespace"] = namespace or "default"
        elif written == "target" and "namespace" in self.kust:
            subject["namespace"] = self.target_ns
        if rng.random() < 0.15:
            subject = {"kind": "User", "name": f"{self.tag}person", "apiGroup": RBAC}
        return subject

    # -- workloads, with empty maps ----------------------------------------------------------

    def _workloads(self, generated: list[tuple[str, str]],
                   accounts: list[tuple[str, str]]) -> None:
        rng = self.rng
        for number in range(rng.randint(1, 2)):
            kind = rng.choice(["Deployment", "StatefulSet", "DaemonSet"])
            name = f"{self.tag}{kind.lower()}{number}"
            labels = {"app": name}
            pod: dict[str, Any] = {"containers": [{"name": "main", "image": "app:1"}]}
            plain = [acc for acc in accounts if not acc[1]]
            if plain and rng.random() < 0.7:
                pod["serviceAccountName"] = plain[0][0]
            env_from = [{"configMapRef" if k == "ConfigMap" else "secretRef": {"name": n}}
                        for k, n in generated if rng.random() < 0.6]
            if env_from:
                pod["containers"][0]["envFrom"] = env_from
            volumes = [{"name": f"v{i}", **({"configMap": {"name": n}} if k == "ConfigMap"
                                            else {"secret": {"secretName": n}})}
                       for i, (k, n) in enumerate(generated) if rng.random() < 0.4]
            if volumes:
                pod["volumes"] = volumes
            if rng.random() < 0.4:
                pod["nodeSelector"] = {}
            template_meta: dict[str, Any] = {"labels": labels}
            if rng.random() < 0.3:
                template_meta["annotations"] = {}
            spec: dict[str, Any] = {"selector": {"matchLabels": labels},
                                    "template": {"metadata": template_meta, "spec": pod}}
            if kind == "StatefulSet":
                spec["serviceName"] = name
            self.objects.append({"apiVersion": "apps/v1", "kind": kind,
                                 "metadata": self._metadata(name, rng.choice(["", self.home])),
                                 "spec": spec})
        self.objects.append({"apiVersion": "batch/v1", "kind": "CronJob",
                             "metadata": self._metadata(f"{self.tag}job", ""),
                             "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {
                                 "template": {"spec": {"restartPolicy": "OnFailure",
                                                       "containers": [{"name": "job",
                                                                       "image": "job:1"}]}}}}}})

    def _metadata(self, name: str, namespace: str) -> dict[str, Any]:
        rng = self.rng
        metadata: dict[str, Any] = {"name": name}
        if namespace:
            metadata["namespace"] = namespace
        if rng.random() < 0.3:
            metadata["annotations"] = rng.choice(_EMPTY_VALUES)
        if rng.random() < 0.2:
            metadata["labels"] = {}
        return metadata

    # -- patches with regular-expression targets ------------------------------------------------

    def _patches(self) -> None:
        rng = self.rng
        patterns = [
            {"kind": "Deployment|StatefulSet"}, {"kind": ".*Set"}, {"kind": "Cluster.*"},
            {"group": "apps|batch"}, {"group": "apps", "version": "v1"}, {"group": "rbac.*"},
            {"version": "v1", "kind": "Role.*"}, {"kind": "(Daemon|Stateful)Set"},
            {"group": "", "kind": "ServiceAccount|ConfigMap"}, {"kind": "Deploy"},
        ]
        patches = []
        for number in range(rng.randint(0, 3)):
            target = dict(rng.choice(patterns))
            if not any(_selects(target, obj) for obj in self.objects):
                continue
            value = rng.choice([{"annotations": {f"a{number}": "x"}}, {"annotations": {}},
                                {"labels": {f"l{number}": "y"}}])
            patch = {"apiVersion": "v1", "kind": "Any", "metadata": {"name": "any", **value}}
            patches.append({"target": target, "patch": yaml.safe_dump(patch)})
        if patches:
            self.kust["patches"] = patches


def _selects(target: dict[str, str], obj: dict[str, Any]) -> bool:
    """Whether a target's anchored patterns match the object (test data, kept simple)."""
    group, _, version = str(obj["apiVersion"]).rpartition("/")
    actual = {"group": group, "version": version, "kind": obj["kind"]}
    return all(not pattern or re.fullmatch(pattern, actual[key])
               for key, pattern in target.items())
