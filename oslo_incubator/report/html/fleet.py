"""The fleet page (modules by projects) and one page per module copy.

A *cell* of the matrix is one module in one project: its status rolled up from its
files (the worst), its life cycle, and the most master commits any of its files misses.
Its page shows each file: base commit, missed commits, and the local changes side by
side, backports marked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oslo_incubator.model.drift import (
    STATUS_SEVERITY,
    CopyDrift,
    DriftReport,
    DriftStatus,
    Hunk,
    ModuleDrift,
    ProjectDrift,
)
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.report.drift import DRIFT_SCHEMA, drift_to_json
from oslo_incubator.report.html.page import (
    NavItem,
    commit_link,
    definition_list,
    esc,
    lifecycle_text,
    plural,
    render_page,
    status_badge,
    table,
)

COPIES_DIR = "copies"


@dataclass(frozen=True)
class CopyPage:
    """Where the page of one module of one project goes."""

    project: int  # index in the report
    module: str
    path: str  # from the site root


def copy_pages_of(report: DriftReport) -> dict[tuple[int, str], CopyPage]:
    """A page for every module of every project, keyed by (project index, module).

    Projects go to folders named for them (``copies/nova/``), made unique when two
    projects share a name.
    """
    pages = {}
    used: set[str] = set()
    for index, project in enumerate(report.projects):
        slug = _slug(project.name)
        folder, n = slug, 2
        while folder.lower() in used:
            folder, n = f"{slug}-{n}", n + 1
        used.add(folder.lower())
        for module in project.modules:
            path = f"{COPIES_DIR}/{folder}/{_slug(module.module)}.html"
            pages[(index, module.module)] = CopyPage(index, module.module, path)
    return pages


def render_fleet_page(
    report: DriftReport,
    pages: dict[tuple[int, str], CopyPage],
    nav: Sequence[NavItem],
    commit_url: str | None,
) -> str:
    """The fleet page: summary counts, the filters, the matrix and the projects."""
    projects = report.projects
    modules = sorted({m.module for p in projects for m in p.modules})
    cells = {(i, m.module): m for i, p in enumerate(projects) for m in p.modules}
    module_counts = Counter(m.status for m in cells.values())
    file_counts = Counter(c.status for p in projects for c in p.copies)
    statuses = [s for s in DriftStatus if module_counts[s]]
    summary = _summary(report, module_counts, file_counts, commit_url)
    filters = _filters(statuses, projects)
    legend = "".join(f"<li>{status_badge(s)} {esc(_STATUS_WORDS[s])}</li>" for s in DriftStatus)
    head = "".join(
        f'<th scope="col" data-sort="status" data-project="{i}">'
        f'<a href="#project-{i}">{esc(p.name)}</a></th>'
        for i, p in enumerate(projects)
    )
    rows = []
    for name in modules:
        row_cells = []
        for i in range(len(projects)):
            module = cells.get((i, name))
            if module is None:
                row_cells.append(
                    f'<td class="cell none" data-project="{i}" data-status="none" '
                    f'data-sort-value="-1" title="not copied"><span aria-hidden="true">–</span>'
                    '<span class="sr">not copied</span></td>'
                )
            else:
                row_cells.append(_cell(i, module, pages[(i, name)]))
        rows.append(
            f'<tr data-module="{esc(name)}"><th scope="row" data-sort-value="{esc(name)}">'
            f"<code>{esc(name)}</code></th>{''.join(row_cells)}</tr>"
        )
    matrix = (
        '<div class="scroll matrix-scroll" role="region" aria-labelledby="matrix-caption" '
        'tabindex="0"><table id="matrix" class="data matrix">'
        '<caption id="matrix-caption">Modules by project: each cell is one module copied '
        "into one project, its content status, the master commits it misses and its life "
        "cycle in master. Open a cell for its files, missed commits and local changes."
        "</caption>"
        f'<thead><tr><th scope="col" data-sort="text">module</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    body = (
        f"{summary}"
        f'<section aria-labelledby="matrix-h"><h2 id="matrix-h">Matrix</h2>{filters}'
        f'<details class="legend"><summary>What the statuses mean</summary><ul>{legend}</ul>'
        f"</details>{matrix}</section>"
        f'<section aria-labelledby="projects-h"><h2 id="projects-h">Projects</h2>'
        f"{_projects_table(projects, file_counts)}{_project_notes(projects)}</section>"
    )
    return render_page(
        title="Fleet",
        heading="Fleet",
        current="fleet",
        root="",
        nav=nav,
        body=body,
        data=drift_to_json(report),
        schema=DRIFT_SCHEMA,
    )


def render_copy_page(
    report: DriftReport,
    page: CopyPage,
    nav: Sequence[NavItem],
    commit_url: str | None,
) -> str:
    """One module of one project: its files with their base, missed commits and hunks."""
    project = report.projects[page.project]
    module = next(m for m in project.modules if m.module == page.module)
    root = "../" * page.path.count("/")
    facts = [
        ("project", f"<code>{esc(project.name)}</code> ({esc(project.path)})"),
        ("status", status_badge(module.status)),
    ]
    life = lifecycle_text(module.lifecycle)
    if life:
        source = module.lifecycle.source.value if module.lifecycle.source else ""
        said = f", says {esc(source)}" if source else ""
        facts.append(
            (
                "life cycle",
                f"{esc(life)}{said}"
                + (
                    f" (commit {commit_link(module.lifecycle.commit, commit_url)})"
                    if module.lifecycle.commit
                    else ""
                ),
            )
        )
    facts.append(("files", str(len(module.copies))))
    sections = [definition_list(facts)]
    if module.status is DriftStatus.MISSING:
        sections.append(
            "<p>Declared in the project's configuration, but no file of it is in the project.</p>"
        )
    for n, copy in enumerate(module.copies, start=1):
        sections.append(_file_section(n, copy, commit_url))
    heading = f"<code>{esc(module.module)}</code> in {esc(project.name)}"
    return render_page(
        title=f"{module.module} in {project.name}",
        heading=heading,
        current="fleet",
        root=root,
        nav=nav,
        body="".join(sections),
        data=_copy_json(report, project, module),
        schema=DRIFT_SCHEMA,
        crumbs=[("Fleet", "index.html"), (project.name, f"index.html#project-{page.project}")],
    )


# Private

_STATUS_WORDS = {
    DriftStatus.CURRENT: "equals master's HEAD",
    DriftStatus.BEHIND: "equals an older master version; misses later commits",
    DriftStatus.DIVERGED: "local changes on top of a master version",
    DriftStatus.UNKNOWN: "no master origin found",
    DriftStatus.OBSOLETE: "master no longer has the file",
    DriftStatus.MISSING: "declared in the configuration, absent from the project",
}


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip(".") or "_"


def _behind(module: ModuleDrift) -> int:
    return max((c.commits_behind for c in module.copies), default=0)


def _cell(index: int, module: ModuleDrift, page: CopyPage) -> str:
    behind = _behind(module)
    parts = [status_badge(module.status)]
    if behind:
        parts.append(f'<span class="behind">{behind} behind</span>')
    life = lifecycle_text(module.lifecycle)
    if life:
        parts.append(f'<span class="life">{esc(life)}</span>')
    if len(module.copies) > 1:
        parts.append(f'<span class="files">{len(module.copies)} files</span>')
    hunks = sum(len(c.hunks) for c in module.copies)
    if hunks:
        parts.append(f'<span class="hunks">{plural(hunks, "hunk")}</span>')
    sort = STATUS_SEVERITY[module.status] * 10000 + min(behind, 9999)
    return (
        f'<td class="cell s-{module.status.value}" data-project="{index}" '
        f'data-status="{module.status.value}" data-sort-value="{sort}">'
        f'<a href="{esc(page.path)}">{" ".join(parts)}</a></td>'
    )


def _summary(
    report: DriftReport,
    modules: Counter[DriftStatus],
    files: Counter[DriftStatus],
    commit_url: str | None,
) -> str:
    head = "".join(f'<th scope="col">{status_badge(s)}</th>' for s in DriftStatus)
    module_cells = "".join(f"<td>{modules[s]}</td>" for s in DriftStatus)
    file_cells = "".join(
        f"<td>{files[s] if s is not DriftStatus.MISSING else '-'}</td>" for s in DriftStatus
    )
    life = Counter(
        m.lifecycle.state.value
        for p in report.projects
        for m in p.modules
        if m.lifecycle.state is not LifecycleState.ACTIVE
    )
    life_text = ", ".join(f"{n} {state}" for state, n in sorted(life.items())) or "none"
    copies = sum(modules.values())
    return (
        '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        f"<p>Incubator <code>{esc(report.incubator_path)}</code> at "
        f"{commit_link(report.incubator_head, commit_url)}; "
        f"{plural(len(report.projects), 'project')}, "
        f"{plural(copies, 'module copy', 'module copies')}, "
        f"{plural(sum(files.values()), 'file')}. "
        f"Module copies by life cycle in master, where not active: {esc(life_text)}.</p>"
        '<div class="scroll"><table class="data counts" id="counts">'
        "<caption>Copies by content status</caption>"
        f"<thead><tr><td></td>{head}</tr></thead><tbody>"
        f'<tr><th scope="row">module copies</th>{module_cells}</tr>'
        f'<tr><th scope="row">files</th>{file_cells}</tr></tbody></table></div></section>'
    )


def _filters(statuses: Sequence[DriftStatus], projects: Sequence[ProjectDrift]) -> str:
    """The matrix's filters; hidden until the script shows them (it makes them work)."""
    boxes = "".join(
        f'<label><input type="checkbox" name="status" value="{s.value}" checked> '
        f"{status_badge(s)}</label>"
        for s in statuses
    )
    options = "".join(
        f'<option value="{i}">{esc(p.name)}</option>' for i, p in enumerate(projects)
    )
    return (
        '<form class="filters" id="fleet-filters" hidden aria-label="Filter the matrix">'
        f"<fieldset><legend>Status</legend>{boxes}</fieldset>"
        '<p><label for="filter-module">Module</label> '
        '<input type="search" id="filter-module" name="module" placeholder="e.g. log">'
        '</p><p><label for="filter-project">Project</label> '
        f'<select id="filter-project" name="project"><option value="">all projects</option>'
        f"{options}</select></p>"
        '<p class="shown" id="filter-count" aria-live="polite"></p></form>'
    )


