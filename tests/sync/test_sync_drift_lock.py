"""Drift takes a copy's base from the lock file when the copy equals no master version."""

from __future__ import annotations

from pathlib import Path

from builders import make_project
from sync_fixtures import GETTEXT, JSON, LOG_V1, LOG_V2, TIME, Workspace

from oslo_incubator.history.git import git_text
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.workspace.config import load_project_config

LOG = "nova/openstack/common/log.py"
WARN = "    logger.warning(_(message))\n"
PATCHED = "    logger.warning(_(message), exc_info=True)\n"


def drift_of_log(workspace: Workspace, project: Path):  # type: ignore[no-untyped-def]
    incubator = open_incubator(workspace.incubator.path)
    report = analyse_project(incubator, project, load_project_config(project))
    (copy,) = [c for c in report.copies if c.copy_path == LOG]
    return copy


def test_drift_uses_the_locked_base_instead_of_the_nearest_version(
    workspace: Workspace, tmp_path: Path
) -> None:
    copies = {"log.py": LOG_V1, "gettextutils.py": GETTEXT, "jsonutils.py": JSON,
              "timeutils.py": TIME}  # fmt: skip
    project = tmp_path / "nova"
    make_project(project, "nova", copies, conf="[DEFAULT]\nmodule=log\nbase=nova\n")
    # Someone copies v2 by hand over what sync last wrote (v1), and patches it.
    hand_copied = LOG_V2.replace("from openstack.common", "from nova.openstack.common")
    (project / LOG).write_text(hand_copied.replace(WARN, PATCHED))
    git_text(project, "commit", "-qam", "Copy log by hand")
    without_lock = drift_of_log(workspace, project)
    assert (without_lock.match, without_lock.base_commit, len(without_lock.hunks)) == (
        "nearest", workspace.v2, 1,
    )  # fmt: skip

    workspace.sync(project, rev=workspace.v1, force=True, allow_conflicts=True)
    (project / LOG).write_text(hand_copied.replace(WARN, PATCHED))  # as it was, lock kept
    with_lock = drift_of_log(workspace, project)
    assert with_lock.status is DriftStatus.DIVERGED
    assert (with_lock.match, with_lock.base_commit) == ("lock", workspace.v0)
    # Against v1 the copy carries v2's two changes and the patch (one hunk: they are close).
    (hunk,) = with_lock.hunks
    assert hunk.added == (
        "def critical(logger, message):", "    # Always shown.", "    logger.critical(message)",
        "", "", "    logger.debug(jsonutils.dumps(data))", PATCHED.rstrip("\n"),
    )  # fmt: skip
