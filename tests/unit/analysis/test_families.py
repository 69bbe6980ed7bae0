"""Scan's family algorithm on fingerprints made here: no git, no files, no processes."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis import families as algorithm
from oslo_incubator.analysis.families import Class, Fleet, Source, Unit
from oslo_incubator.analysis.fingerprint import (
    fingerprint,
    folded_bytes,
    jaccard,
    line_offsets,
    lines_tokens,
    shingle_set,
)
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.history import Version
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.scan import (
    Family,
    Grain,
    Master,
    Member,
    ScanOptions,
    UnitKind,
    UnitPrint,
)

OPTIONS = ScanOptions()


def module(name: str, steps: int = 12, changed: int | None = None) -> str:
    """A module of one function; ``changed`` alters one of its lines."""
    lines = [f"    total = total + {name}_{i}(value) * {i}\n" for i in range(steps)]
    if changed is not None:
        lines[changed] = f"    total = total - other_{changed}(value) // {changed}\n"
    return f"import os\n\n\ndef {name}(value):\n    total = 0\n{''.join(lines)}    return total\n"


def source(project: int | None, path: str, text: str, **kwargs: Any) -> Source:
    return Source(project, path, fingerprint(text.encode(), ()), **kwargs)


def exact(texts: list[str]) -> algorithm.Similarity:
    """The similarity scan computes, from the texts of the fleet's files."""

    def similarity(a: Unit, b: Unit) -> float:
        sets = []
        for unit in (a, b):
            folded = folded_bytes(texts[unit.source].encode(), (), DEFAULT_PACKAGE_ROOT)
            lines = None if unit.grain is Grain.MODULE else (unit.print.start, unit.print.end)
            sets.append(shingle_set(lines_tokens(folded, line_offsets(folded), lines), 5))
        return 1.0 if a.print.key == b.print.key else round(jaccard(*sets), 4)

    return similarity


def run(fleet: Fleet, texts: list[str], added: algorithm.Added | None = None) -> list[Family]:
    similarity = exact(texts)
    groups = {}
    for grain in Grain:
        proposed = algorithm.propose(fleet, grain, OPTIONS)
        groups[grain] = algorithm.settle(fleet, proposed, similarity, OPTIONS.min_similarity)
    chosen = algorithm.choose(fleet, groups[Grain.MODULE], groups[Grain.SYMBOL], added or {})

    def master_of(unit: Unit) -> Master:
        f = fleet.files[unit.source]
        assert f.lineage is not None and f.version is not None
        return Master(f.path, unit.print.name, f.lineage, f.version.commit, False)

    return algorithm.families(fleet, chosen, added or {}, similarity, master_of)


def test_exact_and_near_copies_in_three_projects_make_one_module_family() -> None:
    texts = [module("chunks"), module("chunks"), module("chunks", changed=3), module("other")]
    files = [source(i, f"p{i}/utils.py", text) for i, text in enumerate(texts[:3])]
    files.append(source(0, "p0/other.py", texts[3]))
    fleet = Fleet(files, ["nova", "glance", "cinder"])

    found = run(fleet, texts)

    (family,) = [f for f in found if f.grain is Grain.MODULE]
    assert family.id == "M1" and family.origin == "most-common" and family.master is None
    assert [(m.project, m.path) for m in family.members] == [
        ("nova", "p0/utils.py"), ("glance", "p1/utils.py"), ("cinder", "p2/utils.py")
    ]  # fmt: skip
    assert [m.similarity for m in family.members][:2] == [1.0, 1.0]
    assert 0.8 <= family.members[2].similarity < 1.0
    assert family.representative == family.members[0]
    # The function is the whole module: its copies are the module family's, not a symbol's.
    assert [f.grain for f in found] == [Grain.MODULE]


def test_the_oldest_member_by_git_history_represents_a_family_without_master() -> None:
    texts = [module("chunks"), module("chunks", changed=1)]
    fleet = Fleet([source(i, "utils.py", t) for i, t in enumerate(texts)], ["a", "b"])

    (family,) = run(fleet, texts, added={0: {"utils.py": 200}, 1: {"utils.py": 100}})

    assert family.origin == "oldest"
    assert family.representative == family.members[1]
    assert [m.added for m in family.members] == [200, 100]


