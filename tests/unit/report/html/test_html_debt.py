"""report/html/debt.py: the debt page (the report comes from tests/unit/report/conftest.py)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from pagecheck import read_page

import oslo_incubator.report.html.debt as debt_page
from oslo_incubator.model.debt import DebtReport
from oslo_incubator.report.debt import DEBT_SCHEMA, debt_to_json
from oslo_incubator.report.html.debt import render_debt_page
from oslo_incubator.report.html.page import NavItem

NAV = [NavItem("fleet", "Fleet", "index.html"), NavItem("debt", "Debt", "debt.html")]


def _row(html: str, n: int) -> str:
    match = re.search(rf'<tr id="deprecation-{n}".*?</tr>', html)
    assert match is not None
    return match.group(0)


def test_page_embeds_the_debt_document(debt_report: DebtReport) -> None:
    page = read_page(render_debt_page(debt_report, NAV))
    assert page.schema == DEBT_SCHEMA
    assert page.data == debt_to_json(debt_report)
    assert page.title == "Debt · oslo-incubator report"
    assert len(page.ids) == len(set(page.ids))


def test_summary_counts(debt_report: DebtReport) -> None:
    page = read_page(render_debt_page(debt_report, NAV))
    assert (
        "3 deprecations in 2 projects: 1 overdue, 1 pending, 1 unscheduled; "
        "1 use and 1 possible use remain; 57 files scanned."
    ) in page.text
    assert "2 files not read: they do not parse" in page.text
    assert "nova: nova/py2.py:3: invalid syntax" in page.text
    assert "glance: glance/x.py: null bytes" in page.text


def test_projects_table_and_release(debt_report: DebtReport) -> None:
    html = render_debt_page(debt_report, NAV)
    assert (
        '<tr><th scope="row">nova</th><td>2015.1.0</td><td>setup.cfg</td><td>Kilo</td></tr>'
    ) in html
    assert '<tr><th scope="row">glance</th><td>?</td><td>-</td><td>-</td></tr>' in html
    assert "(release series given: Liberty)" in html


def test_overdue_row_says_so_in_words(debt_report: DebtReport) -> None:
    row = _row(render_debt_page(debt_report, NAV), 1)
    assert 'data-status="overdue"' in row
    assert (
        '<span class="removal r-overdue" title="nova 2015.1.0 has reached 2014.2">OVERDUE</span>'
        in row
    )
    assert "<code>nova.utils.old_api</code>" in row
    assert "<code>nova: nova/utils.py:4</code>" in row
    assert "<td>nova.utils.new_api</td><td>2014.2</td>" in row
    assert '<td data-sort-value="1"><details><summary>1</summary>' in row
    assert (
        "<li>call <code>nova: nova/api.py:10</code> in <code>nova.api.handler</code></li>" in row
    )
    assert (
        "(possible: parameter &#x27;client&#x27; of nova.compute.Manager.run is not annotated)"
    ) in row
    assert row.endswith("<td>1</td></tr>")


def test_rows_without_uses_and_untracked(debt_report: DebtReport) -> None:
    html = render_debt_page(debt_report, NAV)
    pending = _row(html, 2)
    assert '<td data-sort-value="0">0</td><td>0</td>' in pending
    assert ">pending<" in pending
    feature = _row(html, 3)
    assert '<td data-sort-value="-1">not tracked</td><td>-</td>' in feature


def test_deprecations_table_is_filterable(debt_report: DebtReport) -> None:
    html = render_debt_page(debt_report, NAV)
    assert '<table id="deprecations" class="data" data-filter="text">' in html
    assert '<th scope="col" data-sort="number">uses</th>' in html


def test_long_use_lists_are_cut_on_the_page(
    debt_report: DebtReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(debt_page, "USES_SHOWN", 1)
    row = _row(render_debt_page(debt_report, NAV), 1)
    assert row.count("<li>") == 2
    assert "<li>and 1 more (in the page's JSON)</li>" in row


def test_empty_report() -> None:
    report = DebtReport(projects=(), items=(), files_scanned=0)
    page = read_page(render_debt_page(report, NAV))
    assert "No deprecation found." in page.text
    assert "0 deprecations in 0 projects; 0 uses and 0 possible uses remain" in page.text
    assert "not read" not in page.text
    assert "release series given" not in page.text


def test_markup_in_names_is_escaped(debt_report: DebtReport) -> None:
    item = debt_report.items[0]
    odd = dataclasses.replace(
        item, deprecation=dataclasses.replace(item.deprecation, name="x.<script>alert(1)</script>")
    )
    html = render_debt_page(dataclasses.replace(debt_report, items=(odd,)), NAV)
    assert "<script>alert" not in html
    assert "x.&lt;script&gt;alert(1)&lt;/script&gt;" in html
    read_page(html)
