"""report/sync.py: sync results as text, as the sync/2 JSON document and as a diff,
and the one-word status of each outcome."""

from __future__ import annotations

import dataclasses
import json

import pytest

from oslo_incubator.model.history import Commit
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState, RecordSource
from oslo_incubator.model.sync import (
    ConflictHunk,
    FileAction,
    FileKind,
    FileSync,
    LocalChange,
    ModuleSync,
    RetiredModule,
    SyncResult,
)
from oslo_incubator.report.sync import (
    SYNC_SCHEMA,
    render_sync_diff,
    render_sync_json,
    render_sync_text,
    status_of,
    sync_to_json,
)

CD = "nova/openstack/common"
MASTER = Commit("a" * 40, (), 1400000000, "2014-05-13T16:53:20+00:00", "Head", 0)
PICKED = Commit("b" * 40, (), 1399990000, "2014-05-13T14:06:40+00:00", "Fix log ☃", 1)

KEPT = LocalChange(f"{CD}/log.py", 12, ("a",), ("b",), kept=True)
BACKPORTED = LocalChange(f"{CD}/log.py", 30, (), ("c",), kept=False, backported_from="c" * 40)
DROPPED = LocalChange(f"{CD}/log.py", 40, ("d",), (), kept=False, dropped=True)
CONFLICT = ConflictHunk(f"{CD}/log.py", 50, ("base\n",), ("ours\n",), ("theirs\n",))
LOG_FILE = FileSync(
    module="log",
    kind=FileKind.MODULE,
    copy_path=f"{CD}/log.py",
    master_path="openstack/common/log.py",
    action=FileAction.MERGE,
    base_commit="e" * 40,
    base_source="drift",
    rewrite="imports",
    local_changes=(KEPT, BACKPORTED, DROPPED),
    old_text="x = 1\n",
    new_text="x = 2\n",
)
INIT_FILE = FileSync(
    "log", FileKind.INIT, f"{CD}/__init__.py", None, FileAction.CREATE, new_text=""
)
SAME_FILE = FileSync(
    "gettextutils",
    FileKind.MODULE,
    f"{CD}/gettextutils.py",
    "openstack/common/gettextutils.py",
    FileAction.UNCHANGED,
)
LOG = ModuleSync("log", (), (LOG_FILE, INIT_FILE), (PICKED,))
GETTEXT = ModuleSync("gettextutils", ("log", "jsonutils"), (SAME_FILE,))
RETIRED = (
    RetiredModule(
        "rpc",
        Lifecycle(LifecycleState.OBSOLETE, "oslo.messaging", "f" * 40, RecordSource.MAINTAINERS),
        copied=True,
    ),
    RetiredModule(
        "notifier",
        Lifecycle(LifecycleState.DELETED, None, "9" * 40, RecordSource.DELETION),
        copied=False,
    ),
)
RESULT = SyncResult(
    project="nova",
    base="nova",
    incubator="/src/oslo-incubator",
    master=MASTER,
    rewrite="conventions",
    command="oslo-incubator sync --module log",
    modules=(LOG, GETTEXT),
    retired=RETIRED,
    warnings=("rpc is obsolete",),
    message="Sync log from oslo-incubator",
    written=(f"{CD}/log.py", f"{CD}/__init__.py"),
    committed="1" * 40,
)


def _result(**changes: object) -> SyncResult:
    return dataclasses.replace(RESULT, **changes)  # type: ignore[arg-type]


def _with_conflict() -> SyncResult:
    conflicted = dataclasses.replace(LOG_FILE, action=FileAction.CONFLICT, conflicts=(CONFLICT,))
    return _result(modules=(ModuleSync("log", (), (conflicted,)),), written=(), committed=None)


UNCHANGED = _result(modules=(GETTEXT,), written=(), committed=None, retired=(), warnings=())


@pytest.mark.parametrize(
    ("result", "status"),
    [
        (RESULT, "written"),
        (_result(written=(), dry_run=True), "dry-run"),
        (_with_conflict(), "conflicts"),
        (_result(written=(), refused="conflicts"), "conflicts"),
        (_result(written=(), refused="retired"), "refused"),
        (UNCHANGED, "up-to-date"),
        (_result(written=()), "refused"),  # changes, not dry run, nothing written: a dirty tree
    ],
)
def test_status_of(result: SyncResult, status: str) -> None:
    assert status_of(result) == status


