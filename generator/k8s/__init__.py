"""The Kubernetes object core: identity, scope, the object types and the object index.

Overlay, lint, graph, validate and the pipeline ask these modules, and only these, what
identifies an object (``identity``), whether its kind has a namespace (``scope``), what an
object on its way to a file and in it is (``objects``: ``Placed``, ``Manifest``) and where
an object of a set is (``index``), as Kustomize's ``kyaml/resid`` serves every filter. The
official schema set (``schemas``) is here too.
"""
