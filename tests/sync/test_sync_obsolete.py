"""Modules master deleted are not copied; modules master retires but still has are copied
with a warning; the sync names what replaces them."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_incubator

from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.git import git_text
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState, RecordSource
from oslo_incubator.model.sync import RetiredModule, SyncOptions
from oslo_incubator.operations.sync import sync_project
from oslo_incubator.workspace.config import load_project_config

MAINTAINERS = """\
== gettextutils ==

M: Someone <someone@example.org>
S: Graduated (oslo.i18n)
F: gettextutils.py
"""


@pytest.fixture(scope="module")
def incubator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("obsolete") / "incubator"
    make_incubator(path, [
        ("Add modules", {
            "openstack/common/fileutils.py": "import os\n",
            "openstack/common/gettextutils.py": "import gettext\n",
            "openstack/common/strutils.py": "import six\n",
            "openstack/common/log.py": "from openstack.common import gettextutils\n",
            "openstack/common/middleware/__init__.py": "",
            "openstack/common/middleware/base.py": "class Middleware(object):\n    pass\n",
            "openstack/common/middleware/sizelimit.py": "LIMIT = 1\n",
        }),
        ("Remove fileutils, graduated to oslo.concurrency",
         {"openstack/common/fileutils.py": None}),
        ("Mark graduated modules", {"MAINTAINERS": MAINTAINERS,
                                    "obsolete.txt": "openstack/common/strutils.py oslo.utils\n"
                                                    "openstack/common/middleware/sizelimit.py "
                                                    "oslo.middleware\n"}),
    ])  # fmt: skip
    return path


def sync(incubator: Path, project: Path, **options: object):  # type: ignore[no-untyped-def]
    config = load_project_config(project)
    opts = SyncOptions(command="test", **options)  # type: ignore[arg-type]
    return sync_project(open_incubator(incubator), project, config, opts)


def new_project(path: Path, modules: list[str]) -> Path:
    conf = "[DEFAULT]\nbase=nova\n" + "".join(f"module={m}\n" for m in modules)
    RepoBuilder(path).commit("Start", {"openstack-common.conf": conf})
    return path


def commit_of(incubator: Path, path: str) -> str:
    return git_text(incubator, "log", "-1", "--format=%H", "--", path).strip()


def test_deleted_module_is_not_copied_and_names_its_library(
    incubator: Path, tmp_path: Path
) -> None:
    project = new_project(tmp_path / "nova", ["fileutils", "log"])
    result = sync(incubator, project)
    deleting = commit_of(incubator, "openstack/common/fileutils.py")
    assert result.retired == (
        RetiredModule(
            "fileutils",
            Lifecycle(LifecycleState.DELETED, "oslo.concurrency", deleting, RecordSource.DELETION),
            copied=False,
        ),
    )
    assert not (project / "nova/openstack/common/fileutils.py").exists()
    assert (project / "nova/openstack/common/log.py").exists()
    assert "Not synced, deleted in master:\n  fileutils, replaced by oslo.concurrency\n" in (
        result.message
    )


def test_modules_master_still_has_are_copied_whatever_their_life_cycle(
    incubator: Path, tmp_path: Path
) -> None:
    project = new_project(tmp_path / "nova", ["strutils", "gettextutils"])
    result = sync(incubator, project, nodeps=True)
    marked = commit_of(incubator, "obsolete.txt")
    assert result.retired == (
        RetiredModule(
            "strutils",
            Lifecycle(LifecycleState.OBSOLETE, "oslo.utils", marked, RecordSource.OBSOLETE_LIST),
            copied=True,
        ),
        RetiredModule(
            "gettextutils",
            Lifecycle(LifecycleState.OBSOLETE, "oslo.i18n", marked, RecordSource.MAINTAINERS),
            copied=True,
        ),
    )
    assert (project / "nova/openstack/common/strutils.py").exists()
    assert (project / "nova/openstack/common/gettextutils.py").exists()
    assert result.warnings == (
        "strutils is obsolete (replaced by oslo.utils) in master; copied",
        "gettextutils is obsolete (replaced by oslo.i18n) in master; copied",
    )
    assert (
        "Synced, though master retires them:\n  strutils: obsolete (replaced by oslo.utils)\n"
        in (result.message)
    )


def test_obsolete_dependency_is_copied_with_a_warning(incubator: Path, tmp_path: Path) -> None:
    project = new_project(tmp_path / "nova", ["log"])
    result = sync(incubator, project)
    assert (project / "nova/openstack/common/gettextutils.py").exists()
    assert result.warnings == (
        "gettextutils is obsolete (replaced by oslo.i18n) in master but log import(s) it; copied",
    )


def test_every_file_master_has_of_a_package_is_copied(incubator: Path, tmp_path: Path) -> None:
    project = new_project(tmp_path / "nova", ["middleware"])
    result = sync(incubator, project)
    assert [f.copy_path.rpartition("/")[2] for f in result.files if f.module == "middleware"] == [
        "__init__.py", "base.py", "sizelimit.py",
    ]  # fmt: skip
    assert result.retired == ()


def test_fail_on_obsolete_writes_nothing(incubator: Path, tmp_path: Path) -> None:
    project = new_project(tmp_path / "nova", ["strutils", "log"])
    result = sync(incubator, project, fail_on_obsolete=True)
    assert result.written == ()
    assert result.refused == "retired"
    assert not (project / "nova").exists()
