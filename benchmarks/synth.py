"""A synthetic cmgen project of any size: N components over M namespaces.

Run from the repository root::

    .venv/bin/python benchmarks/synth.py DIR --resources 10000 [--overlay]

Each component renders 8 objects (ServiceAccount, ConfigMap, Deployment, Service, PDB,
HorizontalPodAutoscaler, NetworkPolicy, Ingress); each namespace adds its Namespace and a
default-deny NetworkPolicy. Every namespace has its own four templates (one output file per
namespace and concern, like a real tree); they include shared partials, so the Jinja work
scales with the components while the number of compiled templates stays small.

The objects pass validation and lint cleanly: a benchmark measures the common case (a
clean render), not the cost of reporting thousands of findings.

With ``overlay`` the env ``bench`` gets ``overlays/bench/kustomization.yaml``: a namePrefix,
commonLabels, an image override and a JSON6902 patch on every Deployment (the transforms of
the issue's Kustomize comparison). ``kustomize_tree`` writes the same base and overlay in
Kustomize's own layout for ``kubectl kustomize``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

ENV = "bench"
PER_COMPONENT = 8
PER_NAMESPACE = 2
CONCERNS = ("config", "workloads", "services", "policies")

CMGEN_YAML = """\
tree: manifests
kubeVersion: "1.35"
crds: []
docs: false
"""

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["platform", "namespaces", "components"],
    "properties": {
        "platform": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "environment": {"type": "string"},
                           "domain": {"type": "string"}, "callPrefix": {"type": "string"}},
        },
        "namespaces": {
            "type": "array",
            "x-cmgen-merge-key": "name",
            "items": {"type": "object", "required": ["name"],
                      "properties": {"name": {"type": "string"}}},
        },
        "components": {
            "type": "array",
            "x-cmgen-merge-key": "name",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "namespace", "image", "port", "replicas"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
                    "namespace": {"type": "string"},
                    "image": {"type": "string"},
                    "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                    "replicas": {"type": "integer", "minimum": 1},
                    "env": {"type": "object", "additionalProperties": {"type": "string"}},
                    "calls": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}

PARTIALS = {
    "config.yaml.j2": """\
{% for app in components if app.namespace == ns %}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ app.name }}
  namespace: {{ ns }}
  labels: {{ {"app.kubernetes.io/name": app.name, "app.kubernetes.io/part-of": platform.name} }}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ app.name }}-config
  namespace: {{ ns }}
  labels: {{ {"app.kubernetes.io/name": app.name} }}
data:
  LOG_LEVEL: info
  PORT: {{ app.port | string }}
  ENVIRONMENT: {{ platform.environment }}
{% for key, value in app.get("env", {}).items() %}
  {{ key }}: {{ value }}
{% endfor %}
{% endfor %}
""",
    "workloads.yaml.j2": """\
{% for app in components if app.namespace == ns %}
{% set labels = {"app.kubernetes.io/name": app.name, "app.kubernetes.io/part-of": platform.name} %}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ app.name }}
  namespace: {{ ns }}
  labels: {{ labels }}
spec:
  replicas: {{ app.replicas }}
  revisionHistoryLimit: 3
  selector:
    matchLabels: {{ labels }}
  template:
    metadata:
      labels: {{ labels }}
    spec:
      serviceAccountName: {{ app.name }}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: {{ app.image }}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: {{ app.port }}
          envFrom:
            - configMapRef:
                name: {{ app.name }}-config
          env:
{% for target in app.get("calls", []) %}
            - name: {{ target | upper | replace("-", "_") }}_URL
              value: {{ "http://" ~ platform.callPrefix ~ target ~ "." ~ ns ~ ".svc.cluster.local" }}
{% endfor %}
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          resources:
            requests: {cpu: 50m, memory: 64Mi, ephemeral-storage: 64Mi}
            limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 256Mi}
          readinessProbe:
            httpGet: {path: /ready, port: http}
          livenessProbe:
            httpGet: {path: /live, port: http}
            periodSeconds: 20
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ app.name }}
  namespace: {{ ns }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{ labels }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ app.name }}
  namespace: {{ ns }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ app.name }}
  minReplicas: {{ app.replicas }}
  maxReplicas: {{ app.replicas * 3 }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
{% endfor %}
""",
    "services.yaml.j2": """\
{% for app in components if app.namespace == ns %}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ app.name }}
  namespace: {{ ns }}
  labels: {{ {"app.kubernetes.io/name": app.name} }}
spec:
  selector: {{ {"app.kubernetes.io/name": app.name, "app.kubernetes.io/part-of": platform.name} }}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ app.name }}
  namespace: {{ ns }}
spec:
  ingressClassName: nginx
  tls:
    - hosts: [{{ app.name ~ "." ~ platform.domain }}]
      secretName: wildcard-tls
  rules:
    - host: {{ app.name ~ "." ~ platform.domain }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ app.name }}
                port:
                  name: http
{% endfor %}
""",
    "policies.yaml.j2": """\
---
apiVersion: v1
kind: Namespace
metadata:
  name: {{ ns }}
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: {{ ns }}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
{% for app in components if app.namespace == ns %}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ app.name }}
  namespace: {{ ns }}
