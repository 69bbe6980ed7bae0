"""The incubator's module graph and the algorithms a graduation plan asks of it.

The graph is a :class:`networkx.DiGraph` whose nodes are modules as update.py names
them (``log`` for ``log.py``; ``db.sqlalchemy`` for the ``*.py`` files directly in
``db/sqlalchemy/``); an edge ``u → v`` means that ``u`` imports ``v``. Algorithms are
plain functions over that graph.

Node attributes:

``files``
    ``tuple[str, ...]``: the module's master files, repository-relative.
``lines``
    ``int``: lines in those files.
``external``
    ``tuple[ExternalImport, ...]``: imports of anything outside the package root.
``tests``
    ``tuple[str, ...]``: master test files importing the module (set by :func:`add_tests`).
``requirements``, ``unmapped``
    ``tuple[ThirdParty, ...]`` and ``tuple[str, ...]`` (set by :func:`resolve_requirements`).

Edge attributes:

``sites``
    ``tuple[ImportLine, ...]``: every import of ``v`` in ``u``'s files, in file order.
``kind``
    :class:`DependencyKind`: the strongest kind among the sites.

Which imports bind modules together: only *strong* (module-level) edges. A lazy import
(inside a function) or a weak one (a module path in a string) is needed at run time
only, so a cycle closed by one of them does not force its modules into one library; the
plan breaks such a cycle at that import and reports it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from oslo_incubator.analysis.imports import (
    ImportSite,
    dotted_module_of,
    expand_from_import,
    find_imports,
)
from oslo_incubator.analysis.requirements import Requirements, distribution_of, unmapped_name
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.plan import (
    Baggage,
    Cycle,
    DependencyKind,
    ImportLine,
    ModuleClosure,
    ModuleEdge,
    ThirdParty,
)
from oslo_incubator.workspace.copies import module_of_path

#: How much work (edge subsets tested × edges in the set) the exact feedback-arc-set
#: search may do in one strongly connected set before the greedy result stands: about
#: a tenth of a second.
EXACT_SEARCH_BUDGET = 200_000

Edge = tuple[str, str]


@dataclass(frozen=True)
class ExternalImport:
    """An import of something outside the package root (``sqlalchemy.orm``, ``os``)."""

    name: str
    kind: DependencyKind
    path: str
    line: int


@dataclass(frozen=True)
class TestFile:
    """A master test file, the incubator modules it imports and its other imports."""

    path: str
    modules: tuple[str, ...]
    external: tuple[ExternalImport, ...]


@dataclass(frozen=True)
class ModuleGroup:
    """Modules proposed to graduate together, and the hard reasons they are together
    (cycles, requests, overrides, recorded intent); ``intent`` is the library the
    records name for its modules, when they name one."""

    modules: frozenset[str]
    reasons: tuple[str, ...] = ()
    requested: tuple[str, ...] = ()
    intent: str | None = None


def build_module_graph(files: Mapping[str, str], package_root: PackageRoot) -> nx.DiGraph:
    """The module graph of the master ``files`` (path → text, repository-relative).

    Imports are found with :func:`~oslo_incubator.analysis.imports.find_imports`
    (absolute, relative, ``from <root> import x``, lazy, and weak strings naming
    ``<root>.x``); an import of a module's own files makes no edge.
    """
    root_module = package_root.module
    graph = nx.DiGraph()
    by_module: dict[str, list[str]] = {}
    for path in sorted(files):
        module = module_of_path(path, package_root)
        if module is not None:
            by_module.setdefault(module, []).append(path)
    known = {f"{root_module}.{m}": m for m in by_module}
    for module, paths in sorted(by_module.items()):
        graph.add_node(
            module,
            files=tuple(paths),
            lines=sum(_line_count(files[p]) for p in paths),
            external=(),
            tests=(),
            requirements=(),
            unmapped=(),
        )
    sites: dict[Edge, list[ImportLine]] = {}
    for module, paths in by_module.items():
        external: list[ExternalImport] = []
        for path in paths:
            dotted, is_package = dotted_module_of(path)
            found = find_imports(files[path], dotted, is_package, [root_module])
            for site in found:
                kind = DependencyKind(site.kind.value)
                if _is_under(site.module, root_module):
                    for target in _internal_targets(site, known):
                        if target != module:
                            sites.setdefault((module, target), []).append(
                                ImportLine(path, site.line, kind)
                            )
                elif site.module and site.module.split(".")[0] != root_module.split(".")[0]:
                    external.append(ExternalImport(site.module, kind, path, site.line))
        graph.nodes[module]["external"] = tuple(external)
    for (source, target), lines in sorted(sites.items()):
        kind = max((s.kind for s in lines), key=lambda k: k.strength)
        graph.add_edge(source, target, sites=tuple(lines), kind=kind)
    return graph


def add_tests(
    graph: nx.DiGraph, files: Mapping[str, str], package_root: PackageRoot
) -> tuple[TestFile, ...]:
    """Index master test files (path → text) by the modules they import.

    Module-level and lazy imports count; strings do not (a test patching
    ``'openstack.common.timeutils.utcnow'`` does not test ``timeutils``). Sets the
    ``tests`` attribute of every module and returns every test file, in path order,
    with its imports of anything but the incubator and the tests' own package.
    """
    root_module = package_root.module
    known = {f"{root_module}.{m}": m for m in graph}
    tests: dict[str, list[str]] = {m: [] for m in graph}
    indexed: list[TestFile] = []
    for path in sorted(files):
        if not path.endswith(".py"):
            continue
        dotted, is_package = dotted_module_of(path)
        local = {path.split("/")[0], root_module.split(".")[0]}
        modules: set[str] = set()
        external: list[ExternalImport] = []
        for site in find_imports(files[path], dotted, is_package):
            if _is_under(site.module, root_module):
                modules.update(_internal_targets(site, known))
            elif site.module and site.module.split(".")[0] not in local:
                kind = DependencyKind(site.kind.value)
                external.append(ExternalImport(site.module, kind, path, site.line))
        for module in modules:
            tests[module].append(path)
        indexed.append(TestFile(path, tuple(sorted(modules)), tuple(external)))
    for module, paths in tests.items():
        graph.nodes[module]["tests"] = tuple(paths)
    return tuple(indexed)


def third_party(
    imports: Iterable[ExternalImport], requirements: Requirements
) -> tuple[tuple[ThirdParty, ...], tuple[str, ...]]:
    """The distributions behind ``imports`` (standard library left out), and the
    imported names that no mapping or requirements file explains, both sorted."""
    found: dict[str, tuple[str, str, str, str, set[str], DependencyKind]] = {}
    unmapped: set[str] = set()
    for imp in imports:
        resolved = distribution_of(imp.name, requirements)
        if resolved.stdlib:
            continue
        if resolved.distribution is None:
            unmapped.add(unmapped_name(imp.name))
            continue
        req = resolved.requirement
        name = req.name if req else resolved.distribution
        key = name.lower()
        entry = found.get(key)
        if entry is None:
            entry = (
                name,
                req.specifier if req else "",
                req.marker if req else "",
                req.source if req else "",
                set(),
                imp.kind,
            )
        if imp.kind.strength > entry[5].strength:
            entry = (*entry[:5], imp.kind)
        entry[4].add(unmapped_name(imp.name))
        found[key] = entry
    result = tuple(
        ThirdParty(name, spec, marker, source, tuple(sorted(imports_)), kind)
        for name, spec, marker, source, imports_, kind in (found[k] for k in sorted(found))
    )
    return result, tuple(sorted(unmapped))


def merge_third_party(groups: Iterable[Iterable[ThirdParty]]) -> tuple[ThirdParty, ...]:
    """Union of requirement lists: one entry per distribution, imports united, the
    strongest kind kept; sorted by distribution."""
    merged: dict[str, ThirdParty] = {}
    for group in groups:
        for item in group:
            key = item.distribution.lower()
            old = merged.get(key)
            if old is None:
                merged[key] = item
                continue
            kind = max(old.kind, item.kind, key=lambda k: k.strength)
            imports = tuple(sorted(set(old.imports) | set(item.imports)))
            merged[key] = ThirdParty(
                old.distribution, old.specifier, old.marker, old.listed_in, imports, kind
            )
    return tuple(merged[k] for k in sorted(merged))


def resolve_requirements(graph: nx.DiGraph, requirements: Requirements) -> None:
    """Set the ``requirements`` and ``unmapped`` attributes of every module."""
    for module in graph:
        reqs, unmapped = third_party(graph.nodes[module]["external"], requirements)
        graph.nodes[module]["requirements"] = reqs
        graph.nodes[module]["unmapped"] = unmapped


def strong_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A read-only view of ``graph`` with its strong (module-level) edges only."""
    return nx.subgraph_view(
        graph, filter_edge=lambda u, v: graph[u][v]["kind"] is DependencyKind.STRONG
    )


