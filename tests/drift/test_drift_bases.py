"""Which base a copy gets when its content alone could name several master versions:
an old version carrying cherry-picked fixes, or a newer one with local changes."""

from __future__ import annotations

from pathlib import Path

from builders import make_incubator, make_project, synced

from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.model.drift import CopyDrift, DriftStatus
from oslo_incubator.model.sync import FileAction, SyncOptions
from oslo_incubator.operations.sync import plan_sync
from oslo_incubator.workspace.config import load_project_config

# A module that once logged through the incubator's own log module (V1), then used
# the standard library (V2), then masked passwords in two places (V3).
RUN_V1 = """\
import logging as stdlib_logging
import os

from openstack.common import log as logging

LOG = logging.getLogger(__name__)


def execute(cmd):
    LOG.log(stdlib_logging.DEBUG, 'Running %s', cmd)
    result = os.system(cmd)
    if result:
        raise RuntimeError('%s failed' % cmd)
    return result


def trycmd(cmd):
    try:
        return execute(cmd)
    except RuntimeError as err:
        LOG.warning('%s', err)
        return None
"""
RUN_V2 = (
    RUN_V1.replace("import logging as stdlib_logging\n", "import logging\n")
    .replace("\nfrom openstack.common import log as logging\n", "")
    .replace("LOG.log(stdlib_logging.DEBUG, 'Running %s', cmd)", "LOG.debug('Running %s', cmd)")
)
MASK = (
    "\n\nSECRETS = (\n    'password',\n    'secret',\n    'token',\n    'key',\n)\n"
    "\n\ndef mask(cmd):\n"
    "    masked = cmd\n"
    "    for word in SECRETS:\n"
    "        masked = masked.replace(word, '***')\n"
    "    return masked\n"
)


def masked(text: str) -> str:
    return text.replace("'%s failed' % cmd)", "'%s failed' % mask(cmd))").replace(
        "        return None\n", "        return None\n" + MASK
    )


RUN_V3 = masked(RUN_V2)


def copy_of(incubator: Path, project: Path, name: str) -> CopyDrift:
    drift = analyse_project(open_incubator(incubator), project, load_project_config(project))
    return next(c for c in drift.copies if c.copy_path.endswith(name))


def test_an_old_copy_with_a_cherry_picked_fix_keeps_its_old_base(tmp_path: Path) -> None:
    repo = make_incubator(
        tmp_path / "inc", [("Add processutils", {"openstack/common/run.py": RUN_V1})]
    )
    v1 = repo.head()
    v2 = repo.commit("run: use the standard logging", {"openstack/common/run.py": RUN_V2})
    v3 = repo.commit("run: mask passwords", {"openstack/common/run.py": RUN_V3})
    # Synced at V1, then the masking fix cherry-picked from master: nearer to V3 than
    # to V1 by changed lines, but its old logging lines are in no version after V1.
    project = make_project(tmp_path / "nova", "nova", {"run.py": masked(RUN_V1)}).path
    copy = copy_of(repo.path, project, "run.py")
    assert copy.status is DriftStatus.DIVERGED
    assert copy.base_commit == v1
    # The masking is the local change, a backport of V3; the old logging lines are the
    # base's, not local changes that undo V2.
    assert copy.hunks and all(h.backported_from == v3 for h in copy.hunks)
    assert [c.sha for c in copy.missed_commits] == [v2, v3]


def test_sync_takes_the_master_changes_an_old_copy_with_a_backport_lacks(
    tmp_path: Path,
) -> None:
    repo = make_incubator(
        tmp_path / "inc", [("Add processutils", {"openstack/common/run.py": RUN_V1})]
    )
    repo.commit("run: use the standard logging", {"openstack/common/run.py": RUN_V2})
    v3 = repo.commit("run: mask passwords", {"openstack/common/run.py": RUN_V3})
    project = make_project(tmp_path / "nova", "nova", {"run.py": masked(RUN_V1)}).path
    config = load_project_config(project)
    result = plan_sync(open_incubator(repo.path), project, config, SyncOptions(dry_run=True))
    (run,) = [f for f in result.files if f.copy_path.endswith("run.py")]
    # Nothing local is kept: the old logging lines go, the backport is master's now.
    assert run.action is FileAction.UPDATE
    assert run.new_text == synced(RUN_V3, "nova")
    assert run.local_changes and all(
        not c.kept and c.backported_from == v3 for c in run.local_changes
    )


def test_a_local_deletion_of_code_master_added_stays_on_the_newest_base(tmp_path: Path) -> None:
    repo = make_incubator(
        tmp_path / "inc", [("Add processutils", {"openstack/common/run.py": RUN_V2})]
    )
    v3 = repo.commit("run: mask passwords", {"openstack/common/run.py": RUN_V3})
    # The project removed trycmd(), which it never used: a local change, not a sign of
    # an older base (no version ever lacked trycmd()).
    trimmed = RUN_V3.replace(RUN_V3[RUN_V3.index("def trycmd") : RUN_V3.index("SECRETS = ")], "")
    project = make_project(tmp_path / "nova", "nova", {"run.py": trimmed}).path
    copy = copy_of(repo.path, project, "run.py")
    assert copy.status is DriftStatus.DIVERGED
    assert copy.base_commit == v3
    assert [h.backported_from for h in copy.hunks] == [None]


def test_a_local_edit_is_not_mistaken_for_an_older_base(tmp_path: Path) -> None:
    repo = make_incubator(
        tmp_path / "inc", [("Add processutils", {"openstack/common/run.py": RUN_V1})]
    )
    repo.commit("run: use the standard logging", {"openstack/common/run.py": RUN_V2})
    v3 = repo.commit("run: mask passwords", {"openstack/common/run.py": RUN_V3})
    edited = RUN_V3.replace("'***'", "'<hidden>'")  # one line of V3 edited
    project = make_project(tmp_path / "nova", "nova", {"run.py": edited}).path
    copy = copy_of(repo.path, project, "run.py")
    assert copy.base_commit == v3
    assert copy.changed_lines == 2
