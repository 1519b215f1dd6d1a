"""API-server rules the official schemas do not carry (issue 22, class 5).

Each rule is shown to fire on a file given to ``cmgen validate``, and inside a render
through values, ``--set`` and an overlay; each limit is also shown to be allowed exactly
at its value. The limits are Kubernetes' own, typed in here from its Go sources (named
in ``generator/validate/apirules.py``), not read from cmgen.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from generator import yamlio
from tests.conftest import cmgen, snapshot

FINDING = re.compile(r"^(\S+):(\d+):(\d+): error\[api-server\] (\S+): (.*)$", re.MULTILINE)
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
"""


def _edit(text: str, path: tuple[str | int, ...], value: Any) -> str:
    (document,) = yamlio.load_all(text, "x")
    node = document.data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return yamlio.dump(document.data)


def _validate(tmp_path: Path, text: str) -> tuple[int, list[tuple[str, ...]]]:
    file = tmp_path / "objects.yaml"
    file.write_text(text)
    result = cmgen("validate", str(file))
    assert "Traceback" not in result.output
    return result.exit_code, FINDING.findall(result.stdout)


def _config_map(size: int, field: str = "data") -> str:
    value: Any = "x" * size
    if field == "binaryData":
        value = base64.b64encode(b"\0" * size).decode()
    return yamlio.dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, field: {"k": value}})


def _secret(size: int, field: str) -> str:
    value = base64.b64encode(b"x" * size).decode() if field == "data" else "x" * size
    return yamlio.dump({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, field: {"k": value}})


CONTAINER_PORT = ("spec", "template", "spec", "containers", 0, "ports", 0)
ANNOTATION_PAYLOAD = 256 * 1024 - 1  # plus the one-byte key "a": exactly 256 KiB

BAD = [
    ("replicas-negative", _edit(DEPLOYMENT, ("spec", "replicas"), -1), "replicas: -1", "ValidateNonnegativeField"),
    ("replicas-over-int32", _edit(DEPLOYMENT, ("spec", "replicas"), 2**31), "replicas: 2147483648", "int32"),
    ("container-port-zero", _edit(DEPLOYMENT, (*CONTAINER_PORT, "containerPort"), 0), "containerPort: 0", "IsValidPortNum"),
    ("container-port-high", _edit(DEPLOYMENT, (*CONTAINER_PORT, "containerPort"), 65536), "containerPort: 65536", "IsValidPortNum"),
    ("host-port-high", _edit(DEPLOYMENT, (*CONTAINER_PORT, "hostPort"), 70000), "hostPort: 70000", "IsValidPortNum"),
    ("service-port-zero", _edit(SERVICE, ("spec", "ports", 0, "port"), 0), "- port: 0", "validateServicePort"),
    ("service-port-negative", _edit(SERVICE, ("spec", "ports", 0, "port"), -80), "- port: -80", "validateServicePort"),
    ("target-port-high", _edit(SERVICE, ("spec", "ports", 0, "targetPort"), 65536), "targetPort: 65536", "validateServicePort"),
    ("annotations-over-256k", _edit(SERVICE, ("metadata", "annotations"), {"a": "x" * (ANNOTATION_PAYLOAD + 1)}), "  annotations:", "ValidateAnnotationsSize"),
    ("pod-annotations-over-256k", _edit(DEPLOYMENT, ("spec", "template", "metadata", "annotations"), {"a": "x" * (ANNOTATION_PAYLOAD + 1)}), "      annotations:", "ValidateAnnotationsSize"),
    ("configmap-over-1mib", _config_map(1024 * 1024 + 1), "data:", "ValidateConfigMap"),
    ("configmap-binary-over-1mib", _config_map(1024 * 1024 + 1, "binaryData"), "binaryData:", "ValidateConfigMap"),
    ("secret-over-1mib", _secret(1024 * 1024 + 1, "data"), "data:", "ValidateSecret"),
    ("secret-string-over-1mib", _secret(1024 * 1024 + 1, "stringData"), "stringData:", "ValidateSecret"),
    ("label-value-64", _edit(SERVICE, ("metadata", "labels"), {"tier": "a" * 64}), "tier: aaaa", "IsValidLabelValue"),
    ("label-value-syntax", _edit(SERVICE, ("metadata", "labels"), {"tier": "web-"}), "tier: web-", "IsValidLabelValue"),
    ("label-value-leading-dash", _edit(SERVICE, ("metadata", "labels"), {"tier": "-x"}), 'tier: "-x"', "IsValidLabelValue"),
    ("pod-label-value-64", _edit(DEPLOYMENT, ("spec", "template", "metadata", "labels", "tier"), "a" * 64), "tier: aaaa", "IsValidLabelValue"),
    ("selector-value-64", _edit(SERVICE, ("spec", "selector", "app"), "a" * 64), "app: aaaa", "IsValidLabelValue"),
]
GOOD = [
    ("replicas-zero", _edit(DEPLOYMENT, ("spec", "replicas"), 0)),
    ("replicas-int32-max", _edit(DEPLOYMENT, ("spec", "replicas"), 2**31 - 1)),
    ("container-port-bounds", _edit(DEPLOYMENT, (*CONTAINER_PORT, "containerPort"), 65535)),
    ("host-port-unset", _edit(DEPLOYMENT, (*CONTAINER_PORT, "hostPort"), 0)),
    ("target-port-unset", _edit(SERVICE, ("spec", "ports", 0, "targetPort"), 0)),
    ("target-port-name", _edit(SERVICE, ("spec", "ports", 0, "targetPort"), "http")),
    ("annotations-256k", _edit(SERVICE, ("metadata", "annotations"), {"a": "x" * ANNOTATION_PAYLOAD})),
    ("configmap-1mib", _config_map(1024 * 1024)),
    ("secret-1mib", _secret(1024 * 1024, "data")),
    ("label-value-63", _edit(SERVICE, ("metadata", "labels"), {"tier": "a" * 63})),
    ("label-value-empty", _edit(SERVICE, ("metadata", "labels"), {"tier": ""})),
    ("label-value-dots-underscores", _edit(SERVICE, ("metadata", "labels"), {"tier": "v1.2_3-x"})),
]


