"""Local patches survive a sync: three-way merges, conflicts, backports, the lock file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from builders import make_project, synced
from sync_fixtures import GETTEXT, JSON, LOG_V1, LOG_V2, LOG_V3, TIME, Workspace

from oslo_incubator.history.git import git_text
from oslo_incubator.model.sync import ConflictHunk, FileAction, LocalChange
from oslo_incubator.workspace.lockfile import read_lock, sha256_hex

Read = Callable[[Path], dict[str, str]]
LOG = "nova/openstack/common/log.py"
WARN = "    logger.warning(_(message))\n"
WARN_PATCHED = "    logger.warning(_(message), exc_info=True)\n"
JSON_LINE = "    logger.info(jsonutils.dumps(data))\n"
JSON_FIXED = "    logger.debug(jsonutils.dumps(data))\n"


def imports(text: str) -> str:
    return text.replace("from openstack.common", "from nova.openstack.common")


def project_with_log(path: Path, log_text: str) -> Path:
    copies = {"log.py": log_text, "gettextutils.py": GETTEXT, "jsonutils.py": JSON,
              "timeutils.py": TIME}  # fmt: skip
    make_project(path, "nova", copies, conf="[DEFAULT]\nmodule=log\nbase=nova\n")
    return path


def test_local_patch_is_kept_when_master_changed_elsewhere(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = project_with_log(tmp_path / "nova", LOG_V1.replace(WARN, WARN_PATCHED))
    result = workspace.sync(project)
    (log,) = [f for f in result.files if f.copy_path == LOG]
    assert (log.action, log.base_commit, log.base_source) == (
        FileAction.MERGE,
        workspace.v0,
        "drift",
    )
    assert log.local_changes == (LocalChange(LOG, 18, (WARN,), (WARN_PATCHED,), kept=True),)
    assert (project / LOG).read_text() == imports(LOG_V3).replace(WARN, WARN_PATCHED)
    (module,) = [m for m in result.modules if m.module == "log"]
    assert [c.sha for c in module.picked_up] == [workspace.v2, workspace.v3]


def test_conflict_writes_nothing_and_reports_the_hunk(
    workspace: Workspace, tmp_path: Path, files_of: Read
) -> None:
    clash = "    logger.info(jsonutils.dumps(data, indent=2))\n"
    project = project_with_log(tmp_path / "nova", LOG_V1.replace(JSON_LINE, clash))
    before = files_of(project)
    result = workspace.sync(project)
    assert result.conflicts == (ConflictHunk(LOG, 14, (JSON_LINE,), (clash,), (JSON_FIXED,)),)
    assert result.written == ()
    assert files_of(project) == before


def test_allow_conflicts_writes_diff3_markers(workspace: Workspace, tmp_path: Path) -> None:
    clash = "    logger.info(jsonutils.dumps(data, indent=2))\n"
    project = project_with_log(tmp_path / "nova", LOG_V1.replace(JSON_LINE, clash))
    result = workspace.sync(project, allow_conflicts=True)
    assert LOG in result.written
    markers = (
        f"<<<<<<< copy\n{clash}||||||| base\n{JSON_LINE}=======\n{JSON_FIXED}>>>>>>> master\n"
    )
    assert (project / LOG).read_text() == imports(LOG_V3).replace(JSON_FIXED, markers)


def test_backport_is_dropped_because_master_now_has_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = project_with_log(tmp_path / "nova", LOG_V1.replace(JSON_LINE, JSON_FIXED))
    result = workspace.sync(project)
    (log,) = [f for f in result.files if f.copy_path == LOG]
    assert log.action is FileAction.UPDATE
    assert log.local_changes == (
        LocalChange(
            LOG, 14, (JSON_LINE,), (JSON_FIXED,), kept=False, backported_from=workspace.v2
        ),
    )
    assert (project / LOG).read_text() == imports(LOG_V3)
    assert f"  {LOG} line 14 (from {workspace.v2[:7]})" in result.message


def test_lock_file_records_each_written_file_and_gives_the_next_base(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = project_with_log(tmp_path / "nova", LOG_V1)
    workspace.sync(project, rev=workspace.v1, commit=True)
    lock = read_lock(project)
    assert lock is not None
    entry = lock.entry(LOG)
    assert entry is not None
    # The project's copies were written by update.py (every oslo turned into nova), so
    # the sync writes as the incubator's update.py did, and the lock says so.
    assert (entry.module, entry.master_path, entry.master_commit, entry.rewrite) == (
        "log", "openstack/common/log.py", workspace.v1, "update.py@parsed",
    )  # fmt: skip
    assert entry.master_sha256 == sha256_hex(LOG_V1.encode())
    assert entry.written_sha256 == sha256_hex((project / LOG).read_bytes())
    # A backport made after that sync is recognised through the lock's exact base.
    (project / LOG).write_text(imports(LOG_V1).replace(JSON_LINE, JSON_FIXED))
    git_text(project, "commit", "-qam", "Backport the debug level fix")
    result = workspace.sync(project)
    (log,) = [f for f in result.files if f.copy_path == LOG]
    assert (log.base_source, log.base_commit) == ("lock", workspace.v1)
    assert [(c.kept, c.backported_from) for c in log.local_changes] == [(False, workspace.v2)]
    assert read_lock(project).entry(LOG).master_commit == workspace.v3  # type: ignore[union-attr]


def test_copy_unchanged_since_the_locked_sync_is_replaced_without_merging(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = project_with_log(tmp_path / "nova", LOG_V1)
    workspace.sync(project, rev=workspace.v1, commit=True)
    result = workspace.sync(project)
    (log,) = [f for f in result.files if f.copy_path == LOG]
    assert (log.action, log.base_source, log.local_changes) == (FileAction.UPDATE, "lock", ())


def test_lines_that_differ_only_by_an_older_rewrite_are_no_local_change(
    workspace: Workspace, tmp_path: Path
) -> None:
    # synced() turned every oslo into nova, as update.py did; the import rewrite keeps
    # oslo, and the merge compares folded lines, so only the real patch is local.
    project = project_with_log(
        tmp_path / "nova", synced(LOG_V1.replace(WARN, WARN_PATCHED), "nova")
    )
    assert '"""Logging for nova projects."""' in (project / LOG).read_text()
    result = workspace.sync(project, rev=workspace.v1)
    (log,) = [f for f in result.files if f.copy_path == LOG]
    assert log.action is FileAction.MERGE
    assert log.local_changes == (LocalChange(LOG, 18, (WARN,), (WARN_PATCHED,), kept=True),)
    assert (project / LOG).read_text() == imports(LOG_V1).replace(WARN, WARN_PATCHED)


def test_commit_message_names_modules_commits_changes_and_command(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = project_with_log(tmp_path / "nova", LOG_V1.replace(WARN, WARN_PATCHED))
    (project / "unrelated.txt").write_text("not part of the sync\n")
    result = workspace.sync(project, commit=True, command="oslo-incubator sync ../nova")
    date = git_text(workspace.incubator.path, "log", "-1", "--format=%cI").strip()[:10]
    assert result.message == (
        "Sync log from oslo-incubator\n"
        "\n"
        f"Sync from oslo-incubator at {workspace.v3[:7]} ({date}):\n"
        "\n"
        "  log\n"
        "\n"
        "Changes include:\n"
        "log:\n"
        f"  {workspace.v2[:7]} Log JSON at debug level, add critical()\n"
        f"  {workspace.v3[:7]} Shorten the log docstring\n"
        "\n"
        "Local changes kept:\n"
        f"  {LOG} line 18\n"
        "\n"
        "Generated with: oslo-incubator sync ../nova\n"
    )
    assert git_text(project, "log", "-1", "--format=%B").strip() == result.message.strip()
    assert git_text(project, "show", "--format=", "--name-only", "HEAD").split() == [
        LOG, "openstack-common.lock",
    ]  # fmt: skip
    assert git_text(project, "status", "--porcelain").strip() == "?? unrelated.txt"
    assert result.committed == git_text(project, "rev-parse", "HEAD").strip()


def test_dry_run_writes_nothing(workspace: Workspace, tmp_path: Path, files_of: Read) -> None:
    project = project_with_log(tmp_path / "nova", LOG_V1)
    before = files_of(project)
    result = workspace.sync(project, dry_run=True)
    assert [f.copy_path for f in result.changed] == [LOG]
    assert result.written == () and files_of(project) == before


def test_v2_fixture_differs_from_v1_in_two_places() -> None:
    # The backport tests rely on v2 changing more than the backported line.
    assert LOG_V2.count("\n") == LOG_V1.count("\n") + 5
