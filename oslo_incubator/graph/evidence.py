"""The evidence that modules belong in one library, weighed into a graph of bonds.

A *bond* joins two modules; its weight is the sum of its *ties*, one per signal that
sees the two together. Each tie is a similarity between 0 and 1 times the signal's
weight in :data:`WEIGHTS`, so the constants say how much each kind of evidence counts:

``import`` (:data:`IMPORT_WEIGHT`)
    ``u`` imports ``v`` at module level: 1 / the number of modules importing ``v`` at
    module level. An import of a module that everything imports says little.
``helper`` (:data:`HELPER_WEIGHT`)
    ``v`` is imported by ``u`` alone (any kind of import) and by no consumer file: it
    is ``u``'s helper. Only when consumers are known (otherwise nobody can tell a helper
    from an API).
``co-change`` (:data:`CO_CHANGE_WEIGHT`)
    Incubator commits that changed both. A commit changing ``k`` modules gives each of
    its pairs 1/(k-1), so each module gets at most 1 from it; the pair's sum is divided
    by √(n_u·n_v), ``n`` being the commits counted for each module. Merge commits are
    left out, and so are *sweeping* commits (licence headers, style fixes, mass renames):
    those changing more than :func:`sweep_cut` modules. A pair needs at least
    :data:`CO_CHANGE_MIN_COMMITS` commits.
``co-consumption`` (:data:`CO_CONSUMPTION_WEIGHT`)
    Consumer files importing both: the phi coefficient of the two modules' sets of
    importing files, over every consumer file that imports an incubator module (how much
    more often than chance they are imported together), when positive and at least
    :data:`CO_CONSUMPTION_MIN_FILES` files import both. Projects are counted for people,
    not weighed: a handful of consumers says little about a pair.
``requirement`` (:data:`REQUIREMENT_WEIGHT`)
    A third-party distribution both need: log(N/n) / log(N) for the rarest one they
    share, ``n`` of the ``N`` modules needing it. One that more than
    :data:`REQUIREMENT_MAX_SHARE` of the modules need is no evidence.
``maintainer`` (:data:`MAINTAINER_WEIGHT`)
    A person MAINTAINERS lists for both (``M:`` lines): the same measure, for the
    person maintaining the fewest modules.
``name`` (:data:`NAME_WEIGHT`)
    A name family both belong to (:mod:`oslo_incubator.analysis.names`): the same
    measure, for the smallest family.

Graph attributes of the result (an undirected :class:`networkx.Graph` over every
module): edge ``weight`` (float) and ``ties`` (``tuple[Tie, ...]``, strongest first).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from oslo_incubator.analysis.names import NameFamily, name_families
from oslo_incubator.model.history import ModuleChange
from oslo_incubator.model.plan import Bond, DependencyKind, Signal, Tie

IMPORT_WEIGHT = 1.0
HELPER_WEIGHT = 2.0
CO_CHANGE_WEIGHT = 1.5
CO_CONSUMPTION_WEIGHT = 0.5
REQUIREMENT_WEIGHT = 0.5
MAINTAINER_WEIGHT = 1.0
NAME_WEIGHT = 1.0

#: The weight of each soft signal, as the plan reports it.
WEIGHTS: Mapping[Signal, float] = {
    Signal.IMPORT: IMPORT_WEIGHT,
    Signal.HELPER: HELPER_WEIGHT,
    Signal.CO_CHANGE: CO_CHANGE_WEIGHT,
    Signal.CO_CONSUMPTION: CO_CONSUMPTION_WEIGHT,
    Signal.REQUIREMENT: REQUIREMENT_WEIGHT,
    Signal.MAINTAINER: MAINTAINER_WEIGHT,
    Signal.NAME: NAME_WEIGHT,
}

#: A commit changing more modules than this is sweeping, whatever the incubator's size.
SWEEP_MIN_MODULES = 5
#: ... or than this share of the modules master has at HEAD, when that is more.
SWEEP_SHARE = 0.1
CO_CHANGE_MIN_COMMITS = 2
CO_CONSUMPTION_MIN_FILES = 2
REQUIREMENT_MAX_SHARE = 1 / 3
# Ties are rounded for output; sums use the exact values.
_DIGITS = 4

_TieSink = Callable[[str, str, Tie], None]


@dataclass(frozen=True)
class Evidence:
    """What the repositories say of the modules besides the import graph.

    ``changes``: the incubator commits that changed modules (see
    :meth:`~oslo_incubator.history.incubator.Incubator.module_changes`);
    ``consumer_files``: module → the consumer files (``project:path``) importing it,
    ``None`` when no consumer was read; ``maintainers``: module → the people MAINTAINERS
    lists for it.
    """

    changes: Sequence[ModuleChange] = ()
    consumer_files: Mapping[str, frozenset[str]] | None = None
    maintainers: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Bonds:
    """The weighed evidence: the bond graph and what it was made from, to describe a
    group of modules in numbers."""

    graph: nx.Graph
    families: tuple[NameFamily, ...]
    requirements: Mapping[str, frozenset[str]]  # distribution → modules needing it
    maintained: Mapping[str, frozenset[str]]  # person → modules
    changes: tuple[frozenset[str], ...]  # the commits counted, as the modules each changed
    swept: int  # commits left out as sweeping
    cut: int  # the sweep cut: commits changing more modules are left out
    consumer_files: Mapping[str, frozenset[str]] | None
    helpers: Mapping[str, str]  # helper module → the one module importing it

    def bond(self, a: str, b: str) -> Bond | None:
        """The bond between two modules, ``None`` when nothing ties them."""
        if not self.graph.has_edge(a, b):
            return None
        data = self.graph[a][b]
        first, second = sorted((a, b))
        return Bond((first, second), round(data["weight"], _DIGITS), data["ties"])

    def bonds_within(self, modules: Iterable[str]) -> tuple[Bond, ...]:
        """Every bond between two of ``modules``, strongest first."""
        members = sorted(set(modules))
        found = [b for u, v in combinations(members, 2) if (b := self.bond(u, v)) is not None]
        return tuple(sorted(found, key=lambda b: (-b.weight, b.modules)))

    def describe(self, modules: Iterable[str], graph: nx.DiGraph) -> tuple[str, ...]:
        """What holds ``modules`` together, in numbers: one phrase for each signal that
        ties two of them (nothing for a single module)."""
        members = frozenset(modules)
        present = {t.signal for b in self.bonds_within(members) for t in b.ties}
        size = len(members)
        out = []
        if Signal.IMPORT in present:
            inside = [
                (u, v)
                for u, v in graph.subgraph(members).edges
                if graph[u][v]["kind"] is DependencyKind.STRONG
            ]
            out.append(f"{_count(len(inside), 'module-level import')} between them")
        helpers = sorted(m for m, host in self.helpers.items() if {m, host} <= members)
        if helpers:
            out.append(f"only used from inside: {', '.join(helpers)}")
        if Signal.CO_CHANGE in present:
            together = sum(1 for c in self.changes if len(c & members) >= 2)
            out.append(f"changed together in {_count(together, 'commit')}")
        if Signal.CO_CONSUMPTION in present and self.consumer_files is not None:
            files = _files_importing_two(members, self.consumer_files)
            projects = {f.split(":", 1)[0] for f in files}
            out.append(
                f"imported together by {_count(len(files), 'consumer file')} "
                f"in {_count(len(projects), 'project')}"
            )
        if Signal.REQUIREMENT in present:
            out += _shared("need", self.requirements, members, size, len(graph))
        if Signal.MAINTAINER in present:
            out += _shared("maintained by", self.maintained, members, size, len(graph))
        if Signal.NAME in present:
            for family in self.families:
                shared = family.modules & members
                if len(shared) >= 2:
                    out.append(_family_text(family, len(shared), size))
        return tuple(out)


def sweep_cut(modules: int) -> int:
    """The most modules a commit may change and still count as co-change evidence."""
    return max(SWEEP_MIN_MODULES, math.ceil(SWEEP_SHARE * modules))


def weigh_evidence(graph: nx.DiGraph, evidence: Evidence) -> Bonds:
    """The bonds between the modules of ``graph`` (after
    :func:`~oslo_incubator.graph.modules.resolve_requirements`), from the import graph
    and ``evidence``; see the module docstring for each signal."""
    modules = sorted(graph)
    ties: dict[tuple[str, str], list[Tie]] = {}

    def tie(a: str, b: str, item: Tie) -> None:
        if a != b and item.weight > 0:
            ties.setdefault((min(a, b), max(a, b)), []).append(item)

    helpers = _import_ties(graph, evidence.consumer_files, tie)
    cut = sweep_cut(len(modules))
    counted = [c.modules for c in evidence.changes if 2 <= len(c.modules) <= cut]
    swept = sum(1 for c in evidence.changes if len(c.modules) > cut)
    known = set(modules)
    changes = tuple(frozenset(c & known) for c in counted)
    _co_change_ties(counted, known, tie)
    if evidence.consumer_files is not None:
        _co_consumption_ties(evidence.consumer_files, known, tie)
    requirements: dict[str, set[str]] = {}
    for module in modules:
        for req in graph.nodes[module]["requirements"]:
            requirements.setdefault(req.distribution, set()).add(module)
    needed = {r: frozenset(m) for r, m in requirements.items()}
    _shared_ties(needed, len(modules), Signal.REQUIREMENT, REQUIREMENT_MAX_SHARE, tie)
    maintained: dict[str, set[str]] = {}
    for module in modules:
        for person in evidence.maintainers.get(module, ()):
            maintained.setdefault(person, set()).add(module)
    people = {p: frozenset(m) for p, m in maintained.items()}
    _shared_ties(people, len(modules), Signal.MAINTAINER, 1.0, tie)
    families = name_families(modules)
    _family_ties(families, len(modules), tie)
    bonds = nx.Graph()
    bonds.add_nodes_from(modules)
    for (a, b), items in sorted(ties.items()):
        merged = _strongest_per_signal(items)
        weight = sum(t.weight for t in merged)
        rounded = tuple(
            Tie(t.signal, round(t.weight, _DIGITS), t.count, t.text)
            for t in sorted(merged, key=lambda t: (-t.weight, t.signal.value))
        )
        bonds.add_edge(a, b, weight=weight, ties=rounded)
    return Bonds(
        bonds, families, needed, people, changes, swept, cut, evidence.consumer_files, helpers
    )


# Private


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _rarity(members: int, modules: int) -> float:
    """log(N/n) / log(N): near 1 for something few of many modules share, 0 for
    something every module shares."""
    return math.log(modules / members) / math.log(modules) if modules > 1 else 0.0


def _import_ties(
    graph: nx.DiGraph,
    consumer_files: Mapping[str, frozenset[str]] | None,
    tie: _TieSink,
) -> dict[str, str]:
    helpers = {}
    for v in sorted(graph):
        strong_importers = sorted(
            u for u in graph.predecessors(v) if graph[u][v]["kind"] is DependencyKind.STRONG
        )
        for u in strong_importers:
            weight = IMPORT_WEIGHT / len(strong_importers)
            others = len(strong_importers) - 1
            text = f"{u} imports {v} at module level" + (
                f" (so {'does' if others == 1 else 'do'} {_count(others, 'other module')})"
                if others
                else ""
            )
            tie(u, v, Tie(Signal.IMPORT, weight, len(strong_importers), text))
        importers = list(graph.predecessors(v))
        if consumer_files is not None and len(importers) == 1 and not consumer_files.get(v):
            (u,) = importers
            text = f"{v} is imported only by {u}, and by no consumer"
            tie(u, v, Tie(Signal.HELPER, HELPER_WEIGHT, 1, text))
            helpers[v] = u
    return helpers


def _co_change_ties(counted: Sequence[frozenset[str]], known: set[str], tie: _TieSink) -> None:
    shared: dict[tuple[str, str], float] = {}
    together: dict[tuple[str, str], int] = {}
    commits: dict[str, int] = {}
    for change in counted:
        share = 1 / (len(change) - 1)
        members = sorted(change & known)
        for module in members:
            commits[module] = commits.get(module, 0) + 1
        for pair in combinations(members, 2):
            shared[pair] = shared.get(pair, 0.0) + share
            together[pair] = together.get(pair, 0) + 1
    for (a, b), amount in sorted(shared.items()):
        count = together[(a, b)]
        if count < CO_CHANGE_MIN_COMMITS:
            continue
        weight = CO_CHANGE_WEIGHT * amount / math.sqrt(commits[a] * commits[b])
        text = f"changed together in {count} commits (of {commits[a]} and {commits[b]})"
        tie(a, b, Tie(Signal.CO_CHANGE, weight, count, text))


def _co_consumption_ties(
    consumer_files: Mapping[str, frozenset[str]], known: set[str], tie: _TieSink
) -> None:
    used = {m: f for m, f in sorted(consumer_files.items()) if m in known and f}
    population = len(frozenset().union(*used.values())) if used else 0
    for a, b in combinations(sorted(used), 2):
        both = used[a] & used[b]
        if len(both) < CO_CONSUMPTION_MIN_FILES:
            continue
        fa, fb, n = len(used[a]), len(used[b]), population
        spread = math.sqrt(fa * fb * (n - fa) * (n - fb))
        if used[a] == used[b]:
            phi = 1.0  # always imported together (even by every consumer file)
        elif spread:
            phi = (len(both) * n - fa * fb) / spread
        else:
            continue  # one of them is imported by every file: no telling
        if phi <= 0:
            continue
        projects = len({f.split(":", 1)[0] for f in both})
        text = (
            f"imported together by {len(both)} consumer files (of {fa} and {fb}) "
            f"in {_count(projects, 'project')}"
        )
        tie(a, b, Tie(Signal.CO_CONSUMPTION, CO_CONSUMPTION_WEIGHT * phi, len(both), text))


def _shared_ties(
    holders: Mapping[str, frozenset[str]],
    modules: int,
    signal: Signal,
    max_share: float,
    tie: _TieSink,
) -> None:
    weight = WEIGHTS[signal]
    for name, members in sorted(holders.items()):
        if len(members) < 2 or len(members) > max_share * modules:
            continue
        rarity = _rarity(len(members), modules)
        if signal is Signal.REQUIREMENT:
            text = f"both need {name} ({len(members)} modules do)"
        else:
            text = f"both maintained by {name} ({len(members)} modules are)"
        for a, b in combinations(sorted(members), 2):
            tie(a, b, Tie(signal, weight * rarity, len(members), text))


def _family_ties(families: Sequence[NameFamily], modules: int, tie: _TieSink) -> None:
    for family in families:
        rarity = _rarity(len(family.modules), modules)
        text = _family_text(family, len(family.modules), len(family.modules))
        for a, b in combinations(sorted(family.modules), 2):
            tie(a, b, Tie(Signal.NAME, NAME_WEIGHT * rarity, len(family.modules), text))


def _family_text(family: NameFamily, shared: int, size: int) -> str:
    if family.kind == "containment":
        return f"names: {family.label}"
    count = f"{shared} modules" if shared == size else f"{shared} of {size} modules"
    if family.kind == "package":
        return f"package {family.stem} ({count})"
    return f"name family {family.label} ({count})"


def _strongest_per_signal(items: Iterable[Tie]) -> list[Tie]:
    """One tie per signal: the strongest (two shared requirements are one reason)."""
    best: dict[Signal, Tie] = {}
    for item in items:
        old = best.get(item.signal)
        if old is None or (item.weight, -len(item.text)) > (old.weight, -len(old.text)):
            best[item.signal] = item
    return list(best.values())


def _files_importing_two(
    members: frozenset[str], consumer_files: Mapping[str, frozenset[str]]
) -> set[str]:
    seen: dict[str, int] = {}
    for module in sorted(members):
        for path in consumer_files.get(module, ()):
            seen[path] = seen.get(path, 0) + 1
    return {f for f, n in seen.items() if n >= 2}


def _shared(
    verb: str,
    holders: Mapping[str, frozenset[str]],
    members: frozenset[str],
    size: int,
    modules: int,
) -> list[str]:
    """One phrase for what two or more of ``members`` share, the rarest three named."""
    max_share = REQUIREMENT_MAX_SHARE if verb == "need" else 1.0
    found = []
    for name, holding in holders.items():
        shared = len(holding & members)
        if shared >= 2 and len(holding) <= max_share * modules:
            found.append((len(holding), -shared, name, shared))
    if not found:
        return []
    parts = [
        f"{name} ({'all' if shared == size else f'{shared} of {size}'})"
        for _, _, name, shared in sorted(found)[:3]
    ]
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return [f"{verb} {', '.join(parts)}{more}"]
