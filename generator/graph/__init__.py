"""The platform graph, built from rendered objects: see ``model`` for what it holds."""

from __future__ import annotations

from generator.graph.build import build
from generator.graph.model import Graph, format_bytes

__all__ = ["Graph", "build", "format_bytes"]
