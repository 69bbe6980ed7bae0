"""Scan's family algorithm as pure functions: exact classes, candidate pairs, master
families and clusters, families with their representatives, and the ranking of
incubation candidates (the method is described in doc/source/scan.rst).

The files come in as a :class:`Fleet` (project files, then master versions), each with
its fingerprint. What needs processes, git or the cache comes in as arguments: the
exact similarity of two units (scan tokenises them again on its workers), the master
of a family (from the incubator's history) and when git added each file.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from oslo_incubator.analysis.fingerprint import candidate_pairs, content_key
from oslo_incubator.model.drift import CopyDrift, DriftStatus
from oslo_incubator.model.history import Version
from oslo_incubator.model.scan import (
    Candidate,
    Family,
    FilePrint,
    Grain,
    Master,
    Member,
    ScanOptions,
    UnitKind,
    UnitPrint,
)

ESTIMATE_MARGIN = 0.15  # about three standard errors of a 64-value MinHash estimate
MASTER_CANDIDATES = 3  # masters verified per unit, best estimates first


@dataclass(slots=True)  # many of these: slots make them smaller and quicker to make
class Source:
    """A project file or a master version, with its fingerprint.

    ``lineage`` is, for a project file, the master lineage drift located it as a copy
    of (``declared`` holds drift's finding); for a master version, its lineage.
    """

    project: int | None  # None for a master version
    path: str
    print: FilePrint | None
    lineage: str | None = None
    declared: CopyDrift | None = None
    version: Version | None = None  # master versions
    newest: bool = False  # master versions: the lineage's newest content


@dataclass(slots=True)
class Unit:
    """One fingerprinted unit (module or top-level symbol) of a file."""

    grain: Grain
    source: int  # index into Fleet.files
    print: UnitPrint
    master: bool = False


@dataclass(slots=True)
class Class:
    """Units with equal normalised tokens (exact copies), compared as one."""

    key: str
    units: list[Unit]
    anchor: str | None = None  # the master family the class belongs to
    eligible: bool = False  # large enough to be compared by similarity


@dataclass
class Group:
    """A family being built: its units and, when it has one, its master unit."""

    grain: Grain
    anchor: str | None
    units: list[Unit] = field(default_factory=list)
    master: Unit | None = None


@dataclass
class Grouping:
    """One grain on its way to groups (see :func:`propose`)."""

    grain: Grain
    classes: dict[str, Class]  # by content key
    groups: dict[str, Group]  # by anchor: what position alone decided
    eligible: list[Class]  # large enough to be compared by similarity
    checks: list[tuple[Unit, Unit]]  # the pairs to compare exactly


Similarity = Callable[[Unit, Unit], float]  # exact, rounded to 4 places
# The candidate pairs of eligible classes, as fingerprint.candidate_pairs gives them
# (a cluster brings them from its buckets instead).
Candidates = Callable[[Grain, list[Class], list[bool]], list[tuple[int, int, float]]]
Added = dict[int, dict[str, int]]  # project index -> path -> Unix time git added it


@dataclass
class Fleet:
    """What a scan compares: its files (the projects', then master versions) and its
    projects' names."""

    files: list[Source]
    projects: list[str]
    # Lineage -> the symbol names of its newest master version.
    newest_symbols: dict[str, set[str | None]] = field(init=False)
    # Lineage -> the module keys of all its master versions.
    master_keys: dict[str, set[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.newest_symbols = {}
        self.master_keys = {}
        for f in self.files:
            if f.project is not None or f.lineage is None:
                continue
            if f.newest:
                symbols = f.print.symbols if f.print is not None else ()
                self.newest_symbols[f.lineage] = {s.name for s in symbols}
            if f.print is not None and f.print.module is not None:
                self.master_keys.setdefault(f.lineage, set()).add(f.print.module.key)

    def unit_order(self, unit: Unit) -> tuple[int, str, int]:
        """Project, path, line: masters after every project."""
        f = self.files[unit.source]
        project = f.project if f.project is not None else len(self.projects)
        return (project, f.path, unit.print.start)


# Grouping units into families


def units(fleet: Fleet, grain: Grain) -> list[Unit]:
    """The units of one grain: whole modules, or the top-level symbols of project files
    and of each lineage's newest master version."""
    found = []
    for index, f in enumerate(fleet.files):
        printed = f.print
        if printed is None:
            continue
        is_master = f.project is None
        if printed.trivial and not is_master:
            continue  # an empty __init__.py is no evidence of copying
        if grain is Grain.MODULE:
            prints: Iterable[UnitPrint] = () if printed.module is None else (printed.module,)
            if is_master and f.newest and printed.module is None:
                # An empty master (an emptied __init__.py) still heads its family.
                prints = (UnitPrint(None, UnitKind.MODULE, 1, 1, 0, content_key([]), b""),)
        elif is_master and not f.newest:
            continue  # older master versions take part as whole modules only
        else:
            prints = printed.symbols
        found += [Unit(grain, index, p, is_master) for p in prints]
    return found


def anchor(fleet: Fleet, unit: Unit) -> str | None:
    """The master family a unit belongs to by position: a master's own, a copy's."""
    f = fleet.files[unit.source]
    if f.lineage is None:
        return None
    if unit.grain is Grain.MODULE:
        return f.lineage
    if not unit.master and unit.print.name not in fleet.newest_symbols.get(f.lineage, ()):
        return None  # a symbol the copy added locally
    return f"{f.lineage}::{unit.print.name}"


def propose(
    fleet: Fleet, grain: Grain, options: ScanOptions, candidates: Candidates | None = None
) -> Grouping:
    """Units of one grain in exact classes, the groups their position decides, and
    the pairs to compare exactly to place the rest (:func:`settle` does). The pairs
    come from ``candidates`` when given, else from the classes' signatures here."""
    classes: dict[str, Class] = {}
    for unit in units(fleet, grain):
        found = classes.get(unit.print.key)
        if found is None:
            found = classes[unit.print.key] = Class(unit.print.key, [])
        found.units.append(unit)
    for cls in classes.values():
        masters = sorted(
            (u for u in cls.units if u.master),
            key=lambda u: (_version_order(fleet, u), fleet.files[u.source].path),
        )
        anchors = [anchor(fleet, u) for u in masters or cls.units]
        named = [a for a in anchors if a]
        if named:
            cls.anchor = named[0] if masters else Counter(named).most_common(1)[0][0]
        cls.eligible = any(_eligible(u, options) for u in cls.units)
    groups: dict[str, Group] = {}
    for cls in classes.values():
        for unit in cls.units:
            if unit.master:
                if fleet.files[unit.source].newest:
                    own = anchor(fleet, unit)
                    assert own is not None
                    _group_for(groups, grain, own).master = unit
                continue
            found_anchor = anchor(fleet, unit) or cls.anchor
            if found_anchor is not None:
                _group_for(groups, grain, found_anchor).units.append(unit)
    eligible = [c for c in classes.values() if c.eligible]
    return Grouping(
        grain, classes, groups, eligible, _candidate_pairs(grain, eligible, options, candidates)
    )


def settle(
    fleet: Fleet, grouping: Grouping, similarity: Similarity, min_similarity: float
) -> list[Group]:
    """Compare the proposed pairs exactly; a class joins the master family of its
    most similar neighbour, or a cluster of classes without one."""
    grain, classes, groups = grouping.grain, grouping.classes, grouping.groups
    edges = _edges(grouping, similarity, min_similarity)
    loose = []
    for cls in grouping.eligible:
        if cls.anchor is not None:
            continue
        best = _best_anchor(edges.get(cls.key, {}), classes)
        if best is None:
            loose.append(cls)
        else:
            _group_for(groups, grain, best).units.extend(cls.units)
    for n, members in enumerate(clusters(loose, edges, fleet.unit_order)):
        group = groups[f"\0cluster:{n}"] = Group(grain, None)
        for cls in members:
            group.units.extend(cls.units)
    return [g for g in groups.values() if g.units]


def clusters(
    loose: list[Class],
    edges: dict[str, dict[str, float]],
    unit_order: Callable[[Unit], tuple[Any, ...]],
) -> list[list[Class]]:
    """Greedy centres: the class with the most similar units takes its neighbours,
    so every member is at least as alike to its centre as an edge says.

    ``edges`` are the exact similarities (at least the threshold) between class keys;
    ties of weight go to the class whose first unit comes first in ``unit_order``.
    """
    by_key = {c.key: c for c in loose}

    def weight(cls: Class) -> int:
        near = edges.get(cls.key, {})
        return len(cls.units) + sum(len(by_key[k].units) for k in near if k in by_key)

    order = sorted(loose, key=lambda c: (-weight(c), unit_order(c.units[0])))
    taken: set[str] = set()
    found = []
    for centre in order:
        if centre.key in taken:
            continue
        members = [centre]
        taken.add(centre.key)
        for other_key in sorted(edges.get(centre.key, {})):
            if other_key in by_key and other_key not in taken:
                members.append(by_key[other_key])
                taken.add(other_key)
        if sum(len(c.units) for c in members) >= 2:
            found.append(members)
    return found


def _group_for(groups: dict[str, Group], grain: Grain, anchor: str) -> Group:
    found = groups.get(anchor)
    if found is None:
        found = groups[anchor] = Group(grain, anchor)
    return found


def _version_order(fleet: Fleet, unit: Unit) -> int:
    version = fleet.files[unit.source].version
    return version.order if version is not None else -1


def _eligible(unit: Unit, options: ScanOptions) -> bool:
    return eligible_print(unit.print, options)


def eligible_print(p: UnitPrint, options: ScanOptions) -> bool:
    """Whether a unit is large enough to be compared by similarity."""
    return (
        p.tokens >= options.min_tokens
        and p.end - p.start + 1 >= options.min_lines
        and bool(p.signature)
    )


def _candidate_pairs(
    grain: Grain, eligible: list[Class], options: ScanOptions, candidates: Candidates | None
) -> list[tuple[Unit, Unit]]:
    """The class pairs LSH proposes and their signatures' estimate does not rule out.

    Only pairs with a class not yet in a master family are compared: those are
    the ones whose family is still open.
    """
    is_open = [c.anchor is None for c in eligible]
    if candidates is not None:
        found = candidates(grain, eligible, is_open)
    else:
        found = candidate_pairs(
            [c.units[0].print.signature for c in eligible],
            is_open,
            options.fingerprint.bands,
            options.min_similarity - ESTIMATE_MARGIN,
        )
    by_key = {c.key: c for c in eligible}
    near: dict[str, list[tuple[float, str]]] = {}
    for i, j, guess in found:
        low, high = eligible[i].key, eligible[j].key
        near.setdefault(low, []).append((guess, high))
        near.setdefault(high, []).append((guess, low))
    checks = []
    for key in sorted(near):
        if by_key[key].anchor is not None:
            continue
        tried: set[str] = set()
        for _, other_key in sorted(near[key], key=lambda e: (-e[0], e[1])):
            other = by_key[other_key]
            if other.anchor is not None:
                # Many versions of one master look alike: try the best few masters.
                if other.anchor in tried or len(tried) >= MASTER_CANDIDATES:
                    continue
                tried.add(other.anchor)
            checks.append((by_key[key].units[0], other.units[0]))
    return checks


def _edges(
    grouping: Grouping, similarity: Similarity, min_similarity: float
) -> dict[str, dict[str, float]]:
    """Exact similarities (at least the threshold) of the proposed pairs."""
    edges: dict[str, dict[str, float]] = {}
    for left, right in grouping.checks:
        exact = similarity(left, right)
        if exact >= min_similarity:
            edges.setdefault(left.print.key, {})[right.print.key] = exact
            if grouping.classes[right.print.key].anchor is None:
                edges.setdefault(right.print.key, {})[left.print.key] = exact
    return edges


def _best_anchor(neighbours: dict[str, float], classes: dict[str, Class]) -> str | None:
    """The master family of the most similar neighbour (a master before a copy)."""
    ranked = []
    for other_key, value in neighbours.items():
        other = classes[other_key]
        if other.anchor is not None:
            is_master = any(u.master for u in other.units)
            ranked.append((-value, not is_master, other.anchor))
    return min(ranked)[2] if ranked else None


# From groups to families


def choose(
    fleet: Fleet, modules: list[Group], symbols: list[Group], added: Added
) -> list[tuple[Group, Unit, str]]:
    """The groups that make families, each with its representative (the unit members
    are compared with) and why it is: ``master``, ``oldest`` or ``most-common``.

    A module group needs a master or two units; a symbol group is dropped when all
    its units lie inside copies of one module (the module family tells it).
    """
    module_of_file = {
        u.source: group.anchor or f"cluster:{n}" for n, group in enumerate(modules)
        for u in group.units
    }  # fmt: skip
    kept = [g for g in modules if g.master is not None or len(g.units) >= 2]
    for group in symbols:
        if group.master is not None:
            lineage = fleet.files[group.master.source].lineage
            # Symbols inside copies of their own module are told by the module family.
            group.units = [u for u in group.units if module_of_file.get(u.source) != lineage]
            if not group.units:
                continue
        elif len({module_of_file.get(u.source, f"file:{u.source}") for u in group.units}) < 2:
            continue  # all inside copies of one module: the module family tells it
        kept.append(group)
    return [(group, *_representative(fleet, group, added)) for group in kept]


def _representative(fleet: Fleet, group: Group, added: Added) -> tuple[Unit, str]:
    if group.master is not None:
        return group.master, "master"
    ordered = sorted(group.units, key=fleet.unit_order)
    dated = []
    for unit in ordered:
        f = fleet.files[unit.source]
        assert f.project is not None
        stamp = added.get(f.project, {}).get(f.path)
        if stamp is not None:
            dated.append((stamp, fleet.unit_order(unit), unit))
    if dated:
        return min(dated, key=lambda d: d[:2])[2], "oldest"
    counts = Counter(u.print.key for u in ordered)
    return min(ordered, key=lambda u: (-counts[u.print.key], fleet.unit_order(u))), "most-common"


def families(
    fleet: Fleet,
    chosen: Sequence[tuple[Group, Unit, str]],
    added: Added,
    similarity: Similarity,
    master_of: Callable[[Unit], Master],
) -> list[Family]:
    """The families of :func:`choose`'s groups: masters first, then by size; numbered
    ``M1``, ``M2``... and ``S1``, ``S2``... in that order."""
    built = [
        _family(fleet, group, rep, origin, added, similarity, master_of)
        for group, rep, origin in chosen
    ]
    built.sort(key=_family_order)
    counters = {Grain.MODULE: 0, Grain.SYMBOL: 0}
    numbered = []
    for family in built:
        counters[family.grain] += 1
        prefix = "M" if family.grain is Grain.MODULE else "S"
        numbered.append(replace(family, id=f"{prefix}{counters[family.grain]}"))
    return numbered


def _family(
    fleet: Fleet,
    group: Group,
    representative: Unit,
    origin: str,
    added: Added,
    similarity: Similarity,
    master_of: Callable[[Unit], Master],
) -> Family:
    units = sorted(group.units, key=fleet.unit_order)
    master = master_of(group.master) if group.master is not None else None
    members = []
    for unit in units:
        f = fleet.files[unit.source]
        assert f.project is not None
        p = unit.print
        members.append(
            Member(
                project=fleet.projects[f.project],
                path=f.path,
                symbol=p.name,
                kind=p.kind,
                start=p.start,
                end=p.end,
                tokens=p.tokens,
                key=p.key,
                similarity=similarity(unit, representative),
                status=None if master is None else _status(fleet, unit, group, master),
                added=added.get(f.project, {}).get(f.path),
                declared=f.declared is not None and unit.grain is Grain.MODULE,
            )
        )
    rep = representative.print
    return Family(
        id="",
        grain=group.grain,
        members=tuple(members),
        master=master,
        representative=None if master is not None else members[units.index(representative)],
        origin=origin,
        lines=rep.end - rep.start + 1,
        tokens=rep.tokens,
    )


def _status(fleet: Fleet, unit: Unit, group: Group, master: Master) -> DriftStatus:
    f = fleet.files[unit.source]
    if f.declared is not None and unit.grain is Grain.MODULE:
        return f.declared.status
    if master.obsolete:
        return DriftStatus.OBSOLETE
    assert group.master is not None
    if unit.print.key == group.master.print.key:
        return DriftStatus.CURRENT
    if unit.grain is Grain.MODULE and unit.print.key in fleet.master_keys.get(master.lineage, ()):
        return DriftStatus.BEHIND
    return DriftStatus.DIVERGED


def _family_order(family: Family) -> tuple[Any, ...]:
    grain = 0 if family.grain is Grain.MODULE else 1
    if family.master is not None:
        return (grain, 0, family.master.path, family.master.symbol or "")
    first = family.members[0]
    return (grain, 1, -len(family.projects), -len(family.members), -family.lines,
            first.project, first.path, first.start)  # fmt: skip


# Ranking


def rank_candidates(families: Iterable[Family]) -> list[Candidate]:
    """Families with no master in two or more projects, by score (see scan.rst)."""
    scored = []
    for family in families:
        if family.master is not None or len(family.projects) < 2:
            continue
        projects = len(family.projects)
        divergence = 1.0 - family.mean_similarity
        size = math.log2(1 + family.lines)
        score = projects * size * (1 + divergence)
        reason = (
            f"{projects} projects, {len(family.members)} copies of {family.lines} lines, "
            f"{family.mean_similarity:.2f} alike on average: "
            f"{projects} x log2(1+{family.lines}) x (1+{divergence:.2f}) = {score:.1f}"
        )
        scored.append((round(score, 3), family.id, reason))
    scored.sort(key=lambda s: (-s[0], _id_order(s[1])))
    return [
        Candidate(fid, rank, score, reason) for rank, (score, fid, reason) in enumerate(scored, 1)
    ]


def _id_order(family_id: str) -> tuple[str, int]:
    return family_id[0], int(family_id[1:])
