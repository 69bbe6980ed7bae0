"""The incubator's module graph at HEAD, with its tests and requirements attached.

What a graduation plan and a graduation run both start from: :func:`incubator_graph`
builds the graph of :mod:`oslo_incubator.graph.modules` from the master files of
:func:`oslo_incubator.history.master.read_master` (the import analysis cached per HEAD
commit), and :func:`known_modules` reads module names as a user types them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from oslo_incubator.analysis.imports import innermost_module
from oslo_incubator.graph.modules import (
    ExternalImport,
    TestFile,
    add_tests,
    build_module_graph,
    resolve_requirements,
)
from oslo_incubator.history.master import MasterTree
from oslo_incubator.model.codec import from_jsonable, to_jsonable
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.plan import DependencyKind, ImportLine
from oslo_incubator.workspace.cache import Cache

# Bump when the import analysis changes, so cached graphs of an older analysis are not used.
ANALYSIS_VERSION = "plan/1"


def incubator_graph(
    master: MasterTree,
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
) -> tuple[nx.DiGraph, tuple[TestFile, ...]]:
    """The module graph of ``master`` with tests and requirements attached (the
    attributes are documented in :mod:`oslo_incubator.graph.modules`), and the index of
    its test files. The import analysis is cached per HEAD commit."""
    key = hashlib.sha1(
        f"{ANALYSIS_VERSION}:{master.head}:{package_root.path}".encode()
    ).hexdigest()
    found = None
    if cache is not None:
        data = cache.get("plan-graph", key)
        if data is not None:
            try:
                found = _graph_from_json(data)
            except (ValueError, KeyError, TypeError):
                found = None  # an older or damaged entry: analyse again
    if found is None:
        graph = build_module_graph(master.modules, package_root)
        tests = add_tests(graph, master.tests, package_root)
        if cache is not None:
            cache.put("plan-graph", key, _graph_to_json(graph, tests))
    else:
        graph, tests = found
    resolve_requirements(graph, master.requirements)
    return graph, tests


def _graph_to_json(graph: nx.DiGraph, tests: Sequence[TestFile]) -> dict[str, Any]:
    nodes = [
        {k: to_jsonable(graph.nodes[m][k]) for k in ("files", "lines", "external", "tests")}
        | {"name": m}
        for m in graph
    ]
    edges = [
        {"source": u, "target": v, "kind": d["kind"].value, "sites": to_jsonable(d["sites"])}
        for u, v, d in graph.edges(data=True)
    ]
    return {"nodes": nodes, "edges": edges, "tests": to_jsonable(list(tests))}


def _graph_from_json(data: Mapping[str, Any]) -> tuple[nx.DiGraph, tuple[TestFile, ...]]:
    graph = nx.DiGraph()
    for node in data["nodes"]:
        graph.add_node(
            node["name"],
            files=tuple(node["files"]),
            lines=int(node["lines"]),
            external=tuple(from_jsonable(ExternalImport, e) for e in node["external"]),
            tests=tuple(node["tests"]),
            requirements=(),
            unmapped=(),
        )
    for edge in data["edges"]:
        graph.add_edge(
            edge["source"],
            edge["target"],
            kind=DependencyKind(edge["kind"]),
            sites=tuple(from_jsonable(ImportLine, s) for s in edge["sites"]),
        )
    return graph, tuple(from_jsonable(TestFile, t) for t in data["tests"])


def known_modules(
    graph: nx.DiGraph,
    modules: Sequence[str],
    package_root: PackageRoot,
    where: Path | None = None,
) -> tuple[str, ...]:
    """``modules`` as graph nodes (``a/b`` and ``a.b.py`` read as ``a.b``), without repeats.

    Raises:
        ConfigError: a name is not a module at HEAD (the message names the module that
            holds it, when one does); ``where`` is the path the error names.
    """
    known = []
    for raw in modules:
        module = raw.strip().replace("/", ".").removesuffix(".py")
        if module not in graph:
            parent = innermost_module(module, set(graph))
            hint = f"; it is part of module {parent!r}" if parent else ""
            raise ConfigError(f"no module {raw!r} under {package_root.path}/ at HEAD{hint}", where)
        known.append(module)
    return tuple(dict.fromkeys(known))
