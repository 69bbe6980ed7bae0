"""A sync writes all files or none, never outside the project, never over uncommitted work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from builders import make_project
from sync_fixtures import GETTEXT, JSON, LOG_V1, TIME, Workspace

from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.git import check_clean
from oslo_incubator.model.errors import ConfigError, DirtyTreeError, GitError, UnsafePathError

Read = Callable[[Path], dict[str, str]]
LOG = "nova/openstack/common/log.py"


def project(path: Path) -> Path:
    copies = {
        "log.py": LOG_V1,
        "gettextutils.py": GETTEXT,
        "jsonutils.py": JSON,
        "timeutils.py": TIME,
    }
    make_project(path, "nova", copies, conf="[DEFAULT]\nmodule=log\nbase=nova\n")
    return path


def test_file_with_uncommitted_changes_is_not_overwritten(
    workspace: Workspace, tmp_path: Path, files_of: Read
) -> None:
    proj = project(tmp_path / "nova")
    (proj / LOG).write_text((proj / LOG).read_text() + "# work in progress\n")
    before = files_of(proj)
    with pytest.raises(DirtyTreeError, match="uncommitted changes") as error:
        workspace.sync(proj)
    assert error.value.path == proj / LOG
    assert files_of(proj) == before


def test_untracked_file_in_the_way_counts_as_uncommitted(
    workspace: Workspace, tmp_path: Path
) -> None:
    proj = tmp_path / "nova"
    RepoBuilder(proj).commit("Start", {"openstack-common.conf": "[DEFAULT]\nbase=nova\n"})
    (proj / "nova/openstack/common").mkdir(parents=True)
    (proj / "nova/openstack/common/timeutils.py").write_text("mine\n")
    with pytest.raises(DirtyTreeError):
        workspace.sync(proj, modules=("timeutils",))
    assert (proj / "nova/openstack/common/timeutils.py").read_text() == "mine\n"


def test_force_overwrites_uncommitted_changes(workspace: Workspace, tmp_path: Path) -> None:
    proj = project(tmp_path / "nova")
    (proj / "nova/openstack/common/timeutils.py").write_text("uncommitted\n")
    result = workspace.sync(proj, force=True, allow_conflicts=True)
    assert "nova/openstack/common/timeutils.py" in result.written


@pytest.mark.parametrize("module", ["../../etc/passwd", "/abs/path", "log/../../x"])
def test_module_names_that_escape_the_project_are_refused(
    workspace: Workspace, tmp_path: Path, files_of: Read, module: str
) -> None:
    proj = project(tmp_path / "nova")
    before = files_of(proj)
    with pytest.raises(UnsafePathError):
        workspace.sync(proj, modules=("log", module))
    assert files_of(proj) == before


def test_script_paths_that_escape_the_project_are_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    proj = project(tmp_path / "nova")
    with pytest.raises(UnsafePathError):
        workspace.sync(proj, scripts=("../outside.sh",))


def test_symlink_pointing_outside_makes_the_whole_sync_refuse(
    workspace: Workspace, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    proj = tmp_path / "nova"
    RepoBuilder(proj).commit("Start", {"openstack-common.conf": "[DEFAULT]\nbase=nova\n",
                                       "nova/__init__.py": ""})  # fmt: skip
    (proj / "nova/openstack").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="outside the project"):
        workspace.sync(proj, modules=("timeutils",))
    assert list(outside.iterdir()) == []
    assert not (proj / "openstack-common.lock").exists()


def test_unknown_module_is_a_config_error_naming_the_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    proj = tmp_path / "nova"
    conf = "[DEFAULT]\nmodule=log\nmodule=nosuchthing\nbase=nova\n"
    RepoBuilder(proj).commit("Start", {"openstack-common.conf": conf})
    with pytest.raises(ConfigError, match="'nosuchthing' is not in master") as error:
        workspace.sync(proj)
    assert (error.value.path, error.value.line) == (proj / "openstack-common.conf", 3)


def test_project_without_base_is_a_config_error(workspace: Workspace, tmp_path: Path) -> None:
    proj = tmp_path / "empty"
    RepoBuilder(proj).commit("Start", {"README": "x\n"})
    with pytest.raises(ConfigError, match="no base package"):
        workspace.sync(proj, modules=("log",))


def test_commit_outside_a_git_work_tree_fails_before_writing(
    workspace: Workspace, tmp_path: Path
) -> None:
    proj = tmp_path / "plain"
    proj.mkdir()
    (proj / "openstack-common.conf").write_text("[DEFAULT]\nbase=nova\nmodule=timeutils\n")
    with pytest.raises(GitError):
        workspace.sync(proj, commit=True)
    assert sorted(p.name for p in proj.iterdir()) == ["openstack-common.conf"]
    # Without --commit a project outside git is synced (there is nothing to check).
    assert "nova/openstack/common/timeutils.py" in workspace.sync(proj).written


def test_a_staged_rename_is_named_once_by_its_new_path(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit("Start", {"nova/old_name.py": "X = 1\n", "nova/other.py": "Y = 2\n"})
    repo.move("nova/old_name.py", "nova/new_name.py")
    with pytest.raises(DirtyTreeError) as error:
        check_clean(repo.path, [":/"], "{count} file(s): {paths}", untracked=False)
    assert error.value.message == "1 file(s): nova/new_name.py"
    assert error.value.path == repo.path / "nova/new_name.py"
    check_clean(repo.path, ["nova/other.py"], "{count} file(s): {paths}")
    check_clean(tmp_path, ["x.py"], "{count} file(s): {paths}")  # no repository: nothing
    with pytest.raises(GitError):
        check_clean(tmp_path, ["x.py"], "{count}: {paths}", work_tree=True)
