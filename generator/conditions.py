"""Conditions: which templates render in an env (``when:`` in ``cmgen.yaml``), Helm's
``condition:`` for one template.

    when:
      gitops/argocd-application.yaml.j2: features.gitops
      monitoring/pod-monitors.yaml.j2: [features.mesh, features.monitoring]

A listed template renders only in the envs where each of its keys (a dotted path into the
env's merged values, after ``--set``) is true; a template not listed always renders. Every
key must be in every env's values and be ``true`` or ``false``: a typo, or a string
``"false"``, is an error at its line of ``cmgen.yaml``, never a template silently left out
(or silently rendered). A template that does not render is compiled all the same, so a
syntax error in it shows in every env.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import CmgenError
from generator.layout import per_template

if TYPE_CHECKING:
    from generator.overlay.reader import Reader


@dataclass(frozen=True)
class Key:
    path: tuple[str, ...]  # features.gitops -> ("features", "gitops")
    line: int | None  # of cmgen.yaml
    column: int | None


@dataclass(frozen=True)
class Condition:
    template: str  # relative to templates/
    keys: tuple[Key, ...]


@dataclass(frozen=True)
class Conditions:
    entries: tuple[Condition, ...] = ()
    config_file: str = "cmgen.yaml"

    def renders(self, template: str, values: Mapping[str, Any]) -> bool:
        """Whether ``template`` (relative to templates/) renders with ``values``."""
        condition = next((entry for entry in self.entries if entry.template == template), None)
        if condition is None:
            return True
        return all([self._value(key, values) for key in condition.keys])  # every key checked

    def _value(self, key: Key, values: Mapping[str, Any]) -> bool:
        dotted = ".".join(key.path)
        value: Any = values
        for depth, step in enumerate(key.path):
            if not isinstance(value, Mapping) or step not in value:
                where = f"{'.'.join(key.path[:depth])} has" if depth else "the values have"
                raise CmgenError(f"when: {dotted}: {where} no key {step!r}", self.config_file,
                                 key.line, key.column)
            value = value[step]
        if not isinstance(value, bool):
            shown = "nothing" if value is None else f"{type(value).__name__} {value!r}"
            raise CmgenError(f"when: {dotted} must be true or false, found {shown}", self.config_file,
                             key.line, key.column)
        return value


def read(value: Any, text: str, config_file: str, templates: Path) -> Conditions:
    """The ``when`` setting of ``cmgen.yaml`` (``text``), every mistake located there."""
    if value is None:
        return Conditions((), config_file)
    from generator.overlay.reader import Reader

    reader = Reader(config_file, text, templates, str)
    entries: list[Condition] = []
    what = "a values key or a list of them"
    for template, name, path, keys in per_template(reader, value, "when", what, templates):
        listed = [(keys, path)] if isinstance(keys, str) else [
            (item, (*path, i)) for i, item in enumerate(reader.listing(keys, path))]
        if not listed:
            raise reader.fail(path, f"when.{template}: give at least one values key")
        entries.append(Condition(name, tuple(_key(reader, item, where) for item, where in listed)))
    return Conditions(tuple(entries), config_file)


def _key(reader: Reader, item: Any, where: tuple[str | int, ...]) -> Key:
    dotted = reader.string(item, where, empty=False)
    steps = tuple(dotted.split("."))
    if not all(steps):
        raise reader.fail(where, f"when: {dotted!r}: a values key is dotted names, such as features.gitops")
    spot = reader.spot(where)
    return Key(steps, spot.line, spot.column)
