"""NetworkPolicy evaluation: which workload may talk to which, on which ports.

Kubernetes semantics (networking.k8s.io/v1): a pod is isolated for a direction when some
policy in its namespace selects it with that direction in ``policyTypes`` (``Ingress`` is
implied; ``Egress`` is implied when the policy has egress rules). Traffic from A to B on a
port passes when B's side allows it (B not isolated for ingress, or some selecting policy
has an ingress rule whose peers match A and whose ports match) and A's side allows it (the
same for egress towards B). A rule without peers matches every peer, one without ports
every port; a peer with only ``podSelector`` means pods of the policy's own namespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.k8s.identity import effective_namespace
from generator.graph import model
from generator.k8s.index import matches, mapping, sequence
from generator.k8s.objects import Manifest

ANY = ("any",)


def evaluate(
    policies: list[Manifest], namespaces: tuple[model.Namespace, ...], workloads: list[model.Workload]
) -> model.Policies | None:
    """The allow matrix, or None when the manifests hold no NetworkPolicy."""
    if not policies:
        return None
    labels = {ns.name: ns.labels for ns in namespaces}
    selecting = {w.key: [p for p in policies if _selects(p, w)] for w in workloads}
    allows = []
    for source in workloads:
        for target in workloads:
            if source.key == target.key:
                continue
            passing = [p for p in _ports(target) if _passes(source, target, p, selecting, labels)]
            if passing:
                allows.append(model.Allow(source.key, target.key, _describe(passing, target)))
    known = set(labels)
    for target in workloads:
        for peer, ports in _outside(target, selecting[target.key], "Ingress", "from", known):
            allows.append(model.Allow(peer, target.key, ports))
    for source in workloads:
        for peer, ports in _outside(source, selecting[source.key], "Egress", "to", known):
            allows.append(model.Allow(source.key, peer, ports))
    isolated = tuple(sorted(key for key, found in selecting.items() if found))
    names = tuple(sorted(f"{p.namespace or 'default'}/{p.name}" for p in policies))
    return model.Policies(names, isolated, tuple(sorted(allows, key=lambda a: (a.source, a.target))))


def _types(policy: Manifest) -> set[str]:
    spec = mapping(policy.data.get("spec"))
    declared = sequence(spec.get("policyTypes"))
    if declared:
        return {str(kind) for kind in declared}
    return {"Ingress"} | ({"Egress"} if "egress" in spec else set())


def _selects(policy: Manifest, workload: model.Workload) -> bool:
    spec = mapping(policy.data.get("spec"))
    return effective_namespace(policy.namespace) == workload.namespace and matches(
        workload.labels, spec.get("podSelector")
    )


def _ports(workload: model.Workload) -> list[model.Port]:
    return list(workload.ports) or [model.Port("", 0, "TCP")]


def _passes(
    source: model.Workload,
    target: model.Workload,
    port: model.Port,
    selecting: dict[str, list[Manifest]],
    labels: dict[str, dict[str, str]],
) -> bool:
    return _side(selecting[target.key], "Ingress", "ingress", "from", source, port, labels) and _side(
        selecting[source.key], "Egress", "egress", "to", target, port, labels
    )


def _side(
    policies: list[Manifest], kind: str, rules: str, peers: str,
    other: model.Workload, port: model.Port, labels: dict[str, dict[str, str]],
) -> bool:
    relevant = [p for p in policies if kind in _types(p)]
    if not relevant:
        return True
    for policy in relevant:
        for rule in map(mapping, sequence(mapping(policy.data.get("spec")).get(rules))):
            if _port_matches(rule, port) and _peer_matches(rule, peers, policy, other, labels):
                return True
    return False


def _port_matches(rule: dict[str, Any], port: model.Port) -> bool:
    entries = [mapping(entry) for entry in sequence(rule.get("ports"))]
    if not entries:
        return True
    for entry in entries:
        if str(entry.get("protocol", "TCP")) != port.protocol:
            continue
        wanted = entry.get("port")
        end = entry.get("endPort")
        if wanted is None or wanted == port.number or (port.name and wanted == port.name):
            return True
        if isinstance(wanted, int) and isinstance(end, int) and wanted <= port.number <= end:
            return True
    return False


def _peer_matches(
    rule: dict[str, Any], key: str, policy: Manifest, other: model.Workload,
    labels: dict[str, dict[str, str]],
) -> bool:
    entries = [mapping(entry) for entry in sequence(rule.get(key))]
    if not entries:
        return True
    for peer in entries:
        if "ipBlock" in peer:
            continue
        if "namespaceSelector" in peer:
            in_namespace = matches(labels.get(other.namespace, {}), peer["namespaceSelector"])
        else:
            in_namespace = other.namespace == effective_namespace(policy.namespace)
        if in_namespace and ("podSelector" not in peer or matches(other.labels, peer["podSelector"])):
            return True
    return False


def _describe(ports: list[model.Port], workload: model.Workload) -> tuple[str, ...]:
    if not workload.ports:
        return ANY
    return tuple(sorted({f"{p.protocol}/{p.number}" for p in ports}))


def _outside(
    workload: model.Workload, policies: list[Manifest], kind: str, key: str, known: set[str]
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Peers of ``workload``'s rules that no workload of the manifests is: other namespaces
    (by selector), IP blocks."""
    rules = "ingress" if kind == "Ingress" else "egress"
    for policy in policies:
        if kind not in _types(policy):
            continue
        for rule in map(mapping, sequence(mapping(policy.data.get("spec")).get(rules))):
            ports = tuple(
                f"{mapping(e).get('protocol', 'TCP')}/{mapping(e).get('port', '*')}"
                for e in sequence(rule.get("ports"))
            ) or ANY
            for peer in map(mapping, sequence(rule.get(key))):
                if "ipBlock" in peer:
                    yield f"ipBlock {mapping(peer['ipBlock']).get('cidr', '?')}", ports
                    continue
                selector = mapping(mapping(peer.get("namespaceSelector")).get("matchLabels"))
                name = selector.get("kubernetes.io/metadata.name")
                if name is not None and str(name) not in known:
                    text = f"namespace {name}"
                    pods = mapping(mapping(peer.get("podSelector")).get("matchLabels"))
                    if pods:
                        text += " pods " + ",".join(f"{k}={v}" for k, v in sorted(pods.items()))
                    yield text, ports
