"""All-or-nothing writes and path safety."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oslo_incubator.model.errors import ConfigError, UnsafePathError
from oslo_incubator.workspace.writer import (
    FileWrite,
    check_module_name,
    safe_destination,
    write_all,
)


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize(
    "rel", ["../evil.py", "a/../../evil.py", "/etc/passwd", "", "a//b", "./a"]
)
def test_paths_that_leave_the_project_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(UnsafePathError):
        safe_destination(tmp_path, rel)


def test_symlinked_folder_pointing_outside_is_refused(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (project / "nova").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="outside the project"):
        safe_destination(project, "nova/openstack/common/log.py")


def test_symlink_inside_the_project_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    assert safe_destination(tmp_path, "alias/x.py") == tmp_path / "alias" / "x.py"


@pytest.mark.parametrize("name", ["../x", "a/b", "/abs", "a..b"])
def test_module_names_that_name_paths_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsafePathError):
        check_module_name(tmp_path, name)


def test_module_names_that_are_not_identifiers_are_config_errors(tmp_path: Path) -> None:
    check_module_name(tmp_path, "report.views.json")
    with pytest.raises(ConfigError):
        check_module_name(tmp_path, "foo bar")


def test_write_all_writes_every_file_with_its_mode(tmp_path: Path) -> None:
    (tmp_path / "old.py").write_text("old\n")
    written = write_all(
        tmp_path,
        {"old.py": FileWrite(b"new\n"), "tools/run.sh": FileWrite(b"#!/bin/sh\n", 0o755)},
    )
    assert written == ["old.py", "tools/run.sh"]
    assert (tmp_path / "old.py").read_text() == "new\n"
    assert os.stat(tmp_path / "tools/run.sh").st_mode & 0o777 == 0o755
    assert listing(tmp_path) == ["old.py", "tools", "tools/run.sh"]


def test_write_all_writes_nothing_when_one_destination_is_unsafe(tmp_path: Path) -> None:
    (tmp_path / "keep.py").write_text("keep\n")
    with pytest.raises(UnsafePathError):
        write_all(tmp_path, {"keep.py": FileWrite(b"changed\n"), "../escape.py": FileWrite(b"")})
    assert (tmp_path / "keep.py").read_text() == "keep\n"
    assert listing(tmp_path) == ["keep.py"]
    assert not (tmp_path.parent / "escape.py").exists()


def test_write_all_leaves_no_trace_when_a_write_fails_midway(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("a\n")
    (tmp_path / "z").mkdir()  # a directory where a file must go: the last write fails
    with pytest.raises(IsADirectoryError):
        write_all(
            tmp_path,
            {"a.py": FileWrite(b"A\n"), "new/dir/b.py": FileWrite(b"b\n"), "z": FileWrite(b"")},
        )
    assert (tmp_path / "a.py").read_text() == "a\n"
    assert listing(tmp_path) == ["a.py", "z"]
