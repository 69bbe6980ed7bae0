"""The sync and update commands: options, outputs and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from builders import make_incubator, make_project
from click.testing import CliRunner
from sync_fixtures import GETTEXT, JSON, LOG_V1, TIME, Workspace

from oslo_incubator.cli import main
from oslo_incubator.history.builder import RepoBuilder

LOG = "nova/openstack/common/log.py"


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def project(path: Path, log: str = LOG_V1, conf_extra: str = "") -> Path:
    copies = {
        "log.py": log,
        "gettextutils.py": GETTEXT,
        "jsonutils.py": JSON,
        "timeutils.py": TIME,
    }
    make_project(path, "nova", copies, conf="[DEFAULT]\nmodule=log\nbase=nova\n" + conf_extra)
    return path


def test_sync_prints_a_json_document_with_its_schema(workspace: Workspace, tmp_path: Path) -> None:
    proj = project(tmp_path / "nova")
    code, out, _ = run("sync", proj, "--incubator", workspace.incubator.path, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "oslo-incubator.sync/2"
    assert data["status"] == "written"
    assert data["incubator"]["commit"] == workspace.v3
    assert data["written"] == [LOG, "openstack-common.lock"]
    (log,) = [m for m in data["modules"] if m["module"] == "log"]
    assert [c["sha"] for c in log["picked_up"]] == [workspace.v2, workspace.v3]
    # The command line, too long for one line of 72 with its label, stands alone.
    assert data["message"].endswith(
        f"Generated with:\noslo-incubator sync --incubator {workspace.incubator.path} "
        f"--format json {proj}\n"
    )


def test_sync_without_an_incubator_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OSLO_INCUBATOR", raising=False)
    proj = project(tmp_path / "nova")
    code, _, err = run("sync", proj)
    assert code == 2
    assert err == (
        "oslo-incubator: error: no incubator: pass --incubator, set $OSLO_INCUBATOR, or "
        "set incubator= in openstack-common.conf ([DEFAULT]) or incubator = in "
        "[tool.oslo-incubator] of pyproject.toml\n"
    )


def test_every_command_finds_the_incubator_the_same_way(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proj = project(tmp_path / "nova")
    monkeypatch.setenv("OSLO_INCUBATOR", str(workspace.incubator.path))
    for args in (["drift", proj], ["check", proj], ["sync", proj, "--dry-run"]):
        code, out, err = run(*args)
        assert code in (0, 1), (args, err)
    monkeypatch.delenv("OSLO_INCUBATOR")
    conf = (proj / "openstack-common.conf").read_text()
    relative = os.path.relpath(workspace.incubator.path, proj)
    (proj / "openstack-common.conf").write_text(conf + f"incubator={relative}\n")
    for args in (["drift", proj], ["check", proj], ["sync", proj, "--dry-run"]):
        code, out, err = run(*args)
        assert code in (0, 1), (args, err)


def test_sync_takes_the_incubator_from_pyproject(workspace: Workspace, tmp_path: Path) -> None:
    proj = tmp_path / "nova"
    toml = (
        f'[tool.oslo-incubator]\nbase = "nova"\nmodules = ["timeutils"]\n'
        f'incubator = "{workspace.incubator.path}"\n'
    )
    RepoBuilder(proj).commit("Start", {"pyproject.toml": toml})
    code, out, _ = run("sync", proj)
    assert code == 0, out
    assert (proj / "nova/openstack/common/timeutils.py").is_file()


def test_sync_conflict_exits_1_and_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    clash = LOG_V1.replace("logger.info(jsonutils.dumps(data))", "logger.info(data)")
    proj = project(tmp_path / "nova", clash)
    before = (proj / LOG).read_text()
    code, out, _ = run("sync", proj, "--incubator", workspace.incubator.path)
    assert code == 1
    assert f"  conflict {LOG}:14:\n" in out
    assert "    copy   |     logger.info(data)\n" in out
    assert "    master |     logger.debug(jsonutils.dumps(data))\n" in out
    assert out.endswith("1 conflict(s): nothing written (--allow-conflicts writes them with "
                        "conflict markers)\n")  # fmt: skip
    assert (proj / LOG).read_text() == before


def test_sync_dry_run_prints_the_diff_and_the_message(
    workspace: Workspace, tmp_path: Path
) -> None:
    proj = project(tmp_path / "nova")
    code, out, _ = run("sync", proj, "--incubator", workspace.incubator.path, "--dry-run")
    assert code == 0
    assert out.startswith(f"--- a/{LOG}\n+++ b/{LOG}\n@@ -1,4 +1,4 @@\n")
    assert "\nSync log from oslo-incubator\n" in out
    assert out.endswith("dry run: 1 file(s) would change; nothing written\n")
    assert not (proj / "openstack-common.lock").exists()


def test_sync_dirty_tree_is_bad_input(workspace: Workspace, tmp_path: Path) -> None:
    proj = project(tmp_path / "nova")
    (proj / LOG).write_text("edited\n")
    code, _, err = run("sync", proj, "--incubator", workspace.incubator.path)
    assert code == 2
    assert err.startswith(f"oslo-incubator: error: {proj / LOG}: 1 file(s) to be synced have")


def test_update_accepts_update_py_options(workspace: Workspace, tmp_path: Path) -> None:
    proj = tmp_path / "nova"
    RepoBuilder(proj).commit("Start", {"README": "nova\n"})
    code, out, _ = run(
        "update", "--base", "nova", "--modules", "log,lockutils", "--nodeps", "--dest-dir", proj,
        "--incubator", workspace.incubator.path, "--rewrite", "update.py",
    )  # fmt: skip
    assert code == 0, out
    assert sorted(p.name for p in (proj / "nova/openstack/common").iterdir()) == [
        "__init__.py", "lockutils.py", "log.py",
    ]  # fmt: skip
    assert "NOVA_LOCK_PATH" in (proj / "nova/openstack/common/lockutils.py").read_text()


def test_update_reads_the_config_of_a_positional_directory_and_runs_from_the_incubator(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proj = project(tmp_path / "nova")
    monkeypatch.chdir(workspace.incubator.path)
    code, out, _ = run("update", proj, "--format", "json")
    assert code == 0, out
    assert json.loads(out)["written"] == [LOG, "openstack-common.lock"]


def test_update_without_destination_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("update", "--base", "nova", "--modules", "log")
    assert code == 2
    assert "a valid destination directory is required" in err


def test_fail_on_obsolete_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    incubator = tmp_path / "incubator"
    make_incubator(incubator, [
        ("Add", {"openstack/common/fileutils.py": "import os\n",
                 "requirements.txt": "oslo.config>=1.2\n"}),
        ("Remove fileutils, it graduated to oslo.concurrency",
         {"openstack/common/fileutils.py": None}),
    ])  # fmt: skip
    proj = tmp_path / "nova"
    RepoBuilder(proj).commit("Start", {"openstack-common.conf": "[DEFAULT]\nbase=nova\n"})
    args = ["sync", proj, "--incubator", incubator, "--module", "fileutils"]
    code, out, _ = run(*args)
    assert code == 0
    assert "  fileutils not copied: deleted in master (at " in out
    assert "), replaced by oslo.concurrency\n" in out
    code, out, _ = run(*args, "--fail-on-obsolete")
    assert code == 1
    assert out.endswith("retired modules asked for (--fail-on-obsolete): nothing written\n")
    assert not (proj / "openstack-common.lock").exists()


def test_sync_help_explains_the_options() -> None:
    code, out, _ = run("sync", "--help")
    assert code == 0
    for option in ("--module", "--nodeps", "--dry-run", "--commit", "--allow-conflicts",
                   "--force", "--fail-on-obsolete", "--rewrite", "--format"):  # fmt: skip
        assert option in out
