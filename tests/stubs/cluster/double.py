"""A test double of an empty Kubernetes cluster, behind stand-ins for kubectl, helm, istioctl
and minikube (the shell wrappers next to this file) that share one state file ($STUB_STATE).
There is no cluster here; this double models only what the deploy scripts depend on:

- only built-in kinds are served at first; a custom kind is served once its CRD is applied,
  or once an install that ships the CRD runs (known.py: what the real charts, addons and
  istioctl create, written down from their docs, independent of cmgen's data);
- an object can be applied only into a namespace that exists;
- an apply or delete of a kind the cluster does not serve fails as kubectl does ("no
  matches for kind"), after applying the file's other objects;
- a WaitForFirstConsumer claim is Bound only once an applied pod template mounts it (a
  Deployment's, StatefulSet's, DaemonSet's or Job's: a CronJob's pods do not exist yet);
- deleting an Argo CD Application that still carries the resources finalizer cascades:
  every object it synced (everything applied) is deleted, claims included.

Nothing sleeps or polls: a wait either holds now or fails at once. Every call is appended to
$STUB_LOG. The whole state is JSON ($STUB_STATE), so tests can read and edit it.

The stand-ins are bash scripts that hand each call to ``tests.stubs.server.serve(serve_call,
FIELDS)``, a server on loopback (port $STUB_PORT) in the test process."""

from __future__ import annotations

import json
import os
from typing import Any

import yaml

from tests.stubs.cluster.known import (
    BUILTIN_GROUPS,
    CLUSTER_SCOPED,
    FINALIZER,
    ISTIOCTL_VERSION,
    KNOWN_INSTALLS,
    MOUNTING,
    SNAPSHOT_CRDS,
)


class Failure(Exception):
    pass


class Call:
    """One call: the caller's environment and stdin, and what it prints."""

    def __init__(self, environ: dict[str, str], stdin: str) -> None:
        self.environ = environ
        self.stdin = stdin
        self.out: list[str] = []


CALL = Call({}, "")  # the call being handled (the server handles one at a time)


def echo(text: str, end: str = "\n") -> None:
    CALL.out.append(text + end)


def load() -> dict[str, Any]:
    if os.path.exists(CALL.environ["STUB_STATE"]):
        with open(CALL.environ["STUB_STATE"]) as handle:
            state: dict[str, Any] = json.load(handle)
        return state
    # An empty cluster of kind $STUB_CLUSTER: GKE serves the VolumeSnapshot CRDs from the start.
    crds = SNAPSHOT_CRDS if CALL.environ.get("STUB_CLUSTER") == "gke" else []
    return {"crds": list(crds), "namespaces": ["default", "kube-system", "kube-public", "kube-node-lease"],
            "ingressclasses": [], "deployments": [], "objects": {}, "installs": [], "secrets": []}


def save(state: dict[str, Any]) -> None:
    with open(CALL.environ["STUB_STATE"], "w") as handle:
        json.dump(state, handle)


def install(state: dict[str, Any], key: str, namespace: str = "", release: str = "") -> None:
    known = KNOWN_INSTALLS.get(key)
    if known is None:
        raise Failure(f"the double knows no install {key}")
    state["installs"].append(key)
    for crd in known.get("crds", []):
        if crd not in state["crds"]:
            state["crds"].append(crd)
    for name in known.get("namespaces", []):
        if name not in state["namespaces"]:
            state["namespaces"].append(name)
    state["ingressclasses"].extend(known.get("ingressclasses", []))
    state["deployments"].extend(d.format(ns=namespace, release=release) for d in known.get("deployments", []))
    state["secrets"].extend(s.format(ns=namespace, release=release) for s in known.get("secrets", []))


# --- kubectl -----------------------------------------------------------------------------


def _served(state: dict[str, Any], api_version: str, kind: str) -> dict[str, str] | None:
    group = api_version.rpartition("/")[0]
    if group in BUILTIN_GROUPS:
        return {"scope": "Cluster" if kind in CLUSTER_SCOPED else "Namespaced"}
    return next((c for c in state["crds"] if c["group"] == group and c["kind"] == kind), None)


def _key(data: dict[str, Any], scope: str) -> str:
    metadata = data.get("metadata") or {}
    namespace = "" if scope == "Cluster" else metadata.get("namespace") or "default"
    return f"{data['kind']}/{namespace}/{metadata.get('name')}"


def _documents(path: str) -> list[dict[str, Any]]:
    with open(os.path.join(CALL.environ["PWD"], path)) as handle:
        # libyaml's safe loader (PyYAML's C binding): the same documents as safe_load_all, faster
        return [doc for doc in yaml.load_all(handle, Loader=yaml.CSafeLoader) if isinstance(doc, dict)]


def _no_match(path: str, data: dict[str, Any]) -> str:
    metadata = data.get("metadata") or {}
    return (f'error: resource mapping not found for name: "{metadata.get("name")}" namespace: '
            f'"{metadata.get("namespace", "")}" from "{path}": no matches for kind "{data["kind"]}" in version '
            f'"{data["apiVersion"]}"\nensure CRDs are installed first')


