"""Cluster DNS names in env values must resolve to Services (and ports) of the set.

Recognised forms: ``svc.ns.svc.cluster.local``, ``svc.ns.svc`` and ``svc.ns``, alone, as
``host:port``, or inside a URL. A name is checked only when ``ns`` is a namespace the set
knows (a Namespace object or the namespace of one of its objects), so ``example.com`` and
names of other teams' namespaces are left alone. The port is the one in the value, else a
sibling variable: ``DB_HOST`` takes its port from ``DB_PORT``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.k8s.index import Index, dig, mapping, sequence
from generator.lint.registry import Hit

_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_NAME = re.compile(
    rf"(?<![\w.-])(?P<service>{_LABEL})\.(?P<namespace>{_LABEL})"
    r"(?P<suffix>\.svc(?:\.cluster\.local)?)?\.?(?::(?P<port>[0-9]{1,5}))?(?![\w.-])"
)


def _sibling_port(name: str, literals: dict[str, str]) -> int | None:
    prefix, underscore, _ = name.rpartition("_")
    if not underscore or name.endswith("_PORT"):
        return None
    value = literals.get(f"{prefix}_PORT", "")
    return int(value) if value.isdigit() else None


def env_dns(index: Index) -> Iterator[Hit]:
    for pod in index.pods:
        for container in pod.containers():
            env = [mapping(item) for item in sequence(container.data.get("env"))]
            literals = {str(v.get("name")): str(v["value"]) for v in env if "value" in v}
            for number, variable in enumerate(env):
                if not isinstance(variable.get("value"), str):
                    continue
                name = str(variable.get("name"))
                for match in _NAME.finditer(variable["value"]):
                    namespace, service_name = match["namespace"], match["service"]
                    if namespace not in index.known_namespaces:
                        continue
                    path = (*container.path, "env", number, "value")
                    service = index.get("Service", namespace, service_name)
                    if service is None:
                        yield Hit(
                            pod.manifest,
                            f"env {name}: {match.group().rstrip('.')} names Service "
                            f"{namespace}/{service_name}, which is not in this set",
                            path,
                        )
                        continue
                    port = int(match["port"]) if match["port"] else _sibling_port(name, literals)
                    ports = {
                        mapping(p).get("port") for p in sequence(dig(service.data, "spec", "ports"))
                    }
                    if port is not None and port not in ports:
                        yield Hit(
                            pod.manifest,
                            f"env {name}: Service {namespace}/{service_name} has no port {port} "
                            f"(it offers {', '.join(str(p) for p in sorted(ports, key=str))})",
                            path,
                        )