def _projects_table(projects: Sequence[ProjectDrift], files: Counter[DriftStatus]) -> str:
    statuses = [s for s in DriftStatus if s is not DriftStatus.MISSING and files[s]]
    headers = [("project", "text"), ("base", "text"), ("files", "number")]
    headers += [(s.value, "number") for s in statuses]
    headers += [("missing modules", "number"), ("undeclared", "number")]
    rows = []
    for i, p in enumerate(projects):
        counts = "".join(f"<td>{p.count(s)}</td>" for s in statuses)
        rows.append(
            f'<tr id="project-{i}"><th scope="row"><code>{esc(p.name)}</code></th>'
            f"<td><code>{esc(p.base or '-')}</code></td><td>{len(p.copies)}</td>{counts}"
            f"<td>{len(p.missing)}</td><td>{len(p.undeclared)}</td></tr>"
        )
    return table(headers, rows, caption="Files per project, by status", table_id="projects")


def _project_notes(projects: Sequence[ProjectDrift]) -> str:
    out = []
    for p in projects:
        items = []
        if p.undeclared:
            items.append(("undeclared copies", p.undeclared))
        if p.pulled_in:
            items.append(("pulled in by declared copies", p.pulled_in))
        if p.skipped:
            items.append(("not read", p.skipped))
        for label, paths in items:
            listed = "".join(f"<li><code>{esc(x)}</code></li>" for x in paths)
            out.append(
                f"<details><summary>{esc(p.name)}: {len(paths)} {esc(label)}</summary>"
                f"<ul>{listed}</ul></details>"
            )
    return "".join(out)