def strong_closure(graph: nx.DiGraph, modules: Iterable[str]) -> frozenset[str]:
    """``modules`` and every module they need at import time, transitively."""
    strong = strong_graph(graph)
    result = set(modules)
    for module in list(result):
        result |= nx.descendants(strong, module)
    return frozenset(result)


def requirements_of(graph: nx.DiGraph, modules: Iterable[str]) -> tuple[ThirdParty, ...]:
    """The third-party requirements of ``modules`` together (after
    :func:`resolve_requirements`)."""
    return merge_third_party(graph.nodes[m]["requirements"] for m in sorted(set(modules)))


def baggage_of(graph: nx.DiGraph, requested: Iterable[str], modules: Iterable[str]) -> Baggage:
    """What ``modules`` add beyond ``requested``: the other modules, their lines, and
    the distributions that only they require."""
    asked = set(requested)
    extra = sorted(set(modules) - asked)
    own = {r.distribution.lower() for r in requirements_of(graph, asked)}
    added = tuple(
        r.distribution for r in requirements_of(graph, extra) if r.distribution.lower() not in own
    )
    return Baggage(tuple(extra), sum(graph.nodes[m]["lines"] for m in extra), added)


def closure_of(graph: nx.DiGraph, modules: Sequence[str]) -> ModuleClosure:
    """The strong closure of ``modules``, its baggage and its requirements (after
    :func:`resolve_requirements`)."""
    requested = tuple(dict.fromkeys(modules))
    closure = strong_closure(graph, requested)
    unmapped = sorted({n for m in closure for n in graph.nodes[m]["unmapped"]})
    return ModuleClosure(
        requested,
        tuple(sorted(closure)),
        baggage_of(graph, requested, closure),
        requirements_of(graph, closure),
        tuple(unmapped),
    )


