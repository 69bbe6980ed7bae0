"""Render scan reports: a text summary for people, JSON for machines.

The graph formats (GraphML, DOT) come from ``report.graph`` over the graph that
``graph.copies`` builds; this module imports neither, so that a text summary does
not pay for importing networkx.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.scan import Family, Grain, Member, ScanReport
from oslo_incubator.report.table import render_table

SCAN_SCHEMA = "oslo-incubator.scan/2"
TEXT_CANDIDATES = 20  # candidates listed in the text summary (JSON lists all)


def scan_to_json(report: ScanReport, graph: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``oslo-incubator.scan/2`` document (see doc/source/scan.rst).

    ``graph`` is the copy graph in node-link form, included as ``graph`` when given.
    """
    options = report.options
    doc: dict[str, Any] = {
        "schema": SCAN_SCHEMA,
        "options": {
            "min_similarity": options.min_similarity,
            "min_tokens": options.min_tokens,
            "min_lines": options.min_lines,
            "shingle": options.fingerprint.shingle,
            "bins": options.fingerprint.bins,
            "bands": options.fingerprint.bands,
        },
        "incubator": None
        if report.incubator is None
        else {
            "path": report.incubator.path,
            "head": report.incubator.head,
            "package_root": report.incubator.package_root.path,
        },
        "projects": [
            {
                "name": p.name,
                "path": p.path,
                "bases": list(p.bases),
                "files": p.files,
                "lines": p.lines,
                "head": p.head,
            }
            for p in report.projects
        ],  # fmt: skip
        "families": [_family_json(f) for f in report.families],
        "candidates": [
            {"rank": c.rank, "family": c.family, "score": c.score, "reason": c.reason}
            for c in report.candidates
        ],
        "imports": [
            {"project": i.project, "importer": i.importer, "imported": i.imported, "line": i.line}
            for i in report.imports
        ],
    }
    if graph is not None:
        doc["graph"] = graph
    return doc


def render_scan_json(report: ScanReport, graph: dict[str, Any] | None = None) -> str:
    """:func:`scan_to_json` as indented text."""
    return json.dumps(scan_to_json(report, graph), indent=2) + "\n"


def render_scan_text(report: ScanReport, verbose: bool = False) -> str:
    """A summary: the projects, the families with a master, the incubation candidates.

    With ``verbose``, every family follows with its members.
    """
    out = []
    files = sum(p.files for p in report.projects)
    lines = sum(p.lines for p in report.projects)
    where = ""
    if report.incubator is not None:
        where = f"; incubator {report.incubator.path} at {report.incubator.head[:8]}"
    out.append(f"scanned {len(report.projects)} projects, {files:,} Python files, "
               f"{lines:,} lines{where}")  # fmt: skip
    out.append(
        render_table(
            ["project", "bases", "files", "lines", "head"],
            [
                [p.name, ",".join(p.bases) or "-", str(p.files), str(p.lines), (p.head or "-")[:8]]
                for p in report.projects
            ],  # fmt: skip
        )
    )
    mastered = [f for f in report.families if f.master is not None]
    if mastered:
        out.append("")
        out.append(f"families with a master in the incubator: {len(mastered)}")
        out.append(
            render_table(
                ["family", "master", "copies", "projects", "status"],
                [
                    [
                        f.id,
                        _master_label(f),
                        str(len(f.members)),
                        ",".join(f.projects),
                        _statuses(f.members),
                    ]
                    for f in mastered
                ],  # fmt: skip
            )
        )
    loose = [f for f in report.families if f.master is None]
    by_grain = Counter(f.grain for f in loose)
    out.append("")
    out.append(
        f"families with no master: {by_grain[Grain.MODULE]} of modules, "
        f"{by_grain[Grain.SYMBOL]} of functions and classes; "
        f"{len(report.candidates)} span two or more projects"
    )
    if report.candidates:
        shown = report.candidates[:TEXT_CANDIDATES]
        more = len(report.candidates) - len(shown)
        out.append("")
        out.append(
            "incubation candidates, best first"
            + (f" (the first {len(shown)}; --format json lists all):" if more else ":")
        )
        rows = []
        for candidate in shown:
            family = report.family(candidate.family)
            rows.append([str(candidate.rank), family.id, f"{candidate.score:.1f}",
                         _unit_label(family), ",".join(family.projects),
                         str(len(family.members)), str(family.lines)])  # fmt: skip
        out.append(
            render_table(["rank", "family", "score", "unit", "projects", "copies", "lines"], rows)
        )
        out.append("  (score = projects x log2(1 + lines) x (1 + divergence); see --verbose)")
    if report.imports:
        importers = Counter(p for p, _ in dict.fromkeys((i.project, i.importer)
                                                          for i in report.imports))  # fmt: skip
        out.append("")
        out.append(
            "project files importing copies: "
            + ", ".join(f"{n} in {p}" for p, n in importers.items())
        )
    if verbose:
        reasons = {c.family: c.reason for c in report.candidates}
        for family in report.families:
            out.append("")
            out.append(_family_heading(family))
            if family.id in reasons:
                out.append(f"  candidate: {reasons[family.id]}")
            out.append(
                render_table(
                    ["project", "path", "lines", "similarity", "status", "added"],
                    [
                        [
                            m.project,
                            _member_path(m),
                            f"{m.start}-{m.end}",
                            f"{m.similarity:.2f}",
                            m.status.value if m.status else "-",
                            _date(m.added),
                        ]
                        for m in family.members
                    ],  # fmt: skip
                    indent="    ",
                )
            )
    return "\n".join(out) + "\n"


