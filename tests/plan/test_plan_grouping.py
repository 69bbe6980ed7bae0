"""Grouping modules from evidence: each signal alone, signals in conflict, and the hard
constraints (no cycle between libraries, overrides, recorded intent) on any graph."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis.requirements import parse_requirements
from oslo_incubator.graph.evidence import Evidence, weigh_evidence
from oslo_incubator.graph.grouping import Constraints, Grouping, Intent, group_modules
from oslo_incubator.graph.modules import build_module_graph, resolve_requirements
from oslo_incubator.model.errors import PlanConstraintError
from oslo_incubator.model.history import ModuleChange
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.plan import DependencyKind, Granularity, ImportLine

ROOT = DEFAULT_PACKAGE_ROOT


def graph_of(modules: Mapping[str, str], requirements: str = "") -> nx.DiGraph:
    graph = build_module_graph({f"{ROOT}/{p}": t for p, t in modules.items()}, ROOT)
    resolve_requirements(graph, parse_requirements(requirements, "requirements.txt"))
    return graph


def empty(*names: str) -> nx.DiGraph:
    """Modules without imports: ``a`` is ``a.py``, ``a.b`` is ``a/b/__init__.py``."""
    return graph_of(
        {f"{n.replace('.', '/')}/__init__.py" if "." in n else f"{n}.py": "" for n in names}
    )


def changed(*pairs: tuple[str, ...]) -> list[ModuleChange]:
    return [ModuleChange(str(n), "change", frozenset(p)) for n, p in enumerate(pairs)]


def group(
    graph: nx.DiGraph,
    evidence: Evidence | None = None,
    granularity: Granularity = Granularity.BALANCED,
    **constraints: object,
) -> Grouping:
    bonds = weigh_evidence(graph, evidence or Evidence())
    return group_modules(graph, bonds, Constraints(**constraints), granularity)  # type: ignore[arg-type]


def sets(grouping: Grouping) -> list[set[str]]:
    return [set(g.modules) for g in grouping.groups]


# Each signal alone decides


def test_co_change_alone_groups_modules_changed_together() -> None:
    graph = empty("a", "b", "c", "d")
    evidence = Evidence(changes=changed(("a", "b"), ("a", "b"), ("c", "d"), ("c", "d")))
    assert sets(group(graph, evidence)) == [{"a", "b"}, {"c", "d"}]


def test_co_consumption_alone_groups_modules_imported_together() -> None:
    graph = empty("a", "b", "c", "d")
    used = {
        "a": frozenset({"nova:1.py", "nova:2.py"}),
        "b": frozenset({"nova:1.py", "nova:2.py"}),
        "c": frozenset({"glance:1.py", "glance:2.py"}),
        "d": frozenset({"glance:1.py", "glance:2.py"}),
    }
    assert sets(group(graph, Evidence(consumer_files=used))) == [{"a", "b"}, {"c", "d"}]


def test_shared_requirements_alone_group_modules_needing_a_rare_distribution() -> None:
    graph = graph_of(
        {
            "service.py": "import eventlet\n",
            "loopingcall.py": "import eventlet\n",
            "session.py": "import sqlalchemy\n",
            "migration.py": "import sqlalchemy\n",
            "units.py": "",
            "strutils.py": "",
        },
        "eventlet\nSQLAlchemy\n",
    )
    assert sets(group(graph)) == [
        {"loopingcall", "service"},
        {"migration", "session"},
        {"strutils"},
        {"units"},
    ]


def test_shared_maintainers_alone_group_what_one_person_looks_after() -> None:
    graph = empty("a", "b", "c", "d", "e", "f")
    people = {"a": ("mikal",), "c": ("mikal",), "b": ("flavio",), "d": ("flavio",)}
    assert sets(group(graph, Evidence(maintainers=people))) == [
        {"a", "c"},
        {"b", "d"},
        {"e"},
        {"f"},
    ]


def test_name_families_alone_group_a_package_and_a_common_suffix() -> None:
    graph = empty("report", "report.views", "excutils", "strutils", "timeutils", "units", "policy")
    assert sets(group(graph)) == [
        {"excutils", "strutils", "timeutils"},
        {"policy"},
        {"report", "report.views"},
        {"units"},
    ]


def test_a_helper_alone_joins_the_only_module_that_imports_it() -> None:
    graph = graph_of(
        {
            "service.py": "from openstack.common import systemd\n",
            "systemd.py": "",
            "log.py": "",
            "units.py": "",
        }
    )
    used = {"service": frozenset({"nova:a.py"}), "log": frozenset({"nova:b.py"})}
    grouping = group(graph, Evidence(consumer_files=used))
    assert sets(grouping) == [{"log"}, {"service", "systemd"}, {"units"}]


def test_hard_constraints_alone_without_evidence_leave_every_module_alone() -> None:
    graph = graph_of({"a.py": "from openstack.common import b\n", "b.py": ""})
    assert sets(group_modules(graph)) == [{"a"}, {"b"}]


# Signals in conflict


def test_the_heavier_evidence_wins_and_the_lighter_is_a_close_call() -> None:
    graph = empty("a", "b", "c", "d", "e", "f")
    # a and b changed together four times; a and c only share a maintainer.
    evidence = Evidence(
        changes=changed(*[("a", "b")] * 4, *[("d", "e")] * 4),
        maintainers={"a": ("mikal",), "c": ("mikal",)},
    )
    grouping = group(graph, evidence)
    assert {"a", "b"} in sets(grouping)
    assert {"c"} in sets(grouping)
    (call,) = grouping.close_calls
    assert call.bond.modules == ("a", "c")
    assert call.apart.startswith("all ties between the two libraries weigh 0.61, less than chance")


def test_records_naming_different_libraries_keep_close_modules_apart() -> None:
    graph = empty("a", "b", "c", "d")
    evidence = Evidence(changes=changed(*[("a", "b")] * 4, *[("c", "d")] * 4))
    intent = {"a": Intent("oslo.log", "MAINTAINERS"), "b": Intent("oslo.utils", "obsolete.txt")}
    grouping = group(graph, evidence, intent=intent)
    assert sets(grouping) == [{"a"}, {"b"}, {"c", "d"}]
    assert [g.intent for g in grouping.groups] == ["oslo.log", "oslo.utils", None]
    (call,) = grouping.close_calls
    assert call.apart == (
        "records name different libraries: a → oslo.log (MAINTAINERS), b → oslo.utils "
        "(obsolete.txt)"
    )


def test_records_naming_one_library_put_its_modules_together_without_other_evidence() -> None:
    graph = empty("a", "b", "c")
    intent = {"a": Intent("oslo.log", "obsolete.txt"), "c": Intent("oslo.log", "MAINTAINERS")}
    grouping = group(graph, intent=intent)
    assert sets(grouping) == [{"a", "c"}, {"b"}]
    assert grouping.groups[0].reasons == (
        "recorded intent: MAINTAINERS and obsolete.txt name oslo.log for a, c",
    )


def test_a_bond_across_an_import_path_cannot_make_a_cycle_between_libraries() -> None:
    # a -> m -> b at module level; a and b changed together often; m is tied to n.
    graph = graph_of(
        {
            "a.py": "from openstack.common import m\n",
            "m.py": "from openstack.common import b\n",
            "b.py": "",
            "n.py": "",
        }
    )
    evidence = Evidence(changes=changed(*[("a", "b")] * 6, *[("m", "n")] * 6))
    grouping = group(graph, evidence, apart=(("a", "m"),))
    assert sets(grouping) == [{"a"}, {"b"}, {"m", "n"}]
    call = next(c for c in grouping.close_calls if c.bond.modules == ("a", "b"))
    assert call.apart == "joining would make an import cycle between libraries"
    assert call.cycle == (("a", "m"), ("m", "b"))


# Hard constraints


def test_together_joins_modules_and_whatever_lies_between_them() -> None:
    graph = graph_of(
        {
            "a.py": "from openstack.common import m\n",
            "m.py": "from openstack.common import b\n",
            "b.py": "",
            "c.py": "",
        }
    )
    grouping = group_modules(graph, None, Constraints(together=(("a", "b"),)))
    assert sets(grouping) == [{"a", "b", "m"}, {"c"}]
    assert grouping.groups[0].reasons == (
        "--together a,b",
        "imported between modules that go together: m",
    )


def test_apart_splits_modules_the_evidence_would_join() -> None:
    graph = empty("a", "b", "c", "x", "y", "z")
    evidence = Evidence(changes=changed(*[("a", "b", "c"), ("x", "y", "z")] * 4))
    assert sets(group(graph, evidence)) == [{"a", "b", "c"}, {"x", "y", "z"}]
    grouping = group(graph, evidence, apart=(("a", "b"),))
    assert {"a", "b"} not in sets(grouping)
    assert any(c.apart == "--apart a,b" for c in grouping.close_calls)


@pytest.mark.parametrize(
    ("constraints", "message"),
    [
        (
            Constraints(together=(("a", "c"),), apart=(("a", "c"),)),
            "--together a,c: --apart a,c",
        ),
        (Constraints(apart=(("a", "b"),)), "--apart a,b: they import each other"),
        (
            Constraints(requested=("c",), apart=(("a", "c"),)),
            "--apart a,c: the requested modules need both",
        ),
        (
            Constraints(together=(("c", "d"),), apart=(("a", "d"),)),
            "--together c,d: the imports put a, b between them, and --apart a,d",  # noqa: E501
        ),
    ],
)
def test_contradicting_constraints_are_an_error(constraints: Constraints, message: str) -> None:
    graph = graph_of(
        {
            "a.py": "from openstack.common import b\n",
            "b.py": "from openstack.common import a\n",
            "c.py": "from openstack.common import a\n",
            "d.py": "",
        }
    )
    graph.add_edge("b", "d", kind=DependencyKind.STRONG, sites=())
    with pytest.raises(PlanConstraintError, match=message):
        group_modules(graph, None, constraints)


def test_records_that_the_imports_contradict_are_noted_not_followed() -> None:
    graph = graph_of(
        {
            "a.py": "from openstack.common import m\n",
            "m.py": "from openstack.common import b\n",
            "b.py": "",
        }
    )
    intent = {
        "a": Intent("oslo.x", "obsolete.txt"),
        "b": Intent("oslo.x", "obsolete.txt"),
        "m": Intent("oslo.y", "MAINTAINERS"),
    }
    grouping = group_modules(graph, None, Constraints(intent=intent))
    assert sets(grouping) == [{"a"}, {"b"}, {"m"}]
    (note,) = grouping.notes
    assert note.startswith("not followed: recorded intent: obsolete.txt name oslo.x for a, b;")


def test_the_requested_library_takes_nothing_beyond_its_closure() -> None:
    graph = empty("a", "b", "c")
    evidence = Evidence(changes=changed(*[("a", "b")] * 4))
    grouping = group(graph, evidence, requested=("a",))
    assert sets(grouping) == [{"a"}, {"b"}, {"c"}]
    assert grouping.groups[0].requested == ("a",)


def test_granularity_sets_how_large_libraries_are() -> None:
    # Two tight triangles joined by a looser bridge.
    graph = empty("a", "b", "c", "x", "y", "z")
    tight = [p for t in ("abc", "xyz") for p in combinations(t, 2)] * 6
    evidence = Evidence(changes=changed(*tight, ("a", "x"), ("a", "x")))
    sizes = {
        g: len(group(graph, evidence, granularity=g).groups)
        for g in (Granularity.FINE, Granularity.BALANCED, Granularity.COARSE)
    }
    assert sizes[Granularity.COARSE] <= sizes[Granularity.BALANCED] <= sizes[Granularity.FINE]
    assert sets(group(graph, evidence)) == [{"a", "b", "c"}, {"x", "y", "z"}]


# On any graph


@st.composite
def situations(draw: st.DrawFn) -> tuple[nx.DiGraph, Evidence, Constraints]:
    size = draw(st.integers(2, 7))
    nodes = [f"m{i}" for i in range(size)]
    graph = nx.DiGraph()
    for node in nodes:
        graph.add_node(node, files=(), lines=1, external=(), tests=(), requirements=())
        graph.nodes[node]["unmapped"] = ()
    pairs = [(u, v) for u in nodes for v in nodes if u != v]
    for u, v in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)):
        kind = draw(st.sampled_from(list(DependencyKind)))
        graph.add_edge(u, v, kind=kind, sites=(ImportLine(u, 1, kind),))
    subsets = st.lists(st.sampled_from(nodes), min_size=2, max_size=4, unique=True)
    changes = [
        ModuleChange(str(n), "c", frozenset(c))
        for n, c in enumerate(draw(st.lists(subsets, max_size=12)))
    ]
    files = {m: frozenset(draw(st.sets(st.sampled_from("abcdef"), max_size=4))) for m in nodes}
    people = {m: tuple(draw(st.sets(st.sampled_from("xyz"), max_size=2))) for m in nodes}
    libraries = st.sampled_from(["oslo.a", "oslo.b", "oslo.c"])
    intent = {
        m: Intent(draw(libraries), "obsolete.txt")
        for m in draw(st.sets(st.sampled_from(nodes), max_size=3))
    }
    constraints = Constraints(
        together=tuple(tuple(t) for t in draw(st.lists(subsets, max_size=2))),
        apart=tuple(tuple(a) for a in draw(st.lists(subsets, max_size=2))),
        requested=tuple(draw(st.lists(st.sampled_from(nodes), max_size=2, unique=True))),
        intent=intent,
    )
    evidence = Evidence(
        changes, {m: frozenset(f"p:{f}" for f in fs) for m, fs in files.items()}, people
    )
    return graph, evidence, constraints


def _owner(grouping: Grouping) -> dict[str, int]:
    return {m: i for i, g in enumerate(grouping.groups) for m in g.modules}


def _strong_edges(graph: nx.DiGraph) -> Iterable[tuple[str, str]]:
    return [(u, v) for u, v, k in graph.edges(data="kind") if k is DependencyKind.STRONG]


def _together(owner: Mapping[str, int], modules: Sequence[str]) -> bool:
    return len({owner[m] for m in modules}) == 1


@settings(max_examples=150, deadline=None)
@given(situations(), st.sampled_from(list(Granularity)))
def test_every_plan_respects_the_hard_constraints(
    situation: tuple[nx.DiGraph, Evidence, Constraints], granularity: Granularity
) -> None:
    graph, evidence, constraints = situation
    bonds = weigh_evidence(graph, evidence)
    try:
        grouping = group_modules(graph, bonds, constraints, granularity)
    except PlanConstraintError:
        assume(False)
        raise
    owner = _owner(grouping)
    assert sorted(owner) == sorted(graph)  # every module in exactly one library
    # No cycle between libraries: their module-level imports form a DAG.
    libraries = nx.DiGraph()
    libraries.add_nodes_from(range(len(grouping.groups)))
    libraries.add_edges_from(
        (owner[u], owner[v]) for u, v in _strong_edges(graph) if owner[u] != owner[v]
    )
    assert nx.is_directed_acyclic_graph(libraries)
    for together in constraints.together:
        assert _together(owner, together)
    for apart in constraints.apart:
        for a, b in combinations(apart, 2):
            assert owner[a] != owner[b]
    by_library: dict[str, list[str]] = {}
    for module, intent in constraints.intent.items():
        by_library.setdefault(intent.library, []).append(module)
    for library, modules in by_library.items():
        followed = not any(f"name {library} for" in note for note in grouping.notes)
        if followed:
            assert _together(owner, modules)
    forced = " ".join(n for n in grouping.notes if "must go together" in n)
    for a, b in combinations(sorted(constraints.intent), 2):
        if constraints.intent[a].library != constraints.intent[b].library:
            assert owner[a] != owner[b] or (f"{a} →" in forced and f"{b} →" in forced)
    if constraints.requested:
        (requested,) = [g for g in grouping.groups if g.requested]
        assert set(constraints.requested) <= requested.modules
    # The same input gives the same plan.
    assert group_modules(graph, weigh_evidence(graph, evidence), constraints, granularity) == (
        grouping
    )
