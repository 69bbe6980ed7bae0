"""Reads stay inside the trees they are given, and nothing a repository configures runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from builders import make_incubator, make_project
from click.testing import CliRunner

from oslo_incubator.cli import main
from oslo_incubator.history.git import run_git
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.errors import ConfigError, GitError
from oslo_incubator.workspace.config import parse_common_conf, parse_pyproject

SECRET = "root:x:0:0:secret\n"


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(SECRET)
    inc = make_incubator(tmp_path / "inc", [("Add", {"openstack/common/log.py": "X = 1\n"})])
    project = make_project(tmp_path / "nova", "nova", {"log.py": "X = 1\n"}).path
    return inc.path, project, outside


def drift_json(inc: Path, project: Path) -> dict[str, object]:
    result = CliRunner().invoke(
        main, ["drift", "-v", "--format", "json", "--incubator", str(inc), str(project)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_a_copy_linked_out_of_the_project_is_a_finding_not_an_input(
    trees: tuple[Path, Path, Path],
) -> None:
    inc, project, outside = trees
    link = project / "nova/openstack/common/strutils.py"
    link.symlink_to(outside / "passwd")
    (project / "nova/openstack/common/dangling.py").symlink_to(project / "gone.py")
    os.mkfifo(project / "nova/openstack/common/fifo.py")
    result = CliRunner().invoke(main, ["drift", "-v", "--incubator", str(inc), str(project)])
    assert result.exit_code == 0
    assert "secret" not in result.output
    assert "not read: nova/openstack/common/strutils.py: a link out of the tree" in result.output
    doc = drift_json(inc, project)
    (proj,) = doc["projects"]  # type: ignore[index]
    assert [c["copy_path"] for c in proj["copies"]] == [  # type: ignore[index]
        "nova/openstack/common/__init__.py",
        "nova/openstack/common/log.py",
    ]
    assert len(proj["skipped"]) == 3  # type: ignore[index]


def test_a_copy_directory_linked_out_of_the_project_is_not_listed(
    trees: tuple[Path, Path, Path],
) -> None:
    inc, project, outside = trees
    (outside / "common").mkdir()
    (outside / "common" / "x.py").write_text(SECRET)
    copies = project / "nova/openstack/common"
    for child in copies.iterdir():
        child.unlink()
    copies.rmdir()
    copies.symlink_to(outside / "common")
    doc = drift_json(inc, project)
    (proj,) = doc["projects"]  # type: ignore[index]
    assert proj["copies"] == []  # type: ignore[index]
    assert proj["skipped"][0].startswith("nova/openstack/common: a link out of the tree")  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[DEFAULT]\nbase=nova\npackage_root=../../..\n", "invalid package root"),
        ("[DEFAULT]\nbase=nova\nscript=/etc/passwd\n", "invalid script path"),
        ("[DEFAULT]\nbase=nova\nscript=tools/../../x\n", "invalid script path"),
        ("[DEFAULT]\nbase=../nova\n", "invalid base"),
    ],
)
def test_configuration_that_would_leave_the_project_is_refused(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_common_conf(text)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('scripts = ["/etc/passwd"]', "invalid script path"),
        ('package-root = "../../.."', "invalid package root"),
    ],
)
def test_pyproject_settings_that_would_leave_the_project_are_refused(
    table: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_pyproject(f'[tool.oslo-incubator]\nbase = "nova"\n{table}\n')


def test_a_shallow_incubator_is_named_not_misread(tmp_path: Path) -> None:
    inc = make_incubator(tmp_path / "inc", [("Add", {"openstack/common/log.py": "X = 1\n"})])
    inc.commit("Change", {"openstack/common/log.py": "X = 2\n"})
    shallow = tmp_path / "shallow"
    run_git(tmp_path, "clone", "-q", "--depth", "1", f"file://{inc.path}", str(shallow))
    with pytest.raises(GitError, match="shallow clone"):
        open_incubator(shallow)


def test_reading_a_repository_runs_nothing_it_configures(tmp_path: Path) -> None:
    inc = make_incubator(tmp_path / "inc", [("Add", {"openstack/common/log.py": "X = 1\n"})])
    marker = tmp_path / "ran"
    monitor = tmp_path / "monitor.sh"
    monitor.write_text(f"#!/bin/sh\ntouch {marker}\n")
    monitor.chmod(0o755)
    run_git(inc.path, "config", "core.fsmonitor", str(monitor))
    run_git(inc.path, "config", "log.showSignature", "true")
    project = make_project(tmp_path / "nova", "nova", {"log.py": "X = 1\n"}).path
    assert drift_json(inc.path, project)["projects"]
    assert not marker.exists()
