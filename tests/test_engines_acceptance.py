"""Issue 16 "Engines as a table": a new stateful engine is its values entry plus its partial.
A copy of CloudMart gets MySQL (engines.mysql and _partials/engines/mysql.yaml.j2) and an
orders database using it; nothing else changes, and prod (backups, monitoring, mesh,
NetworkPolicies on) renders it complete, valid and lint-clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator.errors import CmgenError
from generator.manifests import Manifest
from generator.project import Project
from tests.conftest import copy_repo_project

ENGINE = """\
engines:
  mysql:
    title: MySQL
    stateful: true
    portName: mysql
    credentials: {user: MYSQL_USER, database: MYSQL_DATABASE, passwordFile: MYSQL_PASSWORD_FILE}
    exporter: {image: "prom/mysqld-exporter:v0.17.2", port: 9104, args: ["--mysqld.address=127.0.0.1:3306"]}
    backup:
      extension: sql.gz
      unpack: gunzip
      restore: MYSQL_PWD="$(cat /run/secrets/db/password)" mysql -h 127.0.0.1 -u "$MYSQL_USER" "$MYSQL_DATABASE"
    check:
      client: mysql
      write: CREATE TABLE IF NOT EXISTS cmgen_persistence_check (token VARCHAR(64) PRIMARY KEY); INSERT INTO cmgen_persistence_check VALUES ('@TOKEN@')
      read: SELECT token FROM cmgen_persistence_check WHERE token = '@TOKEN@'
      delete: DELETE FROM cmgen_persistence_check WHERE token = '@TOKEN@'
      run: MYSQL_PWD="$(cat "$1")" mysql -h 127.0.0.1 -P "$4" -u "$2" -D "$3" -N -B -e "$5"
resources:
  mysql:
    requests: {cpu: 250m, memory: 512Mi, ephemeral-storage: 128Mi}
    limits: {cpu: "1", memory: 1Gi, ephemeral-storage: 512Mi}
"""

COMPONENT = """\
volumes:
  - {name: mysql-orders-data, namespace: data, storageClass: fast-ssd, size: 10Gi, purpose: MySQL orders DB data}
components:
  - name: mysql-orders
    namespace: data
    description: Orders archive (MySQL)
    engine: mysql
    image: mysql:8.4.5
    port: 3306
    service: {name: mysql-orders-service, port: 3306}
    replicas: 1
    database: {name: orders, user: cloudmart, secret: mysql-orders-credentials}
    storage: {data: mysql-orders-data}
  - name: order-service
    connects:
      - {to: postgres-order, env: DB}
      - {to: payment-service, env: PAYMENT_API}
      - {to: mysql-orders, env: ARCHIVE_DB}
