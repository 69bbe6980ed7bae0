"""The ``graduate run`` and ``migrate`` commands: options, output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from oslo_incubator.cli import main
from oslo_incubator.history.git import git_text


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_run_prints_the_steps_and_the_files(incubator: Path, tmp_path: Path) -> None:
    code, out, _ = invoke(
        "graduate", "run", "--incubator", str(incubator), "--library", "oslo.foo",
        "jsonutils", "timeutils", "--dest", str(tmp_path / "lib"),
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == f"graduated jsonutils, timeutils into oslo.foo (package oslo_foo) at {tmp_path / 'lib'}"
    )
    assert lines[1].startswith("  history    3 commits kept from 6 paths (1 dropped) in ")
    assert lines[3] == "  packaging  " + git_text(tmp_path / "lib", "rev-parse", "HEAD")[:8] + (
        " requirements: iso8601>=0.1.9; tests: none"
    )
    assert lines[4].startswith("  shims      branch graduate-oslo.foo at ")
    assert (
        "  oslo_foo/timeutils.py             openstack/common/timeutils.py  module  0      2"
        in lines
    )


def test_run_json_has_the_schema_and_every_step(incubator: Path, tmp_path: Path) -> None:
    code, out, _ = invoke(
        "graduate", "run", "--incubator", str(incubator), "--library", "oslo.foo",
        "--package", "oslo_bar", "jsonutils", "--with-closure", "--dest", str(tmp_path / "lib"),
        "--branch", "lib-split", "--format", "json", "--author", "Ada <ada@example.org>",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "oslo-incubator.graduate/1"
    assert (doc["package"], doc["requested"], doc["modules"]) == (
        "oslo_bar", ["jsonutils"], ["jsonutils", "timeutils"],
    )  # fmt: skip
    assert doc["history"]["commits"] == 3
    assert doc["shim"]["branch"] == "lib-split"
    assert doc["commits"]["packaging"] == git_text(tmp_path / "lib", "rev-parse", "HEAD").strip()
    assert doc["incubator_dependencies"] == {"allowed": False, "references": []}
    assert [f["path"] for f in doc["files"]][:2] == [
        "oslo_bar/jsonutils.py",
        "oslo_bar/timeutils.py",
    ]
    assert git_text(tmp_path / "lib", "log", "-1", "--format=%an").strip() == "Ada"


def test_run_exits_2_naming_the_file_and_line_of_an_incubator_dependency(
    pristine_incubator: Path, tmp_path: Path
) -> None:
    code, out, err = invoke(
        "graduate", "run", "--incubator", str(pristine_incubator), "--library", "oslo.foo",
        "jsonutils", "--dest", str(tmp_path / "lib"), "--no-private-copies",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(
        f"oslo-incubator: error: {tmp_path / 'lib' / 'oslo_foo/jsonutils.py'}:9: still imports "
        "openstack.common.timeutils"
    )
    assert not (tmp_path / "lib").exists()


def test_run_with_allowed_dependencies_lists_them(
    pristine_incubator: Path, tmp_path: Path
) -> None:
    code, out, _ = invoke(
        "graduate", "run", "--incubator", str(pristine_incubator), "--library", "oslo.foo",
        "jsonutils", "--dest", str(tmp_path / "lib"), "--allow-incubator-deps", "--no-shims",
        "--no-private-copies",
    )  # fmt: skip
    assert code == 0
    assert (
        "incubator modules still imported (allowed):\n  oslo_foo/jsonutils.py:9: openstack.common.timeutils\n"
        in out
    )
    assert "shims" not in out


def test_run_rejects_in_place_with_a_branch_and_a_bad_author(
    pristine_incubator: Path, tmp_path: Path
) -> None:
    code, _, err = invoke(
        "graduate", "run", "--incubator", str(pristine_incubator), "--library", "oslo.foo",
        "jsonutils", "--dest", str(tmp_path / "lib"), "--in-place", "--branch", "x",
    )  # fmt: skip
    assert code == 2 and "--in-place and --branch exclude each other" in err
    code, _, err = invoke(
        "graduate", "run", "--incubator", str(pristine_incubator), "--library", "oslo.foo",
        "jsonutils", "--dest", str(tmp_path / "lib"), "--author", "nobody",
    )  # fmt: skip
    assert code == 2 and "not 'Name <email>'" in err


def test_migrate_dry_run_prints_a_diff_git_applies_and_writes_nothing(consumer: Path) -> None:
    code, out, err = invoke(
        "migrate", str(consumer), "--library", "oslo.foo", "--module", "jsonutils",
        "--module", "timeutils", "--dry-run",
    )  # fmt: skip
    assert code == 0
    assert out.startswith("--- a/nova/api.py\n+++ b/nova/api.py\n")
    assert "--- a/nova/openstack/common/jsonutils.py\n+++ /dev/null\n" in out
    assert err.splitlines()[-1] == "dry run: nothing written"
    assert git_text(consumer, "status", "--porcelain") == ""
    (consumer.parent / "patch.diff").write_text(out)
    git_text(consumer, "apply", "--check", str(consumer.parent / "patch.diff"))


def test_migrate_writes_and_reports(consumer: Path) -> None:
    code, out, _ = invoke(
        "migrate", str(consumer), "--library", "oslo.foo", "--module", "jsonutils",
        "--module", "timeutils",
    )  # fmt: skip
    assert code == 0
    assert (
        out.splitlines()[0]
        == "migrated nova to oslo.foo (package oslo_foo): jsonutils, timeutils (named)"
    )
    assert out.splitlines()[-1] == "5 file(s) written, 2 deleted, 4 reference(s) moved"


def test_migrate_json_and_a_dirty_tree(consumer: Path) -> None:
    with (consumer / "nova/api.py").open("a") as api:
        api.write("# mine\n")
    code, _, err = invoke(
        "migrate", str(consumer), "--library", "oslo.foo", "--module", "jsonutils"
    )
    assert code == 2 and "uncommitted changes (nova/api.py)" in err
    code, out, _ = invoke(
        "migrate", str(consumer), "--library", "oslo.foo", "--module", "jsonutils",
        "--dry-run", "--format", "json",
    )  # fmt: skip
    doc = json.loads(out)  # a dry run writes nothing, so it does not mind the dirty tree
    assert doc["schema"] == "oslo-incubator.migrate/1"
    assert doc["dry_run"] is True and doc["written"] == []
    assert doc["diff"].startswith("--- a/nova/api.py\n")


def test_migrate_without_modules_or_incubator_is_bad_usage(consumer: Path) -> None:
    code, _, err = invoke("migrate", str(consumer), "--library", "oslo.foo")
    assert code == 2 and "--module" in err
