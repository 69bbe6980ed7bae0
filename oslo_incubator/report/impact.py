"""Render impact reports: text for people, json, and sarif for a gate."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from oslo_incubator.model.api import ApiChange, ChangeKind
from oslo_incubator.model.codec import to_jsonable
from oslo_incubator.model.impact import (
    IMPORT_FAILURE,
    CrossTest,
    ImpactReport,
    ModuleChange,
    ProjectImpact,
    Verdict,
)
from oslo_incubator.report.table import render_table

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_URI = "https://opendev.org/openstack/oslo-incubator"
#: How many lines of each project the text report lists (all are in json and sarif).
TEXT_SITES = 20
_LEVEL = {Verdict.BREAKING: "error", Verdict.AFFECTED: "warning"}


def render_impact_text(report: ImpactReport, verbose: bool = False) -> str:
    """A summary for people: the change, its API changes, a table of projects, then
    each touched project's lines (the first :data:`TEXT_SITES` unless ``verbose``)."""
    what = f"library {report.package}" if report.kind == "library" else "incubator"
    count = len(report.commits)
    lines = [
        f"impact of {report.base[:8]}..{report.head[:8]} ({count} commit"
        f"{'' if count == 1 else 's'}) of the {what} at {report.source}"
    ]
    lines += [f"  {c.sha[:8]} {c.subject}" for c in report.commits[-10:]]
    if count > 10:
        lines.insert(1, f"  ... {count - 10} earlier commits")
    lines.append("")
    lines.append("changed API")
    if not report.modules:
        lines.append("  no module changed")
    for module in report.modules:
        lines += _module_text(module, report, verbose)
    if report.projects:
        lines += ["", "projects"]
        rows = [
            [p.name, p.verdict.value, _copies_cell(p), str(len(p.sites)), _tests_cell(p.tests)]
            for p in report.projects
        ]
        lines.append(render_table(["project", "verdict", "copies", "lines", "tests"], rows))
    for project in report.projects:
        if project.verdict is Verdict.UNTOUCHED and not project.tests and not project.copies:
            continue
        lines += ["", f"{project.name}: {project.verdict.value}"]
        lines += [f"  {reason}" for reason in project.reasons]
        shown = project.sites if verbose else project.sites[:TEXT_SITES]
        for site in shown:
            name = ".".join(p for p in (site.module, site.name) if p)
            reason = site.reason if verbose else _clip(site.reason, 160)
            lines.append(f"  {site.path}:{site.line}: {site.verdict.value}: {name}: {reason}")
        if len(shown) < len(project.sites):
            lines.append(f"  ... {len(project.sites) - len(shown)} more (--verbose)")
        if project.tests is not None:
            lines += _tests_text(project.tests, verbose)
    if report.release is not None:
        release = report.release
        since = release.last_tag or report.base[:8]
        target = f" -> {release.next_version}" if release.next_version else ""
        lines += ["", f"release needed since {since}: {release.bump.value}{target}"]
        lines += [f"  {reason}" for reason in release.reasons]
    if report.notes:
        lines += ["", "notes"] + [f"  {note}" for note in report.notes]
    breaking = [p.name for p in report.projects if p.verdict is Verdict.BREAKING]
    if breaking:
        lines += ["", f"would break: {', '.join(breaking)}"]
    return "\n".join(lines) + "\n"


def impact_to_json(report: ImpactReport) -> dict[str, Any]:
    """The ``oslo-incubator.impact/1`` document (see doc/source/impact.rst)."""
    data = to_jsonable(report)
    data["breaking"] = report.breaking
    return {"schema": report.schema, **{k: v for k, v in data.items() if k != "schema"}}


def render_impact_json(report: ImpactReport) -> str:
    """:func:`impact_to_json` as indented JSON."""
    return json.dumps(impact_to_json(report), indent=2) + "\n"


def render_impact_sarif(report: ImpactReport) -> str:
    """SARIF 2.1.0: one result per line of a project that a change breaks (error) or
    affects (warning), located in that project; and one per test that newly fails."""
    rules = [
        {"id": f"impact/{kind.value}", "shortDescription": {"text": _RULE_TEXT[kind]}}
        for kind in ChangeKind
        if kind is not ChangeKind.ADDED
    ]
    rules.append({"id": "impact/test-fails", "shortDescription": {"text": "a test newly fails"}})
    results = []
    for project in report.projects:
        for site in project.sites:
            name = ".".join(p for p in (site.module, site.name) if p)
            results.append(
                {
                    "ruleId": f"impact/{site.change.value}",
                    "level": _LEVEL.get(site.verdict, "note"),
                    "message": {"text": f"{name}: {site.reason}"},
                    "locations": [_location(project, site.path, site.line)],
                }
            )
        if project.tests is not None:
            for change in project.tests.newly_failing:
                results.append(
                    {
                        "ruleId": "impact/test-fails",
                        "level": "error",
                        "message": {
                            "text": f"{change.test}: {change.before.value} before the "
                            f"change, {change.after.value} after"
                        },
                        "locations": [_location(project, _test_path(change.test), 1)],
                    }
                )
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "oslo-incubator",
                        "informationUri": TOOL_URI,
                        "rules": rules,
                    }  # fmt: skip
                },
                "originalUriBaseIds": {p.name: {"uri": _dir_uri(p.path)} for p in report.projects},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


