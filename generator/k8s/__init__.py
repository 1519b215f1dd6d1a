"""The Kubernetes object core: identity and scope, shared by every stage.

Overlay, lint, graph, validate and the pipeline ask these modules, and only these, what
identifies an object and whether its kind has a namespace (Kustomize's ``kyaml/resid``).
"""
