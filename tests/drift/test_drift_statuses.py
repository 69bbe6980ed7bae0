"""Drift of copies: every status, renames, merges, backports, Python 2, nested bases."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_incubator, make_project, synced

from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.drift import DriftStatus, ProjectDrift
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState, RecordSource
from oslo_incubator.operations.drift import analyse_drift
from oslo_incubator.workspace.cache import Cache

LOG_V1 = "import logging\n\nfrom openstack.common import jsonutils\n\n\ndef getLogger(name):\n    return logging.getLogger(name)\n"
LOG_V2 = LOG_V1 + "\n\ndef setup(product):\n    getLogger(product).info('ready')\n"
LOG_V3 = LOG_V2.replace("info('ready')", "info('ready: oslo')")
JSON_V1 = "import json\n\n\ndef dumps(value):\n    return json.dumps(value)\n\n\ndef loads(s):\n    return json.loads(s)\n"
JSON_V2 = JSON_V1.replace(
    "    return json.dumps(value)\n",
    "    # never fail on odd types\n    return json.dumps(value, default=str)\n",
).replace("    return json.loads(s)\n", "    return json.loads(s, strict=False)\n")
JSON_V3 = (
    JSON_V2
    + "\n\ndef load(fp):\n    return json.load(fp)\n\n\ndef dump(obj, fp):\n    return json.dump(obj, fp)\n"
)


@pytest.fixture
def incubator(tmp_path: Path) -> dict[str, str]:
    repo = make_incubator(
        tmp_path / "incubator",
        [
            (
                "Add log and jsonutils",
                {
                    "openstack/common/log.py": LOG_V1,
                    "openstack/common/jsonutils.py": JSON_V1,
                    "openstack/common/context.py": "class Context:\n    pass\n",
                    "openstack/common/network.py": "def parse(a):\n    return a\n",
                    "requirements.txt": "oslo.config>=1.2.0\n",
                },
            ),
            ("log: add setup()", {"openstack/common/log.py": LOG_V2}),
            ("jsonutils: default to str", {"openstack/common/jsonutils.py": JSON_V2}),
            ("Remove context, graduated to oslo.context", {"openstack/common/context.py": None}),
            ("log: say which library", {"openstack/common/log.py": LOG_V3}),
            ("jsonutils: add load and dump", {"openstack/common/jsonutils.py": JSON_V3}),
        ],
    )
    repo.move("openstack/common/network.py", "openstack/common/network_utils.py")
    shas = {"rename": repo.commit("Rename network to network_utils")}
    from oslo_incubator.history.git import git_text

    log = git_text(repo.path, "log", "--format=%H %s").splitlines()
    for line in log:
        sha, subject = line.split(" ", 1)
        shas[subject] = sha
    shas["path"] = str(repo.path)
    return shas


def drift_of(incubator_path: str, project: Path) -> ProjectDrift:
    inc = open_incubator(Path(incubator_path))
    return analyse_drift(inc, [project]).projects[0]


def test_every_status(tmp_path: Path, incubator: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "nova",
        "nova",
        {
            "log.py": LOG_V3,
            "jsonutils.py": JSON_V1,
            "context.py": "class Context:\n    pass\n",
            "sqlutils.py": "def paginate(q):\n    return q\n",
        },
        conf="[DEFAULT]\nmodule=log\nmodule=jsonutils\nmodule=context\nmodule=uuidutils\nbase=nova\n",
    ).path
    drift = drift_of(incubator["path"], project)
    by_module = {c.module: c for c in drift.copies}
    assert by_module["log"].status is DriftStatus.CURRENT
    assert by_module["log"].base_commit == incubator["log: say which library"]
    assert by_module["jsonutils"].status is DriftStatus.BEHIND
    assert by_module["jsonutils"].base_commit == incubator["Add log and jsonutils"]
    assert [c.subject for c in by_module["jsonutils"].missed_commits] == [
        "jsonutils: default to str",
        "jsonutils: add load and dump",
    ]
    assert by_module["context"].status is DriftStatus.OBSOLETE
    assert by_module["context"].lifecycle == Lifecycle(
        LifecycleState.DELETED,
        "oslo.context",
        incubator["Remove context, graduated to oslo.context"],
        RecordSource.DELETION,
    )
    assert by_module["sqlutils"].status is DriftStatus.UNKNOWN
    assert drift.undeclared == ("nova/openstack/common/sqlutils.py",)
    assert drift.missing == ("uuidutils",)
    assert {m.module: m.status for m in drift.modules}["uuidutils"] is DriftStatus.MISSING


def test_local_patch_is_diverged_with_its_hunk(tmp_path: Path, incubator: dict[str, str]) -> None:
    patched = LOG_V2.replace(
        "    return logging.getLogger(name)\n",
        "    # nova: prefix every logger\n    return logging.getLogger('nova.' + name)\n",
    )
    project = make_project(tmp_path / "nova", "nova", {"log.py": patched}).path
    copy = drift_of(incubator["path"], project).copies[-1]
    assert copy.module == "log"
    assert copy.status is DriftStatus.DIVERGED
    assert copy.base_commit == incubator["log: add setup()"]
    assert copy.match == "nearest"
    assert [c.subject for c in copy.missed_commits] == ["log: say which library"]
    (hunk,) = copy.hunks
    assert hunk.removed == ("    return logging.getLogger(name)",)
    assert hunk.added == (
        "    # nova: prefix every logger",
        "    return logging.getLogger('nova.' + name)",
    )
    assert hunk.backported_from is None
    assert copy.changed_lines == 3


def test_cherry_picked_master_fix_is_a_backport(tmp_path: Path, incubator: dict[str, str]) -> None:
    # Based on JSON_V1, carrying one line of V2's fix but not the rest of V2: nearest is V1.
    backport = JSON_V1.replace(
        "    return json.dumps(value)\n", "    return json.dumps(value, default=str)\n"
    )
    project2 = make_project(tmp_path / "glance", "glance", {"jsonutils.py": backport}).path
    copy2 = drift_of(incubator["path"], project2).copies[-1]
    assert copy2.status is DriftStatus.DIVERGED
    assert copy2.base_commit == incubator["Add log and jsonutils"]
    assert copy2.backported_from == (incubator["jsonutils: default to str"],)


def test_copy_of_a_renamed_module_follows_the_rename(
    tmp_path: Path, incubator: dict[str, str]
) -> None:
    project = make_project(
        tmp_path / "nova", "nova", {"network.py": "def parse(a):\n    return a\n"}
    ).path
    copy = drift_of(incubator["path"], project).copies[-1]
    assert copy.copy_path == "nova/openstack/common/network.py"
    assert copy.master_path == "openstack/common/network_utils.py"
    assert copy.status is DriftStatus.CURRENT


def test_python2_copy_is_analysed_as_text(tmp_path: Path, incubator: dict[str, str]) -> None:
    py2 = LOG_V1.replace(
        "    return logging.getLogger(name)\n",
        "    print 'getLogger', name\n    return logging.getLogger(name)\n",
    )
    project = make_project(tmp_path / "nova", "nova", {"log.py": py2}).path
    copy = drift_of(incubator["path"], project).copies[-1]
    assert copy.parses is False
    assert copy.status is DriftStatus.DIVERGED
    assert copy.base_commit == incubator["Add log and jsonutils"]
    assert copy.hunks[0].added == ("    print 'getLogger', name",)


def test_nested_base_package(tmp_path: Path, incubator: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        "foo.bar",
        {"log.py": LOG_V2},
        conf="[DEFAULT]\nmodule=log\nbase=foo/bar\n",
    ).path
    drift = drift_of(incubator["path"], project)
    copy = [c for c in drift.copies if c.module == "log"][0]
    assert copy.copy_path == "foo/bar/openstack/common/log.py"
    assert "foo.bar.openstack.common" in (project / copy.copy_path).read_text()
    assert copy.status is DriftStatus.BEHIND
    assert copy.base_commit == incubator["log: add setup()"]


def test_copy_made_without_update_py_still_matches(
    tmp_path: Path, incubator: dict[str, str]
) -> None:
    project = make_project(tmp_path / "nova", "nova", {"log.py": LOG_V3}, rewrite=False).path
    assert drift_of(incubator["path"], project).copies[-1].status is DriftStatus.CURRENT


def test_version_that_exists_only_in_a_merge_commit(tmp_path: Path) -> None:
    repo = make_incubator(
        tmp_path / "inc", [("Add a", {"openstack/common/a.py": "x = 1\ny = 2\n"})]
    )
    repo.branch("feature")
    repo.commit("feature: change y", {"openstack/common/a.py": "x = 1\ny = 3\n"})
    repo.checkout("master")
    repo.commit("master: change y", {"openstack/common/a.py": "x = 1\ny = 4\n"})
    merge = repo.merge(
        "feature", "Merge feature", resolve={"openstack/common/a.py": "x = 1\ny = 34\n"}
    )
    repo.commit("Add b", {"openstack/common/b.py": "z = 0\n"})
    project = make_project(tmp_path / "nova", "nova", {"a.py": "x = 1\ny = 34\n"}).path
    copy = drift_of(str(repo.path), project).copies[-1]
    assert copy.status is DriftStatus.CURRENT
    assert copy.base_commit == merge


def test_trivial_init_is_no_evidence_of_a_base(tmp_path: Path, incubator: dict[str, str]) -> None:
    project = make_project(tmp_path / "nova", "nova", {"__init__.py": "# Copyright\n"}).path
    init = [c for c in drift_of(incubator["path"], project).copies if c.module == "__init__"][0]
    assert init.status is DriftStatus.CURRENT
    assert init.base_commit is None
    assert init.match == "trivial"


def test_empty_init_equal_to_head_gets_a_base_like_any_copy(
    tmp_path: Path, incubator: dict[str, str]
) -> None:
    project = make_project(tmp_path / "nova", "nova", {"__init__.py": ""}).path
    init = [c for c in drift_of(incubator["path"], project).copies if c.module == "__init__"][0]
    assert init.status is DriftStatus.CURRENT
    assert init.base_commit == incubator["Add log and jsonutils"]
    assert init.match == "exact"


def test_licence_only_init_is_behind_the_commit_that_emptied_it(tmp_path: Path) -> None:
    licence = "# Licensed under the Apache License, Version 2.0\n"
    repo = make_incubator(
        tmp_path / "inc",
        [
            ("Add db", {"openstack/common/db/__init__.py": licence,
                        "openstack/common/db/api.py": "X = 1\n"}),
            ("Empty the package __init__ files", {"openstack/common/db/__init__.py": ""}),
            # Elsewhere the licence-only text still exists: no evidence across paths.
            ("Add cache", {"openstack/common/cache/__init__.py": licence}),
        ],
    )  # fmt: skip
    project = make_project(
        tmp_path / "nova", "nova", {"db/__init__.py": licence, "db/api.py": "X = 1\n"}
    ).path
    copy = next(
        c
        for c in drift_of(str(repo.path), project).copies
        if c.copy_path.endswith("db/__init__.py")
    )
    assert copy.status is DriftStatus.BEHIND
    assert [c.subject for c in copy.missed_commits] == ["Empty the package __init__ files"]


def test_maintainers_and_obsolete_list_are_life_cycle_not_content(tmp_path: Path) -> None:
    repo = make_incubator(
        tmp_path / "inc",
        [
            (
                "Add modules",
                {
                    "openstack/common/gettextutils.py": "def _(m):\n    return m\n",
                    "openstack/common/rpc/amqp.py": "X = 1\n",
                    "MAINTAINERS": "== gettextutils ==\n\nM:\nS: Obsolete (graduated to oslo.i18n)\nF: gettextutils.py\n",
                    "obsolete.txt": "# obsolete modules\nopenstack/common/rpc/* oslo.messaging\n",
                },
            )
        ],
    )
    project = make_project(
        tmp_path / "nova",
        "nova",
        {
            "gettextutils.py": "def _(m):\n    return m\n",
            "rpc/amqp.py": "X = 1\n",
        },
        conf="[DEFAULT]\nmodule=gettextutils\nmodule=rpc\nbase=nova\n",
    ).path
    drift = drift_of(str(repo.path), project)
    copies = {c.module: c for c in drift.copies}
    added = repo.head()
    # Master still has both files and the copies equal them: current, whatever the
    # records say; the records are the modules' life cycle.
    assert copies["gettextutils"].status is DriftStatus.CURRENT
    assert copies["gettextutils"].lifecycle == Lifecycle(
        LifecycleState.OBSOLETE, "oslo.i18n", added, RecordSource.MAINTAINERS
    )
    assert copies["rpc"].status is DriftStatus.CURRENT
    assert copies["rpc"].lifecycle == Lifecycle(
        LifecycleState.OBSOLETE, "oslo.messaging", added, RecordSource.OBSOLETE_LIST
    )
    modules = {m.module: m for m in drift.modules}
    assert modules["rpc"].lifecycle.state is LifecycleState.OBSOLETE


def test_companion_files_and_scripts_are_copies_too(tmp_path: Path) -> None:
    venv = "import os\n\n\ndef main():\n    return os.getcwd()\n"
    repo = make_incubator(
        tmp_path / "inc",
        [
            (
                "Add tools",
                {
                    "openstack/common/log.py": "X = 1\n",
                    "tools/install_venv_common.py": venv,
                    "etc/oslo/policy.conf": "[DEFAULT]\n",
                },
            )
        ],
    )
    project = make_project(
        tmp_path / "nova",
        "nova",
        {"log.py": "X = 1\n"},
        extra={
            "tools/install_venv_common.py": venv,
            "tools/colorizer.py": "print(1)\n",
        },
        conf="[DEFAULT]\nmodule=log\nmodule=install_venv_common\nscript=tools/colorizer.py\nbase=nova\n",
    ).path
    drift = drift_of(str(repo.path), project)
    copies = {c.copy_path: c for c in drift.copies}
    assert copies["tools/install_venv_common.py"].status is DriftStatus.CURRENT
    assert copies["tools/install_venv_common.py"].module == "install_venv_common"
    assert copies["tools/colorizer.py"].status is DriftStatus.UNKNOWN
    assert drift.missing == ()


def test_warm_cache_gives_the_same_report(tmp_path: Path, incubator: dict[str, str]) -> None:
    patched = LOG_V2.replace("getLogger(name)\n", "getLogger(name.upper())\n")
    project = make_project(
        tmp_path / "nova", "nova", {"log.py": patched, "jsonutils.py": JSON_V1}
    ).path
    cache = Cache(tmp_path / "cache")
    cold = analyse_drift(open_incubator(Path(incubator["path"]), cache=cache), [project], cache)
    warm = analyse_drift(open_incubator(Path(incubator["path"]), cache=cache), [project], cache)
    assert warm == cold
    assert cache.get("history-index", "missing") is None


def test_corrupt_cache_is_rebuilt_not_trusted(tmp_path: Path, incubator: dict[str, str]) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    cache = Cache(tmp_path / "cache")
    project = make_project(tmp_path / "nova", "nova", {"log.py": LOG_V3}).path
    report = analyse_drift(open_incubator(Path(incubator["path"]), cache=cache), [project], cache)
    assert report.projects[0].copies[-1].status is DriftStatus.CURRENT
    assert cache.get("history-index", "x") is None


def test_synced_helper_matches_update_py_habits() -> None:
    assert synced("from openstack.common import log\n_('oslo')\n", "nova") == (
        "from nova.openstack.common import log\n_('nova')\n"
    )


def test_missed_commits_leave_out_merges_that_only_combine_listed_ones(tmp_path: Path) -> None:
    repo = make_incubator(
        tmp_path / "inc", [("Add a", {"openstack/common/a.py": "x = 1\n\n\n\ny = 2\n"})]
    )
    repo.branch("feature")
    repo.commit("feature: change y", {"openstack/common/a.py": "x = 1\n\n\n\ny = 3\n"})
    repo.checkout("master")
    repo.commit("master: change x", {"openstack/common/a.py": "x = 9\n\n\n\ny = 2\n"})
    repo.merge("feature", "Merge feature")  # git's own merge: content no commit had
    project = make_project(tmp_path / "nova", "nova", {"a.py": "x = 1\n\n\n\ny = 2\n"}).path
    copy = drift_of(str(repo.path), project).copies[-1]
    assert copy.status is DriftStatus.BEHIND
    assert sorted(c.subject for c in copy.missed_commits) == [
        "feature: change y",
        "master: change x",
    ]


def test_merge_on_a_side_branch_made_a_version_too(tmp_path: Path) -> None:
    repo = make_incubator(
        tmp_path / "inc", [("Add a", {"openstack/common/a.py": "x = 1\ny = 2\n"})]
    )
    repo.branch("feature")
    repo.branch("topic")
    repo.commit("topic: change y", {"openstack/common/a.py": "x = 1\ny = 3\n"})
    repo.checkout("feature")
    repo.commit("feature: change y", {"openstack/common/a.py": "x = 1\ny = 4\n"})
    side_merge = repo.merge(
        "topic", "Merge topic into feature", resolve={"openstack/common/a.py": "x = 1\ny = 34\n"}
    )
    repo.commit("feature: add b", {"openstack/common/b.py": "z = 0\n"})
    repo.checkout("master")
    repo.commit("master: add c", {"openstack/common/c.py": "w = 0\n"})
    repo.merge("feature", "Merge feature")
    repo.commit("a: newer", {"openstack/common/a.py": "x = 1\ny = 5\n"})
    project = make_project(tmp_path / "nova", "nova", {"a.py": "x = 1\ny = 34\n"}).path
    copy = drift_of(str(repo.path), project).copies[-1]
    assert copy.status is DriftStatus.BEHIND
    assert copy.base_commit == side_merge
    assert [c.subject for c in copy.missed_commits] == ["a: newer"]
