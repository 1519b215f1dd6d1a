"""Patch targets: Kustomize's ``Selector`` (regex GVK, name, namespace; label selectors).

As in ``types.SelectorRegex`` and ``resmap.Select``, group, version, kind, name and
namespace are whole-string regular expressions (``kind: Deployment|StatefulSet``). Name
and namespace are tried against the original and the current value; an absent namespace
means ``default``, and a cluster-scoped object's namespace is ``_non_namespaceable_``
(so ``namespace: default`` does not select a ClusterRole). The GVK is the current one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.overlay.gvk import Gvk
from generator.overlay.reader import Reader, Spot
from generator.overlay.resource import ResId, Resource, is_cluster_scoped

_FIELDS = ("group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector")
_NOT_NAMESPACED = "_non_namespaceable_"
_SET = re.compile(r"^\s*(!)?\s*([^\s!=,()]+)\s*(?:(==|=|!=)\s*([^\s,()]*)|\s+(in|notin)\s*\(([^)]*)\))?\s*$")


@dataclass(frozen=True)
class Requirement:
    key: str
    op: str  # "=", "!=", "in", "notin", "exists", "!"
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, Any]) -> bool:
        present = self.key in labels
        value = str(labels[self.key]) if present else None
        if self.op == "exists":
            return present
        if self.op == "!":
            return not present
        if self.op in ("=", "in"):
            return present and value in self.values
        return not present or value not in self.values


def parse_label_selector(text: str, spot: Spot) -> tuple[Requirement, ...]:
    """A Kubernetes label selector: ``a=b,c!=d,e in (x,y),!f,g``."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    requirements = []
    for part in parts:
        match = _SET.match(part)
        if not part.strip() or not match:
            raise spot.error(f"invalid label selector {text!r} (at {part.strip()!r})")
        negated, key, op, value, set_op, values = match.groups()
        if negated:
            if op or set_op:
                raise spot.error(f"invalid label selector {text!r} (at {part.strip()!r})")
            requirements.append(Requirement(key, "!"))
        elif op:
            requirements.append(Requirement(key, "!=" if op == "!=" else "=", (value,)))
        elif set_op:
            items = tuple(item.strip() for item in values.split(","))
            requirements.append(Requirement(key, set_op, items))
        else:
            requirements.append(Requirement(key, "exists"))
    return tuple(requirements)


@dataclass(frozen=True)
class Selector:
    gvk: Gvk
    name: str
    namespace: str
    labels: tuple[Requirement, ...]
    annotations: tuple[Requirement, ...]
    spot: Spot

    def select(self, resources: list[Resource]) -> list[Resource]:
        group, version, kind, name, namespace = (_regex(pattern, self.spot) for pattern in (
            self.gvk.group, self.gvk.version, self.gvk.kind, self.name, self.namespace))
        chosen = []
        for resource in resources:
            current, origin = resource.current, resource.origin
            if namespace and not (namespace.fullmatch(_namespace(origin))
                                  or namespace.fullmatch(_namespace(current))):
                continue
            if name and not (name.fullmatch(origin.name) or name.fullmatch(current.name)):
                continue
            gvk = current.gvk
            if not all(pattern is None or pattern.fullmatch(value) for pattern, value in (
                    (group, gvk.group), (version, gvk.version), (kind, gvk.kind))):
                continue
            if not all(req.matches(resource.labels()) for req in self.labels):
                continue
            if not all(req.matches(resource.annotations()) for req in self.annotations):
                continue
            chosen.append(resource)
        return chosen

    def __str__(self) -> str:
        parts = [f"{key}={value}" for key, value in (
            ("kind", self.gvk.kind), ("group", self.gvk.group), ("version", self.gvk.version),
            ("name", self.name), ("namespace", self.namespace)) if value]
        parts += [f"labelSelector={_show(self.labels)}"] if self.labels else []
        parts += [f"annotationSelector={_show(self.annotations)}"] if self.annotations else []
        return ", ".join(parts) or "everything"


def _show(requirements: tuple[Requirement, ...]) -> str:
    """The requirements as a label selector is written: ``a=b,c!=d,e in (x,y),!f,g``."""
    parts = []
    for r in requirements:
        if r.op == "exists":
            parts.append(r.key)
        elif r.op == "!":
            parts.append(f"!{r.key}")
        elif r.op in ("in", "notin"):
            parts.append(f"{r.key} {r.op} ({','.join(r.values)})")
        else:
            parts.append(f"{r.key}{r.op}{r.values[0]}")
    return ",".join(parts)


def _namespace(rid: ResId) -> str:
    return _NOT_NAMESPACED if is_cluster_scoped(rid.gvk) else rid.effective_namespace


def _regex(pattern: str, spot: Spot) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise spot.error(f"invalid regular expression {pattern!r} in target: {exc}") from None


def read_selector(reader: Reader, value: Any, path: tuple[str | int, ...]) -> Selector:
    body = reader.mapping(value, path, _FIELDS)
    fields = {key: reader.string(body.get(key, ""), (*path, key)) for key in _FIELDS}
    spot = reader.spot(path)
    selector = Selector(
        Gvk(fields["group"], fields["version"], fields["kind"]),
        fields["name"],
        fields["namespace"],
        parse_label_selector(fields["labelSelector"], spot) if fields["labelSelector"] else (),
        parse_label_selector(fields["annotationSelector"], spot)
        if fields["annotationSelector"] else (),
        spot,
    )
    for key in ("group", "version", "kind", "name", "namespace"):
        _regex(fields[key], reader.spot((*path, key)))
    return selector
