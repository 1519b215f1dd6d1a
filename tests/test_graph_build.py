"""The platform graph is built from rendered objects: Services find their workloads by
selector, env vars become calls, claims add up with quantity arithmetic."""

from __future__ import annotations

from generator import graph, pipeline
from generator.graph import format_bytes
from generator.manifests import from_text
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of


def test_every_service_has_its_backing_workload(minikube_build: Build, repo_project: Project) -> None:
    platform = graph_of(minikube_build, repo_project)
    services = {s.key: s for s in platform.services}
    assert len(services) == 14
    assert services["backend/user-service"].backends == ("backend/user-service",)
    assert services["data/postgres-user-headless"].headless
    assert services["data/postgres-user-headless"].backends == ("data/postgres-user",)
    assert all(service.backends for service in platform.services)


def test_env_vars_holding_service_dns_names_become_calls(minikube_build: Build, repo_project: Project) -> None:
    platform = graph_of(minikube_build, repo_project)
    calls = {(e.source, e.service, e.port, e.http) for e in platform.edges}
    assert ("backend/user-service", "data/postgres-user-service", 5432, False) in calls
    assert ("frontend/web-frontend", "backend/user-service", 8080, True) in calls
    assert len(platform.edges) == 12


def test_claims_total_with_quantity_arithmetic(minikube_build: Build, repo_project: Project) -> None:
    platform = graph_of(minikube_build, repo_project)
    assert format_bytes(platform.requested_bytes) == "50Gi"
    claims = {c.name: c for c in platform.claims}
    assert claims["postgres-order-logs"].mounted_by == ("data/postgres-order",)
    assert claims["postgres-user-data"].storage_class == "fast-ssd"


def test_format_bytes_uses_the_largest_exact_suffix() -> None:
    assert format_bytes(50 * 2**30) == "50Gi"
    assert format_bytes(2**30 + 500 * 2**20) == "1524Mi"
    assert format_bytes(1500 * 10**6) == "1500M"
    assert format_bytes(7) == "7"


def test_tiers_run_from_the_ingress_to_the_data(minikube_build: Build, repo_project: Project) -> None:
    assert graph_of(minikube_build, repo_project).tiers() == [["frontend"], ["backend"], ["data"]]


def test_files_are_relative_to_the_tree(minikube_build: Build, repo_project: Project) -> None:
    files = graph_of(minikube_build, repo_project).files
    assert files["k8s-manifests/storage/storage-classes.yaml"] == ("StorageClass",)


SMALL = """\
apiVersion: v1
kind: Service
metadata: {name: lonely, namespace: shop}
spec:
  selector: {app: nobody}
  ports: [{port: 80, targetPort: web}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: db:1
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        storageClassName: fast
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1536Mi}}
"""


def test_claim_templates_count_once_per_replica_and_orphan_services_have_no_backend() -> None:
    platform = graph.build(from_text(SMALL, "small.yaml"))
    assert [c.name for c in platform.claims] == ["data-db-0", "data-db-1"]
    assert all(c.template and c.mounted_by == ("shop/db",) for c in platform.claims)
    assert format_bytes(platform.requested_bytes) == "3Gi"
    assert platform.service("shop/lonely") is not None
    assert platform.service("shop/lonely").backends == ()  # type: ignore[union-attr]
    assert platform.policies is None


def test_a_workload_scaled_by_an_hpa_shows_its_range(repo_project: Project) -> None:
    build = pipeline.build(repo_project, "prod", pipeline.Options(docs=False))
    platform = graph.build(build.manifests)
    [user] = [w for w in platform.workloads if w.name == "user-service"]
    assert "replicas" not in [m for m in build.manifests if m.name == "user-service" and m.kind == "Deployment"][0].data["spec"]
    assert user.autoscaled == (3, 9) and user.replicas == 3 and user.scale == "×3–9 (HPA)"
    [db] = [w for w in platform.workloads if w.name == "postgres-user"]
    assert db.autoscaled is None and db.scale == "×1"


def test_tiers_run_from_the_ingress_and_unreached_namespaces_come_last(repo_project: Project) -> None:
    build = pipeline.build(repo_project, "prod", pipeline.Options(docs=False))
    tiers = graph.build(build.manifests).tiers()
    assert tiers[:3] == [["frontend"], ["backend"], ["data"]]
    assert "logging" in tiers[3]  # Fluent Bit: no request reaches it


JOBS = """\
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: db:1, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: dumps, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: shop}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec:
          restartPolicy: OnFailure
          containers:
            - name: dump
              image: db:1
              env: [{name: DB_HOST, value: db.shop.svc.cluster.local}]
              volumeMounts: [{name: out, mountPath: /out}]
          volumes: [{name: out, persistentVolumeClaim: {claimName: dumps}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    metadata: {labels: {app: migrate}}
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: db:1
          env: [{name: DB_URL, value: "postgres://db.shop.svc:5432/app"}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-backup, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: backup}}}], ports: [{port: 5432}]}]
"""


def test_job_and_cronjob_pod_templates_count_for_mounts_calls_and_policies() -> None:
    platform = graph.build(from_text(JOBS, "jobs.yaml"))
    assert platform.claims[0].mounted_by == ("shop/backup",)
    assert {(e.source, e.service) for e in platform.edges} == {("shop/backup", "shop/db"), ("shop/migrate", "shop/db")}
    assert platform.policies is not None
    allowed = {(a.source, a.target) for a in platform.policies.allows}
    assert ("shop/backup", "shop/db") in allowed and ("shop/migrate", "shop/db") not in allowed
