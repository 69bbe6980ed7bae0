"""The graduation plan on fixture incubators and consumer projects, end to end."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from builders import make_incubator, make_project

from oslo_incubator.graph import incubator as graph_incubator
from oslo_incubator.graph import usage as graph_usage
from oslo_incubator.graph.incubator import incubator_graph
from oslo_incubator.graph.usage import find_usage
from oslo_incubator.history.master import read_master
from oslo_incubator.model.errors import OsloIncubatorError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.plan import (
    ApiName,
    Baggage,
    ConsumerUse,
    DependencyKind,
    ImportLine,
    ModuleDependency,
    ThirdParty,
)
from oslo_incubator.operations.plan import plan_graduation
from oslo_incubator.workspace.cache import Cache

ROOT = DEFAULT_PACKAGE_ROOT
STRONG, LAZY, WEAK = DependencyKind.STRONG, DependencyKind.LAZY, DependencyKind.WEAK


def incubator(
    tmp_path: Path, modules: dict[str, str], extra: dict[str, str] | None = None
) -> Path:
    files = {f"{ROOT}/{path}": text for path, text in modules.items()}
    return make_incubator(
        tmp_path / "incubator", [("Add modules", {**files, **(extra or {})})]
    ).path


def test_a_chain_is_planned_from_its_end_each_library_naming_what_it_imports(
    tmp_path: Path,
) -> None:
    inc = incubator(
        tmp_path,
        {
            "a.py": "from openstack.common import b\n",
            "b.py": "from openstack.common import c\n",
            "c.py": "import os\n",
        },
    )
    plan = plan_graduation(inc)
    assert [lib.modules for lib in plan.libraries] == [("c",), ("b",), ("a",)]
    assert plan.libraries[1].dependencies == (ModuleDependency("c", "c", STRONG),)
    assert plan.libraries[2].libraries == ("b",)
    assert plan.cycles == ()
    assert len(plan.head) == 40


def test_a_module_level_cycle_forces_two_modules_into_one_library(tmp_path: Path) -> None:
    inc = incubator(
        tmp_path,
        {
            "a.py": "from openstack.common import b\n",
            "b.py": "import openstack.common.a\n",
            "c.py": "from openstack.common import a\n",
        },
    )
    plan = plan_graduation(inc, apart=[("a", "c")])
    first, second = plan.libraries
    assert (first.name, first.modules, first.reasons) == (
        "a",
        ("a", "b"),
        ("module-level import cycle: a, b", "2 module-level imports between them"),
    )
    assert second.dependencies == (ModuleDependency("a", "a", STRONG),)
    (cycle,) = plan.cycles
    assert (cycle.modules, cycle.forced) == (("a", "b"), True)
    assert [(e.source, e.target, e.sites) for e in cycle.edges] == [
        ("a", "b", (ImportLine(f"{ROOT}/a.py", 1, STRONG),)),
        ("b", "a", (ImportLine(f"{ROOT}/b.py", 1, STRONG),)),
    ]
    assert len(cycle.breaking_edges) == 1


def test_a_cycle_broken_by_a_lazy_import_leaves_two_libraries(tmp_path: Path) -> None:
    inc = incubator(
        tmp_path,
        {
            "log.py": "from openstack.common import handler\n",
            "handler.py": "def emit():\n    from openstack.common import log\n    return log\n",
        },
    )
    assert [lib.modules for lib in plan_graduation(inc).libraries] == [("log", "handler")]
    plan = plan_graduation(inc, apart=[("log", "handler")])
    handler, log = plan.libraries
    assert (handler.modules, log.modules) == (("handler",), ("log",))
    assert handler.dependencies == (ModuleDependency("log", "log", LAZY, later=True),)
    assert log.dependencies == (ModuleDependency("handler", "handler", STRONG),)
    (cycle,) = plan.cycles
    assert cycle.forced is False
    assert [(e.source, e.target, e.sites) for e in cycle.breaking_edges] == [
        ("handler", "log", (ImportLine(f"{ROOT}/handler.py", 2, LAZY),))
    ]


LOCKUTILS = {
    "lockutils.py": (
        "import posix_ipc\n"
        "from openstack.common import fileutils\n"
        "\n"
        "def f():\n"
        "    from openstack.common import units\n"
    ),
    "fileutils.py": "import errno\nfrom openstack.common import log\n",
    "log.py": "import six\nfrom oslo.config import cfg\n",
    "units.py": "KI = 1024\n",
}
REQUIREMENTS = {
    "requirements.txt": "# runtime\nsix>=1.6.0\noslo.config>=1.2.0\nposix_ipc\n",
    "test-requirements.txt": "mock>=1.0\n",
}


def test_a_requested_module_brings_its_closure_and_the_plan_names_the_baggage(
    tmp_path: Path,
) -> None:
    inc = incubator(tmp_path, LOCKUTILS, REQUIREMENTS)
    plan = plan_graduation(inc, modules=["lockutils"])
    assert plan.requested == ("lockutils",)
    units, requested = plan.libraries
    # oslo.config in the requirements makes "oslo" the namespace of library names.
    assert (units.name, requested.name) == ("oslo.units", "oslo.lockutils")
    assert requested.modules == ("lockutils", "fileutils", "log")
    assert requested.requested == ("lockutils",)
    assert requested.baggage == Baggage(("fileutils", "log"), 4, ("oslo.config", "six"))
    assert [r.requirement for r in requested.requirements] == [
        "oslo.config>=1.2.0",
        "posix_ipc",
        "six>=1.6.0",
    ]
    assert requested.dependencies == (ModuleDependency("units", "oslo.units", LAZY),)


def test_an_unknown_requested_module_is_an_error_that_names_its_package(tmp_path: Path) -> None:
    inc = incubator(tmp_path, {"db/__init__.py": "", "db/api.py": ""})
    with pytest.raises(OsloIncubatorError, match=r"no module 'db\.api'.*part of module 'db'"):
        plan_graduation(inc, modules=["db.api"])


def test_third_party_requirements_carry_their_specifiers_and_stdlib_is_left_out(
    tmp_path: Path,
) -> None:
    inc = incubator(
        tmp_path,
        {
            "db.py": (
                "import os\n"
                "import urlparse\n"
                "import cPickle\n"
                "from six.moves import urllib\n"
                "import sqlalchemy\n"
                "from sqlalchemy import orm\n"
                "import yaml\n"
                "import mock\n"
                "import frobnicate\n"
                "\n"
                "def connect():\n"
                "    import MySQLdb\n"
            ),
        },
        {
            "requirements.txt": (
                "SQLAlchemy>=0.7.8,<=0.9.99\nPyYAML>=3.1.0  # yaml\nsix>=1.6.0\n"
                "-e git+https://example.com/x#egg=x\nhttp://example.com/x.tar.gz\n"
            ),
            "test-requirements.txt": "mock>=1.0\nMySQL-python\n",
        },
    )
    plan = plan_graduation(inc)
    (library,) = plan.libraries
    assert library.requirements == (
        ThirdParty("mock", ">=1.0", "", "test-requirements.txt", ("mock",), STRONG),
        ThirdParty("MySQL-python", "", "", "test-requirements.txt", ("MySQLdb",), LAZY),
        ThirdParty("PyYAML", ">=3.1.0", "", "requirements.txt", ("yaml",), STRONG),
        ThirdParty("six", ">=1.6.0", "", "requirements.txt", ("six",), STRONG),
        ThirdParty(
            "SQLAlchemy", "<=0.9.99,>=0.7.8", "", "requirements.txt", ("sqlalchemy",), STRONG
        ),
    )
    assert library.unmapped == ("frobnicate",)
    (note,) = plan.notes
    assert note.startswith("requirements.txt:5: requirement not understood, left out: http://")


def test_tests_go_with_the_library_they_are_named_for_or_the_last_one_they_need(
    tmp_path: Path,
) -> None:
    inc = incubator(
        tmp_path,
        {
            "log.py": "",
            "notifier.py": "from openstack.common import log, timeutils\n",
            "timeutils.py": "",
        },
        {
            "tests/__init__.py": "",
            "tests/unit/test_log.py": "import mock\nfrom openstack.common import log, notifier\n",
            "tests/unit/test_misc.py": "import testtools\nfrom openstack.common import log, timeutils, notifier\n",
            "tests/unit/test_time.py": "from openstack.common import timeutils\n",
            "test-requirements.txt": "mock>=1.0\ntesttools\n",
        },
    )
    plan = plan_graduation(inc)
    tests = {lib.name: lib.tests for lib in plan.libraries}
    assert tests == {
        "log": ("tests/unit/test_log.py",),
        "notifier": ("tests/unit/test_misc.py",),
        "timeutils": ("tests/unit/test_time.py",),
    }
    test_requirements = {lib.name: lib.test_requirements for lib in plan.libraries}
    assert [r.distribution for r in test_requirements["log"]] == ["mock"]
    assert [r.distribution for r in test_requirements["notifier"]] == ["testtools"]
    modules = {m.name: m.tests for m in plan.modules}
    assert modules["timeutils"] == ("tests/unit/test_misc.py", "tests/unit/test_time.py")


def test_a_bare_incubator_is_read_from_git_not_from_a_work_tree(tmp_path: Path) -> None:
    inc = incubator(tmp_path, {"a.py": "from openstack.common import b\n", "b.py": ""})
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(inc), str(bare)], check=True)
    plan = plan_graduation(bare)
    assert [lib.modules for lib in plan.libraries] == [("a", "b")]


# Consumers

MASTER = {
    "log.py": "from openstack.common.gettextutils import _\n\ndef getLogger(name):\n    return name\n",
    "gettextutils.py": "def _(msg):\n    return msg\n",
    "timeutils.py": "def utcnow():\n    pass\n",
    "db/__init__.py": "",
    "db/sqlalchemy/__init__.py": "",
    "db/exception.py": "class DBError(Exception):\n    pass\n",
    "db/sqlalchemy/session.py": (
        "from openstack.common.db import exception\n\ndef get_session():\n    pass\n"
    ),
    "units.py": "Ki = 1024\n",
}

NOVA_API = """\
from nova.openstack.common import log as logging
from nova.openstack.common.gettextutils import _
from nova.openstack.common import timeutils