"""

PARTIAL = """\
{# The mysql engine: the official image, its data on the PVC `c.storage.data`, the
   account's password read from a file of the Secret `c.database.secret`. #}
container:
  ports: [{name: {{ engine.portName }}, containerPort: {{ c.port }}, protocol: TCP}]
  args: []
  env:
    - {name: {{ engine.credentials.database }}, value: {{ c.database.name }}}
    - {name: {{ engine.credentials.user }}, value: {{ c.database.user }}}
    - {name: {{ engine.credentials.passwordFile }}, value: /run/secrets/db/password}
    - {name: MYSQL_ROOT_PASSWORD_FILE, value: /run/secrets/db/password}
  mounts:
    - {name: data, mountPath: /var/lib/mysql}
    - {name: run, mountPath: /var/run/mysqld}
    - {name: db-credentials, mountPath: /run/secrets/db, readOnly: true}
  volumes:
    - {name: data, persistentVolumeClaim: {claimName: {{ c.storage.data }}}}
    - {name: run, emptyDir: {sizeLimit: 16Mi}}
    - {name: db-credentials, secret: {secretName: {{ c.database.secret }}, defaultMode: 288}}
  secrets: [{{ c.database.secret }}]
  readiness: {exec: {command: [mysqladmin, ping, -h, 127.0.0.1]}, periodSeconds: 10, failureThreshold: 3}
  liveness: {tcpSocket: {port: {{ engine.portName }}}, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 3}
exporter:
  env: []
  mounts: []
backup: |
  set -euo pipefail
  export MYSQL_PWD="$(cat /run/secrets/db/password)"
  file="/backups/{{ c.name }}/$(date +%Y%m%d-%H%M%S).{{ engine.backup.extension }}"
  mkdir -p "/backups/{{ c.name }}"
  mysqldump -h {{ c.service.name ~ "." ~ c.namespace ~ ".svc.cluster.local" }} -P {{ c.service.port }} -u {{ c.database.user }} {{ c.database.name }} | gzip > "$file"
  find "/backups/{{ c.name }}" -name '*.{{ engine.backup.extension }}' -mtime +{{ backups.keepDays }} -delete
"""


def _project(tmp_path: Path, partial: bool = True) -> Project:
    copy_repo_project(tmp_path)
    (tmp_path / "mysql-engine.yaml").write_text(ENGINE)
    (tmp_path / "mysql-component.yaml").write_text(COMPONENT)
    if partial:
        (tmp_path / "templates" / "_partials" / "engines" / "mysql.yaml.j2").write_text(PARTIAL)
    return Project.load(tmp_path)


def _build(project: Project) -> pipeline.Build:
    files = (project.root / "mysql-engine.yaml", project.root / "mysql-component.yaml")
    return pipeline.build(project, "prod", pipeline.Options(values_files=files))


def _one(build: pipeline.Build, kind: str, name: str) -> Manifest:
    [found] = [m for m in build.manifests if m.kind == kind and m.name == name]
    return found


@pytest.fixture(scope="module")
def mysql_build(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Build:
    return _build(_project(tmp_path_factory.mktemp("mysql")))


def test_a_new_stateful_engine_renders_valid_and_lint_clean(mysql_build: pipeline.Build) -> None:
    assert not [f.text() for f in mysql_build.findings if f.severity != "info"]


def test_it_is_a_statefulset_with_its_headless_service_its_claim_and_its_backup(mysql_build: pipeline.Build) -> None:
    statefulset = _one(mysql_build, "StatefulSet", "mysql-orders")
    assert statefulset.data["spec"]["serviceName"] == "mysql-orders-headless"
    headless = _one(mysql_build, "Service", "mysql-orders-headless")
    assert headless.data["spec"]["clusterIP"] == "None"
    assert headless.data["spec"]["ports"][0]["targetPort"] == "mysql"
    claim = _one(mysql_build, "PersistentVolumeClaim", "mysql-orders-data")
    assert claim.data["spec"]["storageClassName"] == "fast-ssd"
    _one(mysql_build, "PersistentVolumeClaim", "mysql-orders-backups")
    cronjob = _one(mysql_build, "CronJob", "mysql-orders-backup")
    [container] = cronjob.data["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    script = container["command"][2]
    assert "mysqldump -h mysql-orders-service.data.svc.cluster.local -P 3306 -u cloudmart orders" in script
    assert "pg_dump" not in script and "mongodump" not in script
    assert container["image"] == "mysql:8.4.5"


def test_its_pod_is_built_from_the_partial_and_the_table(mysql_build: pipeline.Build) -> None:
    pod = _one(mysql_build, "StatefulSet", "mysql-orders").data["spec"]["template"]["spec"]
    main, exporter = pod["containers"]
    assert main["ports"] == [{"name": "mysql", "containerPort": 3306, "protocol": "TCP"}]
    assert {"name": "MYSQL_PASSWORD_FILE", "value": "/run/secrets/db/password"} in main["env"]
    assert exporter["image"] == "prom/mysqld-exporter:v0.17.2"
    assert exporter["ports"] == [{"name": "metrics", "containerPort": 9104, "protocol": "TCP"}]
    caller = _one(mysql_build, "Deployment", "order-service").data["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in caller["env"]}
    assert env["ARCHIVE_DB_HOST"] == "mysql-orders-service.data.svc.cluster.local"
    assert env["ARCHIVE_DB_PORT"] == "3306"
    assert env["ARCHIVE_DB_NAME"] == "orders"


def test_the_docs_check_its_data_with_its_own_client(mysql_build: pipeline.Build) -> None:
    script = mysql_build.files["scripts/test-connectivity.sh"].data.decode()
    assert "keeps_row mysql data statefulset/mysql-orders app=mysql-orders,track=stable mysql-orders /run/secrets/db/password cloudmart orders 3306" in script
    assert "mysql/write) text=" in script
    readme = mysql_build.files["README.md"].data.decode()
    assert "| mysql-orders (Orders archive (MySQL)) | data | StatefulSet |" in readme
    assert "cat /backups/mysql-orders/DUMP.sql.gz | gunzip" in readme
    report = mysql_build.files["docs/network-storage-analysis.md"].data.decode()
    assert "mysql-orders MySQL" in report


def test_without_its_partial_the_render_stops_at_a_located_line(tmp_path: Path) -> None:
    """At the first template that reads the engine's partial (in sorted order, the backups)."""
    with pytest.raises(CmgenError) as caught:
        _build(_project(tmp_path, partial=False))
    assert caught.value.message == "template not found: _partials/engines/mysql.yaml.j2"
    location = caught.value.location
    assert location.file is not None and location.line is not None
    line = (tmp_path / location.file).read_text().splitlines()[location.line - 1]
    assert 'partial("_partials/engines/" ~ c.engine ~ ".yaml.j2"' in line
