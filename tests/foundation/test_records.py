"""What the incubator's records say: MAINTAINERS, obsolete.txt, messages, shims."""

from __future__ import annotations

from pathlib import Path

from builders import make_incubator

from oslo_incubator.analysis.packaging import shim_text
from oslo_incubator.analysis.records import (
    library_in,
    library_in_message,
    named_in_maintainers,
    namespaces_of,
    parse_maintainers,
    parse_obsolete_list,
    record_of,
    shim_library,
)
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState, RecordSource
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT

MAINTAINERS = """\
== db ==

M: Someone <someone@example.org>
S: Graduating
F: db/

== db.sqlalchemy ==

S: Obsolete (graduated to acme.db)
F: db/sqlalchemy/

== log ==

S: Orphan
F: log.py
"""


def test_every_status_is_a_record_and_the_most_specific_pattern_wins() -> None:
    records = parse_maintainers(MAINTAINERS, namespaces=["acme"])
    session = record_of("openstack/common/db/sqlalchemy/session.py", records)
    assert session is not None
    assert (session.state, session.library) == (LifecycleState.OBSOLETE, "acme.db")
    api = record_of("openstack/common/db/api.py", records)
    assert api is not None and api.state is LifecycleState.GRADUATING
    log = record_of("openstack/common/log.py", records)
    assert log is not None and log.state is LifecycleState.ORPHAN
    assert record_of("openstack/common/other.py", records) is None


def test_obsolete_list_comes_before_maintainers() -> None:
    records = [
        *parse_maintainers(MAINTAINERS, namespaces=["acme"]),
        *parse_obsolete_list("# header\nopenstack/common/log.py acme.log\n"),
    ]
    log = record_of("openstack/common/log.py", records)
    assert log is not None
    assert (log.source, log.library) == (RecordSource.OBSOLETE_LIST, "acme.log")


def test_libraries_are_recognised_by_the_namespaces_the_records_use() -> None:
    assert named_in_maintainers(MAINTAINERS) == ["acme.db"]
    assert namespaces_of(["acme.db", "six", "acme.log", "zope.interface"]) == ("acme", "zope")
    assert library_in("moved to acme_db and acme-log", ["acme"]) == "acme.db"
    assert library_in("see acme-incubator", ["acme"]) is None
    assert library_in("moved to acme.db", []) is None
    assert library_in_message("Delete graduated cache files", ["acme"]) == "acme.cache"
    assert library_in_message("Delete graduated cache files", ["acme", "zope"]) is None


def test_the_shims_graduate_run_leaves_name_their_library() -> None:
    text = shim_text(
        "acme_json.jsonutils", "acme.json", ["dumps", "loads"],
        header="# Copyright\n", version=None, removal_version="?",
    )  # fmt: skip
    assert shim_library(text, DEFAULT_PACKAGE_ROOT) == "acme_json.jsonutils"


def test_a_compatibility_shim_that_subclasses_the_library_is_one() -> None:
    text = (
        '"""Compatibility shim."""\n\nfrom acme.middleware import request_id\n\n'
        "from openstack.common import versionutils\n\n\n"
        "ENV_REQUEST_ID = 'openstack.request_id'\n\n\n"
        "@versionutils.deprecated(as_of=1)\n"
        "class RequestIdMiddleware(request_id.RequestId):\n    pass\n"
    )
    assert shim_library(text, DEFAULT_PACKAGE_ROOT) == "acme.middleware"
    with_code = text.replace("    pass\n", "    def __call__(self):\n        return 1\n")
    assert shim_library(with_code, DEFAULT_PACKAGE_ROOT) is None


def test_modules_with_code_of_their_own_are_no_shims() -> None:
    assert (
        shim_library("import six\n\n\ndef f():\n    return six.PY3\n", DEFAULT_PACKAGE_ROOT)
        is None
    )
    assert shim_library("import os\n\nX = os.sep\n", DEFAULT_PACKAGE_ROOT) is None
    assert shim_library("from acme import x\n", DEFAULT_PACKAGE_ROOT) is None


def test_a_shim_at_head_is_obsolete_and_names_its_library(tmp_path: Path) -> None:
    shim = shim_text(
        "acme_json.jsonutils", "acme.json", ["dumps"],
        header="", version=None, removal_version="?",
    )  # fmt: skip
    repo = make_incubator(tmp_path / "inc", [
        ("Add jsonutils", {"openstack/common/jsonutils.py": "def dumps(x):\n    return x\n",
                           "requirements.txt": "acme.config\n"}),
        ("Leave a shim", {"openstack/common/jsonutils.py": shim}),
    ])  # fmt: skip
    inc = open_incubator(repo.path)
    assert inc.namespaces == ("acme",)
    assert inc.module_lifecycle("jsonutils") == Lifecycle(
        LifecycleState.OBSOLETE, "acme.json", repo.head(), RecordSource.SHIM
    )


def test_the_commit_that_says_so_is_where_the_record_took_its_present_form(
    tmp_path: Path,
) -> None:
    entry = "== log ==\n\nS: {}\nF: log.py\n"
    repo = make_incubator(tmp_path / "inc", [
        ("Add log", {"openstack/common/log.py": "X = 1\n",
                     "MAINTAINERS": entry.format("Maintained")}),
    ])  # fmt: skip
    marked = repo.commit("Mark log obsolete", {"MAINTAINERS": entry.format("Obsolete (acme.log)")})
    repo.commit(
        "Touch MAINTAINERS", {"MAINTAINERS": "# owners\n" + entry.format("Obsolete (acme.log)")}
    )
    lifecycle = open_incubator(repo.path).module_lifecycle("log")
    assert lifecycle == Lifecycle(
        LifecycleState.OBSOLETE, "acme.log", marked, RecordSource.MAINTAINERS
    )
