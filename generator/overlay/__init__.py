"""The overlay stage: Kustomize-compatible overlays (``overlays/<env>/kustomization.yaml``).

``apply(kustomization, base, kube_version)`` returns the base objects (each a
``generator.k8s.objects.Placed``: output file + object) with the env's overlay applied,
equal to what ``kubectl kustomize`` builds from the same objects and kustomization. See ``engine`` for the order of the
transforms and where added objects are placed.

The engine is imported on first use of these names: a command that only reads a target
selector (``cmgen.yaml`` ``layout``, through ``overlay.selector``) does not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.overlay.engine import OVERLAY_DIR, apply

__all__ = ["OVERLAY_DIR", "apply"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from generator.overlay import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
