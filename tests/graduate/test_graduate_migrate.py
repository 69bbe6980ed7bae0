"""``migrate``: a consumer moves from its copies to the library."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from graduate_fixtures import API, CONSUMER_CONF, TEST_API

from oslo_incubator.history.git import git_text, run_git
from oslo_incubator.model.errors import ConfigError, DirtyTreeError, UnsafePathError
from oslo_incubator.model.graduate import EditAction, GraduateOptions, MigrateOptions
from oslo_incubator.operations.graduate import graduate
from oslo_incubator.operations.migrate import graduated_modules, migrate_project, plan_migration
from oslo_incubator.workspace import writer as writer_module

MOVED = MigrateOptions("oslo.foo", "oslo_foo", modules=("jsonutils", "timeutils"))


def tree(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_own_code_copies_that_stay_requirements_and_conf_are_rewritten(consumer: Path) -> None:
    result = migrate_project(consumer, MOVED)
    assert [(e.action.value, e.path, e.moved) for e in result.edits] == [
        ("modify", "nova/api.py", 2),
        ("delete", "nova/openstack/common/jsonutils.py", 0),
        ("modify", "nova/openstack/common/log.py", 1),
        ("delete", "nova/openstack/common/timeutils.py", 0),
        ("modify", "nova/tests/test_api.py", 1),
        ("modify", "openstack-common.conf", 0),
        ("modify", "requirements.txt", 0),
    ]
    assert (consumer / "nova/api.py").read_text() == API.replace(
        "from nova.openstack.common import jsonutils", "from oslo_foo import jsonutils"
    ).replace(
        "from nova.openstack.common import timeutils as clock",
        "from oslo_foo import timeutils as clock",
    )
    assert (consumer / "nova/tests/test_api.py").read_text() == TEST_API.replace(
        "'nova.openstack.common.timeutils.utcnow'", "'oslo_foo.timeutils.utcnow'"
    )
    assert (
        "from oslo_foo import jsonutils\n"
        in (consumer / "nova/openstack/common/log.py").read_text()
    )
    assert not (consumer / "nova/openstack/common/jsonutils.py").exists()
    assert not (consumer / "nova/openstack/common/timeutils.py").exists()
    assert (consumer / "requirements.txt").read_text() == (
        "pbr>=0.6\nSQLAlchemy>=0.7.8\nsix>=1.6.0\nWebOb>=1.2.3\noslo.foo\n"
    )
    assert (consumer / "openstack-common.conf").read_text() == CONSUMER_CONF.replace(
        "module=jsonutils\n", ""
    ).replace("modules=gettextutils,timeutils", "modules=gettextutils")
    assert result.written == (
        "nova/api.py",
        "nova/openstack/common/log.py",
        "nova/tests/test_api.py",
        "openstack-common.conf",
        "requirements.txt",
    )
    assert result.deleted == (
        "nova/openstack/common/jsonutils.py",
        "nova/openstack/common/timeutils.py",
    )


def test_dry_run_writes_nothing(consumer: Path) -> None:
    before = tree(consumer)
    result = migrate_project(
        consumer, MigrateOptions("oslo.foo", "oslo_foo", ("jsonutils",), dry_run=True)
    )
    assert result.dry_run and result.written == () and result.deleted == ()
    assert {e.path for e in result.edits} >= {"nova/api.py", "nova/openstack/common/jsonutils.py"}
    assert tree(consumer) == before
    assert git_text(consumer, "status", "--porcelain") == ""


def test_a_dirty_tree_is_refused_unless_forced(consumer: Path) -> None:
    (consumer / "nova/api.py").write_text(API + "\n# mine\n")
    before = tree(consumer)
    with pytest.raises(
        DirtyTreeError, match="1 file\\(s\\) to be migrated have uncommitted changes"
    ):
        migrate_project(consumer, MOVED)
    assert tree(consumer) == before
    forced = migrate_project(
        consumer, MigrateOptions("oslo.foo", "oslo_foo", MOVED.modules, force=True)
    )
    assert "nova/api.py" in forced.written
    assert (consumer / "nova/api.py").read_text().endswith("# mine\n")


def test_modules_come_from_the_incubators_records(
    incubator: Path, consumer: Path, tmp_path: Path
) -> None:
    graduate(
        incubator,
        GraduateOptions("oslo.foo", "oslo_foo", ("jsonutils", "timeutils"), tmp_path / "lib"),
    )
    assert graduated_modules(incubator, "oslo.foo", rev="graduate-oslo.foo") == (
        "jsonutils",
        "timeutils",
    )
    assert graduated_modules(incubator, "oslo_foo", rev="graduate-oslo.foo") == (
        "jsonutils",
        "timeutils",
    )
    assert graduated_modules(incubator, "oslo.foo") == ()
    result = plan_migration(
        consumer,
        MigrateOptions(
            "oslo.foo", "oslo_foo", incubator=incubator, incubator_rev="graduate-oslo.foo"
        ),
    )
    assert (result.modules, result.modules_from) == (("jsonutils", "timeutils"), "records")
    with pytest.raises(ConfigError, match="records no module graduated to oslo.foo"):
        plan_migration(consumer, MigrateOptions("oslo.foo", "oslo_foo", incubator=incubator))
    with pytest.raises(ConfigError, match="--module"):
        plan_migration(consumer, MigrateOptions("oslo.foo", "oslo_foo"))


def test_a_copy_something_unrewritable_still_names_is_kept(consumer: Path) -> None:
    (consumer / "setup.cfg").write_text(
        "[entry_points]\nnova.json =\n    fast = nova.openstack.common.jsonutils:dumps\n"
    )
    run_git(consumer, "add", "setup.cfg")
    run_git(consumer, "commit", "-q", "-m", "entry point")
    result = migrate_project(consumer, MOVED)
    assert [(k.path, k.importers) for k in result.kept] == [
        ("nova/openstack/common/jsonutils.py", ("setup.cfg:3",))
    ]
    assert (consumer / "nova/openstack/common/jsonutils.py").exists()
    assert result.deleted == ("nova/openstack/common/timeutils.py",)


def test_python_2_code_is_rewritten_by_the_token_fallback_with_a_warning(consumer: Path) -> None:
    (consumer / "nova/old.py").write_text(
        "from nova.openstack.common import jsonutils, log\n"
        "print 'nova.openstack.common.jsonutils'\n"
    )
    run_git(consumer, "add", "nova/old.py")
    run_git(consumer, "commit", "-q", "-m", "py2")
    result = migrate_project(consumer, MOVED)
    # The library's import leaves the project's group for a third-party one, first.
    assert (consumer / "nova/old.py").read_text() == (
        "from oslo_foo import jsonutils\n\nfrom nova.openstack.common import log\n"
        "print 'oslo_foo.jsonutils'\n"
    )
    files = [w for w in result.warnings if not w.startswith("requirements.txt")]
    assert [w.split(":")[0] for w in files] == ["nova/old.py"]
    assert "imports moved with regular expressions" in files[0]


def test_requirements_already_naming_the_library_are_left_alone(consumer: Path) -> None:
    (consumer / "requirements.txt").write_text("oslo.foo>=1.0\n")
    run_git(consumer, "commit", "-q", "-am", "req")
    result = plan_migration(consumer, MOVED)
    assert "requirements.txt" not in {e.path for e in result.edits}


def test_an_escaping_destination_is_refused_and_nothing_written(
    consumer: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("six\n")
    (consumer / "requirements.txt").unlink()
    os.symlink(outside, consumer / "requirements.txt")
    before = tree(consumer)
    with pytest.raises(UnsafePathError, match="outside the project"):
        migrate_project(
            consumer, MigrateOptions("oslo.foo", "oslo_foo", MOVED.modules, force=True)
        )
    assert tree(consumer) == before
    assert outside.read_text() == "six\n"


def test_a_failed_write_puts_deleted_copies_back(
    consumer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(consumer)
    real_replace = os.replace
    renames = []

    def failing_replace(src: object, dst: object) -> None:
        renames.append(dst)
        if len(renames) == 2:  # the first file is in place, the second fails
            raise OSError("disk full")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(writer_module.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        migrate_project(consumer, MOVED)
    monkeypatch.undo()
    assert tree(consumer) == before


def test_a_package_module_leaves_its_subpackage_and_the_init_that_needs(tmp_path: Path) -> None:
    from builders import make_project

    project = make_project(
        tmp_path / "nova",
        "nova",
        {
            "report/__init__.py": "",
            "report/guru.py": "X = 1\n",
            "report/views/__init__.py": "",
            "report/views/text.py": "Y = 2\n",
        },
        conf="[DEFAULT]\nmodule=report\nmodule=report.views\nbase=nova\n",
        extra={
            "nova/use.py": "from nova.openstack.common.report import guru\n"
            "from nova.openstack.common.report.views import text\n"
        },
    ).path
    result = migrate_project(project, MigrateOptions("oslo.reports", "oslo_reports", ("report",)))
    assert (project / "nova/use.py").read_text() == (
        "from oslo_reports.report import guru\nfrom nova.openstack.common.report.views import text\n"
    )
    # report.views stays, and importing it needs the package report/__init__.py.
    assert result.deleted == ("nova/openstack/common/report/guru.py",)
    assert [(k.path, k.importers) for k in result.kept] == [
        ("nova/openstack/common/report/__init__.py", ("nova/use.py:2",))
    ]
    assert (project / "nova/openstack/common/report/views/text.py").exists()
    created = [e.path for e in result.edits if e.action is EditAction.CREATE]
    assert created == ["requirements.txt"]
    assert (project / "requirements.txt").read_text() == "oslo.reports\n"


def test_strings_that_are_configuration_values_or_keys_stay_and_are_listed(
    consumer: Path,
) -> None:
    # A driver-alias table: its keys are values users have in their configuration.
    (consumer / "nova/aliases.py").write_text(
        "import mock\n\n"
        "ALIASES = {\n"
        "    'nova.openstack.common.jsonutils.dumps': 'json',\n"
        "}\n"
        "LOG_MODULES = ('logging', 'nova.openstack.common.timeutils')\n\n\n"
        "@mock.patch('nova.openstack.common.jsonutils.dumps')\n"
        "def test(dumps):\n"
        "    return dumps\n"
    )
    run_git(consumer, "add", "nova/aliases.py")
    run_git(consumer, "commit", "-q", "-m", "aliases")
    result = migrate_project(consumer, MOVED)
    text = (consumer / "nova/aliases.py").read_text()
    assert "'nova.openstack.common.jsonutils.dumps': 'json'" in text
    assert "'nova.openstack.common.timeutils')" in text
    assert "@mock.patch('oslo_foo.jsonutils.dumps')" in text
    left = [w for w in result.warnings if w.startswith("nova/aliases.py")]
    assert [w.split(": left ")[0] for w in left] == ["nova/aliases.py:4", "nova/aliases.py:6"]


def test_the_requirement_takes_the_lower_bound_the_incubator_gives_the_library(
    tmp_path: Path,
) -> None:
    from graduate_fixtures import build_consumer, build_incubator

    from oslo_incubator.history.builder import RepoBuilder

    incubator = build_incubator(tmp_path / "inc").path
    consumer = build_consumer(tmp_path / "nova", incubator).path
    RepoBuilder(incubator).commit("Require the library", {"requirements.txt": "oslo.foo>=1.2\n"})
    options = MigrateOptions("oslo.foo", "oslo_foo", ("jsonutils",), incubator=incubator)
    result = plan_migration(consumer, options)
    (edit,) = [e for e in result.edits if e.path == "requirements.txt"]
    assert "oslo.foo>=1.2\n" in (edit.new_text or "")
    assert not [w for w in result.warnings if "lower bound" in w]


def test_the_librarys_import_joins_the_third_party_group_in_hackings_order(
    consumer: Path,
) -> None:
    (consumer / "nova/api.py").write_text(
        "import os\n\nimport six\nimport webob\n\n"
        "from nova import exception\n"
        "from nova.openstack.common import timeutils\n"
        "from nova.openstack.common import jsonutils\n\n\n"
        "X = (os, six, webob, exception, timeutils, jsonutils)\n"
    )
    run_git(consumer, "add", "nova/api.py")
    run_git(consumer, "commit", "-q", "-m", "api")
    migrate_project(consumer, MOVED)
    assert (consumer / "nova/api.py").read_text() == (
        "import os\n\n"
        "from oslo_foo import jsonutils\n"
        "from oslo_foo import timeutils\n"
        "import six\nimport webob\n\n"
        "from nova import exception\n\n\n"
        "X = (os, six, webob, exception, timeutils, jsonutils)\n"
    )
