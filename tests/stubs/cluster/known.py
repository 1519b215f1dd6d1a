"""What the empty-cluster double knows of Kubernetes and of the real installs: the built-in
API groups and cluster-scoped kinds, and what each chart, minikube addon, istioctl install
and kustomization creates (written down from their docs, independent of cmgen's data)."""

from __future__ import annotations

from typing import Any

BUILTIN_GROUPS = {
    "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "storage.k8s.io",
    "rbac.authorization.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io",
    "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io",
    "certificates.k8s.io", "events.k8s.io",
}  # fmt: skip
CLUSTER_SCOPED = {
    "Namespace", "StorageClass", "IngressClass", "PersistentVolume", "ClusterRole",
    "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "CSIDriver",
}  # fmt: skip
MOUNTING = {"Pod": (), "Deployment": ("spec", "template"), "StatefulSet": ("spec", "template"),
            "DaemonSet": ("spec", "template"), "Job": ("spec", "template")}
FINALIZER = "resources-finalizer.argocd.argoproj.io"


def _crd(name: str, kind: str, scope: str = "Namespaced") -> dict[str, str]:
    return {"name": name, "group": name.partition(".")[2], "kind": kind, "scope": scope}


SNAPSHOT_CRDS = [_crd("volumesnapshots.snapshot.storage.k8s.io", "VolumeSnapshot"),
                 _crd("volumesnapshotclasses.snapshot.storage.k8s.io", "VolumeSnapshotClass", "Cluster"),
                 _crd("volumesnapshotcontents.snapshot.storage.k8s.io", "VolumeSnapshotContent", "Cluster")]
# What each real install creates: CRDs, namespaces, IngressClasses, Deployments and Secrets (ns/name).
KNOWN_INSTALLS: dict[str, dict[str, Any]] = {
    "helm:ingress-nginx": {"ingressclasses": ["nginx"], "deployments": ["{ns}/{release}-controller"]},
    "helm:cert-manager": {"crds": [_crd("certificates.cert-manager.io", "Certificate"),
                                   _crd("issuers.cert-manager.io", "Issuer"),
                                   _crd("clusterissuers.cert-manager.io", "ClusterIssuer", "Cluster")],
                          "needs_values": {"crds": {"enabled": True}}},
    "helm:kube-prometheus-stack": {"crds": [_crd("servicemonitors.monitoring.coreos.com", "ServiceMonitor"),
                                            _crd("podmonitors.monitoring.coreos.com", "PodMonitor"),
                                            _crd("prometheusrules.monitoring.coreos.com", "PrometheusRule")]},
    "helm:argo-cd": {"crds": [_crd("applications.argoproj.io", "Application"),
                              _crd("appprojects.argoproj.io", "AppProject")]},
    "helm:opentelemetry-collector": {},
    # elastic/helm-charts v8.5.1, elasticsearch/templates/secret.yaml and secret-cert.yaml:
    # "{uname}-credentials" (username, password) and "{uname}-certs" (tls.crt, tls.key,
    # ca.crt), uname = clusterName-nodeGroup = elasticsearch-master by default.
    "helm:elasticsearch": {"secrets": ["{ns}/elasticsearch-master-credentials", "{ns}/elasticsearch-master-certs"]},
    "istioctl:install": {"namespaces": ["istio-system"], "deployments": ["istio-system/istiod"],
                         "crds": [_crd("virtualservices.networking.istio.io", "VirtualService"),
                                  _crd("destinationrules.networking.istio.io", "DestinationRule"),
                                  _crd("peerauthentications.security.istio.io", "PeerAuthentication")]},
    "minikube:ingress": {"namespaces": ["ingress-nginx"], "ingressclasses": ["nginx"],
                         "deployments": ["ingress-nginx/ingress-nginx-controller"]},
    "minikube:volumesnapshots": {"crds": SNAPSHOT_CRDS, "deployments": ["kube-system/snapshot-controller"]},
    "minikube:csi-hostpath-driver": {},
    "kustomize:external-snapshotter/client/config/crd": {"crds": SNAPSHOT_CRDS},
    "kustomize:external-snapshotter/deploy/kubernetes/snapshot-controller": {
        "deployments": ["kube-system/snapshot-controller"]},
}
ISTIOCTL_VERSION = "1.30.3"  # the istioctl on PATH: the pinned one (written by hand)