# Private


def _family_json(family: Family) -> dict[str, Any]:
    master = family.master
    rep = family.representative
    return {
        "id": family.id,
        "grain": family.grain.value,
        "master": None
        if master is None
        else {
            "path": master.path,
            "symbol": master.symbol,
            "lineage": master.lineage,
            "commit": master.commit,
            "obsolete": master.obsolete,
            "lifecycle": master.lifecycle.value,
        },
        "origin": family.origin,
        "representative": None
        if rep is None
        else {"project": rep.project, "path": rep.path, "symbol": rep.symbol},
        "lines": family.lines,
        "tokens": family.tokens,
        "projects": list(family.projects),
        "members": [_member_json(m) for m in family.members],
    }


def _member_json(member: Member) -> dict[str, Any]:
    return {
        "project": member.project,
        "path": member.path,
        "symbol": member.symbol,
        "kind": member.kind.value,
        "start": member.start,
        "end": member.end,
        "tokens": member.tokens,
        "key": member.key,
        "similarity": member.similarity,
        "status": member.status.value if member.status else None,
        "added": member.added,
        "declared": member.declared,
    }


def _master_label(family: Family) -> str:
    assert family.master is not None
    label = family.master.path
    if family.master.symbol:
        label += f":{family.master.symbol}"
    if family.master.obsolete:
        return label + " (deleted in master)"
    if family.master.lifecycle is not LifecycleState.ACTIVE:
        return label + f" ({family.master.lifecycle.value})"
    return label


def _unit_label(family: Family) -> str:
    rep = family.representative or family.members[0]
    return _member_path(rep)


def _member_path(member: Member) -> str:
    return member.path if member.symbol is None else f"{member.path}:{member.symbol}"


def _statuses(members: tuple[Member, ...]) -> str:
    counts = Counter(m.status for m in members if m.status is not None)
    return ", ".join(f"{counts[s]} {s.value}" for s in DriftStatus if counts[s]) or "-"


def _family_heading(family: Family) -> str:
    what = "module" if family.grain is Grain.MODULE else "function/class"
    if family.master is not None:
        head = f"master {_master_label(family)} at {family.master.commit[:8]}"
    else:
        assert family.representative is not None
        origin = "oldest in git" if family.origin == "oldest" else "most common"
        head = f"representative {family.representative.project}:"
        head += f"{_member_path(family.representative)} ({origin})"
    return f"{family.id} {what} family, {len(family.members)} copies, {family.lines} lines; {head}"


def _date(stamp: int | None) -> str:
    if stamp is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(stamp))