def apply(state: dict[str, Any], path: str) -> None:
    errors = []
    for data in _documents(path):
        served = _served(state, data["apiVersion"], data["kind"])
        if served is None:
            errors.append(_no_match(path, data))
            continue
        namespace = (data.get("metadata") or {}).get("namespace") or "default"
        if served["scope"] == "Namespaced" and namespace not in state["namespaces"]:
            errors.append(f'Error from server (NotFound): error when creating "{path}": namespaces "{namespace}" not found')
            continue
        key = _key(data, served["scope"])
        state["objects"][key] = _record(data)
        name = data["metadata"]["name"]
        if data["kind"] == "Namespace" and name not in state["namespaces"]:
            state["namespaces"].append(name)
        if data["kind"] == "IngressClass":
            state["ingressclasses"].append(name)
        if data["kind"] == "CustomResourceDefinition":
            spec = data["spec"]
            state["crds"].append({"name": name, "group": spec["group"], "kind": spec["names"]["kind"],
                                  "scope": spec["scope"]})
        echo(f"{data['kind'].lower()}/{name} configured")
    if errors:
        raise Failure("\n".join(errors))


def delete_file(state: dict[str, Any], path: str) -> None:
    errors = []
    for data in _documents(path):
        served = _served(state, data["apiVersion"], data["kind"])
        if served is None:
            errors.append(_no_match(path, data))
            continue
        state["objects"].pop(_key(data, served["scope"]), None)
    if errors:
        raise Failure("\n".join(errors))


def _dig(data: Any, *path: str) -> Any:
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return data


def _record(data: dict[str, Any]) -> dict[str, Any]:
    """What the double remembers of an applied object (the state stays small)."""
    kind = data["kind"]
    record: dict[str, Any] = {"finalizers": _dig(data, "metadata", "finalizers") or []}
    if kind in MOUNTING:
        volumes = _dig(data, *MOUNTING[kind], "spec", "volumes") or []
        record["claims"] = [_dig(v, "persistentVolumeClaim", "claimName") for v in volumes
                            if _dig(v, "persistentVolumeClaim", "claimName")]
    if kind == "PersistentVolumeClaim":
        record["storageClass"] = _dig(data, "spec", "storageClassName")
    if kind == "StorageClass":
        record["bindingMode"] = data.get("volumeBindingMode", "Immediate")
    return record


def bound(state: dict[str, Any], namespace: str, claim: str) -> bool:
    data = state["objects"].get(f"PersistentVolumeClaim/{namespace}/{claim}")
    if data is None:
        return False
    storage = state["objects"].get(f"StorageClass//{data['storageClass']}")
    if storage is not None and storage["bindingMode"] != "WaitForFirstConsumer":
        return True
    for key, pod in state["objects"].items():
        kind, pod_namespace, _ = key.split("/", 2)
        if kind in MOUNTING and pod_namespace == namespace:
            if claim in pod["claims"]:
                return True
    return False


RESOURCES = {"crd": "crds", "namespace": "namespaces", "ingressclass": "ingressclasses"}
KINDS = {"application": "Application", "storageclass": "StorageClass", "pvc": "PersistentVolumeClaim",
         "deployment": "Deployment", "statefulset": "StatefulSet", "daemonset": "DaemonSet"}


def exists(state: dict[str, Any], resource: str, namespace: str, name: str) -> bool:
    if resource == "crd":
        return any(c["name"] == name for c in state["crds"])
    if resource in RESOURCES:
        return name in state[RESOURCES[resource]]
    if resource == "secret":
        return f"{namespace}/{name}" in state["secrets"]
    if resource == "deployment" and f"{namespace}/{name}" in state["deployments"]:
        return True
    scope = "" if resource == "storageclass" else namespace
    return f"{KINDS[resource]}/{scope}/{name}" in state["objects"]


