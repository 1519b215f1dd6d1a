"""Add-ons: what an env's cluster must run besides the rendered tree, read from the merged
values' ``addons`` section (a project's data; nothing here knows a particular add-on).

    addons:
      cluster: KIND              # picks each add-on's install recipe
      present: [NAME, ...]       # already on the cluster: never installed
      protected: BOOL            # not disposable: test-connectivity.sh --restart needs --force
      available:
        NAME:
          description: TEXT
          when: [VALUES.PATH, ...]   # part of the env when any path is true
          provides: {crds: {PLURAL.GROUP: KIND}, namespaces: [..], services: [NS/NAME],
                     ingressClasses: [..], provisioners: [..], secrets: [NS/NAME]}
          install: {KIND or default: {helm: {repo, chart, version, namespace, values}
                                      | run: [[ARGV]], ready: [[ARGV]],
                                      check: {run: [ARGV], expect: TEXT},
                                      provides: {...}}}   # what this recipe adds

An add-on is part of the env when it is ``present`` or one of its ``when`` paths is true;
one that is not present must have a recipe for the env's cluster (or a ``default`` one).
Lint's deploy-readiness rule, ``scripts/install-addons.sh`` and the README's Deploy section
all read the ``Addons`` made here, in the catalog's order.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import CmgenError
from generator.merge import Key, Values

SECTION = "addons"
DEFAULT_RECIPE = "default"


@dataclass(frozen=True)
class Helm:
    repo: str
    chart: str
    version: str
    namespace: str
    values: str  # JSON, read by helm from stdin (-f -)


@dataclass(frozen=True)
class Recipe:
    helm: Helm | None
    run: tuple[tuple[str, ...], ...]
    ready: tuple[tuple[str, ...], ...]
    check: tuple[str, ...]
    expect: str

    def commands(self, name: str) -> list[str]:
        """The recipe as shell commands, as the README shows them."""
        lines = [shlex.join(self.check)] if self.check else []
        if self.helm is not None:
            lines.append(shlex.join(helm_command(name, self.helm)) + " -f - <<'VALUES'")
            lines.extend([self.helm.values, "VALUES"])
        lines.extend(shlex.join(argv) for argv in (*self.run, *self.ready))
        return lines


    def brief(self, name: str) -> str:
        """The recipe on one line (a chart by name and version, its values left out)."""
        if self.helm is not None:
            helm = self.helm
            return f"helm chart {helm.chart} {helm.version} from {helm.repo} into namespace {helm.namespace}"
        return "; ".join(shlex.join(argv) for argv in self.run)


@dataclass(frozen=True)
class Addon:
    name: str
    description: str
    crds: tuple[tuple[str, str], ...]  # (CRD name <plural>.<group>, kind)
    namespaces: tuple[str, ...]
    services: tuple[str, ...]  # namespace/name
    ingress_classes: tuple[str, ...]
    provisioners: tuple[str, ...]
    recipe: Recipe | None  # None: present on the cluster already (or no recipe for it)
    when: tuple[str, ...] = ()  # values paths that bring it in
    secrets: tuple[str, ...] = ()  # namespace/name of each Secret its install creates

    @property
    def present(self) -> bool:
        return self.recipe is None

    def crd_of(self, group: str, kind: str) -> str | None:
        return next((name for name, k in self.crds if k == kind and _group(name) == group), None)


@dataclass(frozen=True)
class Addons:
    env: str
    cluster: str
    installed: tuple[Addon, ...]  # the env's add-ons, in the catalog's order
    others: tuple[Addon, ...]  # the rest of the catalog (named in hints)
    protected: bool = False  # not a disposable cluster: scripts refuse what changes data

    def crd_provider(self, group: str, kind: str) -> Addon | None:
        return next((a for a in self.installed if a.crd_of(group, kind)), None)

    def crd_elsewhere(self, group: str, kind: str) -> tuple[str, Addon] | None:
        """The CRD name and an add-on of the catalog (not of this env) that serves it."""
        for addon in self.others:
            name = addon.crd_of(group, kind)
            if name:
                return name, addon
        return None

    def provides(self, what: str, item: str) -> Addon | None:
        """The add-on of the env that provides ``item`` among its ``what`` (an attribute)."""
        return next((a for a in self.installed if item in getattr(a, what)), None)

    def elsewhere(self, what: str, item: str) -> Addon | None:
        return next((a for a in self.others if item in getattr(a, what)), None)

    @property
    def to_install(self) -> tuple[Addon, ...]:
        return tuple(a for a in self.installed if not a.present)


def helm_command(name: str, helm: Helm) -> tuple[str, ...]:
    return ("helm", "upgrade", "--install", name, helm.chart, "--repo", helm.repo,
            "--version", helm.version, "--namespace", helm.namespace, "--create-namespace",
            "--wait", "--timeout", "10m")  # fmt: skip


def _group(crd_name: str) -> str:
    return crd_name.partition(".")[2]


def crd_name(group: str, kind: str) -> str:
    """The CRD name Kubernetes conventionally gives ``kind`` (its lowercase plural)."""
    lower = kind.lower()
    if lower.endswith(("s", "x", "ch", "sh")):
        plural = lower + "es"
    elif lower.endswith("y") and lower[-2:-1] not in "aeiou":
        plural = lower[:-1] + "ies"
    else:
        plural = lower + "s"
    return f"{plural}.{group}"


def load(values: Values, env: str) -> Addons | None:
    """The env's add-ons; ``None`` when the values declare no ``addons`` section."""
    section = values.data.get(SECTION)
    if not isinstance(section, Mapping):
        return None
    cluster = str(section.get("cluster", ""))
    present = [str(name) for name in section.get("present") or ()]
    catalog: Mapping[str, Any] = section.get("available") or {}
    for name in present:
        if name not in catalog:
            _fail(values, (SECTION, "present"), f"add-on {name!r} is not in {SECTION}.available")
    installed: list[Addon] = []
    others: list[Addon] = []
    for name, data in catalog.items():
        path: Key = (SECTION, "available", name)
        when = tuple(str(w) for w in data.get("when") or ())
        wanted = name in present or any(_truthy(values, (*path, "when"), w) for w in when)
        recipes = data.get("install") or {}
        chosen = recipes.get(cluster, recipes.get(DEFAULT_RECIPE))
        if wanted and name not in present and chosen is None:
            _fail(values, path, f"add-on {name} is needed by env {env} but has no install recipe "
                  f"for cluster {cluster!r} (nor {DEFAULT_RECIPE!r}), and {SECTION}.present does not list it")
        recipe = _recipe(chosen) if chosen is not None and name not in present else None
        extra = (chosen.get("provides") or {}) if chosen is not None and recipe is not None and wanted else {}
        (installed if wanted else others).append(_addon(name, data, when, recipe, extra))
    return Addons(env, cluster, tuple(installed), tuple(others), bool(section.get("protected")))


