"""cmgen: Kubernetes manifests from Jinja2 templates and per-environment values."""

__version__ = "0.1.0"
