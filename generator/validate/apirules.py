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
from typing import Any

from generator.validate.explain import json_path
from generator.findings import Finding
from generator.k8s import syntax
from generator.k8s.objects import Manifest

RULE = "api-server"
INT32_MAX = 2**31 - 1
ANNOTATIONS_MAX = 256 * 1024
DATA_MAX = 1024 * 1024

Path = tuple[str | int, ...]
Problems = list[tuple[Path, str]]  # where, and what is wrong there
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
_SCALED = {
    ("", "ReplicationController"), ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "ReplicaSet")
}
_SELECTED = {key for key in _POD_TEMPLATES if key[1] not in ("Pod", "PodTemplate", "CronJob")}
_DATA_FIELDS = {  # (field, base64-encoded?) of what counts towards 1 MiB
    ("", "ConfigMap"): ((("data", False), ("binaryData", True)), "ValidateConfigMap"),
    ("", "Secret"): ((("data", True), ("stringData", False)), "ValidateSecret"),
}


def check(manifest: Manifest) -> list[Finding]:
    """The API-server rules ``manifest`` breaks, each located at its field (at the key,
    when the field is a mapping: ``annotations:``, ``data:``)."""
    problems: Problems = []
    data = manifest.data
    gk = (manifest.api_version.rpartition("/")[0], manifest.kind)
    template = _POD_TEMPLATES.get(gk)
    _metadata(data, ("metadata",), problems)
    if template is not None:
        if template:
            _metadata(data, (*template, "metadata"), problems)
        _container_ports(data, (*template, "spec"), problems)
    if gk in _SELECTED:
        match_labels: Path = ("spec", "selector", "matchLabels")
        _label_values(_dig(data, match_labels), match_labels, problems)
    if gk in _SCALED:
        _replicas(data, problems)
    if gk == ("", "Service"):
        _label_values(_dig(data, ("spec", "selector")), ("spec", "selector"), problems)
        _service_ports(data, problems)
    if gk in _DATA_FIELDS:
        _data_size(data, *_DATA_FIELDS[gk], problems)
    return [
        manifest.finding(
            "error", RULE, f"{json_path(path)}: {message}", path,
            key=isinstance(_dig(data, path), dict),
        )
        for path, message in problems
    ]


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


def _metadata(data: Any, path: Path, problems: Problems) -> None:
    metadata = _dig(data, path)
    if isinstance(metadata, dict):
        if metadata.get("annotations"):
            _annotations(metadata["annotations"], (*path, "annotations"), problems)
        if metadata.get("labels"):
            _label_values(metadata["labels"], (*path, "labels"), problems)


def _replicas(data: Any, problems: Problems) -> None:
    path: Path = ("spec", "replicas")
    value = _dig(data, path)
    if _integer(value) and value < 0:
        rule = "Kubernetes ValidateNonnegativeField"
        problems.append((path, f"{value} must be greater than or equal to 0 ({rule})"))
    elif _integer(value) and value > INT32_MAX:
        problems.append((path, f"{value} does not fit the field's type int32 (at most {INT32_MAX})"))


def _bad_port(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 65535


def _port_problem(value: Any, path: Path, rule: str) -> tuple[Path, str]:
    return path, f"{value} must be between 1 and 65535, inclusive (Kubernetes IsValidPortNum, {rule})"


def _container_ports(data: Any, spec: Path, problems: Problems) -> None:
    pod = _dig(data, spec)
    if not isinstance(pod, dict):
        return
    for field in ("initContainers", "containers", "ephemeralContainers"):
        containers = pod.get(field)
        for i, container in enumerate(containers if isinstance(containers, list) else ()):
            ports = container.get("ports") if isinstance(container, dict) else None
            for j, port in enumerate(ports if isinstance(ports, list) else ()):
                if not isinstance(port, dict):
                    continue
                for name in ("containerPort", "hostPort"):
                    value = port.get(name)
                    if _bad_port(value) and not (name == "hostPort" and value == 0):  # 0: not set
                        where: Path = (*spec, field, i, "ports", j, name)
                        problems.append(_port_problem(value, where, "validateContainerPorts"))


def _service_ports(data: Any, problems: Problems) -> None:
    ports = _dig(data, ("spec", "ports"))
    for i, port in enumerate(ports if isinstance(ports, list) else ()):
        if isinstance(port, dict):
            for name in ("port", "targetPort"):
                value = port.get(name)
                if _bad_port(value) and not (name == "targetPort" and value == 0):  # 0: defaulted to port
                    problems.append(_port_problem(value, ("spec", "ports", i, name), "validateServicePort"))


def _annotations(annotations: Any, path: Path, problems: Problems) -> None:
    if not isinstance(annotations, dict):
        return
    characters = sum(len(str(key)) + len(str(value)) for key, value in annotations.items())
    if characters * 4 <= ANNOTATIONS_MAX:  # UTF-8 takes at most 4 bytes a character
        return
    size = sum(len(str(key).encode()) + len(str(value).encode()) for key, value in annotations.items())
    if size > ANNOTATIONS_MAX:
        problems.append((path, (
            f"annotations total {size} bytes; must have at most {ANNOTATIONS_MAX} bytes "
            "(Kubernetes ValidateAnnotationsSize, TotalAnnotationSizeLimitB)"
        )))


# Label values seen valid: the same few ("web", "stable", "v1") recur on every object.
_VALID_LABEL_VALUES: set[str] = set()
_REMEMBERED = 10_000


def _label_values(labels: Any, path: Path, problems: Problems) -> None:
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        if not isinstance(value, str) or value in _VALID_LABEL_VALUES:
            continue  # the schema reports a label value that is not a string
        problem = syntax.label_value(value)
        if problem is None:
            if len(_VALID_LABEL_VALUES) < _REMEMBERED:
                _VALID_LABEL_VALUES.add(value)
            continue
        problems.append(((*path, key), f"label value {problem} (Kubernetes IsValidLabelValue)"))


def _data_size(
    data: Any, fields: tuple[tuple[str, bool], ...], rule: str, problems: Problems
) -> None:
    present = [
        (field, encoded, data[field]) for field, encoded in fields if isinstance(data.get(field), dict)
    ]
    characters = sum(len(str(value)) for _, _, values in present for value in values.values())
    if not present or characters * 4 <= DATA_MAX:  # UTF-8 takes at most 4 bytes a character
        return
    size = sum(_size(value, encoded) for _, encoded, values in present for value in values.values())
    if size > DATA_MAX:
        where: Path = (present[0][0],)
        problems.append((where, (
            f"{size} bytes of data; must have at most {DATA_MAX} bytes "
            f"(Kubernetes {rule}, core.MaxSecretSize)"
        )))


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
