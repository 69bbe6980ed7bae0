"""report/html/families.py: the families page of a scan."""

from __future__ import annotations

import dataclasses
import re

from pagecheck import read_page

from oslo_incubator.model.drawing import Drawing, DrawnGroup, DrawnNode
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.scan import (
    Candidate,
    Family,
    Grain,
    IncubatorInfo,
    Master,
    Member,
    ProjectScan,
    ScanOptions,
    ScanReport,
    UnitKind,
)
from oslo_incubator.report.html.families import render_families_page
from oslo_incubator.report.html.page import NavItem
from oslo_incubator.report.scan import SCAN_SCHEMA, scan_to_json

NAV = [NavItem("fleet", "Fleet", "index.html"), NavItem("families", "Families", "families.html")]
CD = "nova/openstack/common"


def _member(project: str, path: str, **kw: object) -> Member:
    base: dict[str, object] = {
        "project": project,
        "path": path,
        "symbol": None,
        "kind": UnitKind.MODULE,
        "start": 1,
        "end": 40,
        "tokens": 300,
        "key": "k",
        "similarity": 1.0,
    }
    return Member(**{**base, **kw})  # type: ignore[arg-type]


LOG_NOVA = _member("nova", f"{CD}/log.py", status=DriftStatus.DIVERGED, similarity=0.875)
LOG = Family(
    "F1",
    Grain.MODULE,
    (LOG_NOVA, _member("glance", "glance/openstack/common/log.py", status=DriftStatus.CURRENT)),
    Master(
        "openstack/common/log.py",
        None,
        "openstack/common/log.py",
        "a" * 40,
        False,
        LifecycleState.DEPRECATED,
    ),
    None,
    "master",
    40,
    300,
)
GONE = Family(
    "F2",
    Grain.SYMBOL,
    (_member("nova", f"{CD}/old.py", symbol="helper", kind=UnitKind.FUNCTION, start=3, end=9),),
    Master("openstack/common/old.py", "helper", "openstack/common/old.py", "b" * 40, True),
    None,
    "master",
    7,
    40,
)
RETRY_NOVA = _member("nova", "nova/utils.py", symbol="retry <x>", kind=UnitKind.FUNCTION)
RETRY = Family(
    "F3",
    Grain.SYMBOL,
    (RETRY_NOVA, _member("cinder", "cinder/utils.py", symbol="retry <x>", kind=UnitKind.FUNCTION)),
    None,
    RETRY_NOVA,
    "most-common",
    16,
    120,
)
REPORT = ScanReport(
    projects=(
        ProjectScan("nova", "/src/nova", ("nova",), 1200, 34567, "c" * 40),
        ProjectScan("glance", "/src/glance", ("glance",), 10, 900, None),
    ),
    families=(LOG, GONE, RETRY),
    candidates=(Candidate("F3", 1, 9.25, "in 2 projects & 16 lines"),),
    imports=(),
    incubator=IncubatorInfo("/src/oslo-incubator", "d" * 40, DEFAULT_PACKAGE_ROOT),
    options=ScanOptions(),
)
PAGES = {("nova", f"{CD}/log.py"): "copies/nova/log.html"}
GRAPH = {"directed": True, "nodes": [{"id": "n</script>"}], "links": []}


def _family_row(html: str, family: str) -> str:
    match = re.search(rf'<tr id="family-{family}">.*?</tr>', html)
    assert match is not None
    return match.group(0)


def test_page_embeds_the_scan_document_with_its_graph() -> None:
    page = read_page(render_families_page(REPORT, GRAPH, None, PAGES, NAV))
    assert page.schema == SCAN_SCHEMA
    assert page.data == scan_to_json(REPORT, GRAPH)
    assert page.data["graph"]["nodes"][0]["id"] == "n</script>"
    assert len(page.ids) == len(set(page.ids))


