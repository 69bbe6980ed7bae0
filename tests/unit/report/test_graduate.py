"""report/graduate.py: graduation runs and migrations as text, JSON and diff."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

from oslo_incubator.model.graduate import (
    EditAction,
    FileEdit,
    FileRole,
    GraduatedDependency,
    GraduationResult,
    HistorySummary,
    IncubatorDependency,
    KeptCopy,
    LeftOutTest,
    LibraryFile,
    MigrationResult,
    PrivateCopies,
    ShimOutcome,
)
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.report.graduate import (
    GRADUATE_SCHEMA,
    MIGRATE_SCHEMA,
    graduation_to_json,
    migration_to_json,
    render_graduation_json,
    render_graduation_text,
    render_migration_diff,
    render_migration_json,
    render_migration_text,
)

R = DEFAULT_PACKAGE_ROOT
RESULT = GraduationResult(
    library="oslo.log",
    package="oslo_log",
    incubator="/src/oslo-incubator",
    head="a" * 40,
    dest="/out/oslo.log",
    requested=("log",),
    modules=("log", "local"),
    needed=("gettextutils",),
    files=(
        LibraryFile(
            "oslo_log/log.py",
            f"{R}/log.py",
            FileRole.MODULE,
            "log",
            (f"{R}/log.py", f"{R}/logging.py"),
            7,
        ),
        LibraryFile(
            "oslo_log/tests/test_log.py",
            "tests/unit/test_log.py",
            FileRole.TEST,
            None,
            ("tests/unit/test_log.py",),
            2,
        ),
    ),
    packaging=("setup.cfg", "setup.py"),
    requirements=("six", "oslo.i18n"),
    test_requirements=(),
    unmapped=("weird",),
    dependencies=(IncubatorDependency("oslo_log/log.py", 12, "openstack.common.gettextutils"),),
    allowed=True,
    left_out_tests=(LeftOutTest("tests/unit/test_other.py", ("rpc",)),),
    history=HistorySummary(commits=42, dropped=3, head="b" * 40, paths=5, seconds=1.23456),
    code_commit="c" * 40,
    packaging_commit=None,
    shim=ShimOutcome(
        "graduate-oslo.log",
        "d" * 40,
        (f"{R}/log.py", "MAINTAINERS"),
        False,
        shims=(f"{R}/log.py",),
        rewritten=(f"{R}/middleware.py", f"{R}/rpc.py"),
        removed=("tests/unit/test_log.py",),
    ),
    warnings=("log is orphaned",),
    graduated=(
        GraduatedDependency(
            "jsonutils",
            "oslo.serialization",
            "oslo_serialization.jsonutils",
            "oslo.serialization>=1.0",
            "obsolete.txt",
        ),
    ),
    tag="0.1.0",
)
BARE = GraduationResult(
    "oslo.x",
    "oslo_x",
    "/inc",
    "0" * 40,
    "/out",
    ("x",),
    ("x",),
    (),
    (),
    (),
    (),
    (),
    (),
    (),
    False,
    (),
)


def test_graduation_json_document() -> None:
    doc = graduation_to_json(RESULT)
    assert doc["schema"] == GRADUATE_SCHEMA
    assert doc["incubator"] == {"path": "/src/oslo-incubator", "head": "a" * 40}
    assert (doc["requested"], doc["modules"], doc["needed"]) == (
        ["log"],
        ["log", "local"],
        ["gettextutils"],
    )
    assert doc["files"][0] == {
        "path": "oslo_log/log.py",
        "source": f"{R}/log.py",
        "role": "module",
        "module": "log",
        "history": [f"{R}/log.py", f"{R}/logging.py"],
        "moved": 7,
    }
    assert doc["incubator_dependencies"] == {
        "allowed": True,
        "references": [
            {"path": "oslo_log/log.py", "line": 12, "module": "openstack.common.gettextutils"}
        ],
    }
    assert doc["left_out_tests"] == [{"path": "tests/unit/test_other.py", "needs": ["rpc"]}]
    assert doc["history"] == {
        "commits": 42,
        "dropped": 3,
        "head": "b" * 40,
        "paths": 5,
        "seconds": 1.235,
    }
    assert doc["commits"] == {"code": "c" * 40, "packaging": None}
    assert doc["shim"]["rewritten"] == [f"{R}/middleware.py", f"{R}/rpc.py"]
    assert doc["shim"]["in_place"] is False
    assert doc["private"] == {"modules": [], "files": [], "commit": None}
    assert doc["graduated"][0]["target"] == "oslo_serialization.jsonutils"
    assert doc["graduated"][0]["tests_only"] is False
    assert (doc["tag"], doc["warnings"]) == ("0.1.0", ["log is orphaned"])


def test_graduation_json_without_history_or_shim() -> None:
    doc = json.loads(render_graduation_json(BARE))
    assert doc["history"] is None
    assert doc["shim"] is None
    assert doc["tag"] is None
    assert doc == graduation_to_json(BARE)


def test_graduation_json_with_private_copies() -> None:
    result = dataclasses.replace(
        RESULT,
        private=("gettextutils",),
        private_copies=PrivateCopies(
            "oslo_log", ("gettextutils",), ("oslo_log/openstack/common/gettextutils.py",), "e" * 40
        ),
    )
    assert graduation_to_json(result)["private"] == {
        "modules": ["gettextutils"],
        "files": ["oslo_log/openstack/common/gettextutils.py"],
        "commit": "e" * 40,
    }


def test_graduation_text_steps_files_and_warnings() -> None:
    text = render_graduation_text(RESULT)
    lines = text.splitlines()
    assert lines[0] == "graduated log, local into oslo.log (package oslo_log) at /out/oslo.log"
    assert lines[1] == (
        "  imported from libraries that graduated already: jsonutils → oslo_serialization.jsonutils"
    )
    steps = {line.split()[0]: line.split(None, 1)[1] for line in lines[2:7]}
    assert steps == {
        "history": "42 commits kept from 5 paths (3 dropped) in 1.23 s, head bbbbbbbb",
        "code": "cccccccc imports rewritten (9 references)",  # 7 + 2 moved
        "packaging": "(no change) requirements: six, oslo.i18n; tests: none",
        "tag": "0.1.0",
        "shims": "branch graduate-oslo.log at dddddddd: 1 shims, 2 importers now import the "
        "library, 1 moved tests removed",
    }
    assert lines[7] == ""
    assert (
        "incubator modules still imported (allowed):\n  oslo_log/log.py:12: openstack.common.gettextutils"
        in text
    )
    assert text.endswith("warnings:\n  log is orphaned\n")
    (row,) = [line for line in lines if line.strip().startswith("oslo_log/log.py ")]
    assert row.split() == ["oslo_log/log.py", f"{R}/log.py", "module", "7", "2"]


def test_graduation_text_needed_modules_and_errors() -> None:
    assert RESULT.shim is not None
    shim = dataclasses.replace(RESULT.shim, branch=None, in_place=True)
    result = dataclasses.replace(RESULT, graduated=(), allowed=False, shim=shim)
    text = render_graduation_text(result)
    assert "  needed at import time, staying behind: gettextutils" in text
    assert "incubator modules still imported (errors):" in text
    assert "current branch at dddddddd" in text


def test_graduation_text_private_copies_step() -> None:
    result = dataclasses.replace(
        RESULT,
        private=("gettextutils",),
        private_copies=PrivateCopies(
            "oslo_log", ("gettextutils", "importutils"), ("a.py", "b.py", "c.py"), None
        ),
    )
    text = render_graduation_text(result)
    assert "  private copies in oslo_log/openstack/common: gettextutils" in text
    assert "needed at import time" not in text
    (private,) = [line for line in text.splitlines() if "synced" in line]
    assert private.startswith("  private ")
    assert private.split(None, 1)[1] == (
        "(no change) 2 modules synced (3 files, openstack-common.conf and lock file)"
    )


def test_graduation_text_of_a_bare_result() -> None:
    text = render_graduation_text(BARE)
    assert "history" not in text
    assert "(no change) imports rewritten (0 references)" in text
    assert "warnings" not in text and "still imported" not in text


MIGRATION = MigrationResult(
    project="nova",
    base="nova",
    library="oslo.log",
    package="oslo_log",
    modules=("log",),
    modules_from="records",
    edits=(
        FileEdit(
            "nova/api.py",
            EditAction.MODIFY,
            "from nova.openstack.common import log\n",
            "from oslo_log import log\n",
            1,
        ),
        FileEdit("nova/openstack/common/log.py", EditAction.DELETE, "old\n", None),
        FileEdit("requirements.txt", EditAction.CREATE, None, "oslo.log\n"),
    ),
    kept=(KeptCopy("nova/openstack/common/log.py", ("nova/tests/t.py:3", "nova/x.py:9")),),
    warnings=("é warning",),
    dry_run=False,
    written=("nova/api.py", "requirements.txt"),
    deleted=("nova/openstack/common/log.py",),
)


def test_migration_json_document() -> None:
    doc = migration_to_json(MIGRATION)
    assert doc["schema"] == MIGRATE_SCHEMA
    assert doc["edits"] == [
        {"path": "nova/api.py", "action": "modify", "moved": 1},
        {"path": "nova/openstack/common/log.py", "action": "delete", "moved": 0},
        {"path": "requirements.txt", "action": "create", "moved": 0},
    ]
    assert doc["moved"] == 1
    assert doc["kept"] == [
        {"path": "nova/openstack/common/log.py", "importers": ["nova/tests/t.py:3", "nova/x.py:9"]}
    ]
    assert (doc["written"], doc["deleted"], doc["modules_from"]) == (
        ["nova/api.py", "requirements.txt"],
        ["nova/openstack/common/log.py"],
        "records",
    )
    assert "diff" not in doc
    with_diff = json.loads(render_migration_json(MIGRATION, with_diff=True))
    assert with_diff["diff"] == render_migration_diff(MIGRATION)


def test_migration_diff_names_created_and_deleted_files_dev_null() -> None:
    assert render_migration_diff(MIGRATION) == (
        "--- a/nova/api.py\n+++ b/nova/api.py\n@@ -1 +1 @@\n"
        "-from nova.openstack.common import log\n+from oslo_log import log\n"
        "--- a/nova/openstack/common/log.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-old\n"
        "--- /dev/null\n+++ b/requirements.txt\n@@ -0,0 +1 @@\n+oslo.log\n"
    )


def test_migration_diff_applies_with_git_apply(tmp_path: Path) -> None:
    (tmp_path / "nova/openstack/common").mkdir(parents=True)
    (tmp_path / "nova/api.py").write_text("from nova.openstack.common import log\n")
    (tmp_path / "nova/openstack/common/log.py").write_text("old\n")
    (tmp_path / "p.diff").write_text(render_migration_diff(MIGRATION))
    subprocess.run(["git", "apply", "p.diff"], cwd=tmp_path, check=True, capture_output=True)
    assert (tmp_path / "nova/api.py").read_text() == "from oslo_log import log\n"
    assert not (tmp_path / "nova/openstack/common/log.py").exists()
    assert (tmp_path / "requirements.txt").read_text() == "oslo.log\n"


def test_migration_text() -> None:
    lines = render_migration_text(MIGRATION).splitlines()
    assert (
        lines[0]
        == "migrated nova to oslo.log (package oslo_log): log (from the incubator's records)"
    )
    assert lines[1].split() == ["modify", "nova/api.py", "1", "moved"]
    assert lines[2].split() == ["delete", "nova/openstack/common/log.py"]
    assert lines[3].split() == ["create", "requirements.txt"]
    assert lines[4:] == [
        "",
        "copies kept, still named by:",
        "  nova/openstack/common/log.py: nova/tests/t.py:3, nova/x.py:9",
        "",
        "warnings:",
        "  é warning",
        "2 file(s) written, 1 deleted, 1 reference(s) moved",
    ]


def test_migration_text_of_a_dry_run_with_named_modules_and_no_edits() -> None:
    result = dataclasses.replace(
        MIGRATION, dry_run=True, modules_from="option", edits=(), kept=(), warnings=()
    )
    assert render_migration_text(result) == (
        "would migrate nova to oslo.log (package oslo_log): log (named)\ndry run: nothing written\n"
    )
    assert render_migration_diff(result) == ""
