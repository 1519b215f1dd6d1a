"""cmgen: Kubernetes manifests from Jinja2 templates and per-environment values.

cmgen's version is written once, in pyproject.toml; the installed package reports it
(``importlib.metadata.version("cmgen")``, as ``cmgen --version`` prints it)."""
