"""Render drift reports and check results: text, json, junit, sarif."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any
from xml.etree import ElementTree as ET

from oslo_incubator.model.check import RULES, CheckResult, Finding, Level, Rule, Waiver
from oslo_incubator.model.drift import (
    CopyDrift,
    DriftReport,
    DriftStatus,
    ProjectDrift,
)
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState
from oslo_incubator.report.table import render_table

DRIFT_SCHEMA = "oslo-incubator.drift/2"
CHECK_SCHEMA = "oslo-incubator.check/3"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_URI = "https://opendev.org/openstack/oslo-incubator"
#: The key of a result's fingerprint in SARIF ``partialFingerprints``.
FINGERPRINT_KEY = "oslo-incubator/finding/v1"


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


def render_check_text(report: DriftReport, result: CheckResult) -> str:
    """The check result for people: one line per finding that counts (those that fail,
    and those below the fail level), rule in brackets, then the verdict with what was
    not counted."""
    lines = [
        f"{f.violation.project}: {f.level.value}: {f.violation.message} [{f.violation.rule_id}]"
        for f in result.findings
        if f.waiver is None
    ]
    copies = sum(len(p.copies) for p in report.projects)
    failing = len(result.failing)
    verdict = "FAILED" if result.failed else "passed"
    summary = f"check {verdict}: {failing} problem(s) in {copies} copies"
    below = [f for f in result.findings if f.waiver is None and not f.fails]
    notes = []
    for level in Level:
        n = sum(1 for f in below if f.level is level)
        if n:
            plural = "s" if n != 1 else ""
            notes.append(f"{n} {level.value}{plural} below --fail-level {result.fail_level.value}")
    waived = []
    for waiver in Waiver:
        n = result.waived(waiver)
        if n:
            since = f" {result.since[:8]}" if waiver is Waiver.UNCHANGED and result.since else ""
            waived.append(f"{n} {_WAIVER_TEXT[waiver]}{since}")
    if waived:
        notes.append("not counted: " + ", ".join(waived))
    if notes:
        summary += f" ({'; '.join(notes)})"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_check_json(report: DriftReport, result: CheckResult) -> str:
    """The check result for machines (``oslo-incubator.check/3``): every finding as
    judged, the rules they break, and the full drift report."""
    used = dict.fromkeys(f.violation.rule_id for f in result.findings)
    doc = {
        "schema": CHECK_SCHEMA,
        "passed": not result.failed,
        "fail_level": result.fail_level.value,
        "since": result.since,
        "baseline": result.baseline,
        "counts": {
            "failing": len(result.failing),
            **{
                level.value: sum(1 for f in result.findings if f.level is level) for level in Level
            },
            "waived": {w.value: result.waived(w) for w in Waiver},
        },
        "findings": [
            {
                "project": f.violation.project,
                "module": f.violation.module,
                "path": f.violation.path,
                "status": f.violation.status.value if f.violation.status else None,
                "lifecycle": _lifecycle_json(f.violation.lifecycle),
                "message": f.violation.message,
                "line": f.violation.line,
                "rule": f.violation.rule_id,
                "level": f.level.value,
                "fingerprint": f.fingerprint,
                "waiver": f.waiver.value if f.waiver else None,
                "fails": f.fails,
            }
            for f in result.findings
        ],
        "rules": [_rule_json(RULES[rule_id]) for rule_id in used],
        "drift": drift_to_json(report),
    }
    return json.dumps(doc, indent=2) + "\n"


def render_check_junit(report: DriftReport, result: CheckResult) -> str:
    """JUnit XML: a test suite per project, a test case per copy and missing module,
    and one per finding about a line of the project's own code. A failing finding is a
    ``failure`` (its ``type`` the rule id); one that does not fail (below the fail
    level, or waived) is a ``skipped`` case saying why."""
    # Findings about a line of the project's own code (not a copy) get their own cases.
    own_lines = [f for f in result.findings if f.violation.line is not None]
    by_case = {
        (f.violation.project, f.violation.path or f.violation.module): f
        for f in result.findings
        if f.violation.line is None
    }
    suites = ET.Element("testsuites", name="oslo-incubator check")
    for project in report.projects:
        cases = [(c.copy_path, c.module) for c in project.copies] + [
            (m, m) for m in project.missing
        ]
        own = [f for f in own_lines if f.violation.project == project.name]
        judged = [
            by_case[(project.name, key)] for key, _ in cases if (project.name, key) in by_case
        ]
        judged += own
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=project.name,
            tests=str(len(cases) + len(own)),
            failures=str(sum(1 for f in judged if f.fails)),
            errors="0",
            skipped=str(sum(1 for f in judged if not f.fails)),
        )
        for key, module in cases:
            case = ET.SubElement(suite, "testcase", classname=f"{project.name}.{module}", name=key)
            finding = by_case.get((project.name, key))
            if finding is not None:
                _junit_outcome(case, finding)
        for finding in own:
            v = finding.violation
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{project.name}.{v.module}",
                name=f"{v.path}:{v.line}",
            )
            _junit_outcome(case, finding)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def render_check_sarif(report: DriftReport, result: CheckResult) -> str:
    """SARIF 2.1.0: every rule with its level and help, one result per finding, located
    at the copy file (or the line) in its project, with a fingerprint that survives line
    moves. Waived findings are there too: ignored ones with a ``suppressions`` entry
    (``inSource`` for a comment, ``external`` for the configuration), baselined or
    unchanged ones with ``baselineState`` ``unchanged`` (the others ``new`` when a
    baseline or ``--since`` was used)."""
    projects = {p.name: p for p in report.projects}
    rules = list(RULES.values())
    index = {r.id: i for i, r in enumerate(rules)}
    compared = result.baseline is not None or result.since is not None
    results = []
    for finding in result.findings:
        v = finding.violation
        project = projects[v.project]
        location_path = v.path or "openstack-common.conf"
        region_line = v.line or _first_hunk_line(project, v.path)
        item: dict[str, Any] = {
            "ruleId": v.rule_id,
            "ruleIndex": index[v.rule_id],
            "level": finding.level.value,
            "message": {"text": v.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": location_path, "uriBaseId": v.project},
                        "region": {"startLine": region_line},
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        }
        if finding.waiver is Waiver.INLINE:
            item["suppressions"] = [{"kind": "inSource"}]
        elif finding.waiver is Waiver.CONFIG:
            item["suppressions"] = [{"kind": "external"}]
        if compared:
            unchanged = finding.waiver in (Waiver.BASELINE, Waiver.UNCHANGED)
            item["baselineState"] = "unchanged" if unchanged else "new"
        results.append(item)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "oslo-incubator",
                        "informationUri": TOOL_URI,
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
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


_WAIVER_TEXT = {
    Waiver.INLINE: "ignored inline",
    Waiver.CONFIG: "ignored by the configuration",
    Waiver.BASELINE: "in the baseline",
    Waiver.UNCHANGED: "unchanged since",
}


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "level": rule.level.value,
        "summary": rule.summary,
        "help": rule.help,
        "help_uri": rule.help_uri,
    }


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.help},
        "help": {"text": rule.help, "markdown": f"{rule.help}\n\n[{rule.id}]({rule.help_uri})"},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.level.value},
    }


def _junit_outcome(case: ET.Element, finding: Finding) -> None:
    v = finding.violation
    if finding.fails:
        failure = ET.SubElement(case, "failure", type=v.rule_id)
        failure.set("message", v.message)
        failure.text = f"{v.message}\n{finding.rule.help}"
        return
    why = (
        f"waived ({_WAIVER_TEXT[finding.waiver]})"
        if finding.waiver
        else f"{finding.level.value}, below the fail level"
    )
    ET.SubElement(case, "skipped", message=f"{v.rule_id}: {why}: {v.message}")


def _first_hunk_line(project: ProjectDrift, path: str | None) -> int:
    for copy in project.copies:
        if copy.copy_path == path and copy.hunks:
            return max(1, copy.hunks[0].copy_start)
    return 1


def _dir_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).resolve().as_uri() + "/"