spec:
  podSelector:
    matchLabels: {{ {"app.kubernetes.io/name": app.name} }}
  policyTypes: [Ingress, Egress]
  ingress:
    - ports:
        - port: http
  egress:
    - ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
{% for target in app.get("calls", []) %}
    - to:
        - podSelector:
            matchLabels: {{ {"app.kubernetes.io/name": target} }}
{% endfor %}
{% endfor %}
""",
}

OVERLAY_TRANSFORMS = """\
namePrefix: bench-
commonLabels:
  app.kubernetes.io/managed-by: cmgen-bench
images:
  - name: registry.example.com/app
    newName: mirror.example.com/app
    newTag: "2.0.0"
patches:
  - target:
      kind: Deployment
    patch: |-
      - op: add
        path: /spec/template/metadata/annotations
        value:
          example.com/scraped: "true"
"""


def components_for(resources: int, namespaces: int) -> int:
    """How many components make about ``resources`` objects over ``namespaces``."""
    return max(1, math.ceil((resources - PER_NAMESPACE * namespaces) / PER_COMPONENT))


def resource_count(components: int, namespaces: int) -> int:
    return components * PER_COMPONENT + namespaces * PER_NAMESPACE


def namespaces_for(resources: int) -> int:
    """About 100 components per namespace, at least 3 namespaces (CloudMart has 3)."""
    return max(3, round(resources / (PER_COMPONENT * 100)))


def _values(components: int, namespaces: int, prefix: str) -> str:
    names = [f"ns-{index:03d}" for index in range(namespaces)]
    lines = [
        f"platform: {{name: synth, environment: base, domain: synth.example.com, callPrefix: '{prefix}'}}",
        "namespaces:",
        *(f"  - name: {name}" for name in names),
        "components:",
    ]
    for index in range(components):
        namespace = names[index % namespaces]
        name = f"app-{index:05d}"
        lines += [
            f"  - name: {name}",
            f"    namespace: {namespace}",
            f"    image: registry.example.com/app:1.{index % 20}.0",
            f"    port: {8000 + index % 1000}",
            f"    replicas: {1 + index % 3}",
            f"    env: {{FEATURE_{index % 7}: \"on\", SHARD: \"{index % 16}\"}}",
        ]
        # Two calls to earlier components of the same namespace, if there are any.
        calls = [f"app-{other:05d}" for other in (index - namespaces, index - 2 * namespaces) if other >= 0]
        if calls:
            lines.append(f"    calls: [{', '.join(calls)}]")
    return "\n".join(lines) + "\n"


def generate(root: Path, components: int, namespaces: int, overlay: bool = False) -> int:
    """Write the project into ``root`` (created); returns how many objects it renders."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "cmgen.yaml").write_text(CMGEN_YAML)
    values = root / "values"
    values.mkdir(exist_ok=True)
    (values / "values.schema.json").write_text(json.dumps(SCHEMA, indent=2) + "\n")
    # Env vars name Services by DNS; Kustomize's namePrefix does not rewrite them.
    prefix = "bench-" if overlay else ""
    (values / "base.yaml").write_text(_values(components, namespaces, prefix))
    (values / f"{ENV}.yaml").write_text("platform: {environment: bench}\n")
    partials = root / "templates" / "_partials"
    partials.mkdir(parents=True, exist_ok=True)
    for name, text in PARTIALS.items():
        (partials / name).write_text(text)
    for index in range(namespaces):
        folder = root / "templates" / f"ns-{index:03d}"
        folder.mkdir(exist_ok=True)
        for concern in CONCERNS:
            (folder / f"{concern}.yaml.j2").write_text(
                f'{{% set ns = "ns-{index:03d}" %}}\n{{% include "_partials/{concern}.yaml.j2" %}}\n'
            )
    if overlay:
        folder = root / "overlays" / ENV
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "kustomization.yaml").write_text(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + OVERLAY_TRANSFORMS
        )
    return resource_count(components, namespaces)


def kustomize_tree(base_tree: Path, root: Path) -> Path:
    """``root/base`` (the rendered base files plus a kustomization listing them) and
    ``root/overlay`` (the same transforms as cmgen's overlay); returns the overlay folder."""
    base = root / "base"
    files = sorted(path for path in base_tree.rglob("*.yaml"))
    base.mkdir(parents=True)
    names = []
    for path in files:
        name = path.relative_to(base_tree).as_posix().replace("/", "-")
        (base / name).write_bytes(path.read_bytes())
        names.append(name)
    listing = "".join(f"  - {name}\n" for name in names)
    (base / "kustomization.yaml").write_text(f"resources:\n{listing}")
    overlay = root / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources:\n  - ../base\n" + OVERLAY_TRANSFORMS
    )
    return overlay


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--resources", type=int, default=10_000, help="about this many objects")
    parser.add_argument("--namespaces", type=int, help="default: ~100 components per namespace")
    parser.add_argument("--overlay", action="store_true", help="add overlays/bench/")
    args = parser.parse_args()
    namespaces = args.namespaces or namespaces_for(args.resources)
    count = generate(args.root, components_for(args.resources, namespaces), namespaces, args.overlay)
    print(f"{args.root}: {count} objects in env {ENV}")


if __name__ == "__main__":
    main()
