"""Export any networkx graph as JSON (node-link), GraphML or DOT.

Generic: node and edge attributes are written as they are (strings, numbers,
booleans); the commands that build graphs document their attributes.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import networkx as nx


def graph_to_node_link(graph: nx.Graph) -> dict[str, Any]:
    """networkx's node-link form (``nodes``, ``links``, ``directed``, ``multigraph``,
    ``graph``), with every value JSON-able."""
    data = nx.node_link_data(graph, edges="links")
    return json.loads(json.dumps(data, default=_jsonable))  # type: ignore[no-any-return]


def render_graphml(graph: nx.Graph) -> str:
    """GraphML text; attribute types are declared from the values (bool, int, float, str)."""
    lines = list(nx.generate_graphml(graph, prettyprint=True))
    # networkx writes booleans as Python spells them; XML Schema wants true/false.
    booleans = {m.group(1) for line in lines if (m := _BOOLEAN_KEY.search(line))}
    fixed = [
        _BOOLEAN_DATA.sub(lambda m: m.group(0).lower(), line)
        if (m := _DATA_KEY.search(line)) and m.group(1) in booleans
        else line
        for line in lines
    ]
    return "\n".join(fixed) + "\n"


def render_dot(graph: nx.Graph, name: str = "G") -> str:
    """Graphviz DOT text: every attribute kept; ``label`` is what Graphviz shows."""
    arrow = "->" if graph.is_directed() else "--"
    lines = [f"{'digraph' if graph.is_directed() else 'graph'} {_quote(name)} {{"]
    for key, value in sorted(graph.graph.items()):
        lines.append(f"  {key}={_quote(value)};")
    for node, attrs in graph.nodes(data=True):
        lines.append(f"  {_quote(node)}{_attributes(attrs)};")
    for source, target, attrs in graph.edges(data=True):
        lines.append(f"  {_quote(source)} {arrow} {_quote(target)}{_attributes(attrs)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# Private

_BOOLEAN_KEY = re.compile(r'<key id="([^"]+)"[^>]* attr.type="boolean"')
_DATA_KEY = re.compile(r'<data key="([^"]+)">')
_BOOLEAN_DATA = re.compile(r">(True|False)<")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _quote(value: Any) -> str:
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _attributes(attrs: dict[str, Any]) -> str:
    if not attrs:
        return ""
    return " [" + ", ".join(f"{k}={_quote(v)}" for k, v in sorted(attrs.items())) + "]"
