"""The evidence a plan weighs: maintainers, the history's co-change, name families, and
the ties each signal makes between two modules."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest
from builders import make_incubator

from oslo_incubator.analysis.names import common_suffix, name_families
from oslo_incubator.analysis.records import (
    MaintainerEntry,
    maintainers_of,
    parse_maintainer_entries,
)
from oslo_incubator.analysis.requirements import parse_requirements
from oslo_incubator.graph.evidence import (
    CO_CHANGE_WEIGHT,
    HELPER_WEIGHT,
    MAINTAINER_WEIGHT,
    REQUIREMENT_WEIGHT,
    Evidence,
    sweep_cut,
    weigh_evidence,
)
from oslo_incubator.graph.modules import build_module_graph, resolve_requirements
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.history import ModuleChange
from oslo_incubator.model.lifecycle import RecordSource
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.plan import Signal

ROOT = DEFAULT_PACKAGE_ROOT

MAINTAINERS = """\
= List of API Maintainers =

 M: Maintainer email address

== cache ==

M: Flavio Percoco <flavio@redhat.com>
M: Morgan <M@Example.org>
S: Maintained
F: cache/

== context ==

M:
S: Obsolete
F: context.py

== policy ==

M: flavio@redhat.com
S: Maintained
F: policy.py
"""


def graph_of(modules: dict[str, str], requirements: str = "") -> nx.DiGraph:
    graph = build_module_graph({f"{ROOT}/{p}": t for p, t in modules.items()}, ROOT)
    resolve_requirements(graph, parse_requirements(requirements, "requirements.txt"))
    return graph


def change(sha: str, *modules: str) -> ModuleChange:
    return ModuleChange(sha, f"commit {sha}", frozenset(modules))


def ties(evidence_graph: nx.Graph, a: str, b: str) -> dict[Signal, int]:
    if not evidence_graph.has_edge(a, b):
        return {}
    return {t.signal: t.count for t in evidence_graph[a][b]["ties"]}


# MAINTAINERS


def test_maintainer_entries_keep_people_by_address_and_drop_empty_lines() -> None:
    entries = parse_maintainer_entries(MAINTAINERS)
    assert entries == [
        MaintainerEntry(
            "cache",
            ("flavio@redhat.com", "m@example.org"),
            "Maintained",
            (f"{ROOT}/cache/*",),
        ),
        MaintainerEntry("context", (), "Obsolete", (f"{ROOT}/context.py",)),
        MaintainerEntry("policy", ("flavio@redhat.com",), "Maintained", (f"{ROOT}/policy.py",)),
    ]
    assert maintainers_of(f"{ROOT}/cache/backends.py", entries) == (
        "flavio@redhat.com",
        "m@example.org",
    )
    assert maintainers_of(f"{ROOT}/context.py", entries) == ()


def test_the_incubator_reads_each_modules_maintainers_at_head(tmp_path: Path) -> None:
    inc = make_incubator(
        tmp_path / "inc",
        [
            (
                "Add modules",
                {
                    f"{ROOT}/cache/__init__.py": "",
                    f"{ROOT}/cache/backends.py": "",
                    f"{ROOT}/policy.py": "",
                    "MAINTAINERS": MAINTAINERS,
                },
            )
        ],
    )
    incubator = open_incubator(inc.path)
    assert incubator.module_maintainers("cache") == ("flavio@redhat.com", "m@example.org")
    assert incubator.module_maintainers("policy") == ("flavio@redhat.com",)
    assert incubator.module_maintainers("nothing") == ()


# History


def test_module_changes_name_modules_as_at_head_and_leave_merges_out(tmp_path: Path) -> None:
    inc = make_incubator(
        tmp_path / "inc",
        [
            ("Add a and b", {f"{ROOT}/a.py": "1\n", f"{ROOT}/b.py": "1\n"}),
            ("Change old and b", {f"{ROOT}/old.py": "1\n", f"{ROOT}/b.py": "2\n"}),
        ],
    )
    inc.move(f"{ROOT}/old.py", f"{ROOT}/new.py")
    inc.commit("Rename old to new")
    inc.branch("topic")
    inc.commit("Change a on a branch", {f"{ROOT}/a.py": "2\n"})
    inc.checkout("master")
    inc.commit("Change b on master", {f"{ROOT}/b.py": "3\n"})
    inc.merge("topic", "Merge topic")
    changes = open_incubator(inc.path).module_changes()
    assert [(c.subject, sorted(c.modules)) for c in changes] == [
        ("Change b on master", ["b"]),
        ("Change a on a branch", ["a"]),
        ("Rename old to new", ["new"]),
        ("Change old and b", ["b", "new"]),
        ("Add a and b", ["a", "b"]),
    ]


# Names


def test_name_families_come_from_the_names_alone() -> None:
    families = {
        f.label: sorted(f.modules)
        for f in name_families(
            [
                "report", "report.views", "report.views.json", "excutils", "network_utils",
                "strutils", "cache", "memorycache", "log", "log_handler", "context", "text",
                "db", "dbx", "units",
            ]
        )
    }  # fmt: skip
    assert families == {
        "*utils": ["excutils", "network_utils", "strutils"],
        "cache in memorycache": ["cache", "memorycache"],
        "log in log_handler": ["log", "log_handler"],
        "report.*": ["report", "report.views", "report.views.json"],
        # "text" ends "context": a containment too; two letters ("db") are too few.
        "text in context": ["context", "text"],
    }
    assert common_suffix(["excutils", "strutils"]) == "utils"
    assert common_suffix([]) == ""


def test_two_names_ending_alike_are_no_family() -> None:
    assert name_families(["timeutils", "strutils", "units"]) == ()


# Ties


def test_co_change_counts_commits_that_changed_both_and_leaves_sweeping_ones_out() -> None:
    names = [f"m{i}" for i in range(8)]
    graph = graph_of({f"{n}.py": "" for n in names})
    cut = sweep_cut(len(names))
    assert cut == 5
    changes = [change("1", "m0", "m1"), change("2", "m0", "m1"), change("3", "m2", "m3")]
    changes += [change(f"s{i}", *names) for i in range(5)]  # a licence header, five times
    bonds = weigh_evidence(graph, Evidence(changes=changes))
    assert ties(bonds.graph, "m0", "m1") == {Signal.CO_CHANGE: 2}
    # One commit together is chance; a sweeping commit is no evidence at all.
    assert ties(bonds.graph, "m2", "m3") == {}
    assert ties(bonds.graph, "m4", "m5") == {}
    (tie,) = bonds.graph["m0"]["m1"]["ties"]
    assert tie.weight == CO_CHANGE_WEIGHT
    assert tie.text == "changed together in 2 commits (of 2 and 2)"
    assert (bonds.swept, bonds.cut, len(bonds.changes)) == (5, 5, 3)


def test_a_helper_is_tied_to_its_only_importer_when_no_consumer_imports_it() -> None:
    graph = graph_of(
        {
            "service.py": "from openstack.common import systemd\n",
            "systemd.py": "",
            "loopingcall.py": "",
            "threadgroup.py": "from openstack.common import loopingcall\n",
        }
    )
    used = {"service": frozenset({"nova:a.py"}), "loopingcall": frozenset({"nova:b.py"})}
    bonds = weigh_evidence(graph, Evidence(consumer_files=used))
    assert ties(bonds.graph, "service", "systemd") == {Signal.HELPER: 1, Signal.IMPORT: 1}
    assert bonds.graph["service"]["systemd"]["weight"] == HELPER_WEIGHT + 1.0
    # loopingcall is API: a consumer imports it.
    assert ties(bonds.graph, "loopingcall", "threadgroup") == {Signal.IMPORT: 1}
    assert bonds.helpers == {"systemd": "service"}
    # Without consumers nobody can tell a helper from an API.
    assert Signal.HELPER not in ties(weigh_evidence(graph, Evidence()).graph, "service", "systemd")


def test_an_import_of_a_module_everything_imports_weighs_little() -> None:
    graph = graph_of(
        {
            "log.py": "",
            "a.py": "from openstack.common import log\n",
            "b.py": "from openstack.common import log\n",
            "c.py": "from openstack.common import log\n",
            "d.py": "from openstack.common import c\n",
        }
    )
    bonds = weigh_evidence(graph, Evidence())
    assert bonds.graph["a"]["log"]["weight"] == pytest.approx(1 / 3)
    assert bonds.graph["c"]["d"]["weight"] == 1.0
    assert bonds.graph["a"]["log"]["ties"][0].text == (
        "a imports log at module level (so do 2 other modules)"
    )


def test_co_consumption_is_more_than_chance_would_give() -> None:
    graph = graph_of({f"{n}.py": "" for n in "abcde"})
    files = {f"nova:{i}.py" for i in range(10)}
    used = {
        "a": frozenset({"nova:0.py", "nova:1.py", "glance:0.py"}),
        "b": frozenset({"nova:0.py", "nova:1.py", "glance:0.py"}),
        "c": frozenset(files),  # everything imports c: no telling
        "d": frozenset({"nova:0.py", "nova:5.py", "nova:6.py", "nova:7.py"}),
        "e": frozenset({"nova:5.py"}),
    }
    bonds = weigh_evidence(graph, Evidence(consumer_files=used))
    assert ties(bonds.graph, "a", "b") == {Signal.CO_CONSUMPTION: 3}
    assert bonds.graph["a"]["b"]["ties"][0].text == (
        "imported together by 3 consumer files (of 3 and 3) in 2 projects"
    )
    assert ties(bonds.graph, "a", "c") == {}
    assert ties(bonds.graph, "d", "e") == {}  # one file together is chance
    assert ties(bonds.graph, "a", "d") == {}  # one file of four: less than chance


def test_shared_requirements_and_maintainers_count_the_rarer_the_more() -> None:
    graph = graph_of(
        {
            "service.py": "import eventlet\nimport six\n",
            "loopingcall.py": "import eventlet\nimport six\n",
            "db.py": "import sqlalchemy\nimport six\n",
            "a.py": "import six\n",
            "b.py": "",
            "c.py": "",
        },
        "eventlet\nsix\nSQLAlchemy\n",
    )
    people = {"service": ("mikal",), "loopingcall": ("mikal",), "db": ("mikal", "boris")}
    bonds = weigh_evidence(graph, Evidence(maintainers=people))
    # six is needed by four of six modules: no evidence.
    assert ties(bonds.graph, "service", "loopingcall") == {
        Signal.REQUIREMENT: 2,
        Signal.MAINTAINER: 3,
    }
    assert ties(bonds.graph, "a", "db") == {}
    service = {t.signal: t for t in bonds.graph["service"]["loopingcall"]["ties"]}
    assert service[Signal.REQUIREMENT].text == "both need eventlet (2 modules do)"
    # log(N/n) / log(N): eventlet is needed by 2 of 6, mikal maintains 3 of 6.
    rarity = {n: math.log(6 / n) / math.log(6) for n in (2, 3)}
    assert service[Signal.REQUIREMENT].weight == round(REQUIREMENT_WEIGHT * rarity[2], 4)
    assert service[Signal.MAINTAINER].weight == round(MAINTAINER_WEIGHT * rarity[3], 4)
    assert service[Signal.MAINTAINER].text == "both maintained by mikal (3 modules are)"


def test_a_library_says_what_holds_it_together_in_numbers() -> None:
    graph = graph_of(
        {
            "service.py": "import eventlet\nfrom openstack.common import threadgroup\n",
            "threadgroup.py": "import eventlet\n",
            "other.py": "",
            "more.py": "",
            "rest.py": "",
            "last.py": "",
        },
        "eventlet\n",
    )
    changes = [change("1", "service", "threadgroup"), change("2", "service", "threadgroup")]
    used = {
        "service": frozenset({"nova:a.py", "nova:b.py"}),
        "threadgroup": frozenset({"nova:a.py", "nova:b.py"}),
        "other": frozenset({"nova:c.py"}),
    }
    people = {"service": ("mikal",), "threadgroup": ("mikal",)}
    bonds = weigh_evidence(graph, Evidence(changes, used, people))
    assert bonds.describe({"service", "threadgroup"}, graph) == (
        "1 module-level import between them",
        "changed together in 2 commits",
        "imported together by 2 consumer files in 1 project",
        "need eventlet (all)",
        "maintained by mikal (all)",
    )
    assert bonds.describe({"service"}, graph) == ()


def test_records_and_shims_name_the_library_a_file_goes_to(tmp_path: Path) -> None:
    inc = make_incubator(
        tmp_path / "inc",
        [
            (
                "Add modules",
                {
                    f"{ROOT}/log.py": "import warnings\nfrom oslo_log.log import *  # noqa\n",
                    f"{ROOT}/rpc.py": "x = 1\n",
                    f"{ROOT}/units.py": "x = 1\n",
                    "obsolete.txt": f"{ROOT}/rpc.py oslo.messaging\n",
                    "requirements.txt": "oslo.log\n",
                },
            )
        ],
    )
    incubator = open_incubator(inc.path)
    assert incubator.named_library(f"{ROOT}/rpc.py") == (
        "oslo.messaging",
        RecordSource.OBSOLETE_LIST,
    )
    assert incubator.named_library(f"{ROOT}/log.py") == ("oslo.log", RecordSource.SHIM)
    assert incubator.named_library(f"{ROOT}/units.py") is None
    assert incubator.named_library(f"{ROOT}/never.py") is None