LOG = logging.getLogger(__name__)


def f(session):
    LOG.info(_("x"))
    session.query()
    return timeutils.utcnow()
"""

NOVA_DB = """\
import nova.openstack.common.log
from nova.openstack.common.db.sqlalchemy import session as db_session


def get():
    nova.openstack.common.log.getLogger("x")
    return db_session.get_session()


def shadow(db_session):
    return db_session.query
"""

NOVA_TEST = """\
import mock


@mock.patch('nova.openstack.common.timeutils.utcnow')
def test(utcnow):
    from nova.openstack.common import units
    return units.Ki
"""

NOVA_PY2 = """\
from nova.openstack.common import log as logging
LOG = logging.getLogger(__name__)
print "python 2"
"""


@pytest.fixture
def nova(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "nova",
        "nova",
        {"log.py": MASTER["log.py"], "gettextutils.py": MASTER["gettextutils.py"]},
        conf="[DEFAULT]\nmodule=log\nmodule=middleware/base\nbase=nova\n",
        extra={
            "nova/api.py": NOVA_API,
            "nova/db.py": NOVA_DB,
            "nova/tests/test_x.py": NOVA_TEST,
            "nova/py2.py": NOVA_PY2,
            "nova/odd.py": "from nova.openstack import common\n\ncommon.timeutils.utcnow()\n",
            ".tox/py27/lib/x.py": "from nova.openstack.common import units\n",
            "env/pyvenv.cfg": "home = /usr\n",
            "env/lib/y.py": "from nova.openstack.common import units\n",
        },
    ).path


def test_consumer_usage_resolves_aliases_to_the_public_names_it_uses(
    tmp_path: Path, nova: Path
) -> None:
    inc = incubator(tmp_path, MASTER)
    graph, _ = incubator_graph(read_master(inc))
    usage = find_usage(nova, graph)
    assert (usage.name, usage.base) == ("nova", "nova")
    assert [m.module for m in usage.modules] == [
        "db.sqlalchemy",
        "gettextutils",
        "log",
        "timeutils",
        "units",
    ]
    log = usage.usage_of("log")
    assert log is not None
    assert log.sites == (
        ImportLine("nova/api.py", 1, STRONG),
        ImportLine("nova/db.py", 1, STRONG),
        ImportLine("nova/py2.py", 1, STRONG),
    )
    assert log.api == (ApiName("log", "getLogger", 3, ("nova",)),)
    api = {m.module: [(a.name, a.uses) for a in m.api] for m in usage.modules}
    assert api == {
        "db.sqlalchemy": [("session.get_session", 1)],
        "gettextutils": [("_", 2)],
        "log": [("getLogger", 3)],
        "timeutils": [("utcnow", 3)],
        "units": [("Ki", 1)],
    }
    units = usage.usage_of("units")
    assert units is not None and units.sites == (ImportLine("nova/tests/test_x.py", 6, LAZY),)
    assert usage.text_scanned == ("nova/py2.py",)


def test_the_plan_lists_consumers_their_import_sites_and_the_api_they_use(
    tmp_path: Path, nova: Path
) -> None:
    inc = incubator(tmp_path, MASTER)
    plan = plan_graduation(inc, [nova])
    assert plan.projects == ("nova",)
    log = plan.library_of("log")
    assert log is not None
    # gettextutils is imported by log alone: it goes with it.
    assert (log.name, log.modules) == ("log", ("log", "gettextutils"))
    assert log.consumers == (ConsumerUse("nova", 4, 3),)
    assert log.api == (
        ApiName("log", "getLogger", 3, ("nova",)),
        ApiName("gettextutils", "_", 2, ("nova",)),
    )
    session = plan.library_of("db.sqlalchemy")
    assert session is not None and session.name == "db"
    assert session.modules == ("db.sqlalchemy", "db")
    assert session.reasons == (
        "1 module-level import between them",
        "only used from inside: db",
        "package db (2 modules)",
    )
    assert plan.notes == (
        "nova: 1 files are not valid Python 3; their imports and names were found by a text scan",
        "co-change: 0 commits counted; 1 left out as sweeping (they changed more than 5 modules)",
    )


def test_a_second_plan_reads_the_import_analysis_from_the_cache(
    tmp_path: Path, nova: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inc = incubator(tmp_path, MASTER)
    cache = Cache(tmp_path / "cache")
    try:
        first = plan_graduation(inc, [nova], cache=cache)

        def no_analysis(*args: object, **kwargs: object) -> None:
            raise AssertionError("analysed again instead of reading the cache")

        monkeypatch.setattr(graph_usage, "scan_usage", no_analysis)
        monkeypatch.setattr(graph_incubator, "build_module_graph", no_analysis)
        second = plan_graduation(inc, [nova], cache=cache)
    finally:
        cache.close()
    assert first == second


# Evidence from the repositories, end to end


def test_the_incubators_history_and_records_group_its_modules(tmp_path: Path) -> None:
    def module(name: str, version: int) -> dict[str, str]:
        return {f"{ROOT}/{name}.py": f"VERSION = {version}\n"}

    names = ["service", "threadgroup", "lockutils", "processutils", "rpc", "notifier"]
    history: list[tuple[str, dict[str, str | bytes | None]]] = [
        ("Add modules", {k: v for n in names for k, v in module(n, 0).items()}),
    ]
    for version in (1, 2, 3):
        history.append(
            ("Fix services", {**module("service", version), **module("threadgroup", version)})
        )  # noqa: E501
    history.append(
        ("Update the licence header", {k: v for n in names for k, v in module(n, 9).items()})
    )  # noqa: E501
    history.append(
        (
            "Record maintainers and graduations",
            {
                "MAINTAINERS": (
                    "== lockutils ==\nM: Mikal <mikal@example.org>\nS: Maintained\nF: lockutils.py\n"
                    "\n== processutils ==\nM: mikal@example.org\nS: Maintained\nF: processutils.py\n"
                ),
                "obsolete.txt": (
                    f"{ROOT}/rpc.py oslo.messaging\n{ROOT}/notifier.py oslo.messaging\n"
                ),
            },
        )
    )
    inc = make_incubator(tmp_path / "inc", history).path
    plan = plan_graduation(inc)
    assert [lib.modules for lib in plan.libraries] == [
        ("lockutils", "processutils"),
        ("notifier", "rpc"),
        ("service", "threadgroup"),
    ]
    locks, messaging, service = plan.libraries
    assert locks.reasons == ("maintained by mikal@example.org (all)",)
    assert messaging.name == "oslo.messaging"
    assert messaging.reasons == (
        "recorded intent: obsolete.txt name oslo.messaging for notifier, rpc",
    )
    assert service.reasons == ("changed together in 3 commits",)
    assert service.bonds[0].ties[0].text == "changed together in 3 commits (of 3 and 3)"
    assert plan.notes == (
        "co-change: 3 commits counted; 2 left out as sweeping (they changed more than 5 modules)",
    )


def test_the_same_input_gives_the_same_plan(tmp_path: Path, nova: Path) -> None:
    inc = incubator(tmp_path, MASTER)
    assert plan_graduation(inc, [nova]) == plan_graduation(inc, [nova], cache=None)


def test_overrides_are_hard_and_named_in_the_reasons(tmp_path: Path) -> None:
    inc = incubator(tmp_path, {"a.py": "", "b.py": "", "c.py": ""})
    plan = plan_graduation(inc, together=[("a", "c")])
    assert [lib.modules for lib in plan.libraries] == [("a", "c"), ("b",)]
    assert plan.libraries[0].reasons == ("--together a,c",)
    with pytest.raises(OsloIncubatorError, match="no module 'd'"):
        plan_graduation(inc, apart=[("a", "d")])


def test_a_library_the_incubator_already_requires_is_not_planned_again(tmp_path: Path) -> None:
    from oslo_incubator.operations.plan import plan_file_of

    modules = {"test.py": "import fixtures\n", "log.py": "import logging\n"}
    inc = incubator(
        tmp_path,
        modules,
        {"obsolete.txt": "openstack/common/test.py acmetest\n",
         "test-requirements.txt": "acmetest>=0.1\nfixtures\n"},
    )  # fmt: skip
    plan = plan_graduation(inc)
    assert plan.released == ("acmetest",)
    assert [lib.name for lib in plan.libraries if "test" in lib.modules] == ["acmetest"]
    assert any("acmetest (test) is already a requirement" in n for n in plan.notes)
    assert "acmetest" not in [lib.name for lib in plan_file_of(plan).libraries]


def test_modules_never_join_a_library_that_is_released_already(tmp_path: Path) -> None:
    from builders import make_incubator

    files = {"openstack/common/test.py": "A = 1\n", "openstack/common/helper.py": "B = 1\n"}
    history = [("Add", {**files, "obsolete.txt": "openstack/common/test.py acmetest\n",
                        "test-requirements.txt": "acmetest>=0.1\n"})]  # fmt: skip
    for n in range(2, 6):  # changed together, over and over: a strong bond
        history.append((f"Change both {n}", {p: f"X = {n}\n" for p in files}))
    inc = make_incubator(tmp_path / "inc", history).path
    plan = plan_graduation(inc)
    library_of = {m: lib.name for lib in plan.libraries for m in lib.modules}
    assert library_of["test"] == "acmetest"
    assert library_of["helper"] != "acmetest"
    assert plan.released == ("acmetest",)