def _addon(
    name: str, data: Mapping[str, Any], when: tuple[str, ...], recipe: Recipe | None,
    extra: Mapping[str, Any] | None = None,
) -> Addon:
    """``extra``: what the chosen recipe provides beyond the add-on's own ``provides``."""
    provides = {key: _joined(value, (extra or {}).get(key)) for key, value in (data.get("provides") or {}).items()}
    provides |= {key: value for key, value in (extra or {}).items() if key not in provides}
    return Addon(
        name,
        str(data.get("description", "")),
        tuple((str(crd), str(kind)) for crd, kind in (provides.get("crds") or {}).items()),
        tuple(str(n) for n in provides.get("namespaces") or ()),
        tuple(str(s) for s in provides.get("services") or ()),
        tuple(str(c) for c in provides.get("ingressClasses") or ()),
        tuple(str(p) for p in provides.get("provisioners") or ()),
        recipe,
        when,
        tuple(str(s) for s in provides.get("secrets") or ()),
    )


def _joined(own: Any, more: Any) -> Any:
    """An add-on's ``provides`` entry with its recipe's: lists concatenate, mappings merge."""
    if more is None:
        return own
    if isinstance(own, Mapping):
        return {**own, **more}
    return [*own, *more]


def _recipe(data: Mapping[str, Any]) -> Recipe:
    helm = data.get("helm")
    check = data.get("check") or {}
    return Recipe(
        Helm(str(helm["repo"]), str(helm["chart"]), str(helm["version"]), str(helm["namespace"]),
             json.dumps(helm.get("values") or {}, sort_keys=True)) if helm else None,
        tuple(tuple(str(arg) for arg in argv) for argv in data.get("run") or ()),
        tuple(tuple(str(arg) for arg in argv) for argv in data.get("ready") or ()),
        tuple(str(arg) for arg in check.get("run") or ()),
        str(check.get("expect", "")),
    )


def _truthy(values: Values, where: Key, dotted: str) -> bool:
    node: Any = values.data
    for step in dotted.split("."):
        if not isinstance(node, Mapping) or step not in node:
            _fail(values, where, f"{'.'.join(map(str, where))}: {dotted} is not a values key")
        node = node[step]
    return bool(node)


def _fail(values: Values, path: Key, message: str) -> None:
    origin = values.origin(path)
    if origin is None:
        raise CmgenError(message)
    line, column = origin.position()
    raise CmgenError(message, origin.file, line, column)
