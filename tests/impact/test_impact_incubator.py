"""impact on an incubator change: the verdict per project for each kind of change."""

from __future__ import annotations

from pathlib import Path

from conftest import History

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