def _file_section(n: int, copy: CopyDrift, commit_url: str | None) -> str:
    facts = [
        ("master path", f"<code>{esc(copy.master_path)}</code>" if copy.master_path else "none"),
        ("status", status_badge(copy.status)),
        ("base commit", commit_link(copy.base_commit, commit_url)),
        ("base found by", esc(copy.match)),
        ("commits behind", str(copy.commits_behind)),
    ]
    if copy.parses is not None:
        facts.append(("valid Python 3", "yes" if copy.parses else "no"))
    life = lifecycle_text(copy.lifecycle)
    if life:
        facts.append(("life cycle of the file", esc(life)))
    parts = [
        f'<section class="file" aria-labelledby="file-{n}"><h2 id="file-{n}">'
        f"<code>{esc(copy.copy_path)}</code></h2>{definition_list(facts)}"
    ]
    if copy.missed_commits:
        rows = [
            f"<tr><td>{commit_link(c.sha, commit_url)}</td>"
            f'<td data-sort-value="{esc(c.date)}"><time datetime="{esc(c.date)}">'
            f"{esc(c.date[:10])}</time></td><td>{esc(c.subject)}</td></tr>"
            for c in copy.missed_commits
        ]
        parts.append(
            "<h3>Missed commits</h3>"
            + table(
                [("commit", "text"), ("date", "text"), ("subject", "text")],
                rows,
                caption=f"{plural(len(rows), 'master commit')} since the base, oldest first",
                table_id=f"missed-{n}",
            )
        )
    if copy.hunks:
        backports = sum(1 for h in copy.hunks if h.backported_from)
        note = f", {backports} of them backported from master" if backports else ""
        parts.append(f"<h3>Local changes</h3><p>{plural(len(copy.hunks), 'hunk')}{note}.</p>")
        parts += [_hunk(n, i, h, commit_url) for i, h in enumerate(copy.hunks, start=1)]
    elif copy.status is DriftStatus.DIVERGED:
        parts.append("<p>No line differs once update.py's rewrites are folded.</p>")
    parts.append("</section>")
    return "".join(parts)


