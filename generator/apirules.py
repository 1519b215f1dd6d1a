"""API-server rules that the official JSON schemas do not carry.

The schemas give types, not the checks the API server's Go validation makes; an object
that passes them can still be rejected by ``kubectl apply``. Each rule here transcribes
one of those checks and names it in its message (rule ``api-server``):

- ``spec.replicas`` of a workload: 0 to 2,147,483,647. Kubernetes
  ``apivalidation.ValidateNonnegativeField`` (k8s.io/apimachinery/pkg/api/validation), and
  the field's Go type ``int32``: a larger number does not decode.
- ``containerPort`` (and a non-zero ``hostPort``) of every container, a Service's ``port``
  and numeric ``targetPort``: 1 to 65535. ``validation.IsValidPortNum``
  (k8s.io/apimachinery/pkg/util/validation), as ``validateContainerPorts`` and
  ``validateServicePort`` (k8s.io/kubernetes/pkg/apis/core/validation) call it. A zero
  ``hostPort`` or ``targetPort`` means "not set" and is allowed.
- ``metadata.annotations`` (of an object and of its pod template): keys plus values at most
  256 KiB. ``apivalidation.ValidateAnnotationsSize``, ``TotalAnnotationSizeLimitB``.
- A ConfigMap's ``data`` plus ``binaryData``, a Secret's ``data`` (decoded) plus
  ``stringData``: at most 1 MiB. ``ValidateConfigMap`` and ``ValidateSecret``
  (k8s.io/kubernetes/pkg/apis/core/validation), ``core.MaxSecretSize``.
- Label values (``metadata.labels`` of an object and of its pod template, a selector's
  ``matchLabels``, a Service's ``selector``): at most 63 characters of
  ``(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?``. ``validation.IsValidLabelValue``, as
  ``ValidateLabels`` (k8s.io/apimachinery/pkg/apis/meta/v1/validation) calls it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from typing import Any

from generator.explain import json_path
from generator.findings import Finding
from generator.manifests import Manifest

RULE = "api-server"
INT32_MAX = 2**31 - 1
ANNOTATIONS_MAX = 256 * 1024
DATA_MAX = 1024 * 1024
LABEL_VALUE_MAX = 63
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")

Path = tuple[str | int, ...]
_TEMPLATE: Path = ("spec", "template")
# Where each built-in kind keeps its pod template (group, kind) -> path.
_POD_TEMPLATES: dict[tuple[str, str], Path] = {
    ("", "Pod"): (),
    ("", "PodTemplate"): ("template",),
    ("", "ReplicationController"): _TEMPLATE,
    ("apps", "Deployment"): _TEMPLATE,
    ("apps", "StatefulSet"): _TEMPLATE,
    ("apps", "DaemonSet"): _TEMPLATE,
    ("apps", "ReplicaSet"): _TEMPLATE,
    ("batch", "Job"): _TEMPLATE,
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template"),
}
_SCALED = {("", "ReplicationController"), *(("apps", kind) for kind in ("Deployment", "StatefulSet", "ReplicaSet"))}
_SELECTED = {key for key in _POD_TEMPLATES if key[1] not in ("Pod", "PodTemplate", "CronJob")}


def check(manifest: Manifest) -> list[Finding]:
    """The API-server rules ``manifest`` breaks, each located at its field (at the key,
    when the field is a mapping: ``annotations:``, ``data:``)."""
    return [
        manifest.finding(
            "error", RULE, f"{json_path(path)}: {message}", path,
            key=isinstance(_dig(manifest.data, path), dict),
        )
        for path, message in _problems(manifest)
    ]


def _problems(manifest: Manifest) -> Iterator[tuple[Path, str]]:
    gk = (manifest.api_version.rpartition("/")[0], manifest.kind)
    data = manifest.data
    template = _POD_TEMPLATES.get(gk)
    metas: list[Path] = [("metadata",)]
    if template:
        metas.append((*template, "metadata"))
    for meta in metas:
        yield from _annotations(data, (*meta, "annotations"))
        yield from _label_values(data, (*meta, "labels"))
    if gk in _SELECTED:
        yield from _label_values(data, ("spec", "selector", "matchLabels"))
    if gk in _SCALED:
        yield from _replicas(data)
    if template is not None:
        yield from _container_ports(data, (*template, "spec"))
    if gk == ("", "Service"):
        yield from _label_values(data, ("spec", "selector"))
        yield from _service_ports(data)
    if gk == ("", "ConfigMap"):
        yield from _data_size(data, (("data", False), ("binaryData", True)), "ValidateConfigMap")
    if gk == ("", "Secret"):
        yield from _data_size(data, (("data", True), ("stringData", False)), "ValidateSecret")


def _dig(data: Any, path: Path) -> Any:
    for step in path:
        if isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        elif isinstance(step, int) and isinstance(data, list) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _replicas(data: Any) -> Iterator[tuple[Path, str]]:
    path: Path = ("spec", "replicas")
    value = _dig(data, path)
    if _integer(value) and value < 0:
        yield path, f"{value} must be greater than or equal to 0 (Kubernetes ValidateNonnegativeField)"
    elif _integer(value) and value > INT32_MAX:
        yield path, f"{value} does not fit the field's type int32 (at most {INT32_MAX})"


def _port(value: Any, path: Path, rule: str) -> Iterator[tuple[Path, str]]:
    if _integer(value) and not 1 <= value <= 65535:
        yield path, f"{value} must be between 1 and 65535, inclusive (Kubernetes IsValidPortNum, {rule})"


def _container_ports(data: Any, spec: Path) -> Iterator[tuple[Path, str]]:
    for field in ("initContainers", "containers", "ephemeralContainers"):
        containers = _dig(data, (*spec, field))
        for i, container in enumerate(containers if isinstance(containers, list) else []):
            ports = container.get("ports") if isinstance(container, dict) else None
            for j, port in enumerate(ports if isinstance(ports, list) else []):
                if not isinstance(port, dict):
                    continue
                where: Path = (*spec, field, i, "ports", j)
                yield from _port(port.get("containerPort"), (*where, "containerPort"), "validateContainerPorts")
                if port.get("hostPort") != 0:
                    yield from _port(port.get("hostPort"), (*where, "hostPort"), "validateContainerPorts")


def _service_ports(data: Any) -> Iterator[tuple[Path, str]]:
    ports = _dig(data, ("spec", "ports"))
    for i, port in enumerate(ports if isinstance(ports, list) else []):
        if isinstance(port, dict):
            yield from _port(port.get("port"), ("spec", "ports", i, "port"), "validateServicePort")
            if port.get("targetPort") != 0:  # 0 is "unset": defaulted to port
                yield from _port(port.get("targetPort"), ("spec", "ports", i, "targetPort"), "validateServicePort")


def _annotations(data: Any, path: Path) -> Iterator[tuple[Path, str]]:
    annotations = _dig(data, path)
    if not isinstance(annotations, dict):
        return
    size = sum(len(str(key).encode()) + len(str(value).encode()) for key, value in annotations.items())
    if size > ANNOTATIONS_MAX:
        yield path, (
            f"annotations total {size} bytes; must have at most {ANNOTATIONS_MAX} bytes "
            "(Kubernetes ValidateAnnotationsSize, TotalAnnotationSizeLimitB)"
        )


def _label_values(data: Any, path: Path) -> Iterator[tuple[Path, str]]:
    labels = _dig(data, path)
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        if not isinstance(value, str):
            continue  # the schema reports a label value that is not a string
        if len(value) > LABEL_VALUE_MAX:
            problem = f"must be no more than {LABEL_VALUE_MAX} characters"
        elif not _LABEL_VALUE.fullmatch(value):
            problem = (
                "must be empty or begin and end with an alphanumeric character, "
                "with '-', '_', '.' or alphanumerics between"
            )
        else:
            continue
        yield (*path, key), f"label value {problem} (Kubernetes IsValidLabelValue)"


def _data_size(data: Any, fields: tuple[tuple[str, bool], ...], rule: str) -> Iterator[tuple[Path, str]]:
    """``fields``: (name, base64-encoded?) of each mapping that counts."""
    size, where = 0, None
    for field, encoded in fields:
        values = _dig(data, (field,))
        if isinstance(values, dict):
            size += sum(_size(value, encoded) for value in values.values())
            where = where or (field,)
    if size > DATA_MAX and where is not None:
        yield where, (
            f"{size} bytes of data; must have at most {DATA_MAX} bytes "
            f"(Kubernetes {rule}, core.MaxSecretSize)"
        )


def _size(value: Any, encoded: bool) -> int:
    """Bytes the API server stores: base64 fields decoded (their own length if they do not
    decode: the schema, or the API server, reports that)."""
    if isinstance(value, bytes):
        return len(value)
    text = str(value)
    if encoded:
        try:
            return len(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError):
            pass
    return len(text.encode())
