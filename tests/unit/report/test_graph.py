"""report/graph.py: any networkx graph as node-link JSON, GraphML and DOT."""

from __future__ import annotations

import io
import json
import math
from xml.etree import ElementTree as ET

import networkx as nx
import pytest

from oslo_incubator.report.graph import graph_to_node_link, render_dot, render_graphml

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph(schema="test/1")
    graph.add_node("nova:log.py", project="nova", lines=120, declared=True, score=0.5)
    graph.add_node("master:log.py", kind="master", declared=False)
    graph.add_edge("nova:log.py", "master:log.py", kind="copy-of", similarity=1.0)
    return graph


def test_node_link_form() -> None:
    data = graph_to_node_link(_graph())
    assert data["directed"] is True
    assert data["multigraph"] is False
    assert data["graph"] == {"schema": "test/1"}
    assert data["nodes"][0] == {
        "id": "nova:log.py",
        "project": "nova",
        "lines": 120,
        "declared": True,
        "score": 0.5,
    }
    assert data["links"] == [
        {"source": "nova:log.py", "target": "master:log.py", "kind": "copy-of", "similarity": 1.0}
    ]


class _Odd:
    def __str__(self) -> str:
        return "P!"


def test_node_link_values_become_json_able() -> None:
    graph = nx.Graph()
    graph.add_node("a", tags=frozenset({"x"}), pair=("p", 1), path=_Odd())
    data = graph_to_node_link(graph)
    (node,) = data["nodes"]
    assert node["tags"] == ["x"]
    assert node["pair"] == ["p", 1]
    assert node["path"] == "P!"
    assert json.loads(json.dumps(data)) == data
    assert data["directed"] is False


def test_graphml_declares_types_and_writes_xml_booleans() -> None:
    text = render_graphml(_graph())
    root = ET.fromstring(text)
    keys = {k.get("attr.name"): k for k in root.findall("g:key", NS) if k.get("for") == "node"}
    assert keys["declared"].get("attr.type") == "boolean"
    assert keys["lines"].get("attr.type") in ("int", "long")
    assert keys["score"].get("attr.type") == "double"
    assert keys["project"].get("attr.type") == "string"
    declared = keys["declared"].get("id")
    values = [d.text for d in root.iter(f"{{{NS['g']}}}data") if d.get("key") == declared]
    assert values == ["true", "false"]
    assert ">True<" not in text and ">False<" not in text


def test_graphml_reads_back_with_networkx() -> None:
    back = nx.read_graphml(io.BytesIO(render_graphml(_graph()).encode()))
    assert set(back.nodes) == {"nova:log.py", "master:log.py"}
    assert back.nodes["nova:log.py"]["declared"] is True
    assert back.nodes["master:log.py"]["declared"] is False
    assert back.nodes["nova:log.py"]["lines"] == 120
    assert back.edges["nova:log.py", "master:log.py"]["kind"] == "copy-of"


def test_graphml_leaves_booleans_alone_where_the_key_is_not_boolean() -> None:
    graph = nx.Graph()
    graph.add_node("a", word="True")
    assert '<data key="d0">True</data>' in render_graphml(graph)


def test_dot_of_a_directed_graph() -> None:
    assert render_dot(_graph(), name="copies") == (
        'digraph "copies" {\n'
        '  schema="test/1";\n'
        '  "nova:log.py" [declared="true", lines="120", project="nova", score="0.5"];\n'
        '  "master:log.py" [declared="false", kind="master"];\n'
        '  "nova:log.py" -> "master:log.py" [kind="copy-of", similarity="1.0"];\n'
        "}\n"
    )


def test_dot_of_an_undirected_graph_without_attributes() -> None:
    graph = nx.Graph()
    graph.add_edge(1, 2)
    assert render_dot(graph) == 'graph "G" {\n  "1";\n  "2";\n  "1" -- "2";\n}\n'


def test_dot_quotes_escapes_and_odd_numbers() -> None:
    graph = nx.DiGraph()
    graph.add_node('say "hi"\\', label="two\nlines", inf=math.inf, nan=math.nan, name="é")
    dot = render_dot(graph)
    assert '  "say \\"hi\\"\\\\" [inf="inf", label="two\\nlines", name="é", nan="nan"];' in dot


def test_empty_graph() -> None:
    graph = nx.DiGraph()
    assert render_dot(graph) == 'digraph "G" {\n}\n'
    assert graph_to_node_link(graph)["nodes"] == []
    assert ET.fromstring(render_graphml(graph)).find("g:graph", NS) is not None


@pytest.mark.parametrize("directed", [True, False])
def test_graphml_edge_default_follows_the_graph(directed: bool) -> None:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_edge("a", "b")
    (element,) = ET.fromstring(render_graphml(graph)).findall("g:graph", NS)
    assert element.get("edgedefault") == ("directed" if directed else "undirected")
