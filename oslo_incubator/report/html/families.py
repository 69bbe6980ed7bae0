"""The families page: copy families from ``scan``, incubation candidates, the graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from oslo_incubator.model.drawing import Drawing, DrawnNode
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.scan import Family, Grain, Member, ScanReport
from oslo_incubator.report.html.page import NavItem, esc, plural, render_page, status_badge, table
from oslo_incubator.report.html.svg import render_svg
from oslo_incubator.report.scan import SCAN_SCHEMA, scan_to_json


def render_families_page(
    report: ScanReport,
    graph: dict[str, Any] | None,
    drawing: Drawing | None,
    copy_pages: Mapping[tuple[str, str], str],
    nav: Sequence[NavItem],
) -> str:
    """The families page.

    Args:
        report: what ``scan`` found.
        graph: the copy graph in node-link form, embedded with the report as
            ``scan --format json`` prints it.
        drawing: the copy graph laid out (``graph.layout.family_drawing``), or ``None``.
        copy_pages: (project, copy path) -> the fleet's page of that copy's module.
        nav: the site's pages.
    """
    mastered = sum(1 for f in report.families if f.master is not None)
    files = sum(p.files for p in report.projects)
    lines = sum(p.lines for p in report.projects)
    where = (
        f" against the incubator at <code>{esc(report.incubator.head[:8])}</code>"
        if report.incubator
        else " without an incubator"
    )
    summary = (
        '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        f"<p>{plural(len(report.projects), 'project')} scanned ({files:,} Python files, "
        f"{lines:,} lines){where}: {plural(len(report.families), 'family', 'families')}, "
        f"{mastered} with a master in the incubator, "
        f"{len(report.families) - mastered} without; "
        f"{plural(len(report.candidates), 'incubation candidate')} (families with no "
        "master in two or more projects).</p></section>"
    )
    sections = [summary, _candidates(report)]
    if drawing is not None:
        sections.append(_graph(drawing, copy_pages))
    sections.append(_families_table(report, copy_pages))
    return render_page(
        title="Families",
        heading="Copy families",
        current="families",
        root="",
        nav=nav,
        body="".join(sections),
        data=scan_to_json(report, graph),
        schema=SCAN_SCHEMA,
    )


# Private


def _unit(family: Family) -> str:
    rep = family.representative or (family.members[0] if family.members else None)
    if family.master is not None:
        path = family.master.path
        return path + (f":{family.master.symbol}" if family.master.symbol else "")
    if rep is None:
        return "-"
    return rep.path + (f":{rep.symbol}" if rep.symbol else "")


def _candidates(report: ScanReport) -> str:
    if not report.candidates:
        return (
            '<section aria-labelledby="candidates-h"><h2 id="candidates-h">Incubation '
            "candidates</h2><p>None: no family without a master spans two projects.</p>"
            "</section>"
        )
    rows = []
    for c in report.candidates:
        family = report.family(c.family)
        rows.append(
            f'<tr><td data-sort-value="{c.rank}">{c.rank}</td>'
            f'<th scope="row"><a href="#family-{esc(family.id)}">{esc(family.id)}</a></th>'
            f'<td data-sort-value="{c.score}">{c.score:.1f}</td>'
            f"<td><code>{esc(_unit(family))}</code></td>"
            f"<td>{esc(', '.join(family.projects))}</td><td>{len(family.members)}</td>"
            f"<td>{family.lines}</td><td>{esc(c.reason)}</td></tr>"
        )
    headers = [("rank", "number"), ("family", "text"), ("score", "number"), ("unit", "text"),
               ("projects", "text"), ("copies", "number"), ("lines", "number"),
               ("why", "text")]  # fmt: skip
    return (
        '<section aria-labelledby="candidates-h"><h2 id="candidates-h">Incubation '
        "candidates</h2>"
        + table(
            headers,
            rows,
            caption="Families with no master in two or more projects, best first (score = "
            "projects × log2(1 + lines) × (1 + divergence))",
            table_id="candidates",
            filterable=True,
        )
        + "</section>"
    )


def _families_table(report: ScanReport, copy_pages: Mapping[tuple[str, str], str]) -> str:
    rows = []
    for family in report.families:
        statuses = Counter(m.status for m in family.members if m.status is not None)
        status_text = " ".join(
            status_badge(s, str(statuses[s])) for s in DriftStatus if statuses[s]
        )
        if family.master is not None:
            origin = "master"
            if family.master.obsolete:
                origin += " (deleted)"
            elif family.master.lifecycle.value != "active":
                origin += f" ({family.master.lifecycle.value})"
        else:
            origin = "oldest copy" if family.origin == "oldest" else "most common copy"
        members = "".join(_member_item(m, copy_pages) for m in family.members)
        copies = (
            f"<details><summary>{plural(len(family.members), 'copy', 'copies')}</summary>"
            f"<ul>{members}</ul></details>"
        )
        rows.append(
            f'<tr id="family-{esc(family.id)}"><th scope="row" data-sort-value="{esc(family.id)}">'
            f"{esc(family.id)}</th><td>{esc(family.grain.value)}</td>"
            f"<td><code>{esc(_unit(family))}</code></td><td>{esc(origin)}</td>"
            f'<td data-sort-value="{len(family.projects)}">{len(family.projects)}</td>'
            f'<td data-sort-value="{len(family.members)}">{copies}</td>'
            f"<td>{status_text or '-'}</td><td>{family.lines}</td>"
            f"<td>{family.min_similarity:.2f}</td></tr>"
        )
    headers = [("family", "text"), ("grain", "text"), ("unit", "text"), ("from", "text"),
               ("projects", "number"), ("copies", "number"), ("statuses", "text"),
               ("lines", "number"), ("least similarity", "number")]  # fmt: skip
    grains = Counter(f.grain for f in report.families)
    caption = (
        f"Every family: {grains[Grain.MODULE]} of whole modules, {grains[Grain.SYMBOL]} of "
        "functions and classes; the unit is the master (or the representative copy)"
    )
    return (
        '<section aria-labelledby="families-h"><h2 id="families-h">All families</h2>'
        + table(headers, rows, caption=caption, table_id="families", filterable=True)
        + "</section>"
    )


def _member_item(member: Member, copy_pages: Mapping[tuple[str, str], str]) -> str:
    where = member.path + (f":{member.symbol}" if member.symbol else "")
    text = f"<code>{esc(member.project)}: {esc(where)}</code> lines {member.start}–{member.end}"
    page = copy_pages.get((member.project, member.path))
    if page:
        text = f'<a href="{esc(page)}">{text}</a>'
    status = f" {status_badge(member.status)}" if member.status else ""
    return f"<li>{text}, similarity {member.similarity:.2f}{status}</li>"


def _graph(drawing: Drawing, copy_pages: Mapping[tuple[str, str], str]) -> str:
    def link(node: DrawnNode) -> str | None:
        if node.project is None or node.path is None:
            return None
        return copy_pages.get((node.project, node.path))

    members = sum(1 for n in drawing.nodes if n.kind in ("member", "representative"))
    label = (
        f"Copy graph: {plural(len(drawing.groups), 'family', 'families')}, "
        f"{plural(members, 'copy', 'copies')}"
    )
    note = f"<p>{esc(drawing.note)}.</p>" if drawing.note else ""
    legend = "".join(
        f'<li><svg width="14" height="14" aria-hidden="true"><circle class="swatch s-{s.value}" '
        f'cx="7" cy="7" r="6"/></svg> {esc(s.value)}</li>'
        for s in DriftStatus
        if s is not DriftStatus.MISSING
    )
    legend += (
        '<li><svg width="14" height="14" aria-hidden="true"><circle class="swatch s-none" '
        'cx="7" cy="7" r="6"/></svg> copy in a family with no master</li>'
        '<li><svg width="14" height="14" aria-hidden="true"><rect class="swatch master" '
        'x="1" y="1" width="12" height="12"/></svg> master in the incubator</li>'
    )
    return (
        '<section aria-labelledby="graph-h"><h2 id="graph-h">Copy graph</h2>'
        f"<p>Each frame is a family: its copies (circles, coloured by drift status; the "
        f"outlined one stands for a family with no master) around their master "
        f"(square). Hover for names; copies with a fleet page are links.</p>{note}"
        f'<ul class="legend-inline">{legend}</ul>'
        '<div class="scroll graph-scroll" role="region" tabindex="0" '
        f'aria-label="{esc(label)}">'
        + render_svg(drawing, svg_id="copy-graph", label=label, link=link)
        + "</div></section>"
    )