@pytest.mark.parametrize(("text", "at", "cites"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_validate_reports_the_rule_at_its_line(tmp_path: Path, text: str, at: str, cites: str) -> None:
    """One finding, on the line of the offending field, naming the Kubernetes rule."""
    code, found = _validate(tmp_path, text)
    assert code == 1
    assert len(found) == 1, found
    line = text.splitlines()[int(found[0][1]) - 1]
    assert line.startswith(at) if at.startswith(" ") else at in line, line[:80]
    assert cites in found[0][4]


@pytest.mark.parametrize("text", [case[1] for case in GOOD], ids=[case[0] for case in GOOD])
def test_validate_allows_each_limit_exactly(tmp_path: Path, text: str) -> None:
    assert _validate(tmp_path, text) == (0, [])


# --- inside a render: values, --set, an overlay ---------------------------------------------


def _render(project: Path, *args: str) -> list[tuple[str, ...]]:
    before = snapshot(project)
    result = cmgen("render", "--env", "dev", *args, project=project)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "nothing written" in result.stderr
    assert snapshot(project) == before
    return FINDING.findall(result.stderr)


def test_replicas_over_int32_from_a_values_file(project_dir: Path) -> None:
    (project_dir / "values" / "dev.yaml").write_text("app:\n  replicas: 3000000000\n")
    (found,) = _render(project_dir)
    assert found[0] == "out/dev/week3/day3/app/deployment.yaml"
    assert found[3] == "Deployment/shop"
    assert "3000000000 does not fit the field's type int32" in found[4]
    assert found[4].endswith("(from templates/app/deployment.yaml.j2:9)")


def test_a_long_label_value_from_set(project_dir: Path) -> None:
    found = _render(project_dir, "--set", "app.labels.tier=" + "a" * 64)
    assert {(item[0], item[3]) for item in found} == {
        ("out/dev/week3/day3/app/deployment.yaml", "Deployment/shop"),
        ("out/dev/week3/day3/app/configmap.yaml", "ConfigMap/shop-config"),
    }
    assert all("IsValidLabelValue" in item[4] for item in found)


def test_a_bad_label_value_is_reported_once_by_render(project_dir: Path) -> None:
    # render runs validate and lint; lint's label-syntax leaves label values to this stage.
    result = cmgen("render", "--env", "dev", "--set", "app.labels.tier=-bad-", project=project_dir)
    assert result.exit_code == 1, result.output
    places = re.findall(r"^(\S+:\d+:\d+): error\[", result.stderr, re.MULTILINE)
    assert places and len(places) == len(set(places)), result.stderr


def test_a_configmap_over_1mib_from_set(project_dir: Path) -> None:
    (found,) = _render(project_dir, "--set", "app.message=" + "m" * (1024 * 1024))
    assert found[3] == "ConfigMap/shop-config"
    assert "must have at most 1048576 bytes (Kubernetes ValidateConfigMap" in found[4]


def test_negative_replicas_from_an_overlay(project_dir: Path) -> None:
    overlay = project_dir / "overlays" / "dev"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text("replicas:\n  - name: shop\n    count: -1\n")
    (found,) = _render(project_dir)
    assert found[3] == "Deployment/shop"
    assert "$.spec.replicas: -1 must be greater than or equal to 0" in found[4]


def test_a_port_and_annotations_from_an_overlay_patch(project_dir: Path) -> None:
    overlay = project_dir / "overlays" / "dev"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(
        "patches:\n"
        "  - target: {kind: Deployment, name: shop}\n"
        "    patch: |\n"
        "      - {op: replace, path: /spec/template/spec/containers/0/ports/0/containerPort, value: 0}\n"
        f"      - {{op: add, path: /metadata/annotations, value: {{big: {'b' * 262144}}}}}\n"
    )
    found = _render(project_dir)
    messages = sorted(item[4].split(":")[0] for item in found)
    assert messages == ["$.metadata.annotations", "$.spec.template.spec.containers[0].ports[0].containerPort"]


def test_check_reports_the_rules_too(project_dir: Path) -> None:
    (project_dir / "values" / "dev.yaml").write_text("app:\n  replicas: 3000000000\n")
    result = cmgen("check", "--env", "dev", project=project_dir)
    assert result.exit_code == 1
    assert len(FINDING.findall(result.stderr)) == 1
