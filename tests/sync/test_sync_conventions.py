"""Sync writes as the project's copies were written, never touches a current copy, and
drops local changes only when told to, saying which."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_incubator, make_project, synced
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis.rewrite import rewrite_imports
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.sync import FileAction, LocalChanges, SyncOptions, SyncResult
from oslo_incubator.operations.sync import plan_sync, sync_project
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.lockfile import read_lock

I18N_V1 = (
    "import gettext\n\nfrom openstack.common import log\n\n"
    "_translators = gettext.translation('oslo', fallback=True)\n"
)
I18N_V2 = I18N_V1 + "\n\ndef enable_lazy():\n    return _translators\n"
LOG = "import logging\n\nLOG = logging.getLogger('oslo')\n"
CONTEXT = "class RequestContext(object):\n    pass\n"
COPIES = "nova/openstack/common"


def incubator_with_i18n(path: Path) -> Path:
    repo = make_incubator(path, [
        ("Add modules", {"openstack/common/_i18n.py": I18N_V1, "openstack/common/log.py": LOG,
                         "openstack/common/context.py": CONTEXT,
                         "requirements.txt": "oslo.config>=1.2\n"}),
        ("i18n: lazy translation", {"openstack/common/_i18n.py": I18N_V2}),
    ])  # fmt: skip
    return repo.path


def sync(incubator: Path, project: Path, **options: object) -> SyncResult:
    config = load_project_config(project)
    opts = SyncOptions(command="test", **options)  # type: ignore[arg-type]
    return sync_project(open_incubator(incubator), project, config, opts)


def test_a_project_written_by_update_py_is_synced_as_update_py_wrote_it(tmp_path: Path) -> None:
    incubator = incubator_with_i18n(tmp_path / "inc")
    # update.py turned every oslo into the base: the translation domain is 'nova'.
    project = make_project(tmp_path / "nova", "nova", {"_i18n.py": I18N_V1, "log.py": LOG}).path
    assert "translation('nova'" in (project / f"{COPIES}/_i18n.py").read_text()
    result = sync(incubator, project)
    text = (project / f"{COPIES}/_i18n.py").read_text()
    assert text == synced(I18N_V2, "nova")
    assert "translation('nova'" in text
    entry = read_lock(project).entry(f"{COPIES}/_i18n.py")  # type: ignore[union-attr]
    assert entry is not None and entry.rewrite.startswith("update.py@")
    assert result.rewrite.startswith("update.py@")


def test_a_project_written_by_the_imports_rewrite_keeps_it(tmp_path: Path) -> None:
    incubator = incubator_with_i18n(tmp_path / "inc")
    copies = {"_i18n.py": rewrite_imports(I18N_V1, "nova").text,
              "log.py": rewrite_imports(LOG, "nova").text}  # fmt: skip
    project = make_project(tmp_path / "nova", "nova", copies, rewrite=False).path
    result = sync(incubator, project)
    assert (project / f"{COPIES}/_i18n.py").read_text() == rewrite_imports(I18N_V2, "nova").text
    assert result.rewrite == "imports"


def test_a_project_without_copies_gets_the_imports_rewrite(tmp_path: Path) -> None:
    incubator = incubator_with_i18n(tmp_path / "inc")
    project = make_project(
        tmp_path / "nova", "nova", {}, conf="[DEFAULT]\nmodule=log\nbase=nova\n"
    ).path
    result = sync(incubator, project)
    assert result.rewrite == "imports"
    assert (project / f"{COPIES}/log.py").read_text() == LOG


def test_a_new_module_follows_the_project_convention(tmp_path: Path) -> None:
    incubator = incubator_with_i18n(tmp_path / "inc")
    project = make_project(tmp_path / "nova", "nova", {"_i18n.py": I18N_V2}).path
    sync(incubator, project, modules=("log",), nodeps=True)
    assert (project / f"{COPIES}/log.py").read_text() == synced(LOG, "nova")


def test_a_current_copy_is_never_rewritten(tmp_path: Path) -> None:
    incubator = incubator_with_i18n(tmp_path / "inc")
    # Copied by hand: the domain became the base, the imports were not rewritten.
    odd = I18N_V2.replace("'oslo'", "'keystone'")
    project = make_project(
        tmp_path / "keystone", "keystone", {"_i18n.py": odd}, rewrite=False
    ).path
    drift = analyse_project(open_incubator(incubator), project, load_project_config(project))
    (copy,) = [c for c in drift.copies if c.copy_path.endswith("_i18n.py")]
    assert copy.status is DriftStatus.CURRENT
    result = sync(incubator, project, rewrite=None, dry_run=True)
    (i18n,) = [f for f in result.files if f.copy_path.endswith("_i18n.py")]
    assert i18n.action is FileAction.UNCHANGED
    assert not i18n.changes_project


def test_drop_takes_masters_text_and_lists_every_dropped_change(tmp_path: Path) -> None:
    incubator = incubator_with_i18n(tmp_path / "inc")
    patched = I18N_V1.replace("import gettext\n", "import gettext  # local\n")
    project = make_project(tmp_path / "nova", "nova", {"_i18n.py": patched, "log.py": LOG}).path
    kept = sync(incubator, project, dry_run=True)
    (merged,) = [f for f in kept.files if f.copy_path.endswith("_i18n.py")]
    assert merged.action is FileAction.MERGE
    result = sync(incubator, project, local_changes=LocalChanges.DROP, commit=True)
    (dropped,) = [f for f in result.files if f.copy_path.endswith("_i18n.py")]
    assert dropped.action is FileAction.UPDATE
    assert (project / f"{COPIES}/_i18n.py").read_text() == synced(I18N_V2, "nova")
    (change,) = dropped.local_changes
    assert (change.kept, change.dropped) == (False, True)
    assert change.added == ("import gettext  # local\n",)
    assert (
        "Local changes dropped, master's text taken (--local-changes drop):\n"
        f"  {COPIES}/_i18n.py line 1: -1 +1\n"
    ) in result.message


# The invariant on generated incubators: whatever the master texts and whichever rewrite
# wrote the copies, a copy drift calls current is never changed by a default sync.

LINES = st.sampled_from([
    "import os\n", "from openstack.common import log\n", "LOG = log.getLogger('oslo')\n",
    "DOMAIN = 'oslo'\n", "ENV = 'OSLO_LOCK_PATH'\n", "import openstack.common.context\n",
    "X = 'openstack.common.context.RequestContext'\n", "# oslo-incubator\n", "Y = 1\n",
    "from oslo.config import cfg\n", "from oslo_config import cfg\n",
])  # fmt: skip
TEXTS = st.lists(LINES, min_size=1, max_size=6).map("".join)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    versions=st.lists(TEXTS, min_size=1, max_size=3),
    other=TEXTS,
    style=st.sampled_from(["update.py", "imports", "none"]),
    behind=st.booleans(),
)
def test_a_default_sync_never_changes_a_copy_drift_calls_current(
    tmp_path_factory: pytest.TempPathFactory,
    versions: list[str],
    other: str,
    style: str,
    behind: bool,
) -> None:
    versions = [v for n, v in enumerate(versions) if n == 0 or v != versions[n - 1]]
    root = tmp_path_factory.mktemp("invariant")
    history = [("Add a", {"openstack/common/a.py": versions[0], "openstack/common/b.py": other})]
    history += [
        (f"a: v{n}", {"openstack/common/a.py": text}) for n, text in enumerate(versions[1:])
    ]
    incubator = make_incubator(root / "inc", history).path

    def written(text: str) -> str:
        if style == "update.py":
            return synced(text, "nova")
        return rewrite_imports(text, "nova").text if style == "imports" else text

    a = versions[0] if behind else versions[-1]
    project = make_project(
        root / "nova", "nova", {"a.py": written(a), "b.py": written(other)}, rewrite=False
    ).path
    inc = open_incubator(incubator)
    config = load_project_config(project)
    current = {
        c.copy_path
        for c in analyse_project(inc, project, config).copies
        if c.status is DriftStatus.CURRENT
    }
    result = plan_sync(inc, project, config, SyncOptions(dry_run=True))
    changed = {f.copy_path for f in result.changed}
    assert not current & changed