def kubectl(state: dict[str, Any], args: list[str]) -> None:
    namespace = args[args.index("-n") + 1] if "-n" in args else "default"
    words = [a for i, a in enumerate(args) if a != "-n" and (i == 0 or args[i - 1] != "-n")]
    verb = words[0]
    if verb == "apply" and "-k" in words:
        url = words[words.index("-k") + 1]
        install(state, "kustomize:" + next(k.partition(":")[2] for k in KNOWN_INSTALLS if k.partition(":")[2] in url))
    elif verb == "apply":
        apply(state, words[words.index("-f") + 1])
    elif verb == "delete" and "-f" in words:
        delete_file(state, words[words.index("-f") + 1])
    elif verb == "delete" and words[1] == "application":
        key = f"Application/{namespace}/{words[2]}"
        app = state["objects"].pop(key, None)
        if app is not None and FINALIZER in app["finalizers"]:
            state["cascaded"] = sorted(state["objects"])  # Argo CD deletes what it synced
            state["objects"] = {}
    elif verb == "delete" and words[1] in ("pvc", "namespace"):
        kind = KINDS.get(words[1], "Namespace")
        state["objects"].pop(f"{kind}/{namespace if kind != 'Namespace' else ''}/{words[2]}", None)
        if kind == "Namespace" and words[2] in state["namespaces"]:
            state["namespaces"].remove(words[2])
    elif verb == "patch" and words[1] == "application":
        app = state["objects"].get(f"Application/{namespace}/{words[2]}")
        if app is None:
            raise Failure(f'Error from server (NotFound): applications.argoproj.io "{words[2]}" not found')
        if '"finalizers":null' in words[words.index("-p") + 1]:
            app["finalizers"] = []
    elif verb == "get":
        if words[1] == "application" and not any(c["kind"] == "Application" for c in state["crds"]):
            raise Failure('error: the server doesn\'t have a resource type "application"')
        if not exists(state, words[1], namespace, words[2]):
            raise Failure(f'Error from server (NotFound): {words[1]} "{words[2]}" not found')
        if words[1] == "secret" and "-o" in words:
            echo("c3RvcmVkLXNlY3JldA==", end="")
    elif verb == "create" and words[1] == "secret":
        state["secrets"].append(f"{namespace}/{words[3]}")
    elif verb == "rollout":
        resource, _, name = words[2].partition("/")
        if not exists(state, resource, namespace, name):
            raise Failure(f'Error from server (NotFound): {resource}s.apps "{name}" not found')
    elif verb == "wait":
        resource, _, name = next(w for w in words[1:] if "/" in w and not w.startswith("--")).partition("/")
        if resource == "crd" and exists(state, "crd", "", name):
            return
        if resource == "pvc" and bound(state, namespace, name):
            return
        raise Failure(f"error: timed out waiting for the condition on {resource}/{name}")
    else:
        raise Failure(f"the double does not model: kubectl {' '.join(args)}")


# --- helm, istioctl, minikube ---------------------------------------------------------------


def helm(state: dict[str, Any], args: list[str]) -> None:
    if args[:2] != ["upgrade", "--install"] or "--version" not in args:
        raise Failure("the double models only pinned `helm upgrade --install ... --version V`")
    release, chart = args[2], args[3]
    namespace = args[args.index("--namespace") + 1]
    values = json.loads(CALL.stdin or "{}") if args[-2:] == ["-f", "-"] else {}
    known = KNOWN_INSTALLS.get(f"helm:{chart}")
    if known is None:
        raise Failure(f"Error: chart {chart!r} not found in {args[args.index('--repo') + 1]}")
    for key, wanted in known.get("needs_values", {}).items():
        if values.get(key) != wanted:
            raise Failure(f"the chart {chart} installs its CRDs only with {key}={wanted}")
    if namespace not in state["namespaces"]:
        if "--create-namespace" not in args:
            raise Failure(f'Error: create: failed to create: namespaces "{namespace}" not found')
        state["namespaces"].append(namespace)
    install(state, f"helm:{chart}", namespace, release)


def istioctl(state: dict[str, Any], args: list[str]) -> None:
    if args[0] == "version":
        echo(CALL.environ.get("STUB_ISTIOCTL_VERSION") or ISTIOCTL_VERSION)
    elif args[0] == "install":
        if "-y" not in args and "--skip-confirmation" not in args:
            echo("This will install the Istio profile into the cluster. Proceed? (y/N) Cancelled.")
            raise Failure("")
        install(state, "istioctl:install")
    else:
        raise Failure(f"the double does not model: istioctl {' '.join(args)}")


def minikube(state: dict[str, Any], args: list[str]) -> None:
    if args[0] == "ip":
        echo("192.0.2.10")
    elif args[:2] == ["addons", "enable"]:
        install(state, f"minikube:{args[2]}")
    else:
        raise Failure(f"the double does not model: minikube {' '.join(args)}")


TOOLS = {"kubectl": kubectl, "helm": helm, "istioctl": istioctl, "minikube": minikube}


def handle(call: Call, tool: str, args: list[str]) -> tuple[int, str, str]:
    """Runs one call against the state: (exit code, stdout, stderr)."""
    global CALL
    CALL = call
    with open(call.environ["STUB_LOG"], "a") as log:
        log.write(" ".join([tool, *args]) + "\n")
    state = load()
    try:
        TOOLS[tool](state, args)
    except Failure as failure:
        save(state)
        return 1, "".join(call.out), f"{failure}\n" if str(failure) else ""
    save(state)
    return 0, "".join(call.out), ""


# What the stand-ins send (tests/stubs/cluster/kubectl): the server hands them to serve_call.
FIELDS = ("PWD", "STUB_STATE", "STUB_LOG", "STUB_CLUSTER", "STUB_ISTIOCTL_VERSION")


def serve_call(environ: dict[str, str], stdin: str, tool: str, args: list[str]) -> tuple[int, str, str]:
    return handle(Call(environ, stdin), tool, args)
