"""The Secrets a workload reads, and which keys (generator/graph/secrets.py)."""

from __future__ import annotations

from generator import graph
from generator.manifests import from_text


SECRETS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shipper
  namespace: logs
  annotations: {cmgen.io/external-secrets: "store-login, store-ca"}
spec:
  selector: {matchLabels: {app: shipper}}
  template:
    metadata: {labels: {app: shipper}}
    spec:
      containers:
        - name: shipper
          image: shipper:1.0
          env:
            - {name: USER, valueFrom: {secretKeyRef: {name: store-login, key: username}}}
            - {name: TOKEN_FILE, value: /run/token/token}
          volumeMounts:
            - {name: ca, mountPath: /etc/store-ca}
            - {name: token, mountPath: /run/token}
      volumes:
        - name: ca
          secret: {secretName: store-ca, items: [{key: ca.crt, path: ca.crt}]}
        - name: token
          secret: {secretName: own-token}
"""


def test_a_secret_is_read_through_variables_files_and_a_volumes_items() -> None:
    (workload,) = graph.build(from_text(SECRETS, "secrets.yaml")).workloads
    assert {(use.name, use.keys, use.external) for use in workload.secrets} == {
        ("store-login", ("username",), True),
        ("store-ca", ("ca.crt",), True),  # only the items the volume projects
        ("own-token", ("token",), False),  # the file a *_FILE variable names
    }
