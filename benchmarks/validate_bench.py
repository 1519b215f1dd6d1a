"""Benchmark ``cmgen validate`` against the ``kubernetes-validate`` CLI on generated corpora.

Run from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/validate_bench.py            # 600 and 2,000 resources
    .venv/bin/python benchmarks/validate_bench.py --sizes 600 --repeat 5

Every command runs pinned to one core (``taskset -c 0`` when available). Corpora are
generated (mixed kinds, one file per app, multi-document) into a temporary folder; both
tools must accept every resource, or the benchmark stops. Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KUBE_VERSION = "1.35"
BARE_IMPORT = "import jinja2, yaml, jsonschema, typer"
# The same parameters as ``cmgen validate``, parsed by Typer, and nothing else: what Typer
# alone costs a command at start-up.
MINI_TYPER = """\
from __future__ import annotations
from pathlib import Path
import typer
app = typer.Typer()
@app.command()
def validate(
    paths: list[str],
    kube_version: str | None = typer.Option(None, "--kube-version"),
    crd: list[Path] = typer.Option([], "--crd"),
    output: str = typer.Option("text", "--output"),
    require_schemas: bool = typer.Option(False, "--require-schemas"),
) -> None:
    pass
@app.command()
def other() -> None:
    pass
app()
"""


def app_documents(index: int) -> list[str]:
    """The manifests of one generated app: 9 kinds, 12 for every third app."""
    name = f"app-{index:04d}"
    port = 8000 + index % 100
    env = "".join(
        f"            - {{name: VAR_{n}, value: \"{index * n}\"}}\n" for n in range(1 + index % 8)
    )
    labels = f"{{app: {name}, tier: {'web' if index % 2 else 'api'}}}"
    docs = [
        f"apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: {name}, namespace: shop}}\n"
        "automountServiceAccountToken: false\n",
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}-config, namespace: shop}}\n"
        f"data:\n  LOG_LEVEL: info\n  PORT: \"{port}\"\n  FEATURE_{index}: \"on\"\n",
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: {name}-secret, namespace: shop}}\n"
        f"type: Opaque\nstringData:\n  password: pw-{index}\n",
        f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: shop
  labels: {labels}
spec:
  replicas: {1 + index % 5}
  strategy: {{type: RollingUpdate, rollingUpdate: {{maxSurge: 1, maxUnavailable: 25%}}}}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {labels}
    spec:
      serviceAccountName: {name}
      securityContext: {{runAsNonRoot: true, runAsUser: 10001, seccompProfile: {{type: RuntimeDefault}}}}
      containers:
        - name: {name}
          image: registry.example.com/{name}:1.{index % 20}.0
          ports: [{{name: http, containerPort: {port}}}]
          env:
{env}          envFrom: [{{configMapRef: {{name: {name}-config}}}}]
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
          readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
          livenessProbe: {{httpGet: {{path: /live, port: http}}, periodSeconds: 20}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {{drop: [ALL]}}
""",
        f"""apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: shop}}
spec:
  selector: {{app: {name}}}
  ports: [{{name: http, port: 80, targetPort: http}}]
""",
        f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: {name}, namespace: shop}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: 2
  maxReplicas: {4 + index % 6}
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
""",
        f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: {name}, namespace: shop}}
spec:
  maxUnavailable: 1
  selector: {{matchLabels: {{app: {name}}}}}
""",
        f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: {name}, namespace: shop}}
spec:
  podSelector: {{matchLabels: {{app: {name}}}}}
  policyTypes: [Ingress, Egress]
  ingress: [{{from: [{{podSelector: {{matchLabels: {{app: gateway}}}}}}], ports: [{{port: http}}]}}]
  egress: [{{ports: [{{port: 53, protocol: UDP}}]}}]
""",
        f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: {name}, namespace: shop}}
spec:
  ingressClassName: nginx
  rules:
    - host: {name}.shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {{service: {{name: {name}, port: {{name: http}}}}}}
""",
    ]
    if index % 3 == 0:
        docs += [
            f"""apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}-data, namespace: shop}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: {1 + index % 10}Gi}}}}
""",
            f"""apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: {name}-db, namespace: shop}}
spec:
  serviceName: {name}-db
  selector: {{matchLabels: {{app: {name}-db}}}}
  template:
    metadata: {{labels: {{app: {name}-db}}}}
    spec:
      containers:
        - name: db
          image: postgres:13
          ports: [{{containerPort: 5432, name: pg}}]
          volumeMounts: [{{name: data, mountPath: /var/lib/postgresql/data}}]
  volumeClaimTemplates:
    - metadata: {{name: data}}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {{requests: {{storage: 10Gi}}}}
""",
            f"""apiVersion: batch/v1
kind: CronJob
metadata: {{name: {name}-backup, namespace: shop}}
spec:
  schedule: "{index % 60} 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{{name: backup, image: postgres:13, command: [pg_dump, --host={name}-db]}}]
""",
        ]
    return docs