_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class _Row:
    kind: str  # context, removed, added, changed
    left: int | None
    left_text: str | None
    right: int | None
    right_text: str | None


def side_by_side(diff: str) -> list[_Row]:
    """The rows of a unified-diff hunk side by side: context on both sides, removed
    lines on the left facing the added lines that replace them on the right."""
    rows: list[_Row] = []
    left = right = 0
    removed: list[tuple[int, str]] = []
    added: list[tuple[int, str]] = []

    def flush() -> None:
        for i in range(max(len(removed), len(added))):
            a = removed[i] if i < len(removed) else None
            b = added[i] if i < len(added) else None
            kind = "changed" if a and b else ("removed" if a else "added")
            rows.append(
                _Row(
                    kind,
                    a[0] if a else None,
                    a[1] if a else None,
                    b[0] if b else None,
                    b[1] if b else None,
                )  # fmt: skip
            )
        removed.clear()
        added.clear()

    started = False  # the file header (--- and +++ lines) comes before the first @@
    for line in diff.split("\n"):
        match = _HUNK_HEADER.match(line)
        if match:
            flush()
            started = True
            # An empty side's start is the line before the change: number from the next.
            left = int(match.group(1)) + (match.group(2) == "0")
            right = int(match.group(3)) + (match.group(4) == "0")
            continue
        if not started:
            continue
        if line.startswith("-"):
            removed.append((left, line[1:]))
            left += 1
        elif line.startswith("+"):
            added.append((right, line[1:]))
            right += 1
        elif line.startswith(" "):
            flush()
            rows.append(_Row("context", left, line[1:], right, line[1:]))
            left += 1
            right += 1
    flush()
    return rows


def _hunk(file_n: int, n: int, hunk: Hunk, commit_url: str | None) -> str:
    rows = []
    for row in side_by_side(hunk.text):
        context = row.kind == "context"
        rows.append(
            f'<tr class="{row.kind}">'
            + _side(row.left, row.left_text, "ctx" if context else "del")
            + _side(row.right, row.right_text, "ctx" if context else "add")
            + "</tr>"
        )
    mark = ""
    kind = "hunk"
    if hunk.backported_from:
        kind += " backport"
        mark = (
            '<p class="backport-note"><span class="badge">backport</span> the same change '
            f"is in master commit {commit_link(hunk.backported_from, commit_url)}</p>"
        )
    label = f"hunk-{file_n}-{n}"
    end = hunk.copy_start + max(len(hunk.added) - 1, 0)
    return (
        f'<section class="{kind}" aria-labelledby="{label}"><h4 id="{label}">Hunk {n}: '
        f"master line {hunk.base_start}, copy lines {hunk.copy_start}–{end}"
        f"{' (backport)' if hunk.backported_from else ''}</h4>{mark}"
        '<div class="scroll" role="region" tabindex="0" '
        f'aria-label="Hunk {n} side by side"><table class="diff">'
        '<colgroup><col class="num"><col><col class="num"><col></colgroup>'
        '<thead><tr><th scope="col" colspan="2">master (base)</th>'
        '<th scope="col" colspan="2">copy</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _side(number: int | None, text: str | None, css: str) -> str:
    """A line number and a line; removed and added lines carry a sign (and words for
    screen readers), so the change is not told by colour alone."""
    if text is None:
        return '<td class="num"></td><td class="empty"></td>'
    sign = {"del": ("−", "removed: "), "add": ("+", "added: ")}.get(css)
    mark = (
        f'<span class="sign" aria-hidden="true">{sign[0]}</span><span class="sr">{sign[1]}</span>'
        if sign
        else ""
    )
    return f'<td class="num">{number}</td><td class="{css}">{mark}<code>{esc(text)}</code></td>'


def _copy_json(report: DriftReport, project: ProjectDrift, module: ModuleDrift) -> dict[str, Any]:
    """The drift document cut down to this module of this project: the same schema."""
    paths = {c.copy_path for c in module.copies}
    cut = ProjectDrift(
        name=project.name,
        path=project.path,
        base=project.base,
        copies=module.copies,
        undeclared=tuple(p for p in project.undeclared if p in paths),
        missing=tuple(m for m in project.missing if m == module.module),
        modules=(module,),
        skipped=(),
        pulled_in=tuple(p for p in project.pulled_in if p in paths),
    )
    return drift_to_json(DriftReport(report.incubator_path, report.incubator_head, (cut,)))
