"""After a migration, ``check`` flags new imports of a graduated module's old path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import make_incubator, make_project
from click.testing import CliRunner

from oslo_incubator.cli import main
from oslo_incubator.history.git import run_git
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.drift import Policy
from oslo_incubator.model.graduate import GraduateOptions, MigrateOptions
from oslo_incubator.operations.drift import analyse_drift, check_policy
from oslo_incubator.operations.graduate import graduate
from oslo_incubator.operations.migrate import migrate_project

NEW_CODE = (
    "from nova.openstack.common import jsonutils\n"
    "from unittest import mock\n\n"
    "@mock.patch('nova.openstack.common.timeutils.utcnow')\n"
    "def f(utcnow):\n"
    "    from nova.openstack.common import log\n"
    "    return jsonutils.dumps(1)\n"
)


@pytest.fixture
def migrated(incubator: Path, consumer: Path, tmp_path: Path) -> Path:
    """The consumer migrated to oslo.foo, the shims merged into the incubator's master,
    and a straggler file importing the old paths again."""
    graduate(
        incubator,
        GraduateOptions(
            "oslo.foo", "oslo_foo", ("jsonutils", "timeutils"), tmp_path / "lib", in_place=True
        ),
    )
    migrate_project(consumer, MigrateOptions("oslo.foo", "oslo_foo", incubator=incubator))
    (consumer / "nova/straggler.py").write_text(NEW_CODE)
    return consumer


def test_imports_and_patch_strings_of_graduated_modules_are_violations_of_two_rules(
    incubator: Path, migrated: Path
) -> None:
    inc = open_incubator(incubator)
    report = analyse_drift(inc, [migrated])
    violations = check_policy(report, Policy(), inc)
    assert [(v.module, v.path, v.line, v.status, v.rule) for v in violations] == [
        ("jsonutils", "nova/straggler.py", 1, None, "drift/graduated-import"),
        ("timeutils", "nova/straggler.py", 4, None, "drift/graduated-string"),
    ]
    assert violations[0].message == (
        "nova/straggler.py:1: imports nova.openstack.common.jsonutils, obsolete "
        "(replaced by oslo.foo) in master"
    )
    assert violations[1].message == (
        "nova/straggler.py:4: names nova.openstack.common.timeutils in a string, obsolete "
        "(replaced by oslo.foo) in master"
    )
    assert violations[1].text == "@mock.patch('nova.openstack.common.timeutils.utcnow')"


def test_without_the_incubator_or_without_graduated_imports_in_the_policy_nothing_is_flagged(
    incubator: Path, migrated: Path
) -> None:
    inc = open_incubator(incubator)
    report = analyse_drift(inc, [migrated])
    assert check_policy(report, Policy()) == []
    assert check_policy(report, Policy(graduated_imports=False), inc) == []


def test_a_migrated_project_passes_until_someone_imports_the_old_path(
    incubator: Path, migrated: Path
) -> None:
    (migrated / "nova/straggler.py").unlink()
    runner = CliRunner()
    passed = runner.invoke(main, ["check", "--incubator", str(incubator), str(migrated)])
    assert passed.exit_code == 0, passed.output
    (migrated / "nova/straggler.py").write_text(NEW_CODE)
    failed = runner.invoke(
        main, ["check", "--incubator", str(incubator), "--format", "sarif", str(migrated)]
    )
    assert failed.exit_code == 1
    run = json.loads(failed.stdout)["runs"][0]
    assert "drift/graduated-import" in [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in run["results"]
    ] == [
        ("drift/graduated-import", "error", "nova/straggler.py", 1),
        ("drift/graduated-string", "warning", "nova/straggler.py", 4),
    ]
    junit = runner.invoke(
        main, ["check", "--incubator", str(incubator), "--format", "junit", str(migrated)]
    )
    assert 'name="nova/straggler.py:1"' in junit.stdout


def test_a_module_master_deleted_naming_its_library_counts_too(tmp_path: Path) -> None:
    incubator = make_incubator(
        tmp_path / "inc",
        [
            (
                "Add helpers",
                {
                    "openstack/common/jsonutils.py": "X = 1\n",
                    "openstack/common/log.py": "Y = 1\n",
                    "requirements.txt": "oslo.config\n",
                },
            ),
            ("Delete graduated serialization files", {"openstack/common/jsonutils.py": None}),
        ],
    ).path
    project = make_project(
        tmp_path / "nova",
        "nova",
        {"log.py": "Y = 1\n"},
        extra={
            "nova/api.py": "import nova.openstack.common.jsonutils\nimport nova.openstack.common.log\n",
            "nova/multi.py": "from nova.openstack.common import (\n    log,\n    jsonutils,\n)\n",
        },
    ).path
    inc = open_incubator(incubator)
    violations = check_policy(analyse_drift(inc, [project]), Policy(), inc)
    assert [
        (v.path, v.module, v.line, v.message.rpartition("(")[2].removesuffix(" in master"))
        for v in violations
    ] == [
        ("nova/api.py", "jsonutils", 1, "replaced by oslo.serialization)"),
        ("nova/multi.py", "jsonutils", 1, "replaced by oslo.serialization)"),
    ]
    assert run_git(project, "status", "--porcelain") == b""  # the project was only read
