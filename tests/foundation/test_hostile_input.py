"""Bad input is exit 2 with the file named, never a traceback, a hang or a file written."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_incubator, make_project
from click.testing import CliRunner

from oslo_incubator.analysis.moves import move_modules, move_modules_text
from oslo_incubator.analysis.rewrite import rewrite_imports
from oslo_incubator.analysis.validation import (
    check_library_name,
    check_package_name,
    check_requirement,
    check_version_text,
)
from oslo_incubator.cli import main
from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.git import run_git
from oslo_incubator.model.packageroot import PackageRoot


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert not isinstance(result.exception, AssertionError)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    return result.exit_code, result.output


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    inc = make_incubator(tmp_path / "inc", [("Add", {"openstack/common/log.py": "X = 1\n"})])
    project = make_project(tmp_path / "nova", "nova", {"log.py": "X = 1\n"}).path
    return inc.path, project


def test_a_report_that_cannot_be_written_is_bad_input(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    code, out = run("check", "-o", "/nonexistent/x.sarif", "--incubator", inc, project)
    assert code == 2
    assert "/nonexistent/x.sarif" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[DEFAULT]\nbase=nova\n\x00\x01\x02", "a binary file"),
        (None, "is a directory"),
    ],
)
def test_a_binary_or_directory_configuration_is_bad_input(
    workspace: tuple[Path, Path], content: bytes | None, message: str
) -> None:
    inc, project = workspace
    conf = project / "openstack-common.conf"
    conf.unlink()
    if content is None:
        conf.mkdir()
    else:
        conf.write_bytes(content)
    code, out = run("drift", "--incubator", inc, project)
    assert code == 2
    assert message in out or "openstack-common.conf" in out


def test_a_latin1_comment_in_the_configuration_is_read(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    (project / "openstack-common.conf").write_bytes(
        b"[DEFAULT]\n# r\xe9sum\xe9 of the modules\nmodule=log\nbase=nova\n"
    )
    assert run("drift", "--incubator", inc, project)[0] == 0


@pytest.mark.parametrize(
    ("content", "message"), [(b"\xff\xfe{not json", "not UTF-8"), (None, "is a directory")]
)
def test_a_broken_lock_file_is_bad_input(
    workspace: tuple[Path, Path], content: bytes | None, message: str
) -> None:
    inc, project = workspace
    lock = project / "openstack-common.lock"
    if content is None:
        lock.mkdir()
    else:
        lock.write_bytes(content)
    code, out = run("sync", project, "--incubator", inc, "--dry-run")
    assert code == 2
    assert message in out and "openstack-common.lock" in out


def test_an_unreadable_copy_is_left_out_and_said(workspace: tuple[Path, Path]) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    inc, project = workspace
    (project / "nova/openstack/common/log.py").chmod(0)
    code, out = run("drift", "--incubator", inc, project)
    assert code == 0 and "not read: nova/openstack/common/log.py" in out


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (check_requirement, "oslo.log\n-e git+https://example.org/x"),
        (check_requirement, "-e git+https://example.org/x"),
        (check_library_name, "../../x"),
        (check_library_name, "a b"),
        (check_package_name, "os"),
        (check_package_name, "class"),
        (check_package_name, "a-b"),
        (check_version_text, "%%%"),
        (check_version_text, "1.0'\nimport os"),
        (PackageRoot.parse, "../../.."),
        (PackageRoot.parse, "/etc"),
        (PackageRoot.parse, "openstack/../common"),
    ],
)
def test_values_that_would_break_the_files_they_land_in_are_refused(
    check: object, value: str
) -> None:
    with pytest.raises(ValueError):
        check(value)  # type: ignore[operator]


@pytest.mark.parametrize(
    "args",
    [
        ["migrate", "{project}", "--library", "../../x", "--module", "log"],
        ["migrate", "{project}", "--library", "oslo.log", "--package", "os", "--module", "log"],
        ["migrate", "{project}", "--library", "oslo.log", "--module", "log",
         "--requirement", "oslo.log\n-e git+https://example.org/x"],
        ["graduate", "run", "--incubator", "{inc}", "--library", "oslo.log", "log",
         "--dest", "{dest}", "--removal-version", "%%%"],
        ["drift", "--package-root", "../../..", "--incubator", "{inc}", "{project}"],
        ["update", "--base", "../x", "--modules", "log", "--dest-dir", "{project}",
         "--incubator", "{inc}"],
    ],
)  # fmt: skip
def test_options_are_checked_before_anything_is_written(
    workspace: tuple[Path, Path], tmp_path: Path, args: list[str]
) -> None:
    inc, project = workspace
    before = {
        p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    filled = [a.format(project=project, inc=inc, dest=tmp_path / "lib") for a in args]
    code, _ = run(*filled)
    assert code == 2
    after = {
        p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    assert after == before
    assert not (tmp_path / "lib").exists()


@pytest.mark.parametrize(
    "expression",
    ["+".join(["a"] * 3000), "f" + "()" * 3000, "a" + ".b" * 5000, "(" * 150 + "1" + ")" * 150],
)
def test_very_deep_expressions_get_the_text_rewrite_quickly(expression: str) -> None:
    text = f"from openstack.common import log\nx = {expression}\n"
    outcome = rewrite_imports(text, "nova")
    assert outcome.method == "regex" and outcome.warning
    assert "from nova.openstack.common import log" in outcome.text
    with pytest.raises(ValueError, match="nested|longer"):
        move_modules(text, {"openstack.common.log": "oslo_log.log"}, "nova.x", False)
    moved = move_modules_text(text, {"openstack.common.log": "oslo_log.log"}, "nova.x", False)
    assert moved.text.startswith("from oslo_log import log")


def test_a_commit_without_a_git_identity_is_refused_before_anything_is_written(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    inc, project = workspace
    RepoBuilder(inc).commit("Change log", {"openstack/common/log.py": "X = 2\n"})
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "EMAIL"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    run_git(project, "config", "--unset", "user.name")
    run_git(project, "config", "--unset", "user.email")
    run_git(project, "config", "user.useConfigOnly", "true")
    before = (project / "nova/openstack/common/log.py").read_bytes()
    code, out = run("sync", project, "--incubator", inc, "--commit")
    assert code == 2, out
    assert "identity" in out
    assert (project / "nova/openstack/common/log.py").read_bytes() == before


def test_a_copy_that_is_a_directory_or_a_looping_link_is_bad_input_or_not_read(
    workspace: tuple[Path, Path],
) -> None:
    inc, project = workspace
    copies = project / "nova/openstack/common"
    (copies / "loop.py").symlink_to(copies / "loop.py")
    code, out = run("drift", "--incubator", inc, project)
    assert code == 0 and "not read: nova/openstack/common/loop.py" in out
    (copies / "loop.py").unlink()
    (copies / "log.py").unlink()
    (copies / "log.py").mkdir()
    code, out = run("sync", project, "--incubator", inc)
    assert code == 2
    assert "log.py" in out


def test_a_damaged_incubator_is_bad_input(tmp_path: Path) -> None:
    import glob
    import os

    inc = make_incubator(tmp_path / "inc", [("Add", {"openstack/common/log.py": "X = 1\n"})])
    project = make_project(tmp_path / "nova", "nova", {"log.py": "X = 1\n"}).path
    for obj in glob.glob(str(inc.path / ".git/objects/??/*")):
        os.chmod(obj, 0o644)
        with open(obj, "r+b") as handle:
            handle.seek(10)
            handle.write(b"\x00garbage\x00")
    code, out = run("drift", "--no-cache", "--incubator", inc.path, project)
    assert code == 2
    assert "oslo-incubator: error:" in out
