"""The copy graph: its nodes and edges with their documented attributes, and exports."""

from __future__ import annotations

import io
import json
from collections import Counter

import networkx as nx
import pytest
from scan_fixtures import Fleet

from oslo_incubator.graph.copies import GRAPH_SCHEMA, build_copy_graph
from oslo_incubator.model.scan import ScanOptions, ScanReport
from oslo_incubator.operations.scan import scan_projects
from oslo_incubator.report.graph import (
    graph_to_node_link,
    render_dot,
    render_graphml,
)


@pytest.fixture(scope="module")
def report(fleet: Fleet) -> ScanReport:
    return scan_projects(fleet.projects, ScanOptions(), fleet.incubator)


@pytest.fixture(scope="module")
def graph(report: ScanReport) -> nx.DiGraph:
    return build_copy_graph(report)


def test_graph_holds_projects_members_masters_and_importers(graph: nx.DiGraph):
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    edges = Counter(kind for _, _, kind in graph.edges(data="kind"))

    # files: 3 strutils copies, 3 helpers, 2 heat utilities, 2 managers importing copies
    assert kinds == {"project": 4, "file": 10, "symbol": 5, "master": 2}
    assert edges == {"contains": 15, "copy-of": 9, "imports": 3}  # 3 + 2 + 1 + 3 copies
    assert graph.graph == {"schema": GRAPH_SCHEMA}


def test_project_node_attributes(graph: nx.DiGraph, report: ScanReport):
    assert graph.nodes["project:nova"] == {
        "kind": "project",
        "label": "nova",
        "name": "nova",
        "path": report.projects[0].path,
        "bases": "nova",
        "files": 9,
        "lines": 79,
        "head": report.projects[0].head,
    }


def test_copy_file_node_and_its_edge_to_the_master(graph: nx.DiGraph, report: ScanReport):
    node = "file:nova:nova/openstack/common/strutils.py"
    master = "master:openstack/common/strutils.py"

    assert graph.nodes[node] == {
        "kind": "file",
        "label": "nova/openstack/common/strutils.py",
        "project": "nova",
        "path": "nova/openstack/common/strutils.py",
        "family": "M1",
        "start": 1,
        "end": 29,
        "tokens": 160,
        "similarity": 0.7937,
        "status": "behind",
        "added": 1_400_003_600,
        "declared": True,
    }
    assert graph.edges[node, master] == {
        "kind": "copy-of",
        "family": "M1",
        "similarity": 0.7937,
        "status": "behind",
    }
    assert graph.nodes[master] == {
        "kind": "master",
        "label": "openstack/common/strutils.py",
        "path": "openstack/common/strutils.py",
        "lineage": "openstack/common/strutils.py",
        "commit": report.family("M1").master.commit,  # type: ignore[union-attr]
        "obsolete": False,
        "lifecycle": "active",
        "family": "M1",
    }
    assert graph.edges["project:nova", node] == {"kind": "contains"}


def test_symbol_nodes_point_at_the_family_representative(graph: nx.DiGraph):
    origin = "symbol:heat:heat/engine/util.py::retry"
    copy = "symbol:nova:nova/helpers.py::retry"

    assert graph.nodes[copy] == {
        "kind": "symbol",
        "label": "retry",
        "project": "nova",
        "path": "nova/helpers.py",
        "name": "retry",
        "symbol_kind": "function",
        "family": "S2",
        "start": 8,
        "end": 18,
        "tokens": 76,
        "similarity": 1.0,
        "added": 1_400_010_800,
    }
    assert graph.edges[copy, origin] == {"kind": "copy-of", "family": "S2", "similarity": 1.0}
    assert sorted(graph.predecessors(origin)) == [
        "file:heat:heat/engine/util.py",
        "symbol:cinder:cinder/helpers.py::retry",
        "symbol:glance:glance/common/helpers.py::retry",
        "symbol:nova:nova/helpers.py::retry",
    ]
    assert not list(graph.successors(origin))  # the representative copies nothing
    assert graph.edges["file:nova:nova/helpers.py", copy] == {"kind": "contains"}


def test_import_edges_run_from_project_code_to_copies(graph: nx.DiGraph):
    importer = "file:nova:nova/compute/manager.py"

    assert graph.nodes[importer] == {
        "kind": "file",
        "label": "nova/compute/manager.py",
        "project": "nova",
        "path": "nova/compute/manager.py",
    }
    assert {t: graph.edges[importer, t] for t in graph.successors(importer)} == {
        "file:nova:nova/helpers.py": {"kind": "imports", "line": 3},
        "file:nova:nova/openstack/common/strutils.py": {"kind": "imports", "line": 4},
    }


def test_json_export_is_node_link_and_json_able(graph: nx.DiGraph):
    doc = json.loads(json.dumps(graph_to_node_link(graph)))

    assert doc["directed"] is True
    assert len(doc["nodes"]) == graph.number_of_nodes()
    assert len(doc["links"]) == graph.number_of_edges()
    rebuilt = nx.node_link_graph(graph_to_node_link(graph), edges="links")
    assert dict(rebuilt.nodes(data=True)) == dict(graph.nodes(data=True))


def test_graphml_export_reads_back_with_its_types(graph: nx.DiGraph):
    text = render_graphml(graph)

    rebuilt = nx.read_graphml(io.BytesIO(text.encode()))
    node = "file:nova:nova/openstack/common/strutils.py"
    assert rebuilt.nodes[node] == graph.nodes[node]
    assert ">true</data>" in text and ">True</data>" not in text
    assert rebuilt.number_of_edges() == graph.number_of_edges()


def test_dot_export_quotes_ids_and_keeps_attributes(graph: nx.DiGraph):
    text = render_dot(graph, "scan")

    assert text.startswith('digraph "scan" {\n  schema="oslo-incubator.scan-graph/2";\n')
    assert (
        '  "symbol:nova:nova/helpers.py::retry" -> "symbol:heat:heat/engine/util.py::retry"'
        ' [family="S2", kind="copy-of", similarity="1.0"];\n'
    ) in text
    assert '"master:openstack/common/strutils.py" [commit=' in text
    assert text.endswith("}\n")


def test_dot_escapes_quotes_and_backslashes():
    graph = nx.Graph()
    graph.add_node('a "b"\\c', label="x\ny", flag=False)

    assert render_dot(graph) == (
        'graph "G" {\n  "a \\"b\\"\\\\c" [flag="false", label="x\\ny"];\n}\n'
    )
