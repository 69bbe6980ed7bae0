"""``graduate run`` step by step: history, code, packaging, refusals, shims."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from graduate_fixtures import CONSUMER_CONF, build_consumer

from oslo_incubator.history.git import git_text, run_git
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.model.errors import ConfigError, DirtyTreeError, IncubatorDependencyError
from oslo_incubator.model.graduate import FileRole, GraduateOptions, Identity
from oslo_incubator.operations.graduate import graduate, prepare_graduation
from oslo_incubator.workspace.config import parse_common_conf


def options(dest: Path, *modules: str, **extra: object) -> GraduateOptions:
    return GraduateOptions(
        "oslo.foo", "oslo_foo", modules or ("jsonutils", "timeutils"), dest, **extra
    )  # type: ignore[arg-type]


def snapshot(repo: Path) -> tuple[str, ...]:
    """What a user sees of a repository: refs, HEAD, index and work tree state."""
    return (
        git_text(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        git_text(repo, "symbolic-ref", "HEAD"),
        git_text(repo, "rev-parse", "HEAD"),
        git_text(repo, "status", "--porcelain", "--untracked-files=all"),
        git_text(repo, "ls-files", "-s"),
    )


def test_library_history_keeps_only_the_modules_commits_and_follows_the_rename(
    incubator: Path, tmp_path: Path
) -> None:
    result = graduate(incubator, options(tmp_path / "lib"))
    lib = tmp_path / "lib"
    log = git_text(lib, "log", "--format=%s|%an|%at", "--reverse").splitlines()
    # The pure rename changes nothing under the library's paths: an empty commit, dropped.
    assert [line.split("|")[0] for line in log] == [
        "Add time helpers",
        "Add json helpers",
        "Add isotime and tests",
        "Move jsonutils, timeutils into the oslo_foo package",
        "Add pbr packaging for oslo.foo",
    ]
    theirs = git_text(
        incubator, "log", "--format=%s|%an|%at", "--reverse", "--", "openstack/common/timeutil.py",
        "openstack/common/jsonutils.py", "openstack/common/timeutils.py", "tests/unit/fakes.py",
        "tests/unit/test_jsonutils.py", "tests/unit/test_timeutils.py",
    ).splitlines()  # fmt: skip
    assert log[:3] == [line for line in theirs if not line.startswith("Rename timeutil")]
    first = git_text(lib, "show", "--format=", "--name-only", "HEAD~4").split()
    assert first == ["oslo_foo/timeutils.py"]  # timeutil.py, under its final name
    assert result.history is not None
    assert (result.history.commits, result.history.paths) == (3, 6)
    assert result.history.head == git_text(lib, "rev-parse", "HEAD~2").strip()


def test_library_tree_code_and_tests_are_moved_to_the_package(
    incubator: Path, tmp_path: Path
) -> None:
    graduate(incubator, options(tmp_path / "lib"))
    lib = tmp_path / "lib"
    assert git_text(lib, "ls-files").split() == [
        ".gitignore",
        "README.rst",
        "doc/source/conf.py",
        "doc/source/index.rst",
        "oslo_foo/__init__.py",
        "oslo_foo/jsonutils.py",
        "oslo_foo/tests/__init__.py",
        "oslo_foo/tests/fakes.py",
        "oslo_foo/tests/test_jsonutils.py",
        "oslo_foo/tests/test_timeutils.py",
        "oslo_foo/timeutils.py",
        "requirements.txt",
        "setup.cfg",
        "setup.py",
        "test-requirements.txt",
        "tox.ini",
    ]
    code = git_text(lib, "show", "--format=", "HEAD~1")
    assert "-from openstack.common import timeutils\n+from oslo_foo import timeutils\n" in code
    assert (
        "-from openstack.common import jsonutils\n-from tests.unit import fakes\n"
        "+from oslo_foo import jsonutils\n+from oslo_foo.tests import fakes\n"
    ) in code
    assert (
        "-    @mock.patch('openstack.common.timeutils.utcnow')\n"
        "+    @mock.patch('oslo_foo.timeutils.utcnow')\n"
    ) in code
    assert "openstack.common" not in (lib / "oslo_foo/tests/test_jsonutils.py").read_text()


def test_packaging_commit_has_the_plans_requirements_with_the_incubators_specifiers(
    incubator: Path, tmp_path: Path
) -> None:
    result = graduate(incubator, options(tmp_path / "lib"))
    lib = tmp_path / "lib"
    assert result.requirements == ("iso8601>=0.1.9",)
    assert (lib / "requirements.txt").read_text().splitlines()[2:] == ["pbr", "iso8601>=0.1.9"]
    assert "author = OpenStack\n" in (lib / "setup.cfg").read_text()
    assert "license = Apache-2.0\n" in (lib / "setup.cfg").read_text()
    # The incubator's oldest Python classifier (2.7): its code is Python 2 code.
    assert "python_requires = >=2.7\n" in (lib / "setup.cfg").read_text()
    assert "universal = 1" in (lib / "setup.cfg").read_text()
    packaging = git_text(lib, "show", "--format=", "--name-only", "HEAD").split()
    assert packaging == sorted(result.packaging)


def test_the_two_new_commits_are_by_the_configured_identity(
    incubator: Path, tmp_path: Path
) -> None:
    graduate(incubator, options(tmp_path / "a"))
    identities = git_text(tmp_path / "a", "log", "-2", "--format=%an <%ae>|%cn <%ce>").split("\n")
    assert identities[:2] == ["oslo-incubator <oslo-incubator@localhost>|"
                              "oslo-incubator <oslo-incubator@localhost>"] * 2  # fmt: skip
    me = Identity.parse("Ada Lovelace <ada@example.org>")
    graduate(incubator, options(tmp_path / "b", identity=me, shims=False))
    assert git_text(tmp_path / "b", "log", "-1", "--format=%an <%ae>").strip() == str(me)


def test_other_incubator_modules_the_library_still_imports_are_errors_and_nothing_is_written(
    pristine_incubator: Path, tmp_path: Path
) -> None:
    before = snapshot(pristine_incubator)
    with pytest.raises(IncubatorDependencyError) as caught:
        graduate(pristine_incubator, options(tmp_path / "lib", "jsonutils"))
    assert str(caught.value).startswith(
        f"{tmp_path / 'lib' / 'oslo_foo/jsonutils.py'}:9: still imports "
        "openstack.common.timeutils, which stays in the incubator"
    )
    assert caught.value.line == 9
    assert not (tmp_path / "lib").exists()
    assert snapshot(pristine_incubator) == before


def test_allowed_incubator_dependencies_are_listed_and_the_library_is_written(
    pristine_incubator: Path, tmp_path: Path
) -> None:
    result = graduate(
        pristine_incubator,
        options(tmp_path / "lib", "jsonutils", allow_incubator_deps=True, shims=False),
    )
    assert [(d.path, d.line, d.module) for d in result.dependencies] == [
        ("oslo_foo/jsonutils.py", 9, "openstack.common.timeutils"),
        ("oslo_foo/tests/test_jsonutils.py", 17, "openstack.common.timeutils.utcnow"),
        ("oslo_foo/tests/test_jsonutils.py", 20, "openstack.common.timeutils"),
    ]
    assert result.needed == ("timeutils",)
    assert (tmp_path / "lib/oslo_foo/jsonutils.py").is_file()
    assert result.shim is None


def test_with_closure_takes_what_the_modules_import(incubator: Path, tmp_path: Path) -> None:
    prepared = prepare_graduation(
        incubator, options(tmp_path / "lib", "jsonutils", with_closure=True)
    )
    assert prepared.result.requested == ("jsonutils",)
    assert prepared.result.modules == ("jsonutils", "timeutils")
    assert prepared.result.dependencies == ()


def test_a_test_named_for_a_module_that_needs_one_staying_behind_is_left_out(
    pristine_incubator: Path, tmp_path: Path
) -> None:
    prepared = prepare_graduation(pristine_incubator, options(tmp_path / "lib", "gettextutils"))
    assert [(t.path, t.needs) for t in prepared.result.left_out_tests] == [
        ("tests/unit/test_gettextutils.py", ("log",))
    ]
    assert prepared.result.warnings == (
        "tests/unit/test_gettextutils.py is left out: it imports log, which stay(s) in the "
        "incubator",
    )
    assert [f.role for f in prepared.result.files] == [FileRole.MODULE]


def test_an_unknown_module_a_full_destination_or_an_existing_branch_stop_before_writing(
    incubator: Path, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="no module 'nosuch'"):
        graduate(incubator, options(tmp_path / "lib", "nosuch"))
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("")
    with pytest.raises(ConfigError, match="not an empty directory"):
        graduate(incubator, options(full))
    run_git(incubator, "branch", "graduate-oslo.foo")
    with pytest.raises(ConfigError, match="branch 'graduate-oslo.foo' exists already"):
        graduate(incubator, options(tmp_path / "lib"))
    assert not (tmp_path / "lib").exists()


def test_shims_go_on_a_new_branch_and_the_checkout_is_left_as_it_was(
    incubator: Path, tmp_path: Path
) -> None:
    (incubator / "notes.txt").write_text("untracked work\n")
    (incubator / "openstack/common/log.py").write_text("# edited, not committed\n")
    before = snapshot(incubator)
    result = graduate(incubator, options(tmp_path / "lib"))
    assert result.shim is not None and result.shim.branch == "graduate-oslo.foo"
    after = snapshot(incubator)
    assert after[1:] == before[1:]
    new_refs = set(after[0].splitlines()) - set(before[0].splitlines())
    assert new_refs == {f"refs/heads/graduate-oslo.foo {result.shim.commit}"}
    assert set(before[0].splitlines()) <= set(after[0].splitlines())
    changed = git_text(incubator, "diff", "--name-status", "HEAD", "graduate-oslo.foo").split("\n")
    assert changed[:-1] == [
        "M\tMAINTAINERS",
        "A\tobsolete.txt",
        "M\topenstack/common/jsonutils.py",
        "M\topenstack/common/log.py",
        "M\topenstack/common/timeutils.py",
        "M\trequirements.txt",
        "D\ttests/unit/test_jsonutils.py",
        "D\ttests/unit/test_timeutils.py",
    ]
    assert (result.shim.shims, result.shim.rewritten, result.shim.removed) == (
        ("openstack/common/jsonutils.py", "openstack/common/timeutils.py"),
        ("openstack/common/log.py",),
        ("tests/unit/test_jsonutils.py", "tests/unit/test_timeutils.py"),
    )
    log = git_text(incubator, "show", "graduate-oslo.foo:openstack/common/log.py")
    assert "from oslo_foo import jsonutils\n" in log
    requirements = git_text(incubator, "show", "graduate-oslo.foo:requirements.txt")
    assert requirements == "pbr>=0.6,<1.0\nsix>=1.6.0\niso8601>=0.1.9\noslo.foo\n"
    assert git_text(incubator, "log", "-1", "--format=%s", "graduate-oslo.foo").strip() == (
        "Graduate jsonutils, timeutils to oslo.foo"
    )


def test_shims_warn_at_import_and_reexport_the_library(incubator: Path, tmp_path: Path) -> None:
    graduate(incubator, options(tmp_path / "lib"))
    shims = tmp_path / "shims"
    run_git(incubator, "worktree", "add", "-q", str(shims), "graduate-oslo.foo")
    (tmp_path / "user.py").write_text(
        "import warnings\n"
        "warnings.simplefilter('always')\n"
        "from openstack.common import timeutils\n"
        "from openstack.common.timeutils import _private\n"
        "print(timeutils.isotime(), timeutils.__all__, _private.__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, str(tmp_path / "user.py")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": f"{shims}:{tmp_path / 'lib'}"},
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout == (
        "2014-05-13T12:00:00.000000 ['PERFECT_TIME_FORMAT', 'utcnow', 'isotime'] "
        "oslo_foo.timeutils\n"
    )
    assert done.stderr.splitlines()[0] == (
        f"{tmp_path / 'user.py'}:3: DeprecationWarning: The 'openstack.common.timeutils' "
        "module usage is deprecated and will be removed in a future version, please use "
        "oslo_foo.timeutils instead"
    )


def test_in_place_commits_on_the_current_branch_of_a_clean_tree(
    incubator: Path, tmp_path: Path
) -> None:
    head = git_text(incubator, "rev-parse", "HEAD").strip()
    result = graduate(incubator, options(tmp_path / "lib", in_place=True))
    assert result.shim is not None and result.shim.in_place and result.shim.branch is None
    assert git_text(incubator, "rev-parse", "HEAD^").strip() == head
    assert git_text(incubator, "status", "--porcelain").strip() == ""
    assert "removed_module" in (incubator / "openstack/common/jsonutils.py").read_text()


def test_in_place_refuses_a_dirty_tree(incubator: Path, tmp_path: Path) -> None:
    (incubator / "openstack/common/log.py").write_text("# edited\n")
    with pytest.raises(DirtyTreeError, match="clean work tree"):
        graduate(incubator, options(tmp_path / "lib", in_place=True))
    assert not (tmp_path / "lib").exists()


def test_drift_reports_graduated_modules_as_obsolete_life_cycle_replaced_by_the_library(
    incubator: Path, tmp_path: Path
) -> None:
    consumer = build_consumer(tmp_path / "nova", incubator).path
    graduate(incubator, options(tmp_path / "lib"))
    config = parse_common_conf(CONSUMER_CONF, consumer / "openstack-common.conf")
    inc = open_incubator(incubator, rev="graduate-oslo.foo")
    drift = analyse_project(inc, consumer, config)
    fates = {c.module: (c.status.value, c.lifecycle.describe()) for c in drift.copies}
    # The copies are behind master's shims; the shims' records are the life cycle.
    assert fates == {
        "__init__": ("current", "active"),
        "gettextutils": ("current", "active"),
        "jsonutils": ("behind", "obsolete (replaced by oslo.foo)"),
        "log": ("behind", "active"),  # master's log.py now imports the library
        "timeutils": ("behind", "obsolete (replaced by oslo.foo)"),
    }


def test_history_from_before_the_file_entered_the_package_root_is_kept(tmp_path: Path) -> None:
    from builders import make_incubator

    incubator = make_incubator(
        tmp_path / "inc",
        [
            ("Start", {"README": "x\n"}),
            ("Add helpers outside the package", {"common/helpers.py": "A = 1\n"}),
        ],
    )
    incubator.move("common/helpers.py", "openstack/common/helpers.py")
    incubator.commit("Move helpers into openstack/common")
    incubator.commit("Grow helpers", {"openstack/common/helpers.py": "A = 1\nB = 2\n"})
    result = graduate(incubator.path, options(tmp_path / "lib", "helpers", shims=False))
    assert result.files[0].history == ("common/helpers.py", "openstack/common/helpers.py")
    # The pure move is an empty commit in the library, dropped; what came before it stays.
    assert git_text(tmp_path / "lib", "log", "--format=%s", "HEAD~2").splitlines() == [
        "Grow helpers",
        "Add helpers outside the package",
    ]


def test_sync_copies_the_shims_of_graduated_modules_and_says_so(
    incubator: Path, tmp_path: Path
) -> None:
    from oslo_incubator.model.sync import SyncOptions
    from oslo_incubator.operations.sync import plan_sync

    consumer = build_consumer(tmp_path / "nova", incubator).path
    graduate(incubator, options(tmp_path / "lib", in_place=True))
    config = parse_common_conf(CONSUMER_CONF, consumer / "openstack-common.conf")
    result = plan_sync(open_incubator(incubator), consumer, config, SyncOptions(dry_run=True))
    assert [(r.module, r.lifecycle.library, r.copied) for r in result.retired] == [
        ("jsonutils", "oslo.foo", True),
        ("timeutils", "oslo.foo", True),
    ]
    assert {m.module for m in result.modules} == {
        "__init__", "gettextutils", "log", "jsonutils", "timeutils"
    }  # fmt: skip
    shim = next(
        f for f in result.files if f.module == "jsonutils" and f.copy_path.endswith("s.py")
    )
    assert "oslo_foo" in (shim.new_text or "")