def test_summary() -> None:
    text = read_page(render_families_page(REPORT, None, None, PAGES, NAV)).text
    assert (
        "2 projects scanned (1,210 Python files, 35,467 lines) against the incubator at "
        "dddddddd: 3 families, 2 with a master in the incubator, 1 without; 1 incubation "
        "candidate (families with no master in two or more projects)."
    ) in text
    bare = dataclasses.replace(REPORT, incubator=None, candidates=(), families=(GONE,))
    bare_text = read_page(render_families_page(bare, None, None, {}, NAV)).text
    assert "without an incubator: 1 family, 1 with a master" in bare_text
    assert "None: no family without a master spans two projects." in bare_text


def test_candidates_table() -> None:
    html = render_families_page(REPORT, None, None, PAGES, NAV)
    assert (
        '<tr><td data-sort-value="1">1</td><th scope="row"><a href="#family-F3">F3</a></th>'
        '<td data-sort-value="9.25">9.2</td><td><code>nova/utils.py:retry &lt;x&gt;</code></td>'
        "<td>nova, cinder</td><td>2</td><td>16</td><td>in 2 projects &amp; 16 lines</td></tr>"
    ) in html


def test_family_rows() -> None:
    html = render_families_page(REPORT, None, None, PAGES, NAV)
    log = _family_row(html, "F1")
    assert (
        "<td>module</td><td><code>openstack/common/log.py</code></td><td>master (deprecated)</td>"
        in log
    )
    assert (
        '<span class="status s-current">current 1</span> '
        '<span class="status s-diverged">diverged 1</span>'
    ) in log
    assert log.endswith("<td>40</td><td>0.88</td></tr>")
    gone = _family_row(html, "F2")
    assert "<code>openstack/common/old.py:helper</code></td><td>master (deleted)</td>" in gone
    assert "<td>-</td><td>7</td>" in gone  # no member status
    retry = _family_row(html, "F3")
    assert "<td>most common copy</td>" in retry
    assert "Every family: 1 of whole modules, 2 of functions and classes" in html


def test_members_link_to_their_copy_page_when_there_is_one() -> None:
    log = _family_row(render_families_page(REPORT, None, None, PAGES, NAV), "F1")
    assert (
        f'<li><a href="copies/nova/log.html"><code>nova: {CD}/log.py</code> lines 1–40</a>, '
        'similarity 0.88 <span class="status s-diverged">diverged</span></li>'
    ) in log
    assert (
        "<li><code>glance: glance/openstack/common/log.py</code> lines 1–40, similarity 1.00"
    ) in log
    assert "<summary>2 copies</summary>" in log


def test_graph_section() -> None:
    drawing = Drawing(
        300,
        200,
        (
            DrawnNode("m", "master", 50, 50, 30, 20, "log.py", "master log.py"),
            DrawnNode(
                "n1", "member", 50, 120, 16, 16, "", "nova log", "diverged", "nova", f"{CD}/log.py"
            ),
            DrawnNode(
                "n2", "representative", 150, 120, 16, 16, "", "glance log", None, "glance", "g.py"
            ),
        ),
        groups=(DrawnGroup("F1", "F1", "family F1", 10, 10, 200, 150),),
        note="drawn: 1 of 3 families",
    )
    html = render_families_page(REPORT, None, drawing, PAGES, NAV)
    assert 'aria-label="Copy graph: 1 family, 2 copies"' in html
    assert "<p>drawn: 1 of 3 families.</p>" in html
    assert '<a href="copies/nova/log.html" aria-label="nova log">' in html
    assert 'aria-label="glance log"' not in html  # no page for it: not a link
    legend = re.search(r'<ul class="legend-inline">.*?</ul>', html)
    assert legend is not None
    assert "missing" not in legend.group(0)  # a missing module is never drawn
    assert "s-obsolete" in legend.group(0)
    read_page(html)


def test_no_graph_section_without_a_drawing() -> None:
    html = render_families_page(REPORT, None, None, PAGES, NAV)
    assert 'id="graph-h"' not in html
    assert "copy-graph" not in html
