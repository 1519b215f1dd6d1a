"""What a build is asked for besides the project and the env (``pipeline.build``).

Its own module so that code which only names a build (the build cache, the CLI) does not
load the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    overlays: bool = True
    sets: tuple[str, ...] = ()
    out: Path | None = None
    kube_version: str | None = None  # default: kubeVersion of cmgen.yaml
    crds: tuple[Path, ...] = ()  # added to the crds of cmgen.yaml
    require_schemas: bool = False  # a custom resource without a CRD is an error
    docs: bool = True
