"""Which files a sync copies, and how it rewrites them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from builders import make_project
from sync_fixtures import LOG_V3, Workspace

from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.model.config import RewriteMode
from oslo_incubator.model.sync import FileAction, FileKind, LocalChanges

Read = Callable[[Path], dict[str, str]]
CONF = "[DEFAULT]\nbase=nova\n"


def empty_project(path: Path, conf: str = CONF) -> Path:
    repo = RepoBuilder(path)
    repo.commit("Start", {"nova/__init__.py": "", "openstack-common.conf": conf})
    return path


def test_sync_copies_the_module_and_its_import_closure(
    workspace: Workspace, tmp_path: Path, files_of: Read
) -> None:
    project = empty_project(tmp_path / "nova", CONF + "module=log\n")
    result = workspace.sync(project)
    assert [(m.module, m.required_by) for m in result.modules] == [
        ("__init__", ()),
        ("log", ()),
        ("gettextutils", ("log",)),
        ("jsonutils", ("log",)),
        ("timeutils", ("jsonutils",)),
    ]
    assert sorted(files_of(project)) == [
        "nova/__init__.py",
        "nova/openstack/__init__.py",
        "nova/openstack/common/__init__.py",
        "nova/openstack/common/gettextutils.py",
        "nova/openstack/common/jsonutils.py",
        "nova/openstack/common/log.py",
        "nova/openstack/common/timeutils.py",
        "openstack-common.conf",
        "openstack-common.lock",
    ]
    log = (project / "nova/openstack/common/log.py").read_text()
    assert log == LOG_V3.replace("from openstack.common", "from nova.openstack.common")


def test_sync_with_nodeps_copies_only_the_modules_named(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = empty_project(tmp_path / "nova", CONF + "module=log\n")
    result = workspace.sync(project, nodeps=True)
    assert [m.module for m in result.modules] == ["__init__", "log"]


def test_package_module_copies_its_own_files_but_not_subpackages(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = empty_project(tmp_path / "nova")
    result = workspace.sync(project, modules=("db",), nodeps=True)
    assert [f.copy_path for f in result.files] == [
        "nova/openstack/common/__init__.py",
        "nova/openstack/__init__.py",
        "nova/openstack/common/db/__init__.py",
        "nova/openstack/common/db/api.py",
        "nova/openstack/common/db/options.py",
    ]
    assert not (project / "nova/openstack/common/db/sqlalchemy").exists()


def test_dotted_module_copies_its_part_and_the_parent_init_files(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = empty_project(tmp_path / "nova")
    result = workspace.sync(project, modules=("report.views.json",))
    paths = {f.copy_path: (f.module, f.kind) for f in result.files}
    assert paths == {
        "nova/openstack/common/__init__.py": ("__init__", FileKind.MODULE),
        "nova/openstack/common/report/__init__.py": ("report.views.json", FileKind.MODULE),
        "nova/openstack/common/report/views/__init__.py": ("report.views.json", FileKind.MODULE),
        "nova/openstack/common/report/views/json/__init__.py": (
            "report.views.json",
            FileKind.MODULE,
        ),
        "nova/openstack/common/report/views/json/generic.py": (
            "report.views.json",
            FileKind.MODULE,
        ),
        "nova/openstack/common/report/views/base.py": ("report.views.base", FileKind.MODULE),
        "nova/openstack/__init__.py": ("__init__", FileKind.INIT),
    }
    assert (project / "nova/openstack/__init__.py").read_text() == ""


def test_dependency_through_a_plain_import_is_found_and_rewritten_in_code(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = empty_project(tmp_path / "nova")
    result = workspace.sync(project, modules=("db.sqlalchemy",))
    assert [m.module for m in result.modules] == [
        "__init__",
        "db.sqlalchemy",
        "db.api",
        "db.options",
    ]
    assert (project / "nova/openstack/common/db/sqlalchemy/session.py").read_text() == (
        "import nova.openstack.common.db.api\n\n\ndef f():\n    return nova.openstack.common.db.api\n"
    )


def test_scripts_and_companion_files_come_along_with_their_modes(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = empty_project(
        tmp_path / "nova", CONF + "module=config\nmodule=rootwrap\nscript=tools/colorizer.py\n"
    )
    result = workspace.sync(project, nodeps=True)
    kinds = {f.copy_path: f.kind for f in result.files if f.kind is not FileKind.MODULE}
    assert kinds == {
        "tools/config/generate_sample.sh": FileKind.COMPANION,
        "etc/nova/rootwrap.conf": FileKind.COMPANION,
        "tools/colorizer.py": FileKind.SCRIPT,
        "nova/openstack/__init__.py": FileKind.INIT,
    }
    assert os.stat(project / "tools/config/generate_sample.sh").st_mode & 0o777 == 0o755
    assert (project / "tools/config/generate_sample.sh").read_text() == (
        "#!/bin/sh\npython -m openstack.common.config.generator\n"
    )
    assert (project / "etc/nova/rootwrap.conf").read_text() == (
        "[DEFAULT]\nfilters_path=/etc/oslo/rootwrap.d\n"
    )


def test_default_rewrite_changes_imports_only(workspace: Workspace, tmp_path: Path) -> None:
    project = empty_project(tmp_path / "nova")
    result = workspace.sync(project, modules=("lockutils",))
    assert result.rewrite == "imports"
    assert (project / "nova/openstack/common/lockutils.py").read_text() == (
        "import os\n\n\ndef lock_path():\n    return os.environ.get('OSLO_LOCK_PATH')\n\n\n"
        "def gettext_domain():\n    return 'oslo'\n"
    )


def test_update_py_rewrite_applies_the_rules_of_the_incubators_update_py(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = empty_project(tmp_path / "nova")
    result = workspace.sync(project, modules=("lockutils", "log"), rewrite=RewriteMode.UPDATE_PY)
    assert result.rewrite == "update.py@parsed"
    assert (project / "nova/openstack/common/lockutils.py").read_text() == (
        "import os\n\n\ndef lock_path():\n    return os.environ.get('NOVA_LOCK_PATH')\n\n\n"
        "def gettext_domain():\n    return 'nova'\n"
    )
    assert (
        "from nova.openstack.common import jsonutils\n"
        in (project / "nova/openstack/common/log.py").read_text()
    )


def test_update_py_rewrite_copies_the_root_init_with_a_top_level_module_only(
    workspace: Workspace, tmp_path: Path
) -> None:
    # update.py's _copy_module copied master's root __init__.py for "log", but for
    # "report.views.json" only the __init__.py of report/ and report/views/.
    root_init = "nova/openstack/common/__init__.py"
    project = tmp_path / "nova"
    repo = RepoBuilder(project)
    repo.commit("Start", {"nova/__init__.py": "", "nova/openstack/__init__.py": "",
                          root_init: "# the project's own\n", "openstack-common.conf": CONF})  # fmt: skip
    dotted = workspace.sync(project, modules=("report.views.json",), nodeps=True,
                            rewrite=RewriteMode.UPDATE_PY, dry_run=True)  # fmt: skip
    assert root_init not in {f.copy_path for f in dotted.files}
    assert "nova/openstack/common/report/__init__.py" in {f.copy_path for f in dotted.files}
    top = workspace.sync(project, modules=("timeutils",), nodeps=True,
                         rewrite=RewriteMode.UPDATE_PY, local_changes=LocalChanges.DROP,
                         dry_run=True)  # fmt: skip
    (init,) = [f for f in top.files if f.copy_path == root_init]
    assert init.changes_project and init.new_text == ""


def test_update_py_rewrite_is_taken_from_the_configuration(
    workspace: Workspace, tmp_path: Path
) -> None:
    project = empty_project(tmp_path / "nova", CONF + "module=lockutils\nrewrite=update.py\n")
    workspace.sync(project)
    assert "NOVA_LOCK_PATH" in (project / "nova/openstack/common/lockutils.py").read_text()


def test_copy_equal_to_master_is_left_unchanged(workspace: Workspace, tmp_path: Path) -> None:
    project = tmp_path / "nova"
    make_project(project, "nova", {"timeutils.py": "import datetime\n\n\ndef utcnow():\n"
                                   "    return datetime.datetime.utcnow()\n"})  # fmt: skip
    result = workspace.sync(project)
    assert [(f.copy_path, f.action) for f in result.files] == [
        ("nova/openstack/common/__init__.py", FileAction.UNCHANGED),
        ("nova/openstack/common/timeutils.py", FileAction.UNCHANGED),
    ]
    assert result.written == ("openstack-common.lock",)
    again = workspace.sync(project)
    assert again.written == ()
