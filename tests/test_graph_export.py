"""Mermaid, DOT and JSON draw the same graph views."""

from __future__ import annotations

import json

from generator.graph import export, view
from generator.pipeline import Build
from generator.project import Project
from tests.conftest import graph_of


def test_mermaid_has_every_workload_host_and_claim(minikube_build: Build, repo_project: Project) -> None:
    platform = graph_of(minikube_build, repo_project)
    text = export.export(platform, "mermaid")
    assert text.startswith("graph LR\n")
    for workload in platform.workloads:
        assert f'{view.node_id("w", workload.key)}["{workload.name}<br/>' in text
    for claim in platform.claims:
        assert view.node_id("c", claim.key) in text
    assert 'h_api_example_com -->|"/users :8080"| w_backend_user_service' in text
    assert "classDef k_workload" in text


def test_dot_is_one_digraph_with_a_cluster_per_column(minikube_build: Build, repo_project: Project) -> None:
    platform = graph_of(minikube_build, repo_project)
    text = export.export(platform, "dot")
    assert text.startswith('digraph "cloudmart data flow" {')
    assert text.count("subgraph cluster_") == len(view.dataflow(platform).columns)
    assert "\n\n" not in text.strip()  # multi-line labels are escaped, not raw newlines


def test_json_round_trips_with_tiers_and_total(minikube_build: Build, repo_project: Project) -> None:
    data = json.loads(export.export(graph_of(minikube_build, repo_project), "json"))
    assert data["requested_storage"] == "50Gi"
    assert data["tiers"] == [["frontend"], ["backend"], ["data"]]
    assert len(data["services"]) == 14


def test_calls_leave_from_the_line_that_names_them(minikube_build: Build, repo_project: Project) -> None:
    topology = view.topology(graph_of(minikube_build, repo_project))
    nodes = {node.id: node for column in topology.columns for node in column.nodes}
    for link in topology.links:
        if link.anchor:
            line = nodes[link.source].lines[link.anchor]
            assert line.startswith(link.label.split(":")[0].split(" ")[0])
