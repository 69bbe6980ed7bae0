"""Render deprecation-debt reports: a text table for people, JSON for machines."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from oslo_incubator.model.debt import DebtItem, DebtReport, RemovalStatus, Use
from oslo_incubator.report.table import render_table

DEBT_SCHEMA = "oslo-incubator.debt/1"


def debt_to_json(report: DebtReport) -> dict[str, Any]:
    """The ``oslo-incubator.debt/1`` document (see doc/source/debt.rst)."""
    statuses = Counter(item.removal.status for item in report.items)
    return {
        "schema": DEBT_SCHEMA,
        "release": report.release,
        "projects": [
            {
                "name": p.name,
                "path": p.path,
                "version": p.version,
                "version_source": p.source,
                "release": p.release,
            }
            for p in report.projects
        ],  # fmt: skip
        "deprecations": [_item_json(item) for item in report.items],
        "skipped": [
            {"project": s.project, "path": s.path, "line": s.line, "reason": s.reason}
            for s in report.skipped
        ],
        "summary": {
            "deprecations": len(report.items),
            **{status.value: statuses.get(status, 0) for status in RemovalStatus},
            "uses": sum(len(i.uses) for i in report.items),
            "possible_uses": sum(len(i.possible_uses) for i in report.items),
            "files_scanned": report.files_scanned,
            "files_skipped": len(report.skipped),
        },
    }


def render_debt_json(report: DebtReport) -> str:
    """:func:`debt_to_json` as indented text."""
    return json.dumps(debt_to_json(report), indent=2) + "\n"


def render_debt_text(report: DebtReport, verbose: bool = False) -> str:
    """The projects with their versions, one table row per deprecation, and a summary.

    Overdue removals read ``OVERDUE``. With ``verbose``, each deprecation's reason,
    message and uses follow the table, then the files that were skipped.
    """
    out = [
        render_table(
            ["project", "version", "from", "release"],
            [
                [p.name, p.version or "?", p.source or "-", p.release or "-"]
                for p in report.projects
            ],
        )
    ]
    if report.release:
        out.append(f"  release series given: {report.release}")
    out.append("")
    if report.items:
        rows = [
            [
                item.deprecation.name,
                item.deprecation.kind.value,
                f"{item.project}:{item.path}:{item.deprecation.line}",
                item.deprecation.replacement or "-",
                item.deprecation.removal_version or "-",
                _status_cell(item),
                str(len(item.uses)) if item.tracks_uses else "-",
                str(len(item.possible_uses)) if item.tracks_uses else "-",
            ]
            for item in report.items
        ]
        header = ["deprecated", "kind", "declared at", "replacement", "removal", "status", "uses",
                  "possible"]  # fmt: skip
        out.append(render_table(header, rows))
    else:
        out.append("  no deprecations found")
    if verbose:
        out += _details(report)
    out.append("")
    out.append(_summary(report, verbose))
    return "\n".join(out) + "\n"


# Private


def _status_cell(item: DebtItem) -> str:
    status = item.removal.status
    return "OVERDUE" if status is RemovalStatus.OVERDUE else status.value


def _summary(report: DebtReport, verbose: bool) -> str:
    statuses = Counter(item.removal.status for item in report.items)
    counts = ", ".join(f"{statuses[s]} {s.value}" for s in RemovalStatus if statuses[s])
    uses = sum(len(i.uses) for i in report.items)
    possible = sum(len(i.possible_uses) for i in report.items)
    n = len(report.items)
    lines = [
        f"{n} deprecation{'s' if n != 1 else ''} in {len(report.projects)} project(s)"
        + (f": {counts}" if counts else "")
        + f"; {uses} use(s), {possible} possible"
    ]
    files = f"{report.files_scanned} files scanned"
    if report.skipped:
        hint = "" if verbose else "; -v lists them"
        files += f", {len(report.skipped)} skipped because they do not parse{hint}"
    lines.append(files)
    return "\n".join(lines)


def _details(report: DebtReport) -> list[str]:
    out = []
    for item in report.items:
        dep = item.deprecation
        out.append("")
        out.append(f"{dep.name} ({dep.kind.value}, {dep.source.value} {dep.api})")
        out.append(f"  declared at {item.project}:{item.path}:{dep.line}")
        if dep.message:
            out.append(f"  message: {dep.message}")
        if dep.version:
            out.append(f"  deprecated in: {dep.version}")
        out.append(f"  removal: {item.removal.status.value} ({item.removal.reason})")
        if not item.tracks_uses:
            out.append("  uses: not tracked (a feature deprecated inside a definition)")
            continue
        for use in item.uses:
            out.append(f"  {_use_line(use)}")
        for use in item.possible_uses:
            out.append(f"  {_use_line(use)} (possible: {use.reason or 'object not known'})")
    if report.skipped:
        out.append("")
        out.append("skipped (do not parse):")
        for skipped in report.skipped:
            where = f"{skipped.path}:{skipped.line}" if skipped.line else skipped.path
            out.append(f"  {skipped.project}:{where}: {skipped.reason}")
    return out


def _use_line(use: Use) -> str:
    return f"{use.kind.value:<13} {use.project}:{use.path}:{use.line} in {use.scope}"


def _item_json(item: DebtItem) -> dict[str, Any]:
    dep = item.deprecation
    return {
        "name": dep.name,
        "kind": dep.kind.value,
        "source": dep.source.value,
        "api": dep.api,
        "project": item.project,
        "path": item.path,
        "line": dep.line,
        "target": dep.target,
        "kwarg": dep.kwarg,
        "replacement": dep.replacement,
        "message": dep.message,
        "version": dep.version,
        "removal_version": dep.removal_version,
        "status": item.removal.status.value,
        "status_reason": item.removal.reason,
        "uses_tracked": item.tracks_uses,
        "uses": [_use_json(u) for u in item.uses],
        "possible_uses": [_use_json(u) for u in item.possible_uses],
    }


def _use_json(use: Use) -> dict[str, Any]:
    return {
        "project": use.project,
        "path": use.path,
        "line": use.line,
        "kind": use.kind.value,
        "scope": use.scope,
        "confidence": use.confidence.value,
        "reason": use.reason,
    }