def write_corpus(folder: Path, resources: int) -> list[Path]:
    """Files of whole apps until at least ``resources`` documents; returns the files."""
    folder.mkdir(parents=True)
    files: list[Path] = []
    count = index = 0
    while count < resources:
        docs = app_documents(index)
        path = folder / f"app-{index:04d}.yaml"
        path.write_text("---\n".join(docs))
        files.append(path)
        count += len(docs)
        index += 1
    return files


def count_resources(files: list[Path]) -> int:
    return sum(path.read_text().count("\nkind: ") for path in files)


def pinned(command: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


# Byte-code caching on, as on a user's machine (some sandboxes set PYTHONDONTWRITEBYTECODE,
# which makes every run compile cmgen's sources again).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(pinned(command), capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}")
    return elapsed


def timed(commands: list[list[str]], repeat: int) -> list[float]:
    """Median wall time of each command; runs are interleaved so load drifts hit all alike.

    Each command runs once untimed first (byte-code caches, file cache).
    """
    for command in commands:
        run(command)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for position, command in enumerate(commands):
            times[position].append(run(command))
    return [statistics.median(series) for series in times]


def in_process(folder: Path) -> tuple[int, float, float]:
    """Resources, first-pass and warm seconds of load + validate, in this process."""
    from generator import manifests
    from generator.validate import validate

    passes = []
    for _ in range(3):
        start = time.perf_counter()
        report = validate(manifests.load_paths([str(folder)]), KUBE_VERSION)
        passes.append(time.perf_counter() - start)
        if not report.ok:
            raise SystemExit("\n".join(finding.text() for finding in report.findings[:20]))
    return report.resources, passes[0], min(passes[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 2000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each cmgen command")
    parser.add_argument("--small-repeat", type=int, default=11, help="runs of the cold-start pair")
    args = parser.parse_args()
    cmgen, kv, python = str(BIN / "cmgen"), str(BIN / "kubernetes-validate"), sys.executable
    lines = [
        f"Python {sys.version.split()[0]}, one core (`taskset -c 0`), Kubernetes {KUBE_VERSION}"
        " strict schemas; median wall times.",
        "",
        "| corpus | resources | `cmgen validate` | `kubernetes-validate --strict` | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    throughput = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"corpus-{size}"
            files = write_corpus(folder, size)
            resources = count_resources(files)
            [ours] = timed([[cmgen, "validate", str(folder), "--kube-version", KUBE_VERSION]], args.repeat)
            theirs = run([kv, "--strict", "-k", KUBE_VERSION, "--quiet", *map(str, files)])
            lines.append(
                f"| {size} | {resources} | {ours:.2f} s | {theirs:.2f} s | {theirs / ours:.1f}x |"
            )
            throughput.append(in_process(folder))
            print(f"done: {size}", file=sys.stderr)
        small = Path(tmp) / "small"
        small_count = count_resources(write_corpus(small, 20))
        mini = Path(tmp) / "mini_typer.py"
        mini.write_text(MINI_TYPER)
        cold, bare, mini_app, typer_only, cli_import, nothing = timed(
            [
                [cmgen, "validate", str(small), "--kube-version", KUBE_VERSION],
                [python, "-c", BARE_IMPORT],
                [python, str(mini), "validate", str(small), "--kube-version", KUBE_VERSION],
                [python, "-c", "import typer"],
                [python, "-c", "import generator.cli"],
                [python, "-c", "pass"],
            ],
            args.small_repeat,
        )
    lines += ["", "| in process (load + validate) | resources | first pass | warm pass | warm resources/s |"]
    lines.append("|---|---:|---:|---:|---:|")
    for counted, first, warm in throughput:
        lines.append(
            f"| corpus | {counted} | {first:.2f} s ({counted / first:.0f}/s) | {warm:.2f} s |"
            f" {counted / warm:.0f} |"
        )
    lines += [
        "",
        "| cold start | median |",
        "|---|---:|",
        f"| `cmgen validate` on a {small_count}-resource tree | {cold * 1000:.0f} ms |",
        f"| `python -c \"{BARE_IMPORT}\"` | {bare * 1000:.0f} ms |",
        f"| ratio | {cold / bare:.2f}x |",
        f"| a bare Typer app with `validate`'s parameters, doing nothing | {mini_app * 1000:.0f} ms |",
        f"| `python -c \"import generator.cli\"` | {cli_import * 1000:.0f} ms |",
        f"| `python -c \"import typer\"` | {typer_only * 1000:.0f} ms |",
        f"| `python -c \"pass\"` | {nothing * 1000:.0f} ms |",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
