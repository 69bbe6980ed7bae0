"""The one project walker every command uses (``workspace.files``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oslo_incubator.workspace.files import project_python_files


def tree(root: Path, paths: list[str]) -> None:
    for rel in paths:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x = 1\n")


def test_files_come_in_sorted_walk_order_a_directory_before_its_subdirectories(
    tmp_path: Path,
) -> None:
    tree(tmp_path, ["b/z.py", "b/a.py", "a/c/d.py", "a/e.py", "setup.py", "README.rst"])

    assert list(project_python_files(tmp_path)) == [
        "setup.py", "a/e.py", "a/c/d.py", "b/a.py", "b/z.py"
    ]  # fmt: skip


def test_tool_hidden_and_virtualenv_directories_are_skipped_at_any_depth(
    tmp_path: Path,
) -> None:
    tree(tmp_path, ["proj/a.py", ".tox/py27/lib/b.py", "proj/.hidden/c.py", "env/lib/d.py",
                    "proj.egg-info/e.py", "proj/__pycache__/f.py", ".git/g.py",
                    "proj/venv/h.py", "proj/node_modules/i.py", "proj/sub/env2/j.py"])  # fmt: skip
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "proj" / "sub" / "env2" / "pyvenv.cfg").write_text("home = /usr\n")

    assert list(project_python_files(tmp_path)) == ["proj/a.py"]


def test_build_output_is_skipped_at_the_root_only(tmp_path: Path) -> None:
    # pip keeps its own code in pip/_internal/operations/build/: below the root, a
    # directory named build or dist is a package of the project.
    tree(tmp_path, ["build/lib/proj/a.py", "dist/b.py", "proj/build/c.py", "proj/dist/d.py"])

    assert list(project_python_files(tmp_path)) == ["proj/build/c.py", "proj/dist/d.py"]


def test_exclude_skips_one_directory_relative_to_the_project(tmp_path: Path) -> None:
    tree(tmp_path, ["proj/openstack/common/a.py", "proj/b.py", "other/openstack/common/c.py"])

    found = list(project_python_files(tmp_path, exclude="proj/openstack/common"))

    assert found == ["other/openstack/common/c.py", "proj/b.py"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_links_out_of_the_tree_dangling_links_fifos_and_linked_directories_are_not_read(
    tmp_path: Path,
) -> None:
    project = tmp_path / "proj"
    tree(tmp_path, ["outside/secret.py", "outside/pkg/e.py", "proj/inner.py"])
    (project / "out.py").symlink_to(tmp_path / "outside" / "secret.py")
    (project / "dangling.py").symlink_to(project / "missing.py")
    (project / "linked.py").symlink_to(project / "inner.py")
    (project / "pkg").symlink_to(tmp_path / "outside" / "pkg")
    (project / "dir.py").symlink_to(tmp_path / "outside" / "pkg")
    os.mkfifo(project / "fifo.py")

    assert list(project_python_files(project)) == ["inner.py", "linked.py"]