def test_copies_join_their_master_family_with_a_status_each() -> None:
    old, new = module("retry", changed=2), module("retry")
    texts = [new, old, module("retry", changed=5), new, old]
    versions = [Version("openstack/common/retry.py", "b2", "c2", 1),  # smaller is newer
                Version("openstack/common/retry.py", "b1", "c1", 2)]  # fmt: skip
    files = [
        source(0, "nova/openstack/common/retry.py", texts[0], lineage="retry"),
        source(1, "glance/openstack/common/retry.py", texts[1], lineage="retry"),
        source(2, "heat/common/retry.py", texts[2]),  # found by similarity alone
        source(None, versions[0].path, texts[3], lineage="retry", version=versions[0],
               newest=True),
        source(None, versions[1].path, texts[4], lineage="retry", version=versions[1]),
    ]  # fmt: skip
    fleet = Fleet(files, ["nova", "glance", "heat"])

    (family,) = [f for f in run(fleet, texts) if f.grain is Grain.MODULE]

    assert family.origin == "master" and family.master is not None
    assert family.master.commit == "c2" and family.representative is None
    assert [(m.project, m.status) for m in family.members] == [
        ("nova", DriftStatus.CURRENT), ("glance", DriftStatus.BEHIND),
        ("heat", DriftStatus.DIVERGED),
    ]  # fmt: skip


def test_small_units_are_not_compared_by_similarity() -> None:
    texts = [module("tiny", steps=1), module("tiny", steps=1, changed=0)]
    fleet = Fleet([source(i, "t.py", t) for i, t in enumerate(texts)], ["a", "b"])

    assert run(fleet, texts) == []


def cls(key: str, *orders: int) -> Class:
    print_ = UnitPrint(None, UnitKind.MODULE, 1, 10, 30, key, b"")
    return Class(key, [Unit(Grain.MODULE, order, print_) for order in orders])


def test_a_centre_takes_its_neighbours_the_heaviest_first() -> None:
    a, b, c, d = cls("a", 0), cls("b", 1, 2), cls("c", 3), cls("d", 4)
    edges = {"a": {"b": 0.9}, "b": {"a": 0.9, "c": 0.85}, "c": {"b": 0.85}}

    found = algorithm.clusters([a, b, c, d], edges, lambda u: (u.source,))

    # b weighs 2 + 1 + 1; a and c are both its neighbours; d stands alone (one unit).
    assert [[x.key for x in cluster] for cluster in found] == [["b", "a", "c"]]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Class], dict[str, dict[str, float]]]:
    count = draw(st.integers(1, 8))
    sizes = draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
    classes, first = [], 0
    for n, size in enumerate(sizes):
        classes.append(cls(f"k{n}", *range(first, first + size)))
        first += size
    edges: dict[str, dict[str, float]] = {}
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    for i, j in draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []:
        value = draw(st.sampled_from([0.8, 0.85, 0.9, 0.95]))
        edges.setdefault(f"k{i}", {})[f"k{j}"] = value
        edges.setdefault(f"k{j}", {})[f"k{i}"] = value
    return classes, edges


@given(graphs(), st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_the_order_classes_come_in(
    graph: tuple[list[Class], dict[str, dict[str, float]]], shuffler: random.Random
) -> None:
    classes, edges = graph
    shuffled = classes[:]
    shuffler.shuffle(shuffled)

    def keys(found: list[list[Class]]) -> list[list[str]]:
        return [[c.key for c in cluster] for cluster in found]

    order = lambda u: (u.source,)  # noqa: E731
    found = algorithm.clusters(classes, edges, order)
    assert keys(algorithm.clusters(shuffled, edges, order)) == keys(found)
    # Every class is in one cluster at most, every member is alike to its centre,
    # and every cluster holds two units or more.
    members = [c.key for cluster in found for c in cluster]
    assert len(members) == len(set(members))
    for centre, *others in found:
        assert all(other.key in edges[centre.key] for other in others)
        assert sum(len(c.units) for c in [centre, *others]) >= 2


def family(fid: str, projects: list[str], lines: int, similarity: float = 1.0) -> Family:
    members = tuple(
        Member(p, "x.py", None, UnitKind.MODULE, 1, lines, 40, "k", similarity) for p in projects
    )
    return Family(fid, Grain.MODULE, members, None, members[0], "most-common", lines, 40)


def test_candidates_are_ranked_by_projects_size_and_divergence() -> None:
    master = Master("openstack/common/x.py", None, "x", "c", False)
    found = [
        family("M1", ["a", "b"], 100),
        family("M2", ["a", "b", "c"], 15),
        family("M3", ["a", "b"], 100, similarity=0.8),
        family("M4", ["a", "a"], 500),  # one project only
        replace(family("M5", ["a", "b"], 500), master=master),  # incubated already
    ]

    ranked = algorithm.rank_candidates(found)

    # 2 x log2(101) x 1.2 = 15.98 > 2 x log2(101) = 13.32 > 3 x log2(16) = 12.
    assert [(c.rank, c.family, c.score) for c in ranked] == [
        (1, "M3", 15.98), (2, "M1", 13.316), (3, "M2", 12.0)
    ]  # fmt: skip
    assert ranked[0].reason.endswith("2 x log2(1+100) x (1+0.20) = 16.0")
