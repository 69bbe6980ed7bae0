"""Cross tests: the change synced into a temporary worktree, the project's tests run
before and after, and the user's checkout left as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from builders import make_project
from click.testing import CliRunner
from impact_fixtures import JSONUTILS, History

from oslo_incubator.analysis import crosstests
from oslo_incubator.cli import main
from oslo_incubator.history.git import git_text
from oslo_incubator.model import impact as model
from oslo_incubator.model.impact import Verdict
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.operations.impact import incubator_impact
from oslo_incubator.workflows.impact import CrossTestOptions, cross_test

API = """\
from glance.openstack.common import jsonutils


def show(value):
    return jsonutils.dumps(value)
"""
TEST_API = """\
import unittest

from glance import api


class TestShow(unittest.TestCase):
    def test_show_keeps_the_order_of_keys(self):
        self.assertEqual(api.show({"b": 1, "a": 2}), '{"b": 1, "a": 2}')

    def test_show_a_number(self):
        self.assertEqual(api.show(1), "1")
"""
TEST_OTHER = """\
import unittest


class TestOther(unittest.TestCase):
    def test_nothing_to_do_with_json(self):
        self.assertTrue(True)
"""


@pytest.fixture
def glance(tmp_path: Path) -> Path:
    path = tmp_path / "glance"
    make_project(
        path,
        "glance",
        {"jsonutils.py": JSONUTILS},
        extra={
            "glance/api.py": API,
            "glance/tests/__init__.py": "",
            "glance/tests/test_api.py": TEST_API,
            "glance/tests/test_other.py": TEST_OTHER,
            ".testr.conf": "[DEFAULT]\ntest_command=OS_STDOUT_CAPTURE=${OS_STDOUT_CAPTURE:-1} ${PYTHON:-python} -m subunit.run discover -t ./ ./glance/tests $LISTOPT $IDOPTION\n",
        },
    )
    return path


def snapshot(project: Path) -> tuple[str, str, str, dict[str, bytes]]:
    files = {
        str(p.relative_to(project)): p.read_bytes()
        for p in project.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }
    return (
        git_text(project, "rev-parse", "HEAD"),
        git_text(project, "status", "--porcelain", "--untracked-files=all"),
        git_text(project, "worktree", "list", "--porcelain"),
        files,
    )


def test_a_change_that_makes_a_test_fail_is_named_and_the_checkout_is_untouched(
    history: History, glance: Path
) -> None:
    before = snapshot(glance)
    report = incubator_impact(history.path, [glance], change=history.body)
    options = CrossTestOptions(python=sys.executable, timeout=120)
    report = cross_test(history.path, report, DEFAULT_PACKAGE_ROOT, options)
    project = report.project("glance")
    assert project is not None and project.verdict is Verdict.AFFECTED
    tests = project.tests
    assert tests is not None and tests.error is None, tests
    assert tests.modules == ("glance.tests.test_api",)  # test_other imports neither
    assert [(c.test, c.before, c.after) for c in tests.newly_failing] == [
        (
            "glance.tests.test_api.TestShow.test_show_keeps_the_order_of_keys",
            model.TestOutcome.PASS,
            model.TestOutcome.FAIL,
        )
    ]
    assert (tests.before, tests.after) == (2, 1)
    assert tests.synced == ("glance/openstack/common/jsonutils.py",)
    # The copy was one commit behind: it was brought to just before the change first.
    assert any("just before the change" in note for note in tests.notes)
    assert snapshot(glance) == before


def test_the_command_line_reports_the_failing_test_and_exits_1(
    history: History, glance: Path
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "impact",
            "--incubator",
            str(history.path),
            "--change",
            history.body,
            "--run-tests",
            "--python",
            sys.executable,
            "--no-cache",
            str(glance),
        ],
    )
    assert result.exit_code == 1, result.output
    assert (
        "newly failing: glance.tests.test_api.TestShow.test_show_keeps_the_order_of_keys"
        in result.output
    )


def test_tests_are_selected_by_what_they_import() -> None:
    imports = {
        "nova/tests/test_a.py": ["nova.openstack.common.lockutils", "os"],
        "nova/tests/test_b.py": ["nova.compute.synchronized_thing"],
        "nova/tests/test_c.py": ["nova.utils"],
        "nova/compute.py": ["nova.openstack.common.lockutils"],
    }
    assert crosstests.select_tests(
        imports, {"nova.openstack.common.lockutils", "nova.compute"}
    ) == ["nova/tests/test_a.py", "nova/tests/test_b.py"]


def test_two_runs_differ_by_tests_that_newly_fail_newly_pass_or_cannot_run() -> None:
    before = {
        "t.A.a": "pass",
        "t.A.b": "fail",
        "t.A.c": "skip",
        "u.<import>": "error",
        "v.B.x": "pass",
    }
    after = {
        "t.A.a": "error",
        "t.A.b": "pass",
        "t.A.c": "skip",
        "u.<import>": "error",
        "v.<import>": "error",
    }
    failing, passing, cannot = crosstests.compare_runs(before, after)
    assert [c.test for c in failing] == ["t.A.a", "v.<import>"]  # v no longer loads: one finding
    assert [c.test for c in passing] == ["t.A.b"]
    assert cannot == ("u",)
