"""Render drift reports and check results: text, json, junit, sarif."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any
from xml.etree import ElementTree as ET

from oslo_incubator.model.drift import (
    GRADUATED_IMPORT_RULE,
    CopyDrift,
    DriftReport,
    DriftStatus,
    ProjectDrift,
    Violation,
    lifecycle_rule,
)
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState
from oslo_incubator.report.table import render_table

DRIFT_SCHEMA = "oslo-incubator.drift/2"
CHECK_SCHEMA = "oslo-incubator.check/2"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_URI = "https://opendev.org/openstack/oslo-incubator"


def drift_to_json(report: DriftReport) -> dict[str, Any]:
    """The ``oslo-incubator.drift/2`` document (see doc/source/formats.rst)."""
    return {
        "schema": DRIFT_SCHEMA,
        "incubator": {"path": report.incubator_path, "head": report.incubator_head},
        "projects": [_project_json(p) for p in report.projects],
    }


def render_drift_json(report: DriftReport) -> str:
    """:func:`drift_to_json` as indented text."""
    return json.dumps(drift_to_json(report), indent=2) + "\n"


def render_drift_text(report: DriftReport, verbose: bool = False) -> str:
    """One compact table per project (a row per module) and a summary line.

    With ``verbose``, the local changes of diverged copies follow as diffs.
    """
    out = [f"incubator {report.incubator_path} at {report.incubator_head[:8]}"]
    totals: dict[DriftStatus, int] = dict.fromkeys(DriftStatus, 0)
    for project in report.projects:
        out.append("")
        out.append(f"{project.name} (base {project.base}, {len(project.copies)} files)")
        rows = []
        for module in project.modules:
            totals[module.status] += 1
            worst = [c for c in module.copies if c.status is module.status] or list(module.copies)
            rows.append(
                [
                    module.module,
                    module.status.value,
                    _lifecycle_cell(module.lifecycle),
                    _base_cell(worst),
                    str(max((c.commits_behind for c in module.copies), default=0) or "-"),
                    _local_cell(module.copies),
                ]
            )
        header = ["module", "status", "life cycle", "base", "behind", "local changes"]
        out.append(render_table(header, rows))
        if project.undeclared:
            out += _wrapped("undeclared copies", project.undeclared)
        for skipped in project.skipped:
            out.append(f"  not read: {skipped}")
        if verbose:
            for copy in project.copies:
                if copy.hunks:
                    out.append(
                        f"\n  {copy.copy_path}: {copy.status.value}, local changes "
                        f"against master {copy.master_path}@{(copy.base_commit or '')[:8]}"
                    )
                for hunk in copy.hunks:
                    if hunk.backported_from:
                        out.append(f"    (backport of master {hunk.backported_from[:8]})")
                    out.append(_indent(hunk.text.split("\n", 2)[2], "    "))
    summary = ", ".join(f"{n} {s.value}" for s, n in totals.items() if n)
    out.append("")
    count = len(report.projects)
    out.append(
        f"{sum(totals.values())} modules in {count} project{'s' if count != 1 else ''}: "
        f"{summary or 'none'}"
    )
    return "\n".join(out) + "\n"


def render_check_text(report: DriftReport, violations: list[Violation]) -> str:
    """The policy result for people: one line per violation and a verdict."""
    lines = [f"{v.project}: {v.message}" for v in violations]
    copies = sum(len(p.copies) for p in report.projects)
    verdict = "FAILED" if violations else "passed"
    lines.append(f"check {verdict}: {len(violations)} problem(s) in {copies} copies")
    return "\n".join(lines) + "\n"


def render_check_json(report: DriftReport, violations: list[Violation]) -> str:
    """The check result for machines, with the full drift report inside."""
    doc = {
        "schema": CHECK_SCHEMA,
        "passed": not violations,
        "violations": [
            {
                "project": v.project,
                "module": v.module,
                "path": v.path,
                "status": v.status.value if v.status else None,
                "lifecycle": _lifecycle_json(v.lifecycle),
                "message": v.message,
                "line": v.line,
                "rule": v.rule_id,
            }
            for v in violations
        ],
        "drift": drift_to_json(report),
    }
    return json.dumps(doc, indent=2) + "\n"


def render_check_junit(report: DriftReport, violations: list[Violation]) -> str:
    """JUnit XML: a test suite per project, a test case per copy and missing module."""
    # Violations about a line of the project's own code (not a copy) get their own cases.
    lines = [v for v in violations if v.rule == GRADUATED_IMPORT_RULE]
    failed = {(v.project, v.path or v.module): v for v in violations if v not in lines}
    suites = ET.Element("testsuites", name="oslo-incubator check")
    for project in report.projects:
        cases = [(c.copy_path, c.module) for c in project.copies] + [
            (m, m) for m in project.missing
        ]
        failures = [
            failed[(project.name, key)] for key, _ in cases if (project.name, key) in failed
        ]
        own = [v for v in lines if v.project == project.name]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=project.name,
            tests=str(len(cases) + len(own)),
            failures=str(len(failures) + len(own)),
            errors="0",
        )
        for key, module in cases:
            case = ET.SubElement(suite, "testcase", classname=f"{project.name}.{module}", name=key)
            violation = failed.get((project.name, key))
            if violation is not None:
                failure = ET.SubElement(case, "failure", type=violation.rule_id)
                failure.set("message", violation.message)
                failure.text = violation.message
        for violation in own:
            name = f"{violation.path}:{violation.line}"
            case = ET.SubElement(suite, "testcase", classname=f"{project.name}.{violation.module}",
                                 name=name)  # fmt: skip
            failure = ET.SubElement(case, "failure", type=violation.rule_id)
            failure.set("message", violation.message)
            failure.text = violation.message
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def render_check_sarif(report: DriftReport, violations: list[Violation]) -> str:
    """SARIF 2.1.0: one result per violation, located at the copy file in its project."""
    projects = {p.name: p for p in report.projects}
    rules = [
        {"id": f"drift/{s.value}", "shortDescription": {"text": f"copy is {s.value}"}}
        for s in DriftStatus
    ]
    rules += [
        {
            "id": lifecycle_rule(state),
            "shortDescription": {"text": f"copy of a module that is {state.value} in master"},
        }
        for state in LifecycleState
        if state is not LifecycleState.ACTIVE
    ]
    rules += [
        {
            "id": "drift/max-behind",
            "shortDescription": {"text": "copy is more master commits behind than allowed"},
        },
        {
            "id": GRADUATED_IMPORT_RULE,
            "shortDescription": {"text": "import of a module master says graduated"},
        },
    ]
    results = []
    for v in violations:
        project = projects[v.project]
        location_path = v.path or "openstack-common.conf"
        region_line = v.line or _first_hunk_line(project, v.path)
        results.append(
            {
                "ruleId": v.rule_id,
                "level": "error",
                "message": {"text": v.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": location_path, "uriBaseId": v.project},
                            "region": {"startLine": region_line},
                        }
                    }
                ],
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
                    }
                },
                "originalUriBaseIds": {p.name: {"uri": _dir_uri(p.path)} for p in report.projects},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


# Private


def _project_json(project: ProjectDrift) -> dict[str, Any]:
    return {
        "name": project.name,
        "path": project.path,
        "base": project.base,
        "copies": [_copy_json(c) for c in project.copies],
        "undeclared": list(project.undeclared),
        "pulled_in": list(project.pulled_in),
        "missing": list(project.missing),
        "skipped": list(project.skipped),
        "modules": [
            {
                "module": m.module,
                "status": m.status.value,
                "lifecycle": _lifecycle_json(m.lifecycle),
            }
            for m in project.modules
        ],
    }


def _copy_json(copy: CopyDrift) -> dict[str, Any]:
    return {
        "module": copy.module,
        "copy_path": copy.copy_path,
        "master_path": copy.master_path,
        "status": copy.status.value,
        "base_commit": copy.base_commit,
        "commits_behind": copy.commits_behind,
        "missed_commits": [
            {"sha": c.sha, "date": c.date, "subject": c.subject} for c in copy.missed_commits
        ],
        "changed_lines": copy.changed_lines,
        "backported_from": list(copy.backported_from),
        "lifecycle": _lifecycle_json(copy.lifecycle),
        "match": copy.match,
        "parses": copy.parses,
        "hunks": [
            {
                "base_start": h.base_start,
                "copy_start": h.copy_start,
                "changed_lines": h.changed_lines,
                "backported_from": h.backported_from,
                "diff": h.text,
            }
            for h in copy.hunks
        ],
    }


def _base_cell(copies: list[CopyDrift]) -> str:
    bases = {c.base_commit[:8] for c in copies if c.base_commit}
    if not bases:
        return "-"
    return next(iter(bases)) if len(bases) == 1 else f"{sorted(bases)[0]}+{len(bases) - 1}"


def _local_cell(copies: tuple[CopyDrift, ...]) -> str:
    changed = sum(c.changed_lines for c in copies)
    if not changed:
        return "-"
    hunks = sum(len(c.hunks) for c in copies)
    backports = sum(1 for c in copies for h in c.hunks if h.backported_from)
    cell = f"{hunks} hunk{'s' if hunks != 1 else ''}, {changed} line{'s' if changed != 1 else ''}"
    if backports:
        cell += f" ({backports} backported)"
    return cell


def _wrapped(label: str, items: tuple[str, ...], width: int = 0) -> list[str]:
    """``label: a, b, c`` wrapped to the terminal, continuation lines indented."""
    width = width or shutil.get_terminal_size((100, 20)).columns
    return textwrap.wrap(
        ", ".join(items),
        width=max(width, 60),
        initial_indent=f"  {label}: ",
        subsequent_indent=" " * (len(label) + 4),
        break_on_hyphens=False,
        break_long_words=False,
    )


def _lifecycle_json(lifecycle: Lifecycle) -> dict[str, Any]:
    return {
        "state": lifecycle.state.value,
        "library": lifecycle.library,
        "commit": lifecycle.commit,
        "source": lifecycle.source.value if lifecycle.source else None,
    }


def _lifecycle_cell(lifecycle: Lifecycle) -> str:
    if lifecycle.state is LifecycleState.ACTIVE:
        return "-"
    state: str = lifecycle.state.value
    return state + (f" -> {lifecycle.library}" if lifecycle.library else "")


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.rstrip("\n").splitlines())


def _first_hunk_line(project: ProjectDrift, path: str | None) -> int:
    for copy in project.copies:
        if copy.copy_path == path and copy.hunks:
            return max(1, copy.hunks[0].copy_start)
    return 1


def _dir_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).resolve().as_uri() + "/"
