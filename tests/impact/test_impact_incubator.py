"""impact on an incubator change: the verdict per project for each kind of change."""

from __future__ import annotations

from pathlib import Path

from impact_fixtures import History

from oslo_incubator.model.api import ChangeKind
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.impact import ImpactReport, Verdict
from oslo_incubator.operations.impact import incubator_impact


def impact(history: History, change: str, *projects: Path) -> ImpactReport:
    return incubator_impact(history.path, projects, change=change)


def test_a_removed_function_a_project_calls_breaks_it_at_the_call(
    history: History, nova: Path
) -> None:
    report = impact(history, history.removed, nova)
    (module,) = report.modules
    assert [(c.name, c.kind) for c in module.public_changes] == [("remove_me", ChangeKind.REMOVED)]
    project = report.project("nova")
    assert project is not None and project.verdict is Verdict.BREAKING
    (site,) = project.sites
    assert (site.path, site.line, site.name, site.verdict) == (
        "nova/compute.py",
        7,
        "remove_me",
        Verdict.BREAKING,
    )
    assert report.breaking


def test_a_renamed_function_is_found_as_a_rename_and_breaks_its_callers(
    history: History, nova: Path
) -> None:
    report = impact(history, history.renamed, nova)
    (module,) = report.modules
    (change,) = module.public_changes
    assert (change.name, change.kind, change.new_name) == (
        "old_helper",
        ChangeKind.RENAMED,
        "new_helper",
    )
    project = report.project("nova")
    assert project is not None and project.verdict is Verdict.BREAKING
    (site,) = project.sites
    assert (site.line, site.reason) == (8, "renamed to new_helper")


def test_a_required_parameter_added_breaks_a_call_that_does_not_pass_it(
    history: History, nova: Path
) -> None:
    report = impact(history, history.required, nova)
    (change,) = report.modules[0].public_changes
    assert change.kind is ChangeKind.INCOMPATIBLE
    project = report.project("nova")
    assert project is not None and project.verdict is Verdict.BREAKING
    (site,) = project.sites
    assert site.line == 5 and site.call  # the decorator calls it
    assert site.reason == "this call does not pass 'prefix', now required"


def test_a_body_change_affects_the_projects_that_call_it(
    history: History, nova: Path, glance: Path
) -> None:
    report = impact(history, history.body, nova, glance)
    assert [(c.name, c.kind) for c in report.modules[0].public_changes] == [
        ("dumps", ChangeKind.BODY)
    ]
    for name, path, line in (("nova", "nova/compute.py", 9), ("glance", "glance/api.py", 5)):
        project = report.project(name)
        assert project is not None and project.verdict is Verdict.AFFECTED
        assert [(s.path, s.line, s.verdict) for s in project.sites] == [
            (path, line, Verdict.AFFECTED)
        ]
    assert not report.breaking


def test_a_change_to_a_module_no_project_uses_leaves_them_untouched(
    history: History, nova: Path, glance: Path
) -> None:
    report = impact(history, history.elsewhere, nova, glance)
    assert [m.module for m in report.modules] == ["strutils"]
    for project in report.projects:
        assert project.verdict is Verdict.UNTOUCHED
        assert project.sites == () and project.copies == ()


def test_copies_show_where_they_stood_before_the_change(history: History, nova: Path) -> None:
    report = impact(history, history.body, nova)
    project = report.project("nova")
    assert project is not None
    (copy,) = project.copies
    # The copy was taken before loads changed: one master commit behind.
    assert (copy.module, copy.status, copy.commits_behind) == ("jsonutils", DriftStatus.BEHIND, 1)
    assert any("1 master commit(s) behind" in r for r in project.reasons)
    current = impact(history, history.loads_changed, nova).project("nova")
    assert current is not None and current.copies[0].status is DriftStatus.CURRENT


def test_a_range_gathers_the_changes_of_its_commits(history: History, nova: Path) -> None:
    report = incubator_impact(
        history.path, [nova], span=f"{history.loads_changed}..{history.required}"
    )
    assert [c.subject for c in report.commits] == [
        "Remove remove_me",
        "Rename old_helper to new_helper",
        "Lock names take a prefix",
    ]
    project = report.project("nova")
    assert project is not None
    assert [(s.line, s.name, s.change) for s in project.sites] == [
        (5, "synchronized", ChangeKind.INCOMPATIBLE),
        (7, "remove_me", ChangeKind.REMOVED),
        (8, "old_helper", ChangeKind.RENAMED),
    ]


PARTIAL = """\
import functools


def synchronized(name, lock_file_prefix=None, external=False, lock_path=None):
    def wrap(f):
        return f
    return wrap


def synchronized_with_prefix(lock_file_prefix):
    return functools.partial(synchronized, lock_file_prefix=lock_file_prefix)
"""
NOVA_UTILS = """\
from nova.openstack.common import lockutils

synchronized = lockutils.synchronized_with_prefix('nova-')
"""
NOVA_IMAGES = """\
from nova import utils


@utils.synchronized('image', external=True, lock_path='/var/lock')
def fetch():
    pass


@utils.synchronized('cache')
def clean():
    pass
"""


def test_a_name_the_project_binds_to_a_partial_is_followed_to_its_callers(tmp_path: Path) -> None:
    from builders import make_incubator, make_project

    repo = make_incubator(
        tmp_path / "inc", [("Add lockutils", {"openstack/common/lockutils.py": PARTIAL})]
    )
    change = repo.commit(
        "lockutils: remove lock_path",
        {"openstack/common/lockutils.py": PARTIAL.replace(", lock_path=None", "")},
    )
    nova = tmp_path / "nova"
    make_project(
        nova,
        "nova",
        {"lockutils.py": PARTIAL},
        extra={"nova/utils.py": NOVA_UTILS, "nova/images.py": NOVA_IMAGES},
    )
    report = incubator_impact(repo.path, [nova], change=change)
    project = report.project("nova")
    assert project is not None and project.verdict is Verdict.BREAKING
    found = {(s.path, s.line): (s.verdict, s.via) for s in project.sites}
    assert found[("nova/images.py", 4)] == (Verdict.BREAKING, "nova.utils.synchronized")
    assert found[("nova/images.py", 9)] == (Verdict.AFFECTED, "nova.utils.synchronized")
    (breaking,) = [s for s in project.sites if s.verdict is Verdict.BREAKING]
    assert "passes 'lock_path', which it no longer takes" in breaking.reason
