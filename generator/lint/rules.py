"""The one table of lint rules: id, severity, what it checks, the fix, the check.

Ids are stable (they appear in output, SARIF and ``cmgen.io/lint-skip.<id>`` annotations).
Severity ``error`` is for what a cluster rejects or what breaks traffic or storage;
``warning`` is hardening and best practice. ``checkov`` lists the checkov ids whose
``checkov.io/skipN`` annotations also skip the rule (only where the checks correspond).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.lint import (
    configrefs,
    containers,
    dns,
    ingress,
    objects,
    reliability,
    security,
    selectors,
    services,
    suppress,
    volumes,
)
from generator.lint.index import Index
from generator.lint.registry import Hit, Rule


def _skip_reason(index: Index) -> Iterator[Hit]:
    return suppress.reasonless(index, BY_ID)


def _skip_unknown(index: Index) -> Iterator[Hit]:
    return suppress.unknown(index, BY_ID)


# fmt: off
RULES: tuple[Rule, ...] = (
    # --- references between objects -----------------------------------------------------
    Rule("service-selector", "error", "Service selector matches pod templates in its namespace",
         "set spec.selector to the pod template labels of the workload it serves",
         services.service_selector),
    Rule("service-target-port", "error", "targetPort is a containerPort or port name of its pods",
         "set targetPort to a containerPort (or port name) the selected pods declare",
         services.service_target_port),
    Rule("statefulset-service", "error", "serviceName is a headless Service selecting the pods",
         "point serviceName at a Service with clusterIP: None whose selector matches the pods",
         services.statefulset_service),
    Rule("ingress-backend-service", "error", "Ingress backend Service exists in its namespace",
         "create the Service in the Ingress's namespace or move the Ingress next to it",
         ingress.ingress_backend_service),
    Rule("ingress-backend-port", "error", "Ingress backend port exists on the Service",
         "use a port number or port name that the backend Service declares",
         ingress.ingress_backend_port),
    Rule("pvc-storage-class", "error", "PVC storageClassName is a StorageClass of the set",
         "use a storageClassName defined in the set (or omit it for the default class)",
         volumes.pvc_storage_class),
    Rule("volume-claim", "error", "persistentVolumeClaim volumes name a PVC of the set",
         "create the PersistentVolumeClaim in the pod's namespace or fix claimName",
         volumes.volume_claim),
    Rule("volume-mount", "error", "volumeMounts name a volume of the pod",
         "add the volume to spec.volumes (or volumeClaimTemplates) or fix the mount's name",
         volumes.volume_mount),
    Rule("pvc-unused", "warning", "every PVC is mounted by some pod template",
         "mount the claim in a workload or delete it",
         volumes.pvc_unused),
    Rule("pvc-reclaim-delete", "warning", "StatefulSet data is not on a reclaimPolicy Delete class",
         "use a StorageClass with reclaimPolicy: Retain for database volumes",
         volumes.pvc_reclaim_delete),
    Rule("config-ref", "error", "ConfigMap/Secret references (volumes, envFrom, valueFrom) exist",
         "add the ConfigMap/Secret (and key) to the set, or mark the reference optional: true",
         configrefs.config_ref),
    Rule("service-account-ref", "error", "serviceAccountName names a ServiceAccount of the set",
         "add the ServiceAccount to the set or fix serviceAccountName",
         configrefs.service_account_ref),
    Rule("env-dns", "error", "cluster DNS names in env values resolve to Services and ports",
         "name a Service of the set (<svc>.<ns>.svc.cluster.local) and one of its ports",
         dns.env_dns),
    Rule("hpa-target", "error", "HorizontalPodAutoscaler scaleTargetRef exists",
         "point scaleTargetRef at a workload in the HPA's namespace",
         selectors.hpa_target),
    Rule("pdb-selector", "warning", "PodDisruptionBudget selector matches pods",
         "set spec.selector.matchLabels to the labels of the workload's pods",
         selectors.pdb_selector),
    Rule("netpol-selector", "warning", "NetworkPolicy podSelector matches pods",
         "set spec.podSelector.matchLabels to the labels of the pods it should guard",
         selectors.netpol_selector),
    Rule("namespace-missing", "error", "namespaces used are created by the set (if it creates any)",
         "add a Namespace object for it or fix metadata.namespace",
         objects.namespace_missing),
    # --- what the API server rejects although the schema allows it -----------------------
    Rule("name-syntax", "error", "object, container and volume names follow DNS-1123/1035 rules",
         "use lowercase letters, digits and '-' (Services must start with a letter)",
         objects.name_syntax),
    Rule("label-syntax", "error", "label keys/values and annotation keys are valid",
         "use [prefix/]name keys and values of at most 63 alphanumerics, '-', '_', '.'",
         objects.label_syntax),
    Rule("selector-mismatch", "error", "workload selector matches its pod template labels",
         "make spec.selector.matchLabels a subset of spec.template.metadata.labels",
         selectors.selector_mismatch),
    Rule("port-name", "error", "port names are IANA names (<= 15 chars); Services name every port",
         "use at most 15 lowercase letters, digits and single '-', with at least one letter",
         containers.port_name),
    Rule("port-duplicate", "error", "no duplicate containerPort/protocol or port names",
         "declare each port once per container and each port name once per pod",
         containers.port_duplicate),
    Rule("env-duplicate", "error", "no env var set twice in a container",
         "remove the duplicate env entry",
         containers.env_duplicate),
    Rule("quantity-syntax", "error", "resource quantities parse (500m, 128Mi, 1)",
         "write quantities like 250m, 1, 128Mi or 10Gi",
         containers.quantity_syntax),
    Rule("requests-exceed-limits", "error", "resource requests are not above limits",
         "lower the request or raise the limit",
         containers.requests_exceed_limits),
    Rule("duplicate-object", "error", "no two objects share group, kind, namespace and name",
         "rename or remove one of the duplicates",
         objects.duplicate_object),
    # --- ingress-nginx pitfalls -------------------------------------------------------------
    Rule("nginx-rewrite-target", "warning", "rewrite-target without capture groups on prefix paths",
         "use path: /x(/|$)(.*) with pathType ImplementationSpecific and rewrite-target: /$2",
         ingress.nginx_rewrite_target),
    Rule("nginx-ssl-redirect", "warning", "ssl-redirect is not disabled",
         "remove nginx.ingress.kubernetes.io/ssl-redirect: \"false\" and add spec.tls",
         ingress.nginx_ssl_redirect),
    Rule("nginx-snippet", "error", "no *-snippet annotations (CVE-2021-25742)",
         "replace the snippet with a dedicated annotation or controller ConfigMap setting",
         ingress.nginx_snippet, ("CKV_K8S_153",)),
    Rule("ingress-tls", "warning", "Ingress terminates TLS",
         "add spec.tls with the hosts and a certificate Secret (e.g. from cert-manager)",
         ingress.ingress_tls),
    # --- hardening (HARDENING.md) -------------------------------------------------------------
    Rule("run-as-non-root", "warning", "pods run as non-root",
         "set spec.securityContext.runAsNonRoot: true",
         security.run_as_non_root, ("CKV_K8S_23",)),
    Rule("run-as-user", "warning", f"runAsUser and runAsGroup are set and >= {security.MIN_ID}",
         f"set spec.securityContext.runAsUser and runAsGroup to ids >= {security.MIN_ID}",
         security.run_as_user, ("CKV_K8S_40",)),
    Rule("privilege-escalation", "warning", "allowPrivilegeEscalation is false",
         "set securityContext.allowPrivilegeEscalation: false on every container",
         security.privilege_escalation, ("CKV_K8S_20",)),
    Rule("capabilities", "warning", "capabilities drop ALL and add at most NET_BIND_SERVICE",
         "set securityContext.capabilities.drop: [ALL] on every container",
         security.capabilities, ("CKV_K8S_37",)),
    Rule("seccomp", "warning", "seccompProfile is RuntimeDefault or Localhost",
         "set spec.securityContext.seccompProfile.type: RuntimeDefault",
         security.seccomp, ("CKV_K8S_31",)),
    Rule("read-only-root-fs", "warning", "root filesystems are read-only",
         "set securityContext.readOnlyRootFilesystem: true and mount emptyDir where it writes",
         security.read_only_root_fs, ("CKV_K8S_22",)),
    Rule("host-access", "warning", "no privileged, host namespaces, hostPort or hostPath",
         "remove privileged, hostNetwork/hostPID/hostIPC, hostPort and hostPath volumes",
         security.host_access),
    Rule("automount-token", "warning", "service account tokens are not mounted",
         "set spec.automountServiceAccountToken: false",
         security.automount_token, ("CKV_K8S_38",)),
    Rule("env-secret-literal", "warning", "no literal secrets in env values",
         "move the value to a Secret and use valueFrom.secretKeyRef or a mounted *_FILE",
         security.env_secret_literal),
    Rule("resources", "warning", "containers set cpu and memory requests and limits",
         "set resources.requests and resources.limits for cpu and memory",
         reliability.resources, ("CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13")),
    Rule("liveness-probe", "warning", "long-running containers have a livenessProbe",
         "add a livenessProbe (httpGet, tcpSocket or exec)",
         reliability.liveness_probe, ("CKV_K8S_8",)),
    Rule("readiness-probe", "warning", "long-running containers have a readinessProbe",
         "add a readinessProbe so Services only route to ready pods",
         reliability.readiness_probe, ("CKV_K8S_9",)),
    Rule("image-tag", "warning", "images have a tag other than latest (or a digest)",
         "pin the image to a version tag or an @sha256 digest",
         reliability.image_tag, ("CKV_K8S_14",)),
    Rule("network-policy", "warning", "NetworkPolicies cover every pod's ingress and egress",
         "add a NetworkPolicy with policyTypes [Ingress, Egress] selecting these pods",
         selectors.network_policy, ("CKV2_K8S_6",)),
    Rule("pdb-missing", "warning", "workloads with replicas > 1 have a PodDisruptionBudget",
         "add a PodDisruptionBudget with maxUnavailable: 1 selecting the pods",
         selectors.pdb_missing),
    # --- suppression ---------------------------------------------------------------------------
    Rule("lint-skip-reason", "error", "every skip annotation gives a reason",
         'write the reason as the value: cmgen.io/lint-skip.<rule>: "why this is acceptable"',
         _skip_reason),
    Rule("lint-skip-unknown", "warning", "skip annotations name existing rules",
         "use a rule id from `cmgen lint --rules`",
         _skip_unknown),
)
# fmt: on

UNSKIPPABLE = frozenset({"lint-skip-reason", "lint-skip-unknown"})
BY_ID = {rule.id: rule for rule in RULES}