def module_edges(graph: nx.DiGraph, edges: Iterable[Edge] | None = None) -> tuple[ModuleEdge, ...]:
    """The given edges (all by default) as model objects, sorted."""
    chosen = sorted(graph.edges if edges is None else edges)
    return tuple(ModuleEdge(u, v, graph[u][v]["kind"], graph[u][v]["sites"]) for u, v in chosen)


def feedback_arc_set(
    graph: nx.DiGraph,
    removable: Callable[[str, str], bool] | None = None,
    budget: int = EXACT_SEARCH_BUDGET,
) -> tuple[tuple[Edge, ...], bool]:
    """The fewest edges of ``graph`` whose removal leaves no cycle.

    Each strongly connected set is solved on its own. A greedy heuristic first keeps
    edges heaviest first (strong before lazy before weak, then by import sites) and
    drops each edge that would close a cycle: its result breaks every cycle and is
    minimal (no dropped edge can be put back), though not always minimum. Exact search
    then tries every subset of the removable edges by increasing size, up to the greedy
    size, while the subsets to try stay within ``budget``; among equally small sets it
    prefers the weakest edges with the fewest import sites (the cheapest to change).
    When the budget runs out before a smaller set is found, the greedy set stands
    (exact only if every smaller size was ruled out).

    Args:
        graph: edges carry ``kind`` and ``sites``.
        removable: which edges may be removed (default: all); the others must not
            form a cycle among themselves.
        budget: work the exact search may do per strongly connected set (subsets
            tested times edges in the set).

    Returns:
        The edges to remove, sorted, and whether every set was solved exactly.
    """
    can_remove = removable or (lambda u, v: True)
    chosen: list[Edge] = []
    exact = True
    for component in _cyclic_components(graph):
        sub = graph.subgraph(component)
        edges = sorted(sub.edges)
        fixed = [e for e in edges if not can_remove(*e)]
        candidates = [e for e in edges if can_remove(*e)]
        greedy = _greedy_feedback_set(sub, fixed, candidates)
        found, proven = _exact_feedback_set(sub, fixed, candidates, len(greedy), budget)
        exact = exact and proven
        chosen += greedy if found is None else found
    return tuple(sorted(chosen)), exact


