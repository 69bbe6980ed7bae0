"""The debt page: deprecated APIs, their remaining callers, overdue removals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from oslo_incubator.model.debt import DebtItem, DebtReport, RemovalStatus, Use
from oslo_incubator.report.debt import DEBT_SCHEMA, debt_to_json
from oslo_incubator.report.html.page import NavItem, esc, plural, render_page, table

#: Uses listed per deprecation on the page; the embedded JSON has them all.
USES_SHOWN = 200


def render_debt_page(report: DebtReport, nav: Sequence[NavItem]) -> str:
    """The debt page: the projects and their versions, counts, and one row per
    deprecation with its uses (overdue removals say so in words)."""
    statuses = Counter(item.removal.status for item in report.items)
    counts = ", ".join(
        f'<span class="removal r-{s.value}">{statuses[s]} {esc(s.value)}</span>'
        for s in RemovalStatus
        if statuses[s]
    )
    uses = sum(len(i.uses) for i in report.items)
    possible = sum(len(i.possible_uses) for i in report.items)
    skipped = ""
    if report.skipped:
        listed = "".join(
            f"<li><code>{esc(s.project)}: {esc(s.path)}"
            f"{f':{s.line}' if s.line else ''}</code>: {esc(s.reason)}</li>"
            for s in report.skipped
        )
        skipped = (
            f"<details><summary>{plural(len(report.skipped), 'file')} not read: they do "
            f"not parse</summary><ul>{listed}</ul></details>"
        )
    summary = (
        '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        f"<p>{plural(len(report.items), 'deprecation')} in "
        f"{plural(len(report.projects), 'project')}{': ' + counts if counts else ''}; "
        f"{plural(uses, 'use')} and {plural(possible, 'possible use')} remain; "
        f"{report.files_scanned} files scanned.</p>{skipped}</section>"
    )
    projects = table(
        [("project", "text"), ("version", "text"), ("from", "text"), ("release", "text")],
        [
            f'<tr><th scope="row">{esc(p.name)}</th><td>{esc(p.version or "?")}</td>'
            f"<td>{esc(p.source or '-')}</td><td>{esc(p.release or '-')}</td></tr>"
            for p in report.projects
        ],
        caption="The versions removals are measured against"
        + (f" (release series given: {esc(report.release)})" if report.release else ""),
        table_id="debt-projects",
    )
    body = [summary, f'<section aria-labelledby="projects-h"><h2 id="projects-h">Projects</h2>'
                     f"{projects}</section>"]  # fmt: skip
    body.append(_deprecations(report.items))
    return render_page(
        title="Debt",
        heading="Deprecation debt",
        current="debt",
        root="",
        nav=nav,
        body="".join(body),
        data=debt_to_json(report),
        schema=DEBT_SCHEMA,
    )


# Private


def _deprecations(items: Sequence[DebtItem]) -> str:
    if not items:
        return (
            '<section aria-labelledby="deprecations-h"><h2 id="deprecations-h">Deprecations'
            "</h2><p>No deprecation found.</p></section>"
        )
    rows = []
    for n, item in enumerate(items, start=1):
        dep = item.deprecation
        status = item.removal.status
        word = "OVERDUE" if status is RemovalStatus.OVERDUE else status.value
        rows.append(
            f'<tr id="deprecation-{n}" data-status="{status.value}">'
            f'<th scope="row"><code>{esc(dep.name)}</code></th><td>{esc(dep.kind.value)}</td>'
            f"<td><code>{esc(item.project)}: {esc(item.path)}:{dep.line}</code></td>"
            f"<td>{esc(dep.replacement or '-')}</td><td>{esc(dep.removal_version or '-')}</td>"
            f'<td><span class="removal r-{status.value}" title="{esc(item.removal.reason)}">'
            f"{esc(word)}</span></td>"
            f'<td data-sort-value="{len(item.uses) if item.tracks_uses else -1}">'
            f"{_uses(item)}</td>"
            f"<td>{len(item.possible_uses) if item.tracks_uses else '-'}</td></tr>"
        )
    headers = [("deprecated", "text"), ("kind", "text"), ("declared at", "text"),
               ("replacement", "text"), ("removal", "text"), ("status", "text"),
               ("uses", "number"), ("possible", "number")]  # fmt: skip
    return (
        '<section aria-labelledby="deprecations-h"><h2 id="deprecations-h">Deprecations</h2>'
        + table(
            headers,
            rows,
            caption="Deprecated APIs and their remaining callers; a removal is overdue when "
            "the declaring project's version has reached it",
            table_id="deprecations",
            filterable=True,
        )
        + "</section>"
    )


def _uses(item: DebtItem) -> str:
    if not item.tracks_uses:
        return "not tracked"
    every = [*item.uses, *item.possible_uses]
    if not every:
        return "0"
    shown = every[:USES_SHOWN]
    more = len(every) - len(shown)
    listed = "".join(_use(u) for u in shown)
    if more:
        listed += f"<li>and {more} more (in the page's JSON)</li>"
    return f"<details><summary>{len(item.uses)}</summary><ul>{listed}</ul></details>"


def _use(use: Use) -> str:
    possible = (
        f" (possible: {esc(use.reason or 'object not known')})"
        if use.reason or (use.confidence.value == "possible")
        else ""
    )
    return (
        f"<li>{esc(use.kind.value)} <code>{esc(use.project)}: {esc(use.path)}:{use.line}</code>"
        f" in <code>{esc(use.scope)}</code>{possible}</li>"
    )
