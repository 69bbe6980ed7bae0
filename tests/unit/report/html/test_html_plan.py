"""report/html/plan.py: the plan page (the plan comes from tests/unit/report/conftest.py)."""

from __future__ import annotations

import dataclasses
import re

from pagecheck import read_page

from oslo_incubator.model.drawing import Drawing, DrawnEdge, DrawnNode
from oslo_incubator.model.plan import GraduationPlan
from oslo_incubator.report.html.page import NavItem
from oslo_incubator.report.html.plan import render_plan_page
from oslo_incubator.report.plan import PLAN_SCHEMA, plan_to_json

NAV = [NavItem("fleet", "Fleet", "index.html"), NavItem("plan", "Plan", "plan.html")]
DRAWING = Drawing(
    400,
    200,
    (
        DrawnNode("oslo.i18n", "library", 100, 100, 160, 80, "1. oslo.i18n", "oslo.i18n", "1"),
        DrawnNode("oslo.log", "library", 300, 100, 160, 80, "2. oslo.log", "oslo.log", "2"),
        DrawnNode("elsewhere", "library", 300, 180, 10, 10, "x", "not in the plan"),
    ),
    (DrawnEdge("oslo.log", "oslo.i18n", "strong"),),
)


def _section(html: str, number: int) -> str:
    match = re.search(rf'<section class="library" id="lib-{number}".*?</section>', html)
    assert match is not None
    return match.group(0)


def test_page_embeds_the_plan_document(plan: GraduationPlan) -> None:
    page = read_page(render_plan_page(plan, None, NAV))
    assert page.schema == PLAN_SCHEMA
    assert page.data == plan_to_json(plan)
    assert len(page.ids) == len(set(page.ids))


def test_summary(plan: GraduationPlan) -> None:
    page = read_page(render_plan_page(plan, None, NAV))
    assert (
        "Incubator at aaaaaaaa: 3 modules, 3 import edges; consumers: nova, glance. "
        "2 libraries in graduation order, each after the libraries it imports "
        "(fine granularity)."
    ) in page.text


def test_overview_table_links_libraries(plan: GraduationPlan) -> None:
    html = render_plan_page(plan, None, NAV)
    assert (
        '<tr><td data-sort-value="1">1</td><th scope="row"><a href="#lib-1">oslo.i18n</a></th>'
        '<td>gettextutils</td><td>300</td><td>none</td><td><a href="#lib-2">oslo.log</a></td>'
        "<td>none</td></tr>"
    ) in html
    assert (
        '<td>log, local</td><td>1</td><td>six, eventlet</td><td><a href="#lib-1">oslo.i18n</a>'
        "</td><td>nova, glance</td></tr>"
    ) in html


def test_library_section_facts(plan: GraduationPlan) -> None:
    log = _section(render_plan_page(plan, None, NAV), 2)
    assert '<h2 id="lib-2-h">2. oslo.log <small>(2 modules, 2 files, 1 line)</small></h2>' in log
    assert "<dt>modules</dt><dd><code>log</code>, <code>local</code></dd>" in log
    assert "<dt>baggage</dt><dd>local (+120 lines; adds six)</dd>" in log
    assert "<li>log imports local</li><li>requested: log</li>" in log
    assert (
        "<code>six&gt;=1.7</code> (from requirements.txt), <code>eventlet; "
        "python_version&lt;&#x27;3&#x27;</code> (from test-requirements.txt; lazy import)"
    ) in log
    assert "<dt>tests require</dt><dd><code>mock</code> (in no requirements file)</dd>" in log
    assert "<dt>unmapped imports</dt><dd>weird_mod</dd>" in log
    assert '<code>gettextutils</code> (in <a href="#lib-1">oslo.i18n</a>)' in log
    assert "nova (12 import sites in 1 file); glance (1 import site in 3 files)" in log
    assert "<dt>tests</dt><dd>tests/unit/test_log.py</dd>" in log


def test_api_names_all_listed_most_used_first(plan: GraduationPlan) -> None:
    log = _section(render_plan_page(plan, None, NAV), 2)
    api = re.findall(r"<code>log\.(name\d+)</code> \((\d+)\)", log)
    assert len(api) == 14  # the page lists them all, unlike the text
    assert api[0] == ("name13", "13")
    assert [int(n) for _, n in api] == sorted((int(n) for _, n in api), reverse=True)


def test_bonds_and_close_calls(plan: GraduationPlan) -> None:
    html = render_plan_page(plan, None, NAV)
    log = _section(html, 2)
    assert '<table id="bonds-2" class="data">' in log
    assert '<td data-sort-value="1.5">1.50</td><td>log imports local</td>' in log
    assert (
        '<li><code>log</code> ~ <code>gettextutils</code> (<a href="#lib-1">oslo.i18n</a>), '
        "bond 0.81: changed together in 3 commits; log imports gettextutils. Kept apart: an "
        "import cycle between them</li>"
    ) in log
    i18n = _section(html, 1)
    assert "bonds-1" not in i18n
    assert '(<a href="#lib-2">oslo.log</a>)' in i18n
    assert (
        '<dt>imports</dt><dd><code>log</code> (in <a href="#lib-2">oslo.log</a>) [lazy, graduates later]</dd>'
        in i18n
    )
    assert "<dt>requires</dt><dd>standard library only</dd>" in i18n
    assert "<dt>tests</dt><dd>none</dd>" in i18n


def test_cycles_and_notes(plan: GraduationPlan) -> None:
    page = read_page(render_plan_page(plan, None, NAV))
    assert (
        "gettextutils, log: closed only through lazy or weak imports: broken at gettextutils → log"
    ) in page.text
    assert "setup.cfg: one line not read <é>" in page.text
    forced = dataclasses.replace(
        plan, cycles=(dataclasses.replace(plan.cycles[0], forced=True),), notes=()
    )
    text = read_page(render_plan_page(forced, None, NAV)).text
    assert "module-level imports close it: these modules graduate together" in text
    assert "Notes" not in text


def test_drawing_links_nodes_to_their_sections(plan: GraduationPlan) -> None:
    html = render_plan_page(plan, DRAWING, NAV)
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="plan-graph"' in html
    assert 'aria-label="Libraries in layers: 3 libraries"' in html
    assert '<a href="#lib-1" aria-label="oslo.i18n">' in html
    assert '<a href="#lib-2" aria-label="oslo.log">' in html
    assert 'aria-label="not in the plan"' not in html  # a node of no library: no link
    read_page(html)


def test_no_graph_section_without_a_drawing_or_nodes(plan: GraduationPlan) -> None:
    assert 'id="graph-h"' not in render_plan_page(plan, None, NAV)
    assert 'id="graph-h"' not in render_plan_page(plan, Drawing(0, 0, ()), NAV)


def test_plan_without_consumers_or_libraries(plan: GraduationPlan) -> None:
    empty = dataclasses.replace(plan, projects=(), libraries=(), cycles=(), notes=())
    page = read_page(render_plan_page(empty, None, NAV))
    assert "consumers: none given. 0 libraries in graduation order" in page.text
    assert "Import cycles" not in page.text
