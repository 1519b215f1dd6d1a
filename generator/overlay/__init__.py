"""The overlay stage: Kustomize-compatible overlays (``overlays/<env>/kustomization.yaml``).

``apply(kustomization, base, kube_version)`` returns the base objects (each a
``generator.k8s.objects.Placed``: output file + object) with the env's overlay applied,
equal to what ``kubectl kustomize`` builds from the same objects and kustomization. See ``engine`` for the order of the
transforms and where added objects are placed.
"""

from __future__ import annotations

from generator.overlay.engine import OVERLAY_DIR, apply

__all__ = ["OVERLAY_DIR", "apply"]
