"""The module graph and the algorithms over it, on master texts given as strings."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis.requirements import parse_requirements
from oslo_incubator.graph.evidence import Evidence, weigh_evidence
from oslo_incubator.graph.grouping import Constraints, group_modules
from oslo_incubator.graph.modules import (
    ModuleGroup,
    add_tests,
    build_module_graph,
    closure_of,
    feedback_arc_set,
    find_cycles,
    graduation_order,
    resolve_requirements,
    strong_closure,
)
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.plan import Baggage, DependencyKind, ImportLine
from oslo_incubator.workspace.copies import module_of_path

ROOT = DEFAULT_PACKAGE_ROOT
STRONG, LAZY, WEAK = DependencyKind.STRONG, DependencyKind.LAZY, DependencyKind.WEAK


def graph_of(modules: dict[str, str]) -> nx.DiGraph:
    return build_module_graph({f"{ROOT}/{p}": t for p, t in modules.items()}, ROOT)


def edges(graph: nx.DiGraph) -> dict[tuple[str, str], DependencyKind]:
    return {(u, v): d["kind"] for u, v, d in graph.edges(data=True)}


def test_modules_are_named_as_update_py_names_them() -> None:
    assert module_of_path(f"{ROOT}/log.py", ROOT) == "log"
    assert module_of_path(f"{ROOT}/db/sqlalchemy/session.py", ROOT) == "db.sqlalchemy"
    assert module_of_path(f"{ROOT}/db/__init__.py", ROOT) == "db"
    assert module_of_path(f"{ROOT}/report/views/json/generic.py", ROOT) == "report.views.json"
    assert module_of_path(f"{ROOT}/__init__.py", ROOT) is None
    assert module_of_path(f"{ROOT}/db/sqlalchemy/README.rst", ROOT) is None
    assert module_of_path("tools/install_venv_common.py", ROOT) is None


def test_every_import_form_makes_an_edge_with_its_sites() -> None:
    graph = graph_of(
        {
            "a.py": (
                "import openstack.common.b\n"
                "from openstack.common import c\n"
                "from openstack.common.d import thing\n"
                "from . import e\n"
                "from .pkg import inner\n"
                "\n"
                "def later():\n"
                "    from openstack.common import f\n"
                "\n"
                "DRIVER = 'openstack.common.g.Driver'\n"
            ),
            **{f"{m}.py": "" for m in "bcdefg"},
            "pkg/__init__.py": "",
            "pkg/inner.py": "from ..b import x\n",
        }
    )
    assert sorted(graph) == ["a", "b", "c", "d", "e", "f", "g", "pkg"]
    assert edges(graph) == {
        ("a", "b"): STRONG,
        ("a", "c"): STRONG,
        ("a", "d"): STRONG,
        ("a", "e"): STRONG,
        ("a", "pkg"): STRONG,
        ("a", "f"): LAZY,
        ("a", "g"): WEAK,
        ("pkg", "b"): STRONG,
    }
    assert graph["a"]["f"]["sites"] == (ImportLine(f"{ROOT}/a.py", 8, LAZY),)
    assert graph["a"]["g"]["sites"] == (ImportLine(f"{ROOT}/a.py", 10, WEAK),)
    assert graph["pkg"]["b"]["sites"] == (ImportLine(f"{ROOT}/pkg/inner.py", 1, STRONG),)


def test_an_edge_takes_the_strongest_kind_of_its_sites_and_keeps_them_all() -> None:
    graph = graph_of(
        {
            "a.py": "def f():\n    from openstack.common import b\n\nfrom openstack.common import b\n",
            "b.py": "",
        }
    )
    assert graph["a"]["b"]["kind"] is STRONG
    assert [s.line for s in graph["a"]["b"]["sites"]] == [2, 4]


def test_files_of_one_package_module_make_no_edge_to_each_other() -> None:
    graph = graph_of(
        {
            "rpc/__init__.py": "from openstack.common.rpc import common\n",
            "rpc/common.py": "from openstack.common import log\n",
            "log.py": "import logging\n",
        }
    )
    assert edges(graph) == {("rpc", "log"): STRONG}
    assert graph.nodes["rpc"]["files"] == (f"{ROOT}/rpc/__init__.py", f"{ROOT}/rpc/common.py")
    assert graph.nodes["rpc"]["lines"] == 2


def test_python_2_text_still_gives_edges() -> None:
    graph = graph_of(
        {
            "a.py": "from openstack.common import b\nprint 'hello'\n\ndef f():\n    import openstack.common.c\n",
            "b.py": "",
            "c.py": "",
        }
    )
    assert edges(graph) == {("a", "b"): STRONG, ("a", "c"): LAZY}


def test_third_party_imports_resolve_to_requirements_and_the_rest_is_reported() -> None:
    graph = graph_of(
        {
            "db.py": (
                "import os\nimport urlparse\nimport sqlalchemy\nfrom sqlalchemy import orm\n"
                "import frobnicate\n\ndef f():\n    import memcache\n"
            )
        }
    )
    reqs = parse_requirements("SQLAlchemy>=0.7.8,<=0.9.99\n", "requirements.txt")
    resolve_requirements(graph, reqs)
    (memcached, sqlalchemy) = graph.nodes["db"]["requirements"]
    assert (memcached.distribution, memcached.listed_in, memcached.kind) == (
        "python-memcached",
        "",
        LAZY,
    )
    assert (sqlalchemy.requirement, sqlalchemy.imports, sqlalchemy.kind) == (
        "SQLAlchemy<=0.9.99,>=0.7.8",
        ("sqlalchemy",),
        STRONG,
    )
    assert graph.nodes["db"]["unmapped"] == ("frobnicate",)


def test_tests_are_indexed_by_the_modules_they_import_but_not_by_patched_strings() -> None:
    graph = graph_of({"log.py": "", "timeutils.py": ""})
    index = add_tests(
        graph,
        {
            "tests/unit/test_log.py": (
                "import mock\nfrom openstack.common import log\nfrom tests import utils\n"
                "P = mock.patch('openstack.common.timeutils.utcnow')\n"
            ),
            "tests/unit/README.txt": "not python",
        },
        ROOT,
    )
    (test,) = index
    assert test.modules == ("log",)
    assert [e.name for e in test.external] == ["mock"]
    assert graph.nodes["log"]["tests"] == ("tests/unit/test_log.py",)
    assert graph.nodes["timeutils"]["tests"] == ()


CHAIN = {
    "a.py": "from openstack.common import b\n",
    "b.py": "from openstack.common import c\n",
    "c.py": "import os\n",
}


def groups_of(graph: nx.DiGraph, **constraints: object) -> list[ModuleGroup]:
    """The hard groups alone: no evidence weighed."""
    return list(group_modules(graph, None, Constraints(**constraints)).groups)  # type: ignore[arg-type]


def test_a_chain_graduates_from_its_end() -> None:
    graph = graph_of(CHAIN)
    groups = groups_of(graph)
    assert [g.modules for g in groups] == [frozenset("a"), frozenset("b"), frozenset("c")]
    order, deferred = graduation_order(graph, groups, ["a", "b", "c"])
    assert [groups[i].modules for i in order] == [frozenset("c"), frozenset("b"), frozenset("a")]
    assert deferred == ()


def test_with_consumers_the_most_used_library_and_what_it_needs_go_first() -> None:
    graph = graph_of(
        {
            "a.py": "",
            "b.py": "from openstack.common import c\n",
            "c.py": "",
            "d.py": "",
        }
    )
    groups = groups_of(graph)
    names = ["a", "b", "c", "d"]
    order, _ = graduation_order(graph, groups, names, uses=[3, 10, 0, 0])
    assert [names[i] for i in order] == ["c", "b", "a", "d"]
    order, _ = graduation_order(graph, groups, names)
    assert [names[i] for i in order] == ["a", "c", "b", "d"]


def test_a_module_level_cycle_forces_its_modules_together() -> None:
    graph = graph_of(
        {
            "a.py": "from openstack.common import b\n",
            "b.py": "from openstack.common import a\n",
            "c.py": "from openstack.common import a\n",
        }
    )
    groups = groups_of(graph)
    assert groups == [
        ModuleGroup(frozenset({"a", "b"}), ("module-level import cycle: a, b",)),
        ModuleGroup(frozenset({"c"})),
    ]
    (cycle,) = find_cycles(graph)
    assert (cycle.modules, cycle.forced, cycle.exact) == (("a", "b"), True, True)
    assert [(e.source, e.target) for e in cycle.breaking_edges] == [("a", "b")]


def test_a_cycle_closed_by_a_lazy_import_is_broken_there() -> None:
    graph = graph_of(
        {
            "log.py": "from openstack.common import handler\n",
            "handler.py": "def emit():\n    from openstack.common import log\n    return log\n",
        }
    )
    groups = groups_of(graph)
    assert [g.modules for g in groups] == [frozenset({"handler"}), frozenset({"log"})]
    order, deferred = graduation_order(graph, groups, ["handler", "log"])
    assert order == [0, 1]
    assert deferred == (("handler", "log"),)
    (cycle,) = find_cycles(graph)
    assert (cycle.forced, [(e.source, e.target, e.kind) for e in cycle.breaking_edges]) == (
        False,
        [("handler", "log", LAZY)],
    )


def test_the_strong_closure_ignores_lazy_and_weak_imports() -> None:
    graph = graph_of(
        {
            "a.py": "from openstack.common import b\ndef f():\n    from openstack.common import c\n",
            "b.py": "X = 'openstack.common.d'\n",
            "c.py": "",
            "d.py": "",
        }
    )
    assert strong_closure(graph, ["a"]) == {"a", "b"}


def test_a_requested_module_brings_its_closure_and_names_the_baggage() -> None:
    graph = graph_of(
        {
            "lockutils.py": "import posix_ipc\nfrom openstack.common import fileutils\n",
            "fileutils.py": "from openstack.common import log\n",
            "log.py": "import six\n",
            "units.py": "",
        }
    )
    resolve_requirements(graph, parse_requirements("six>=1.6.0\nposix_ipc\n", "requirements.txt"))
    closure = closure_of(graph, ["lockutils"])
    assert closure.modules == ("fileutils", "lockutils", "log")
    assert closure.baggage == Baggage(("fileutils", "log"), 2, ("six",))
    assert [r.requirement for r in closure.requirements] == ["posix_ipc", "six>=1.6.0"]
    groups = groups_of(graph, requested=("lockutils",))
    assert [(g.modules, g.requested) for g in groups] == [
        (frozenset({"fileutils", "lockutils", "log"}), ("lockutils",)),
        (frozenset({"units"}), ()),
    ]
    assert groups[0].reasons == (
        "requested: lockutils",
        "needed at import time by the requested modules: fileutils, log",
    )


def with_consumers(graph: nx.DiGraph, used: dict[str, frozenset[str]]) -> list[ModuleGroup]:
    bonds = weigh_evidence(graph, Evidence(consumer_files=used))
    return list(group_modules(graph, bonds).groups)


def test_with_consumers_a_helper_joins_the_only_library_that_imports_it() -> None:
    graph = graph_of(
        {
            "service.py": "from openstack.common import systemd\nfrom openstack.common import log\n",
            "systemd.py": "from openstack.common import log\n",
            "log.py": "",
        }
    )
    used = {"service": frozenset({"nova:a.py"}), "log": frozenset({"nova:a.py", "nova:b.py"})}
    assert [g.modules for g in with_consumers(graph, used)] == [
        frozenset({"log"}),
        frozenset({"service", "systemd"}),
    ]
    assert [g.modules for g in groups_of(graph)] == [{"log"}, {"service"}, {"systemd"}]


def test_with_consumers_modules_always_imported_together_join() -> None:
    graph = graph_of({"a.py": "", "b.py": "", "c.py": ""})
    both = frozenset({"nova:x.py", "glance:y.py"})
    used = {"a": both, "b": both, "c": frozenset({"nova:x.py"})}
    assert [g.modules for g in with_consumers(graph, used)] == [
        frozenset({"a", "b"}),
        frozenset({"c"}),
    ]


def test_joining_never_makes_the_order_impossible() -> None:
    # a -> m -> b: joining a and b would put a library on both sides of m.
    graph = graph_of(
        {
            "a.py": "from openstack.common import m\n",
            "m.py": "from openstack.common import b\n",
            "b.py": "",
        }
    )
    both = frozenset({"nova:x.py", "nova:y.py"})
    used = {"a": both, "b": both, "m": frozenset({"nova:z.py"})}
    groups = with_consumers(graph, used)
    owner = {m: i for i, g in enumerate(groups) for m in g.modules}
    assert owner["a"] != owner["b"] or owner["a"] == owner["m"]


def test_cycles_too_large_to_search_are_broken_greedily_and_say_so() -> None:
    graph = graph_of(
        {
            "a.py": "from openstack.common import b\n",
            "b.py": "from openstack.common import a, c\n",
            "c.py": "from openstack.common import b\n",
        }
    )
    (cycle,) = find_cycles(graph, budget=0)
    assert (cycle.modules, cycle.exact, len(cycle.breaking_edges)) == (("a", "b", "c"), False, 2)
    (searched,) = find_cycles(graph)
    assert (searched.exact, len(searched.breaking_edges)) == (True, 2)


# Feedback arc sets on arbitrary small graphs


def _random_graph(draw: st.DrawFn) -> nx.DiGraph:
    size = draw(st.integers(2, 6))
    nodes = [f"m{i}" for i in range(size)]
    pairs = [(u, v) for u in nodes for v in nodes if u != v]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12))
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    for u, v in chosen:
        kind = draw(st.sampled_from(list(DependencyKind)))
        sites = tuple(ImportLine(u, n, kind) for n in range(draw(st.integers(1, 3))))
        graph.add_edge(u, v, kind=kind, sites=sites)
    return graph


random_graphs = st.composite(_random_graph)


def _acyclic_without(graph: nx.DiGraph, removed: object) -> bool:
    rest = graph.copy()
    rest.remove_edges_from(removed)  # type: ignore[arg-type]
    return nx.is_directed_acyclic_graph(rest)


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_the_exact_feedback_set_breaks_every_cycle_and_nothing_smaller_does(
    graph: nx.DiGraph,
) -> None:
    removed, exact = feedback_arc_set(graph)
    assert exact
    assert _acyclic_without(graph, removed)
    for size in range(len(removed)):
        assert not any(_acyclic_without(graph, c) for c in combinations(graph.edges, size))


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_the_greedy_feedback_set_breaks_every_cycle_and_is_minimal(graph: nx.DiGraph) -> None:
    removed, proven = feedback_arc_set(graph, budget=0)
    assert _acyclic_without(graph, removed)
    for edge in removed:
        assert not _acyclic_without(graph, [e for e in removed if e != edge])
    exact_removed, _ = feedback_arc_set(graph)
    assert len(exact_removed) <= len(removed)
    if proven:  # only a set of one edge per cycle is proven without searching
        assert len(exact_removed) == len(removed)


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_the_order_respects_every_module_level_import(graph: nx.DiGraph) -> None:
    groups = groups_of(graph)
    names = [min(g.modules) for g in groups]
    order, _ = graduation_order(graph, groups, names)
    position = {m: n for n, i in enumerate(order) for m in groups[i].modules}
    for u, v, data in graph.edges(data=True):
        if data["kind"] is STRONG:
            assert position[v] <= position[u]
