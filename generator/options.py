"""What a build is asked for besides the project and the env (``pipeline.build``).

Its own module so that code which only names a build (the build cache, the CLI) does not
load the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    """The options of one build (``pipeline.build``), from the command line; the overlay
    engine's generator options are another thing (``generator.overlay``)."""

    overlays: bool = True
    sets: tuple[str, ...] = ()  # --set KEY=YAML
    values_files: tuple[Path, ...] = ()  # -f FILE: merged after values/<env>.yaml
    set_strings: tuple[str, ...] = ()  # --set-string KEY=STRING
    set_files: tuple[str, ...] = ()  # --set-file KEY=PATH: the file's text
    out: Path | None = None  # --out DIR: write DIR/<tree> (symlinks in DIR are followed)
    out_per_env: bool = False  # --all-envs with --out: DIR/<env>/<tree>
    kube_version: str | None = None  # default: kubeVersion of cmgen.yaml
    crds: tuple[Path, ...] = ()  # added to the crds of cmgen.yaml
    require_schemas: bool = False  # a custom resource without a CRD is an error
    docs: bool = True
    graph: bool = False  # the platform graph on the build even without the docs (cmgen graph)