# Private

_RULE_TEXT = {
    ChangeKind.REMOVED: "uses a name the change removes",
    ChangeKind.RENAMED: "uses a name the change renames or moves",
    ChangeKind.INCOMPATIBLE: "uses a name whose signature changes incompatibly",
    ChangeKind.EXTENDED: "uses a name whose signature gains an optional parameter",
    ChangeKind.BODY: "uses a name whose code changes",
}


def _module_text(module: ModuleChange, report: ImpactReport, verbose: bool) -> list[str]:
    name = module.module or report.package
    if module.removed:
        where = f"moved to {module.moved_to}" if module.moved_to else "removed"
        return [f"  {name}: module {where}"]
    if not module.parsed:
        return [f"  {name}: changed, not valid Python 3 (names not compared)"]
    public = module.public_changes
    private = [c for c in module.changes if not c.public]
    head = f"  {name}" + ("" if module.old_paths else " (new module)")
    lines = [head]
    rows = [_change_row(c) for c in (module.changes if verbose else public)]
    if rows:
        lines.append(render_table(["change", "name", "why"], rows, indent="    "))
    else:
        lines.append("    no public name changed")
    if private and not verbose:
        lines.append(f"    and {len(private)} private name(s) (--verbose)")
    return lines


def _change_row(change: ApiChange) -> list[str]:
    symbol = change.new if change.kind is not ChangeKind.REMOVED else change.old
    shown = change.name
    if (
        symbol is not None
        and symbol.parameters is not None
        and change.kind is not (ChangeKind.RENAMED)
    ):
        shown = symbol.signature()
    return [change.kind.value, _clip(shown, 60), _clip("; ".join(change.reasons), 100)]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _copies_cell(project: ProjectImpact) -> str:
    if not project.copies:
        return "-" if not project.imports else "imports"
    cells = []
    shown = project.copies[:3]
    for copy in shown:
        status = copy.status.value
        if copy.commits_behind:
            status += f" {copy.commits_behind}"
        cells.append(f"{copy.module} {status}")
    more = len(project.copies) - len(shown)
    return ", ".join(cells) + (f" and {more} more" if more else "")


def _tests_cell(tests: CrossTest | None) -> str:
    if tests is None:
        return "-"
    if tests.error:
        return "could not run"
    return f"{len(tests.newly_failing)} newly failing"


def _tests_text(tests: CrossTest, verbose: bool = False) -> list[str]:
    lines = [f"  cross tests ({tests.seconds:.1f} s, {tests.python or 'python'}):"]
    if tests.error:
        lines.append(f"    could not run: {tests.error}")
    lines.append(
        f"    {len(tests.modules)} test module(s); passed {tests.before} before, "
        f"{tests.after} after; synced {len(tests.synced)} file(s)"
    )
    failing = tests.newly_failing if verbose else tests.newly_failing[:TEXT_SITES]
    for change in failing:
        test = change.test
        if test.endswith(IMPORT_FAILURE):
            test = f"{test[: -len(IMPORT_FAILURE)]} (no longer loads)"
        lines.append(f"    newly failing: {test} ({change.before.value} -> "
                     f"{change.after.value})")  # fmt: skip
    if len(failing) < len(tests.newly_failing):
        more = len(tests.newly_failing) - len(failing)
        lines.append(f"    ... {more} more newly failing (--verbose)")
    for change in tests.newly_passing:
        lines.append(f"    newly passing: {change.test}")
    for test in tests.cannot_run[:10]:
        lines.append(f"    cannot run: {test}")
    if len(tests.cannot_run) > 10:
        lines.append(f"    ... {len(tests.cannot_run) - 10} more that cannot run")
    lines += [f"    note: {note}" for note in tests.notes]
    return lines


def _location(project: ProjectImpact, path: str, line: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": project.name},
            "region": {"startLine": max(1, line)},
        }
    }


def _test_path(test: str) -> str:
    """A test id's module as a path (``nova.tests.test_x.T.test_y`` →
    ``nova/tests/test_x.py``; ``nova.tests.test_x.<import>``, a module that no longer
    loads, is that module's file), as far as the id tells."""
    parts = test.removesuffix(IMPORT_FAILURE).split(".")
    modules = [p for p in parts if p[:1].islower() or p.startswith("test")]
    stop = next((i for i, p in enumerate(parts) if p[:1].isupper()), len(parts))
    return "/".join(parts[:stop] or modules) + ".py"


def _dir_uri(path: str) -> str:
    pure = PurePath(path)
    text = pure.as_posix() if pure.is_absolute() else f"./{pure.as_posix()}"
    return (f"file://{text}" if text.startswith("/") else text).rstrip("/") + "/"
