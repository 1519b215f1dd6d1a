"""The command-line options that more than one command takes, each declared once."""

from __future__ import annotations

from pathlib import Path

import typer

from generator.project import Project


def _complete_envs(incomplete: str) -> list[str]:
    """Shell completion of ``--env``: the envs of the project around the current folder."""
    found = Project.find(Path.cwd())
    return [name for name in (found.envs() if found else []) if name.startswith(incomplete)]


ProjectOption = typer.Option(
    None, "--project", "-C", help="Project folder (default: the nearest with cmgen.yaml)."
)
EnvOption = typer.Option(
    None, "--env", "-e", help="Environment (see: cmgen envs).", autocompletion=_complete_envs
)
OneEnvOption = typer.Option(
    ..., "--env", "-e", help="Environment (see: cmgen envs).", autocompletion=_complete_envs
)
AllEnvsOption = typer.Option(False, "--all-envs", help="Every environment.")
JobsOption = typer.Option(
    None, "--jobs", "-j", help="With --all-envs: envs built in parallel (default: the CPU count)."
)
KubeVersionOption = typer.Option(
    None, "--kube-version", help="Kubernetes version X.Y (default: kubeVersion of cmgen.yaml)."
)
CrdOption = typer.Option([], "--crd", help="CRD file or folder for custom resources (repeatable).")
RequireSchemasOption = typer.Option(
    False, "--require-schemas", help="A custom resource without a CRD is an error."
)