def find_cycles(graph: nx.DiGraph, budget: int = EXACT_SEARCH_BUDGET) -> tuple[Cycle, ...]:
    """Every set of modules that import each other round a cycle, any kind of import.

    Each :class:`~oslo_incubator.model.plan.Cycle` lists the import edges among its
    modules with their lines, the fewest edges whose removal breaks it (see
    :func:`feedback_arc_set`) and whether module-level imports alone close it.
    """
    cycles = []
    for component in _cyclic_components(graph):
        sub = graph.subgraph(component)
        breaking, exact = feedback_arc_set(sub, budget=budget)
        forced = not nx.is_directed_acyclic_graph(strong_graph(sub))
        cycles.append(
            Cycle(
                tuple(sorted(component)),
                module_edges(sub),
                module_edges(sub, breaking),
                exact,
                forced,
            )
        )
    return tuple(sorted(cycles, key=lambda c: c.modules))


def library_graph(graph: nx.DiGraph, groups: Sequence[ModuleGroup]) -> nx.DiGraph:
    """The graph of groups (nodes are indexes into ``groups``): an edge ``a → b`` when a
    module of ``a`` imports one of ``b``, with ``kind`` the strongest such import and
    ``sites`` all their lines."""
    owner = {m: i for i, g in enumerate(groups) for m in g.modules}
    result = nx.DiGraph()
    result.add_nodes_from(range(len(groups)))
    for u, v, data in graph.edges(data=True):
        a, b = owner[u], owner[v]
        if a == b:
            continue
        if result.has_edge(a, b):
            old = result[a][b]
            kind = max(old["kind"], data["kind"], key=lambda k: k.strength)
            result.add_edge(a, b, kind=kind, sites=old["sites"] + data["sites"])
        else:
            result.add_edge(a, b, kind=data["kind"], sites=data["sites"])
    return result


def graduation_order(
    graph: nx.DiGraph,
    groups: Sequence[ModuleGroup],
    names: Sequence[str],
    uses: Sequence[int] = (),
) -> tuple[list[int], tuple[Edge, ...]]:
    """An order of ``groups`` in which each comes after the groups it imports.

    Module-level imports are always respected; lazy and weak ones too, except the
    fewest that close a cycle between groups (:func:`feedback_arc_set`). Among the
    groups free to go next, the most valuable goes first: the one that is, or unblocks,
    the group with the most consumer import sites (``uses``, one per group; none when
    no consumer is known); then alphabetically by ``names``.

    Returns:
        Group indexes in graduation order, and the lazy/weak group edges (as pairs of
        group names) that had to point forward.
    """
    libs = library_graph(graph, groups)
    deferred, _ = feedback_arc_set(
        libs, removable=lambda a, b: libs[a][b]["kind"] is not DependencyKind.STRONG
    )
    dag = libs.copy()
    dag.remove_edges_from(deferred)
    value = [0] * len(groups)
    if uses:
        for index in dag:
            value[index] = max(uses[i] for i in (nx.ancestors(dag, index) | {index}))
    order = list(
        nx.lexicographical_topological_sort(dag.reverse(), key=lambda i: (-value[i], names[i]))
    )
    return order, tuple(sorted((names[int(a)], names[int(b)]) for a, b in deferred))