def test_json_document() -> None:
    doc = sync_to_json(RESULT)
    assert doc["schema"] == SYNC_SCHEMA
    assert doc["incubator"] == {
        "path": "/src/oslo-incubator",
        "commit": "a" * 40,
        "date": "2014-05-13T16:53:20+00:00",
    }
    assert (doc["status"], doc["committed"], doc["dry_run"]) == ("written", "1" * 40, False)
    assert doc["written"] == [f"{CD}/log.py", f"{CD}/__init__.py"]
    log, gettext = doc["modules"]
    assert log["action"] == "merge"
    assert log["picked_up"] == [
        {"sha": "b" * 40, "date": "2014-05-13T14:06:40+00:00", "subject": "Fix log ☃"}
    ]
    assert gettext["required_by"] == ["log", "jsonutils"]
    assert gettext["action"] == "unchanged"
    assert log["files"][0]["local_changes"][1] == {
        "base_start": 30,
        "removed": [],
        "added": ["c"],
        "kept": False,
        "dropped": False,
        "backported_from": "c" * 40,
    }
    assert log["files"][1] | {"kind": "init", "master_path": None} == log["files"][1]
    assert doc["retired"] == [
        {
            "module": "rpc",
            "state": "obsolete",
            "library": "oslo.messaging",
            "commit": "f" * 40,
            "source": "MAINTAINERS",
            "copied": True,
        },
        {
            "module": "notifier",
            "state": "deleted",
            "library": None,
            "commit": "9" * 40,
            "source": "deletion",
            "copied": False,
        },
    ]
    assert "diff" not in doc


def test_json_conflicts_name_the_copy_and_master_sides() -> None:
    (file,) = sync_to_json(_with_conflict())["modules"][0]["files"]
    assert file["conflicts"] == [
        {"base_start": 50, "base": ["base\n"], "copy": ["ours\n"], "master": ["theirs\n"]}
    ]


def test_json_with_diff_and_as_text() -> None:
    doc = json.loads(render_sync_json(RESULT, with_diff=True))
    assert doc["diff"] == render_sync_diff(RESULT)
    assert doc == sync_to_json(RESULT, with_diff=True)


def test_diff_of_updated_and_created_files_only() -> None:
    assert render_sync_diff(RESULT) == (
        f"--- a/{CD}/log.py\n+++ b/{CD}/log.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
        # An empty created file has no lines to diff.
    )
    created = dataclasses.replace(INIT_FILE, new_text="# é\n")
    result = _result(modules=(ModuleSync("log", (), (created, SAME_FILE)),))
    assert (
        render_sync_diff(result) == f"--- /dev/null\n+++ b/{CD}/__init__.py\n@@ -0,0 +1 @@\n+# é\n"
    )
    assert render_sync_diff(UNCHANGED) == ""


def test_text_heading_and_module_rows() -> None:
    lines = render_sync_text(RESULT).splitlines()
    assert lines[0] == (
        "sync nova (base nova) from /src/oslo-incubator at aaaaaaaa (2014-05-13), "
        "rewrite conventions"
    )
    assert lines[1].split() == [
        "module",
        "action",
        "changed",
        "commits",
        "local",
        "changes",
        "why",
    ]
    assert lines[2].split() == ["log", "merge", "2/2", "1", "1", "kept,", "2", "dropped"]
    assert lines[3].split() == [
        "gettextutils",
        "unchanged",
        "0/1",
        "-",
        "-",
        "needed",
        "by",
        "log,",
        "jsonutils",
    ]


def test_text_retired_local_changes_warnings_and_outcome() -> None:
    text = render_sync_text(RESULT)
    assert (
        "  rpc copied: obsolete in master (MAINTAINERS at ffffffff), replaced by oslo.messaging"
    ) in text
    assert "  notifier not copied: deleted in master (at 99999999)" in text
    assert f"  local change {CD}/log.py:12: kept" in text
    assert f"  local change {CD}/log.py:30: dropped, master has it since cccccccc" in text
    assert (
        f"  local change {CD}/log.py:40: dropped (--local-changes drop): master's text replaced it"
    ) in text
    assert "  warning: rpc is obsolete" in text
    assert text.endswith("wrote 2 file(s); committed 11111111\n")


def test_text_shows_each_side_of_a_conflict() -> None:
    text = render_sync_text(_with_conflict())
    assert (
        f"  conflict {CD}/log.py:50:\n    copy   | ours\n    base   | base\n    master | theirs\n"
    ) in text
    assert "1 kept, 2 dropped, 1 conflicting" in text
    assert text.endswith(
        "1 conflict(s): nothing written (--allow-conflicts writes them with conflict markers)\n"
    )


@pytest.mark.parametrize(
    ("result", "last"),
    [
        (_result(committed=None), "wrote 2 file(s)"),
        (_result(written=(), dry_run=True), "dry run: 2 file(s) would change; nothing written"),
        (UNCHANGED, "everything is up to date; nothing to write"),
        (
            _result(written=(), refused="retired"),
            "retired modules asked for (--fail-on-obsolete): nothing written",
        ),
        (_result(written=()), "2 file(s) would change; nothing written"),
    ],
)
def test_text_outcome_line(result: SyncResult, last: str) -> None:
    assert render_sync_text(result).splitlines()[-1] == last
