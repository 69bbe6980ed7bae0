"""report/html/fleet.py: the fleet matrix, one page per module copy, the pages' paths
and the side-by-side rows of a hunk."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pagecheck import read_page

from oslo_incubator.analysis.diff import diff_hunks
from oslo_incubator.model.drift import (
    CopyDrift,
    DriftReport,
    DriftStatus,
    Hunk,
    ModuleDrift,
    ProjectDrift,
)
from oslo_incubator.model.history import Commit
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState, RecordSource
from oslo_incubator.report.drift import DRIFT_SCHEMA, drift_to_json
from oslo_incubator.report.html.fleet import (
    CopyPage,
    copy_pages_of,
    render_copy_page,
    render_fleet_page,
    side_by_side,
)
from oslo_incubator.report.html.page import NavItem

NAV = [NavItem("fleet", "Fleet", "index.html")]
URL = "https://git.example/commit/{sha}"
CD = "nova/openstack/common"
BASE = "b" * 40
HUNK = Hunk(
    base_start=1,
    removed=("old <line>",),
    copy_start=1,
    added=("new <line>", "more"),
    text="--- master\n+++ copy\n@@ -1,2 +1,3 @@\n ctx\n-old <line>\n+new <line>\n+more\n",
    backported_from="c" * 40,
)
OBSOLETE = Lifecycle(LifecycleState.OBSOLETE, "oslo.log", "d" * 40, RecordSource.SHIM)
LOG = CopyDrift(
    "log", f"{CD}/log.py", "openstack/common/log.py", DriftStatus.DIVERGED, BASE,
    hunks=(HUNK,), lifecycle=OBSOLETE, parses=False,
)  # fmt: skip
MISSED = Commit("e" * 40, (BASE,), 1400003600, "2014-05-13T21:00:00+00:00", "Fix <db>", 0)
DB_INIT = CopyDrift(
    "db", f"{CD}/db/__init__.py", "openstack/common/db/__init__.py", DriftStatus.CURRENT, BASE
)
DB_API = CopyDrift(
    "db", f"{CD}/db/api.py", "openstack/common/db/api.py", DriftStatus.BEHIND, BASE,
    missed_commits=(MISSED, MISSED),
)  # fmt: skip
NOVA = ProjectDrift(
    name="nova",
    path="/src/nova",
    base="nova",
    copies=(LOG, DB_INIT, DB_API),
    undeclared=(f"{CD}/db/api.py",),
    missing=("uuidutils",),
    modules=(
        ModuleDrift("log", DriftStatus.DIVERGED, (LOG,), OBSOLETE),
        ModuleDrift("db", DriftStatus.BEHIND, (DB_INIT, DB_API)),
        ModuleDrift("uuidutils", DriftStatus.MISSING, ()),
    ),
    skipped=(f"{CD}/evil.py: a link out of the tree",),
    pulled_in=(f"{CD}/db/api.py",),
)
GLANCE_LOG = CopyDrift(
    "log",
    "glance/openstack/common/log.py",
    "openstack/common/log.py",
    DriftStatus.CURRENT,
    "a" * 40,
)
GLANCE = ProjectDrift(
    "Nova",
    "/src/other-nova",
    None,
    (GLANCE_LOG,),
    modules=(ModuleDrift("log", DriftStatus.CURRENT, (GLANCE_LOG,)),),
)
REPORT = DriftReport("/src/oslo-incubator", "f" * 40, (NOVA, GLANCE))


def _cell(html: str, module: str, project: int) -> str:
    row = re.search(rf'<tr data-module="{module}">.*?</tr>', html)
    assert row is not None
    cell = re.search(rf'<td class="cell[^"]*" data-project="{project}".*?</td>', row.group(0))
    assert cell is not None
    return cell.group(0)


def test_copy_pages_are_unique_per_project_even_for_like_names() -> None:
    pages = copy_pages_of(REPORT)
    assert pages == {
        (0, "log"): CopyPage(0, "log", "copies/nova/log.html"),
        (0, "db"): CopyPage(0, "db", "copies/nova/db.html"),
        (0, "uuidutils"): CopyPage(0, "uuidutils", "copies/nova/uuidutils.html"),
        # "Nova" and "nova" are one folder on a case-insensitive file system.
        (1, "log"): CopyPage(1, "log", "copies/Nova-2/log.html"),
    }


def test_copy_page_paths_are_slugs() -> None:
    odd = ProjectDrift(
        "my project/..", "/p", "p", (), modules=(ModuleDrift("a b", DriftStatus.MISSING, ()),)
    )
    dots = ProjectDrift(
        "..", "/q", "q", (), modules=(ModuleDrift("report.views.json", DriftStatus.MISSING, ()),)
    )
    pages = copy_pages_of(DriftReport("/i", "0" * 40, (odd, dots)))
    assert pages[(0, "a b")].path == "copies/my_project_/a_b.html"
    assert pages[(1, "report.views.json")].path == "copies/_/report.views.json.html"


def test_fleet_page_embeds_the_drift_document() -> None:
    page = read_page(render_fleet_page(REPORT, copy_pages_of(REPORT), NAV, URL))
    assert page.schema == DRIFT_SCHEMA
    assert page.data == drift_to_json(REPORT)
    assert len(page.ids) == len(set(page.ids))


def test_fleet_summary() -> None:
    html = render_fleet_page(REPORT, copy_pages_of(REPORT), NAV, URL)
    text = read_page(html).text
    assert (
        "Incubator /src/oslo-incubator at ffffffff; 2 projects, 4 module copies, 4 files. "
        "Module copies by life cycle in master, where not active: 1 obsolete."
    ) in text
    assert f'<a class="commit" href="https://git.example/commit/{"f" * 40}">' in html
    counts = re.search(r'<table class="data counts" id="counts">.*?</table>', html)
    assert counts is not None
    assert (
        '<tr><th scope="row">module copies</th><td>1</td><td>1</td><td>1</td><td>0</td>'
        "<td>0</td><td>1</td></tr>"
    ) in counts.group(0)
    assert (
        '<tr><th scope="row">files</th><td>2</td><td>1</td><td>1</td><td>0</td><td>0</td>'
        "<td>-</td></tr>"
    ) in counts.group(0)


def test_matrix_cells() -> None:
    html = render_fleet_page(REPORT, copy_pages_of(REPORT), NAV, None)
    log = _cell(html, "log", 0)
    assert 'class="cell s-diverged"' in log
    assert 'data-sort-value="30000"' in log
    assert '<a href="copies/nova/log.html">' in log
    assert '<span class="life">obsolete → oslo.log</span>' in log
    assert '<span class="hunks">1 hunk</span>' in log
    db = _cell(html, "db", 0)
    assert 'data-sort-value="10002"' in db
    assert '<span class="behind">2 behind</span>' in db
    assert '<span class="files">2 files</span>' in db
    absent = _cell(html, "db", 1)
    assert 'data-status="none"' in absent and "not copied" in absent
    rows = re.findall(r'<tr data-module="([^"]+)">', html)
    assert rows == ["db", "log", "uuidutils"]  # sorted


def test_filters_list_only_present_statuses_and_every_project() -> None:
    html = render_fleet_page(REPORT, copy_pages_of(REPORT), NAV, None)
    form = re.search(r'<form class="filters".*?</form>', html)
    assert form is not None
    assert " hidden " in form.group(0)
    assert re.findall(r'name="status" value="([a-z]+)"', form.group(0)) == [
        "current",
        "behind",
        "diverged",
        "missing",
    ]
    assert '<option value="0">nova</option><option value="1">Nova</option>' in form.group(0)


def test_projects_table_and_notes() -> None:
    html = render_fleet_page(REPORT, copy_pages_of(REPORT), NAV, None)
    assert (
        '<tr id="project-0"><th scope="row"><code>nova</code></th><td><code>nova</code></td>'
        "<td>3</td><td>1</td><td>1</td><td>1</td><td>1</td><td>1</td></tr>"
    ) in html
    assert "<td><code>-</code></td><td>1</td><td>1</td><td>0</td><td>0</td>" in html
    text = read_page(html).text
    assert "nova: 1 undeclared copies" in text
    assert "nova: 1 pulled in by declared copies" in text
    assert "nova: 1 not read" in text


def test_copy_page_of_a_diverged_module() -> None:
    pages = copy_pages_of(REPORT)
    html = render_copy_page(REPORT, pages[(0, "log")], NAV, URL)
    page = read_page(html)
    assert page.title == "log in nova · oslo-incubator report"
    assert '<link rel="stylesheet" href="../../assets/site.css">' in html
    assert '<a href="../../index.html#project-0">nova</a>' in html
    assert "obsolete → oslo.log, says shim (commit" in html
    assert "valid Python 3" in page.text and "no" in page.text
    assert "1 hunk, 1 of them backported from master." in page.text
    assert "Hunk 1: master line 1, copy lines 1–2 (backport)" in page.text
    assert f'href="https://git.example/commit/{"c" * 40}"' in html
    # The page's data is the drift document of this module alone.
    (project,) = page.data["projects"]
    assert [m["module"] for m in project["modules"]] == ["log"]
    assert [c["copy_path"] for c in project["copies"]] == [f"{CD}/log.py"]
    assert project["missing"] == [] and project["undeclared"] == []


def test_copy_page_hunk_is_side_by_side_and_escaped() -> None:
    html = render_copy_page(REPORT, copy_pages_of(REPORT)[(0, "log")], NAV, None)
    assert (
        '<tr class="changed"><td class="num">2</td><td class="del"><span class="sign" '
        'aria-hidden="true">−</span><span class="sr">removed: </span><code>old &lt;line&gt;'
        '</code></td><td class="num">2</td><td class="add"><span class="sign" '
        'aria-hidden="true">+</span><span class="sr">added: </span><code>new &lt;line&gt;'
        "</code></td></tr>"
    ) in html
    assert (
        '<tr class="added"><td class="num"></td><td class="empty"></td><td class="num">3</td>'
    ) in html
    assert '<tr class="context"><td class="num">1</td><td class="ctx"><code>ctx</code>' in html


def test_copy_page_of_a_behind_module_lists_missed_commits() -> None:
    html = render_copy_page(REPORT, copy_pages_of(REPORT)[(0, "db")], NAV, None)
    page = read_page(html)
    assert page.text.count("2 master commits since the base, oldest first") == 1
    assert '<time datetime="2014-05-13T21:00:00+00:00">2014-05-13</time>' in html
    assert "Fix &lt;db&gt;" in html
    assert len(page.ids) == len(set(page.ids))  # two files: file-1, file-2, missed-2


def test_copy_page_of_a_missing_module() -> None:
    page = read_page(render_copy_page(REPORT, copy_pages_of(REPORT)[(0, "uuidutils")], NAV, None))
    assert (
        "Declared in the project's configuration, but no file of it is in the project."
        in page.text
    )
    assert page.data["projects"][0]["missing"] == ["uuidutils"]


def test_copy_page_of_a_diverged_copy_without_hunks() -> None:
    copy = CopyDrift("x", f"{CD}/x.py", "openstack/common/x.py", DriftStatus.DIVERGED, BASE)
    project = ProjectDrift(
        "p", "/p", "p", (copy,), modules=(ModuleDrift("x", DriftStatus.DIVERGED, (copy,)),)
    )
    report = DriftReport("/i", "0" * 40, (project,))
    text = read_page(render_copy_page(report, copy_pages_of(report)[(0, "x")], NAV, None)).text
    assert "No line differs once update.py's rewrites are folded." in text


def test_side_by_side_rows() -> None:
    rows = side_by_side(HUNK.text)
    assert [(r.kind, r.left, r.left_text, r.right, r.right_text) for r in rows] == [
        ("context", 1, "ctx", 1, "ctx"),
        ("changed", 2, "old <line>", 2, "new <line>"),
        ("added", None, None, 3, "more"),
    ]


def test_side_by_side_numbers_an_empty_side_from_the_next_line() -> None:
    rows = side_by_side("@@ -0,0 +1 @@\n+only\n")
    assert [(r.kind, r.right, r.right_text) for r in rows] == [("added", 1, "only")]
    rows = side_by_side("@@ -4 +3,0 @@\n-gone\n")
    assert [(r.kind, r.left, r.left_text) for r in rows] == [("removed", 4, "gone")]
    assert side_by_side("") == []


LINES = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=10)


@settings(max_examples=150, deadline=None)
@given(LINES, LINES)
def test_side_by_side_of_any_hunk_shows_each_side_in_order(
    base: list[str], copy: list[str]
) -> None:
    for hunk in diff_hunks(base, copy, base, copy):
        rows = side_by_side(hunk.text)
        left = [(r.left, r.left_text) for r in rows if r.left_text is not None]
        right = [(r.right, r.right_text) for r in rows if r.right_text is not None]
        assert [t for _, t in left] == base[hunk.base_start - 1 : hunk.base_start - 1 + len(left)]
        assert [t for _, t in right] == copy[
            hunk.copy_start - 1 : hunk.copy_start - 1 + len(right)
        ]
        assert [n for n, _ in left] == list(range(hunk.base_start, hunk.base_start + len(left)))
        assert [n for n, _ in right] == list(range(hunk.copy_start, hunk.copy_start + len(right)))
