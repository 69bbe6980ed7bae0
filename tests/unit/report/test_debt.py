"""report/debt.py: deprecation debt as a text table (plain and verbose) and as the
debt/1 JSON document (the report comes from conftest.py)."""

from __future__ import annotations

import dataclasses
import json

from oslo_incubator.model.debt import DebtReport
from oslo_incubator.report.debt import (
    DEBT_SCHEMA,
    debt_to_json,
    render_debt_json,
    render_debt_text,
)


def test_json_document(debt_report: DebtReport) -> None:
    doc = debt_to_json(debt_report)
    assert doc["schema"] == DEBT_SCHEMA
    assert doc["release"] == "Liberty"
    assert doc["projects"] == [
        {
            "name": "nova",
            "path": "/src/nova",
            "version": "2015.1.0",
            "version_source": "setup.cfg",
            "release": "Kilo",
        },
        {
            "name": "glance",
            "path": "/src/glance",
            "version": None,
            "version_source": None,
            "release": None,
        },
    ]
    assert doc["summary"] == {
        "deprecations": 3,
        "overdue": 1,
        "pending": 1,
        "unscheduled": 1,
        "unknown": 0,
        "uses": 1,
        "possible_uses": 1,
        "files_scanned": 57,
        "files_skipped": 2,
    }
    assert doc["skipped"][1] == {
        "project": "glance",
        "path": "glance/x.py",
        "line": None,
        "reason": "null bytes",
    }


def test_json_items_and_uses(debt_report: DebtReport) -> None:
    overdue, pending, feature = debt_to_json(debt_report)["deprecations"]
    assert (
        overdue
        | {
            "name": "nova.utils.old_api",
            "kind": "function",
            "source": "debtcollector",
            "api": "removals.remove",
            "project": "nova",
            "path": "nova/utils.py",
            "line": 4,
            "replacement": "nova.utils.new_api",
            "removal_version": "2014.2",
            "status": "overdue",
            "status_reason": "nova 2015.1.0 has reached 2014.2",
            "uses_tracked": True,
        }
        == overdue
    )
    assert overdue["uses"] == [
        {
            "project": "nova",
            "path": "nova/api.py",
            "line": 10,
            "kind": "call",
            "scope": "nova.api.handler",
            "confidence": "certain",
            "reason": None,
        }
    ]
    assert overdue["possible_uses"][0]["confidence"] == "possible"
    assert (pending["kind"], pending["kwarg"], pending["source"]) == ("kwarg", "timeout", "pep702")
    assert feature["uses_tracked"] is False


def test_json_text_round_trip(debt_report: DebtReport) -> None:
    text = render_debt_json(debt_report)
    assert text.endswith("\n")
    assert json.loads(text) == debt_to_json(debt_report)


def test_text_projects_table_and_release(debt_report: DebtReport) -> None:
    lines = render_debt_text(debt_report).splitlines()
    assert lines[0].split() == ["project", "version", "from", "release"]
    assert lines[1].split() == ["nova", "2015.1.0", "setup.cfg", "Kilo"]
    assert lines[2].split() == ["glance", "?", "-", "-"]
    assert lines[3] == "  release series given: Liberty"


def test_text_one_row_per_deprecation(debt_report: DebtReport) -> None:
    lines = render_debt_text(debt_report).splitlines()
    rows = {
        line.split()[0]: line.split()[1:]
        for line in lines
        if line.startswith("  nova.") or line.startswith("  glance.")
    }
    assert rows["nova.utils.old_api"] == [
        "function",
        "nova:nova/utils.py:4",
        "nova.utils.new_api",
        "2014.2",
        "OVERDUE",
        "1",
        "1",
    ]
    assert rows["glance.common.f(timeout=)"] == [
        "kwarg",
        "glance:glance/common.py:4",
        "-",
        "99.0",
        "pending",
        "0",
        "0",
    ]
    assert rows["glance.common.g"] == [
        "feature",
        "glance:glance/common.py:30",
        "-",
        "-",
        "unscheduled",
        "-",
        "-",
    ]


def test_text_summary(debt_report: DebtReport) -> None:
    assert render_debt_text(debt_report).endswith(
        "\n3 deprecations in 2 project(s): 1 overdue, 1 pending, 1 unscheduled; "
        "1 use(s), 1 possible\n"
        "57 files scanned, 2 skipped because they do not parse; -v lists them\n"
    )


def test_text_verbose_details(debt_report: DebtReport) -> None:
    text = render_debt_text(debt_report, verbose=True)
    assert (
        "\nnova.utils.old_api (function, debtcollector removals.remove)\n"
        "  declared at nova:nova/utils.py:4\n"
        "  message: use new_api <now>\n"
        "  deprecated in: 2014.1\n"
        "  removal: overdue (nova 2015.1.0 has reached 2014.2)\n"
        "  call          nova:nova/api.py:10 in nova.api.handler\n"
        "  reference     nova:nova/compute.py:22 in nova.compute.Manager.run (possible: "
        "parameter 'client' of nova.compute.Manager.run is not annotated)\n"
    ) in text
    assert "  uses: not tracked (a feature deprecated inside a definition)" in text
    assert (
        "skipped (do not parse):\n"
        "  nova:nova/py2.py:3: invalid syntax\n"
        "  glance:glance/x.py: null bytes\n"
    ) in text
    assert "-v lists them" not in text


def test_text_of_an_empty_report() -> None:
    report = DebtReport(projects=(), items=(), files_scanned=0)
    assert render_debt_text(report) == (
        "  project  version  from  release\n"
        "\n"
        "  no deprecations found\n"
        "\n"
        "0 deprecations in 0 project(s); 0 use(s), 0 possible\n"
        "0 files scanned\n"
    )
    assert debt_to_json(report)["summary"]["deprecations"] == 0


def test_text_singular_deprecation(debt_report: DebtReport) -> None:
    one = dataclasses.replace(debt_report, items=debt_report.items[:1], skipped=(), release=None)
    text = render_debt_text(one)
    assert "\n1 deprecation in 2 project(s): 1 overdue; 1 use(s), 1 possible\n" in text
    assert "release series given" not in text
    assert text.endswith("57 files scanned\n")
