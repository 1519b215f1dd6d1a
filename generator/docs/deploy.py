"""What deploy-all.sh checks before it applies anything, and what install-addons.sh
installs: the cluster objects the tree needs but does not create, each with the add-on of
the env that provides it, computed from the rendered objects and the env's add-ons."""

from __future__ import annotations

from dataclasses import dataclass

from generator.k8s.identity import effective_namespace
from generator.addons import Addon, Addons, crd_name
from generator.k8s import scope
from generator.k8s.index import BUILTIN_NAMESPACES, dig
from generator.lint.readiness import builtin_groups
from generator.k8s.objects import Manifest
from generator.docs.plan import gitops_file


ARGOCD_GROUP = "argoproj.io"


@dataclass(frozen=True)
class Need:
    """A cluster object the tree needs: ``kubectl get RESOURCE NAME`` finds it once
    ``addon`` (None: nobody declares it) is installed."""

    resource: str  # crd, namespace, storageclass, ingressclass
    name: str
    addon: str | None
    install: str  # how to get it, for the preflight's message


@dataclass(frozen=True)
class SecretSource:
    """A Secret that an add-on of the env creates in ``namespace``: deploy-all.sh requires it
    there and copies the keys workloads read into their namespaces."""

    name: str
    namespace: str
    install: str  # how to get it, for the preflight's message


@dataclass(frozen=True)
class Deploy:
    needs: tuple[Need, ...]
    custom_kinds: frozenset[str]  # kinds served by CRDs: applied after the built-in objects
    addons: tuple[Addon, ...]  # the env's add-ons to install, in order
    present: tuple[Addon, ...]  # the env's add-ons the cluster has already
    gitops_needs: tuple[Need, ...]  # the CRDs the GitOps files need (applied only with --gitops)
    applications: tuple[tuple[str, str], ...] = ()  # (namespace, name) of Argo CD Applications
    protected: bool = False  # the env's cluster is not disposable (addons.protected)
    optional: tuple[tuple[str, Addon], ...] = ()  # (values path, add-on it would bring in) of features off
    sources: tuple[SecretSource, ...] = ()  # the Secrets the env's add-ons create

    def source(self, name: str) -> SecretSource | None:
        return next((source for source in self.sources if source.name == name), None)


def _hint(addon: Addon | None) -> str:
    if addon is None:
        return "no add-on of the env declares it: install it yourself"
    if addon.present:
        return f"add-on {addon.name} should be on this cluster already: check the cluster"
    how = f" ({addon.recipe.brief(addon.name)})" if addon.recipe else ""
    return f"install add-on {addon.name}{how}: scripts/install-addons.sh"


def deploy(manifests: list[Manifest], addons: Addons | None, known: scope.Scope | None = None) -> Deploy:
    """What the tree needs from the cluster, and how it gets it. A file of GitOps objects only
    (``plan.gitops_file``) is applied with --gitops alone: its needs are asked only then.
    ``known``: the kinds' scope (a project's CRDs teach it theirs); the default one without."""
    kinds = known or scope.default()
    builtin = builtin_groups()
    tree_crds = {(str(dig(m.data, "spec", "group")), str(dig(m.data, "spec", "names", "kind")))
                 for m in manifests if m.kind == "CustomResourceDefinition"}
    created = {(m.kind, m.name) for m in manifests}
    needs: dict[tuple[str, str], Need] = {}
    gitops: dict[str, Need] = {}
    custom: set[str] = set()

    def need(resource: str, name: str, addon: Addon | None) -> None:
        needs.setdefault((resource, name), Need(resource, name, addon.name if addon else None, _hint(addon)))

    kinds_in: dict[str, list[str]] = {}
    for manifest in manifests:
        kinds_in.setdefault(manifest.source.name, []).append(manifest.kind)
    for manifest in manifests:
        group = manifest.api_version.rpartition("/")[0]
        in_manifests = not gitops_file(kinds_in[manifest.source.name])  # applied without --gitops
        if group not in builtin and (group, manifest.kind) not in tree_crds:
            custom.add(manifest.kind)
            provider = addons.crd_provider(group, manifest.kind) if addons else None
            name = (provider.crd_of(group, manifest.kind) if provider else None) or crd_name(group, manifest.kind)
            if in_manifests:
                need("crd", name, provider)
            else:
                gitops.setdefault(name, Need("crd", name, provider.name if provider else None, _hint(provider)))
        namespace = manifest.namespace
        if (in_manifests and namespace and not kinds.is_cluster_scoped(manifest.kind)
                and namespace not in BUILTIN_NAMESPACES and ("Namespace", namespace) not in created):
            need("namespace", namespace, addons.provides("namespaces", namespace) if addons else None)
        if manifest.kind == "PersistentVolumeClaim":
            storage = dig(manifest.data, "spec", "storageClassName")
            if isinstance(storage, str) and storage and ("StorageClass", storage) not in created:
                need("storageclass", storage, None)
        if manifest.kind == "Ingress":
            ingress = dig(manifest.data, "spec", "ingressClassName")
            if isinstance(ingress, str) and ("IngressClass", ingress) not in created:
                need("ingressclass", ingress, addons.provides("ingress_classes", ingress) if addons else None)
    installed = addons.installed if addons else ()
    return Deploy(
        tuple(sorted(needs.values(), key=lambda n: (n.resource, n.name))),
        frozenset(custom),
        tuple(a for a in installed if not a.present),
        tuple(a for a in installed if a.present),
        tuple(gitops.values()),
        tuple((effective_namespace(m.namespace), m.name) for m in manifests
              if m.kind == "Application" and m.api_version.startswith(ARGOCD_GROUP + "/")),
        addons.protected if addons else False,
        tuple((when, addon) for addon in (addons.others if addons else ()) if addon.recipe is not None
              for when in addon.when),
        tuple(SecretSource(name, namespace, _hint(addon)) for addon in installed
              for namespace, _, name in (secret.partition("/") for secret in addon.secrets)),
    )


LETSENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory"
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")  # RFC 2606


def _placeholder(host: str) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in PLACEHOLDER_DOMAINS)


def refusals(manifests: list[Manifest]) -> tuple[str, ...]:
    """Why deploy-all.sh must not apply the tree: an Ingress that asks Let's Encrypt's
    production CA for a certificate of a placeholder domain (it can never be issued, and
    the failed orders count against the account's rate limits)."""
    production = {m.name for m in manifests if m.kind == "ClusterIssuer"
                  and dig(m.data, "spec", "acme", "server") == LETSENCRYPT_PRODUCTION}
    found = []
    for ingress in manifests:
        issuer = ingress.metadata.get("annotations", {}).get("cert-manager.io/cluster-issuer")
        if ingress.kind != "Ingress" or issuer not in production:
            continue
        hosts = sorted({str(rule.get("host")) for rule in dig(ingress.data, "spec", "rules") or ()
                        if isinstance(rule, dict) and _placeholder(str(rule.get("host", "")))})
        if hosts:
            found.append(f"Ingress {ingress.namespace}/{ingress.name} asks Let's Encrypt production "
                         f"(ClusterIssuer {issuer}) for {', '.join(hosts)}: a placeholder domain; "
                         "set your own domain, or use the staging issuer")
    return tuple(found)
