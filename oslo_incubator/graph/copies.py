"""The copy graph of a scan: projects, files, symbols and masters, and how they relate.

Built once from a :class:`~oslo_incubator.model.scan.ScanReport`; questions are asked
with plain networkx functions. Every attribute is listed here and in
doc/source/scan.rst; an attribute with no value is left out (GraphML has no null).

Nodes (attribute ``kind``):

``project``  ``project:<name>`` — ``name``, ``path``, ``bases`` (comma-separated),
             ``files``, ``lines``, ``head`` (git commit, when a repository).
``file``     ``file:<project>:<path>`` — ``project``, ``path``; for a copy also
             ``family`` (module family id), ``start``, ``end``, ``tokens``,
             ``similarity``, ``status`` (drift status), ``declared``, ``added``.
``symbol``   ``symbol:<project>:<path>::<name>`` — ``project``, ``path``, ``name``,
             ``symbol_kind`` (function, class), ``family``, ``start``, ``end``,
             ``tokens``, ``similarity``, ``status``, ``added``.
``master``   ``master:<path>`` or ``master:<path>::<name>`` — ``path``, ``symbol``,
             ``lineage``, ``commit``, ``obsolete`` (master no longer has the file),
             ``lifecycle`` (what master's records say of it), ``family``.

Every node also has a ``label`` for drawings.

Edges (attribute ``kind``):

``contains`` project → file, file → symbol.
``copy-of``  member → its family's master, or → the family's representative member
             when there is no master; ``family``, ``similarity`` (Jaccard of the
             member to the target), ``status`` when the family has a master.
``imports``  project file → a copied module file of the same project it imports;
             ``line``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from oslo_incubator.model.scan import Family, Grain, Member, ScanReport

GRAPH_SCHEMA = "oslo-incubator.scan-graph/2"


def build_copy_graph(report: ScanReport) -> nx.DiGraph:
    """The copy graph of ``report`` (see the module docstring for its attributes).

    Holds every project, every file and symbol that is a member of a family or
    imports a copy, and every master that heads a family.
    """
    graph = nx.DiGraph(schema=GRAPH_SCHEMA)
    for project in report.projects:
        graph.add_node(
            project_node(project.name),
            **_present(
                kind="project",
                label=project.name,
                name=project.name,
                path=project.path,
                bases=",".join(project.bases),
                files=project.files,
                lines=project.lines,
                head=project.head,
            ),
        )
    for family in report.families:
        _add_family(graph, family)
    for link in report.imports:
        importer = _ensure_file(graph, link.project, link.importer)
        graph.add_edge(importer, file_node(link.project, link.imported), kind="imports",
                       line=link.line)  # fmt: skip
    return graph


def project_node(name: str) -> str:
    """The node id of a project."""
    return f"project:{name}"


def file_node(project: str, path: str) -> str:
    """The node id of a project file."""
    return f"file:{project}:{path}"


def symbol_node(project: str, path: str, name: str) -> str:
    """The node id of a top-level symbol of a project file."""
    return f"symbol:{project}:{path}::{name}"


def master_node(path: str, symbol: str | None) -> str:
    """The node id of a master file or of a symbol of it."""
    return f"master:{path}" if symbol is None else f"master:{path}::{symbol}"


# Private


def _present(**attrs: Any) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None}


def _ensure_file(graph: nx.DiGraph, project: str, path: str) -> str:
    node = file_node(project, path)
    if node not in graph:
        graph.add_node(node, kind="file", label=path, project=project, path=path)
        graph.add_edge(project_node(project), node, kind="contains")
    return node


def _member_node(graph: nx.DiGraph, family: Family, member: Member) -> str:
    file_id = _ensure_file(graph, member.project, member.path)
    common = _present(
        family=family.id,
        start=member.start,
        end=member.end,
        tokens=member.tokens,
        similarity=member.similarity,
        status=member.status.value if member.status else None,
        added=member.added,
    )
    if family.grain is Grain.MODULE:
        graph.nodes[file_id].update(common, declared=member.declared)
        return file_id
    assert member.symbol is not None
    node = symbol_node(member.project, member.path, member.symbol)
    if node in graph:  # the same name defined twice at the top level of one file
        node = f"{node}@{member.start}"
    graph.add_node(node, kind="symbol", label=member.symbol, project=member.project,
                   path=member.path, name=member.symbol, symbol_kind=member.kind.value,
                   **common)  # fmt: skip
    graph.add_edge(file_id, node, kind="contains")
    return node


def _add_family(graph: nx.DiGraph, family: Family) -> None:
    nodes = [_member_node(graph, family, m) for m in family.members]
    if family.master is not None:
        master = family.master
        target = master_node(master.path, master.symbol)
        label = master.path if master.symbol is None else f"{master.path}:{master.symbol}"
        graph.add_node(target, **_present(kind="master", label=label, path=master.path,
                                          symbol=master.symbol, lineage=master.lineage,
                                          commit=master.commit, obsolete=master.obsolete,
                                          lifecycle=master.lifecycle.value,
                                          family=family.id))  # fmt: skip
    else:
        assert family.representative is not None
        target = nodes[family.members.index(family.representative)]
    for node, member in zip(nodes, family.members, strict=True):
        if node == target:
            continue
        graph.add_edge(node, target, **_present(kind="copy-of", family=family.id,
                                                similarity=member.similarity,
                                                status=member.status.value if member.status
                                                else None))  # fmt: skip
