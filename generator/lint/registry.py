"""What a lint rule is: an id, a severity, a one-line fix, and a check over the index.

A check yields ``Hit``s (the object, a message, the path of the offending node); the
engine turns them into ``Finding``s with the rule's id, severity and hint, so those live
in one place, the table in ``generator.lint.rules``, and suppression can read the
object's annotations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.addons import Addons
from generator.findings import Severity
from generator.k8s.index import Index, Path
from generator.k8s.objects import Manifest


@dataclass
class LintIndex(Index):
    """The object index, and the env's add-ons (when a project declares them), which the
    deploy-readiness rule checks the set against."""

    addons: Addons | None = None


@dataclass(frozen=True)
class Hit:
    manifest: Manifest
    message: str
    path: Path = ()


Check = Callable[[LintIndex], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    hint: str
    check: Check
    checkov: tuple[str, ...] = ()
    """checkov check ids whose ``checkov.io/skipN`` annotation also skips this rule."""
