"""Which modules graduate together: the module graph partitioned under constraints.

Hard constraints first make *units* that never split:

1. modules that import each other round a cycle of module-level imports;
2. the requested modules (``--module``) and everything they import at module level:
   one library that nothing else joins;
3. each ``--together`` set;
4. modules whose records name the same library (recorded intent);

and a module on a module-level import path between two modules of one unit joins it
(else that unit's library would sit on both sides of another library).

The units are then partitioned on the bond graph of
:mod:`oslo_incubator.graph.evidence`:

5. two units bound to each other and to nothing else join (modularity at a
   resolution above 1 would leave them apart);
6. networkx's Louvain communities (fixed seed, so the same input gives the same plan),
   at the resolution of the granularity (:data:`RESOLUTION`): higher gives smaller
   libraries;
7. inside each community, units join strongest bond first while the constraints hold:
   no two modules kept apart (``--apart``, records naming different libraries, the
   requested library), and no cycle of module-level imports between libraries;
8. then any two groups whose joining raises the modularity join, best gain first,
   under the same constraints;
9. with consumers known, a group that no consumer imports and that one other group
   alone imports joins that group: it is its helper.

What is left apart is explained: for the strongest bonds between libraries (*close
calls*), which constraint, import cycle or weighing kept them apart.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from oslo_incubator.graph.evidence import Bonds
from oslo_incubator.graph.modules import ModuleGroup, strong_closure, strong_graph
from oslo_incubator.model.errors import PlanConstraintError
from oslo_incubator.model.plan import Bond, Granularity

#: The Louvain and modularity resolution of each granularity.
RESOLUTION: Mapping[Granularity, float] = {
    Granularity.FINE: 4.0,
    Granularity.BALANCED: 2.0,
    Granularity.COARSE: 1.0,
}
LOUVAIN_SEED = 0
#: A bond between libraries this strong is a close call worth explaining ...
CLOSE_CALL_MIN_WEIGHT = 0.5
#: ... and each library explains at most this many.
CLOSE_CALLS_PER_LIBRARY = 3


@dataclass(frozen=True)
class Intent:
    """The library a record names for a module, and the record (``obsolete.txt``,
    ``MAINTAINERS``, ``shim``)."""

    library: str
    record: str


@dataclass(frozen=True)
class Constraints:
    """What the plan must respect besides the imports: the user's ``--together`` and
    ``--apart`` sets, the requested modules, and the recorded intent of modules."""

    together: tuple[tuple[str, ...], ...] = ()
    apart: tuple[tuple[str, ...], ...] = ()
    requested: tuple[str, ...] = ()
    intent: Mapping[str, Intent] = field(default_factory=dict)
    released: frozenset[str] = frozenset()  # libraries out already: nothing else joins them


@dataclass(frozen=True)
class Separation:
    """A close call between two groups (indexes into :attr:`Grouping.groups`, in the
    order of the bond's modules) and what kept them apart: ``cycle``, the module-level
    imports (one per library crossed) that joining the groups would turn into a cycle
    between libraries, else ``apart``, the constraint or weighing that did."""

    bond: Bond
    groups: tuple[int, int]
    apart: str
    cycle: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Grouping:
    """Groups sorted by their smallest module, the close calls between them, and notes
    (a recorded intent that could not be followed)."""

    groups: tuple[ModuleGroup, ...]
    close_calls: tuple[Separation, ...]
    notes: tuple[str, ...] = ()


def group_modules(
    graph: nx.DiGraph,
    bonds: Bonds | None = None,
    constraints: Constraints = Constraints(),
    granularity: Granularity = Granularity.BALANCED,
) -> Grouping:
    """Propose which modules graduate together (see the module docstring).

    Args:
        graph: the module graph.
        bonds: the weighed evidence; without it, only the hard constraints group.
        constraints: overrides, requested modules and recorded intent.
        granularity: how large the libraries are.

    Raises:
        PlanConstraintError: the user's constraints contradict each other or the
            imports (``--together a,b`` and ``--apart a,b``; ``--apart`` of modules
            in one import cycle).
    """
    state = _Partition(graph, bonds, constraints)
    state.apply_hard_constraints()
    if bonds is not None:
        resolution = RESOLUTION[granularity]
        state.join_pairs()
        state.join_communities(resolution)
        state.join_by_modularity(resolution)
        if bonds.consumer_files is not None:
            state.absorb_helpers(bonds.consumer_files)
    return state.result(granularity)


# Private


class _Partition:
    """Groups of modules as they are being joined, with what each join must respect.

    Groups have integer ids; ``quotient`` is the graph of module-level imports between
    groups, kept acyclic; ``between`` the summed bond weights between groups.
    """

    def __init__(self, graph: nx.DiGraph, bonds: Bonds | None, constraints: Constraints):
        self.graph = graph
        self.strong = strong_graph(graph)
        self.bonds = bonds
        self.constraints = constraints
        self.apart = {
            frozenset(pair)
            for group in constraints.apart
            for pair in combinations(sorted(set(group)), 2)
        }
        self.notes: list[str] = []
        self.members: dict[int, frozenset[str]] = {}
        self.reasons: dict[int, list[str]] = {}
        self.frozen: set[int] = set()
        self.sealed: set[int] = set()  # a released library's modules: nothing joins them
        self.owner: dict[str, int] = {}
        components = sorted(
            (sorted(c) for c in nx.strongly_connected_components(self.strong)),
            key=lambda c: c[0],
        )
        for index, component in enumerate(components):
            self.members[index] = frozenset(component)
            self.reasons[index] = (
                [f"module-level import cycle: {', '.join(component)}"]
                if len(component) > 1
                else []
            )
            for module in component:
                self.owner[module] = index
        self._check_cycles_against_apart()
        self.quotient = nx.DiGraph()
        self.quotient.add_nodes_from(self.members)
        for u, v in self.strong.edges:
            if self.owner[u] != self.owner[v]:
                self.quotient.add_edge(self.owner[u], self.owner[v])
        self.between: dict[int, dict[int, float]] = {g: {} for g in self.members}
        self.degree: dict[int, float] = dict.fromkeys(self.members, 0.0)
        self.total = 0.0
        if bonds is not None:
            for a, b, weight in sorted(bonds.graph.edges(data="weight")):
                self.total += weight
                self.degree[self.owner[a]] += weight
                self.degree[self.owner[b]] += weight
                ga, gb = self.owner[a], self.owner[b]
                if ga != gb:
                    self.between[ga][gb] = self.between[ga].get(gb, 0.0) + weight
                    self.between[gb][ga] = self.between[gb].get(ga, 0.0) + weight

    # Hard constraints

    def apply_hard_constraints(self) -> None:
        requested = self.constraints.requested
        if requested:
            closure = strong_closure(self.graph, requested)
            reasons = [f"requested: {', '.join(requested)}"]
            baggage = sorted(closure - set(requested))
            if baggage:
                reasons.append(
                    f"needed at import time by the requested modules: {', '.join(baggage)}"
                )
            for a, b in combinations(sorted(closure), 2):
                if frozenset((a, b)) in self.apart:
                    raise PlanConstraintError(
                        f"--apart {a},{b}: the requested modules need both at import time"
                    )
            group = self._join_all(sorted({self.owner[m] for m in closure}), reasons)
            self.frozen.add(group)
        for together in self.constraints.together:
            names = sorted(set(together))
            problem = self._try_hard_join(names, f"--together {','.join(names)}")
            if problem is not None:
                raise PlanConstraintError(f"--together {','.join(names)}: {problem}")
        for group in sorted(self.members, key=self._key):
            named = self._intents(group)
            if len(set(named.values())) > 1:
                listed = ", ".join(f"{m} → {lib}" for m, lib in sorted(named.items()))
                self.notes.append(
                    f"not followed: records name different libraries for modules that must "
                    f"go together ({listed})"
                )
        by_library: dict[str, list[str]] = {}
        for module, intent in sorted(self.constraints.intent.items()):
            if module in self.owner:
                by_library.setdefault(intent.library, []).append(module)
        for library, modules in sorted(by_library.items()):
            records = sorted({self.constraints.intent[m].record for m in modules})
            reason = f"recorded intent: {' and '.join(records)} name {library} for " + ", ".join(
                modules
            )
            problem = self._try_hard_join(modules, reason)
            if problem is not None:
                self.notes.append(f"not followed: {reason}; {problem}")
            elif library in self.constraints.released:
                self.sealed.add(self.owner[modules[0]])

    def _try_hard_join(self, modules: Sequence[str], reason: str) -> str | None:
        """Join the groups of ``modules`` and whatever lies between them; on a conflict,
        change nothing and say what the conflict is."""
        saved = self._save()
        groups = sorted({self.owner[m] for m in modules})
        if len(groups) < 2:
            if groups:
                self.reasons[groups[0]].append(reason)
            return None
        joined = groups[0]
        for other in groups[1:]:
            problem = self.conflict(joined, other)
            if problem is not None:
                self._restore(saved)
                return problem
            joined = self.merge(joined, other, None)
        self.reasons[joined].append(reason)
        while True:
            cyclic = [
                sorted(c) for c in nx.strongly_connected_components(self.quotient) if len(c) > 1
            ]
            if not cyclic:
                return None
            component = min(cyclic)
            first = joined if joined in component else component[0]
            for other in [g for g in component if g != first]:
                problem = self.conflict(first, other)
                if problem is not None:
                    self._restore(saved)
                    return f"the imports put {self._name(other)} between them, and {problem}"
                added = self._name(other)
                first = self.merge(first, other, None)
                self.reasons[first].append(f"imported between modules that go together: {added}")

    def _join_all(self, groups: Sequence[int], reasons: Sequence[str]) -> int:
        first = groups[0]
        for other in groups[1:]:
            first = self.merge(first, other, None)
        self.reasons[first] += list(reasons)
        return first

    def _check_cycles_against_apart(self) -> None:
        for pair in sorted(self.apart, key=sorted):
            a, b = sorted(pair)
            if a in self.owner and b in self.owner and self.owner[a] == self.owner[b]:
                raise PlanConstraintError(
                    f"--apart {a},{b}: they import each other round a module-level cycle"
                )

    # Soft joins

    def join_communities(self, resolution: float) -> None:
        units = nx.Graph()
        units.add_nodes_from(sorted(self.members))
        for a in sorted(self.between):
            for b, weight in sorted(self.between[a].items()):
                if a < b:
                    units.add_edge(a, b, weight=weight)
        if units.number_of_edges() == 0:
            return
        communities = nx.community.louvain_communities(
            units, weight="weight", resolution=resolution, seed=LOUVAIN_SEED
        )
        community = {g: n for n, c in enumerate(communities) for g in c}
        while True:
            candidates = sorted(
                (-weight, self._key(a), self._key(b), a, b)
                for a in self.between
                for b, weight in self.between[a].items()
                if a < b and weight > 0 and community[a] == community[b]
            )
            for *_, a, b in candidates:
                if self.allowed(a, b):
                    merged = self.merge(a, b, None)
                    community[merged] = community[a]
                    break
            else:
                return

    def join_by_modularity(self, resolution: float) -> None:
        while True:
            candidates = sorted(
                (-gain, self._key(a), self._key(b), a, b)
                for a in self.between
                for b in self.between[a]
                if a < b and (gain := self.gain(a, b, resolution)) > 0
            )
            for *_, a, b in candidates:
                if self.allowed(a, b):
                    self.merge(a, b, None)
                    break
            else:
                return

    def join_pairs(self) -> None:
        """Two groups bound to each other and to nothing else join: modularity at a
        resolution of 2 or more never joins a pair that holds all the evidence of its
        part of the graph (in a small incubator that can be all there is)."""
        for group in sorted(self.members, key=self._key):
            if group not in self.members:
                continue
            neighbours = [g for g, w in self.between[group].items() if w > 0]
            if len(neighbours) != 1:
                continue
            (other,) = neighbours
            alone = [g for g, w in self.between[other].items() if w > 0] == [group]
            if alone and self.allowed(group, other):
                self.merge(min(group, other), max(group, other), None)

    def absorb_helpers(self, consumer_files: Mapping[str, frozenset[str]]) -> None:
        changed = True
        while changed:
            changed = False
            for group in sorted(self.members, key=self._key):
                modules = self.members[group]
                if group in self.frozen or any(consumer_files.get(m) for m in modules):
                    continue
                importers = {
                    self.owner[u] for m in modules for u in self.graph.predecessors(m)
                } - {group}
                if len(importers) != 1:
                    continue
                (host,) = importers
                if not self.allowed(host, group):
                    continue
                names = ", ".join(sorted(modules))
                self.merge(
                    host, group, f"{names}: imported by no consumer, only from within this library"
                )
                changed = True
                break

    def gain(self, a: int, b: int, resolution: float) -> float:
        """The change in modularity if groups ``a`` and ``b`` join."""
        if not self.total:
            return 0.0
        weight = self.between[a].get(b, 0.0)
        return weight / self.total - resolution * self.degree[a] * self.degree[b] / (
            2 * self.total * self.total
        )

    # Checks

    def allowed(self, a: int, b: int) -> bool:
        return self.conflict(a, b) is None and self.cycle_path(a, b) is None

    def conflict(self, a: int, b: int) -> str | None:
        """The constraint that keeps groups ``a`` and ``b`` apart, if one does."""
        if a in self.frozen or b in self.frozen:
            return "the requested library takes the requested modules and their closure only"
        if a in self.sealed or b in self.sealed:
            return "a library released already keeps the modules its records name, no other"
        for x in sorted(self.members[a]):
            for y in sorted(self.members[b]):
                if frozenset((x, y)) in self.apart:
                    return f"--apart {min(x, y)},{max(x, y)}"
        named_a = self._intents(a)
        named_b = self._intents(b)
        differing = [
            (x, lib_x, y, lib_y)
            for x, lib_x in sorted(named_a.items())
            for y, lib_y in sorted(named_b.items())
            if lib_x != lib_y
        ]
        if differing:
            x, lib_x, y, lib_y = differing[0]
            return (
                f"records name different libraries: {x} → {lib_x} "
                f"({self.constraints.intent[x].record}), {y} → {lib_y} "
                f"({self.constraints.intent[y].record})"
            )
        return None

    def cycle_path(self, a: int, b: int) -> list[int] | None:
        """Groups on a module-level import path from one of ``a``, ``b`` to the other
        through a third group (joining them would make a cycle), or ``None``."""
        for source, target in ((a, b), (b, a)):
            for step in sorted(self.quotient.successors(source)):
                if step != target and nx.has_path(self.quotient, step, target):
                    return [source, *nx.shortest_path(self.quotient, step, target)]
        return None

    # Changes

    def merge(self, a: int, b: int, reason: str | None) -> int:
        """Join group ``b`` into ``a``; returns ``a``."""
        self.members[a] = self.members[a] | self.members.pop(b)
        self.reasons[a] += self.reasons.pop(b)
        if reason:
            self.reasons[a].append(reason)
        if b in self.frozen:
            self.frozen.discard(b)
            self.frozen.add(a)
        if b in self.sealed:
            self.sealed.discard(b)
            self.sealed.add(a)
        for module in self.members[a]:
            self.owner[module] = a
        nx.contracted_nodes(self.quotient, a, b, self_loops=False, copy=False)
        moved = self.between.pop(b)
        for other, weight in moved.items():
            del self.between[other][b]
            if other != a:
                self.between[a][other] = self.between[a].get(other, 0.0) + weight
                self.between[other][a] = self.between[other].get(a, 0.0) + weight
        self.between[a].pop(a, None)
        self.degree[a] += self.degree.pop(b)
        return a

    def _save(self) -> _Partition:
        """A copy of the groups to go back to (the graph and constraints shared)."""
        saved = copy.copy(self)
        saved.members = dict(self.members)
        saved.reasons = {g: list(r) for g, r in self.reasons.items()}
        saved.frozen = set(self.frozen)
        saved.sealed = set(self.sealed)
        saved.owner = dict(self.owner)
        saved.quotient = self.quotient.copy()
        saved.between = {g: dict(w) for g, w in self.between.items()}
        saved.degree = dict(self.degree)
        return saved

    def _restore(self, saved: _Partition) -> None:
        self.__dict__.update(saved.__dict__)

    # Reading

    def _key(self, group: int) -> tuple[str, ...]:
        return tuple(sorted(self.members[group]))

    def _name(self, group: int) -> str:
        return ", ".join(sorted(self.members[group]))

    def _intents(self, group: int) -> dict[str, str]:
        intent = self.constraints.intent
        return {m: intent[m].library for m in self.members[group] if m in intent}

    def result(self, granularity: Granularity) -> Grouping:
        ids = sorted(self.members, key=self._key)
        index = {g: n for n, g in enumerate(ids)}
        groups = []
        for g in ids:
            named = sorted(set(self._intents(g).values()))
            groups.append(
                ModuleGroup(
                    self.members[g],
                    tuple(dict.fromkeys(self.reasons[g])),
                    self._requested(g),
                    named[0] if len(named) == 1 else None,
                )
            )
        calls = self._close_calls(granularity)
        separations = tuple(
            Separation(bond, (index[self.owner[a]], index[self.owner[b]]), why, cycle)
            for bond, why, cycle in calls
            for a, b in [bond.modules]
        )
        return Grouping(tuple(groups), separations, tuple(self.notes))

    def _requested(self, group: int) -> tuple[str, ...]:
        return self.constraints.requested if group in self.frozen else ()

    def _close_calls(
        self, granularity: Granularity
    ) -> list[tuple[Bond, str, tuple[tuple[str, str], ...]]]:
        if self.bonds is None:
            return []
        across = []
        for a, b in sorted(self.bonds.graph.edges):
            if self.owner[a] == self.owner[b]:
                continue
            bond = self.bonds.bond(a, b)
            if bond is not None and bond.weight >= CLOSE_CALL_MIN_WEIGHT:
                across.append(bond)
        across.sort(key=lambda b: (-b.weight, b.modules))
        kept: dict[int, int] = {}
        calls = []
        for bond in across:
            ga, gb = (self.owner[m] for m in bond.modules)
            if kept.get(ga, 0) >= CLOSE_CALLS_PER_LIBRARY and kept.get(gb, 0) >= (
                CLOSE_CALLS_PER_LIBRARY
            ):
                continue
            kept[ga] = kept.get(ga, 0) + 1
            kept[gb] = kept.get(gb, 0) + 1
            calls.append((bond, *self._why_apart(ga, gb, granularity)))
        return calls

    def _why_apart(
        self, a: int, b: int, granularity: Granularity
    ) -> tuple[str, tuple[tuple[str, str], ...]]:
        problem = self.conflict(a, b)
        if problem is not None:
            return problem, ()
        path = self.cycle_path(a, b)
        if path is not None:
            hops = tuple(self._example_import(x, y) for x, y in zip(path, path[1:], strict=False))
            return "joining would make an import cycle between libraries", hops
        resolution = RESOLUTION[granularity]
        weight = self.between[a].get(b, 0.0)
        chance = resolution * self.degree[a] * self.degree[b] / (2 * self.total)
        return (
            f"all ties between the two libraries weigh {weight:.2f}, less than chance "
            f"would give at {granularity.value} granularity ({chance:.2f})"
        ), ()

    def _example_import(self, source: int, target: int) -> tuple[str, str]:
        return min(
            (u, v)
            for u in self.members[source]
            for v in self.strong.successors(u)
            if self.owner[v] == target
        )