# Private


def _line_count(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def _is_under(dotted: str, root_module: str) -> bool:
    return dotted == root_module or dotted.startswith(root_module + ".")


def _internal_targets(site: ImportSite, known: Mapping[str, str]) -> set[str]:
    names = expand_from_import(site) if site.names else [site.module]
    targets = set()
    for name in names:
        found = _innermost(name, known)
        if found is not None:
            targets.add(found)
    return targets


def _innermost(dotted: str, known: Mapping[str, str]) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        module = known.get(".".join(parts[:end]))
        if module is not None:
            return module
    return None


def _cyclic_components(graph: nx.DiGraph) -> list[frozenset[str]]:
    found = [frozenset(c) for c in nx.strongly_connected_components(graph)]
    return sorted((c for c in found if len(c) > 1), key=lambda c: sorted(c))


def _edge_cost(graph: nx.DiGraph, edge: Edge) -> tuple[int, int]:
    data = graph[edge[0]][edge[1]]
    return data["kind"].strength, len(data["sites"])


def _is_acyclic(nodes: Iterable[str], edges: Iterable[Edge]) -> bool:
    indegree = dict.fromkeys(nodes, 0)
    successors: dict[str, list[str]] = {n: [] for n in indegree}
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return seen == len(indegree)


def _exact_feedback_set(
    graph: nx.DiGraph, fixed: list[Edge], candidates: list[Edge], upper: int, budget: int
) -> tuple[list[Edge] | None, bool]:
    """Search subsets by increasing size up to ``upper`` (the greedy set's size, which
    is known to work). Returns the best subset of the smallest size that works (None
    when the search stopped first) and whether the greedy size is proven minimum
    otherwise."""
    nodes = list(graph)
    spent = 0
    for size in range(1, upper + 1):
        spent += math.comb(len(candidates), size) * (len(fixed) + len(candidates))
        if spent > budget:
            # Every smaller size failed: the greedy set is as small as can be.
            return None, size == upper
        best: tuple[tuple[int, int, list[Edge]], list[Edge]] | None = None
        for subset in combinations(candidates, size):
            removed = set(subset)
            kept = fixed + [e for e in candidates if e not in removed]
            if not _is_acyclic(nodes, kept):
                continue
            costs = [_edge_cost(graph, e) for e in subset]
            score = (sum(c[0] for c in costs), sum(c[1] for c in costs), sorted(subset))
            if best is None or score < best[0]:
                best = (score, list(subset))
        if best is not None:
            return best[1], True
    return None, True


def _greedy_feedback_set(
    graph: nx.DiGraph, fixed: list[Edge], candidates: list[Edge]
) -> list[Edge]:
    kept = nx.DiGraph()
    kept.add_nodes_from(graph)
    kept.add_edges_from(fixed)
    dropped = []
    heaviest_first = [
        (-cost[0], -cost[1], edge) for edge in candidates for cost in [_edge_cost(graph, edge)]
    ]
    heapq.heapify(heaviest_first)
    while heaviest_first:
        _, _, (u, v) = heapq.heappop(heaviest_first)
        if nx.has_path(kept, v, u):
            dropped.append((u, v))
        else:
            kept.add_edge(u, v)
    return dropped
