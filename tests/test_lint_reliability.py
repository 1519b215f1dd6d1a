from __future__ import annotations

from tests.lintcase import container, deployment, hits

from generator.lint import reliability


def test_resources() -> None:
    assert hits(reliability.resources, deployment()) == []
    bad = deployment()
    del container(bad)["resources"]["limits"]["memory"]
    assert hits(reliability.resources, bad) == ["container 'web' sets no limits.memory"]


def test_probes_except_for_jobs() -> None:
    assert hits(reliability.liveness_probe, deployment()) == []
    bad = deployment()
    del container(bad)["livenessProbe"], container(bad)["readinessProbe"]
    assert hits(reliability.liveness_probe, bad) == ["container 'web' has no livenessProbe"]
    assert hits(reliability.readiness_probe, bad) == ["container 'web' has no readinessProbe"]
    bad["kind"] = "Job"
    assert hits(reliability.liveness_probe, bad) == []


def test_image_tag() -> None:
    ok = deployment()
    for image in ("nginx:1.27", "registry:5000/team/app:v1", "app@sha256:" + "0" * 64):
        container(ok)["image"] = image
        assert hits(reliability.image_tag, ok) == []
    for image, word in (
        ("nginx", "no tag"),
        ("nginx:latest", "latest"),
        ("registry:5000/app", "no tag"),
    ):
        container(ok)["image"] = image
        assert word in hits(reliability.image_tag, ok)[0]
