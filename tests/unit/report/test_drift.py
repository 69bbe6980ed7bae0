"""report/drift.py: drift reports as text and JSON, and check results as text, JSON,
JUnit XML and SARIF, rendered from model objects built here."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from oslo_incubator.model.check import RULES, CheckResult, Finding, Level, Waiver
from oslo_incubator.model.drift import (
    GRADUATED_IMPORT_RULE,
    GRADUATED_STRING_RULE,
    CopyDrift,
    DriftReport,
    DriftStatus,
    Hunk,
    ModuleDrift,
    ProjectDrift,
    Violation,
)
from oslo_incubator.model.history import Commit
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState, RecordSource
from oslo_incubator.report.drift import (
    CHECK_SCHEMA,
    DRIFT_SCHEMA,
    FINGERPRINT_KEY,
    SARIF_SCHEMA,
    drift_to_json,
    render_check_json,
    render_check_junit,
    render_check_sarif,
    render_check_text,
    render_drift_json,
    render_drift_text,
)

CD = "nova/openstack/common"
BASE = "1234567890" + "a" * 30
HUNK = Hunk(
    base_start=10,
    removed=("    return x",),
    copy_start=11,
    added=("    return y  # é",),
    text="--- master\n+++ copy\n@@ -10 +11 @@\n-    return x\n+    return y  # é\n",
)
BACKPORT = Hunk(20, (), 22, ("new()",), "--- m\n+++ c\n@@ -19,0 +22 @@\n+new()\n", "b" * 40)
MISSED = Commit("c" * 40, (BASE,), 1400003600, "2014-05-13T21:00:00+00:00", "Fix log", 0)
OBSOLETE = Lifecycle(LifecycleState.OBSOLETE, "oslo.log", "d" * 40, RecordSource.SHIM)

LOG = CopyDrift(
    "log",
    f"{CD}/log.py",
    "openstack/common/log.py",
    DriftStatus.DIVERGED,
    BASE,
    hunks=(HUNK, BACKPORT),
    lifecycle=OBSOLETE,
    parses=True,
)
JSONUTILS = CopyDrift(
    "jsonutils",
    f"{CD}/jsonutils.py",
    "openstack/common/jsonutils.py",
    DriftStatus.BEHIND,
    BASE,
    missed_commits=(MISSED,),
)
EXTRA = CopyDrift("extra", f"{CD}/extra.py", None, DriftStatus.UNKNOWN, parses=False)
PROJECT = ProjectDrift(
    name="nova",
    path="/src/nova",
    base="nova",
    copies=(LOG, JSONUTILS, EXTRA),
    undeclared=(f"{CD}/extra.py",),
    missing=("uuidutils",),
    modules=(
        ModuleDrift("log", DriftStatus.DIVERGED, (LOG,), OBSOLETE),
        ModuleDrift("jsonutils", DriftStatus.BEHIND, (JSONUTILS,)),
        ModuleDrift("extra", DriftStatus.UNKNOWN, (EXTRA,)),
        ModuleDrift("uuidutils", DriftStatus.MISSING, ()),
    ),
    skipped=(f"{CD}/evil.py: a link out of the tree",),
    pulled_in=(f"{CD}/gettextutils.py",),
)
REPORT = DriftReport("/src/oslo-incubator", "f" * 40, (PROJECT,))
EMPTY = DriftReport("/inc", "0" * 40, ())


def _violation(**kw: object) -> Violation:
    base: dict[str, object] = {
        "project": "nova",
        "module": "log",
        "path": f"{CD}/log.py",
        "status": DriftStatus.DIVERGED,
        "message": "log.py diverged from master",
    }
    return Violation(**{**base, **kw})  # type: ignore[arg-type]


DIVERGED = Finding(_violation(), Level.ERROR, "fp-diverged", None, True)
MISSING = Finding(
    _violation(module="uuidutils", path=None, status=DriftStatus.MISSING, message="no copy"),
    Level.ERROR,
    "fp-missing",
    Waiver.CONFIG,
    False,
)
IMPORT = Finding(
    _violation(
        path="nova/api.py",
        status=None,
        line=7,
        rule=GRADUATED_IMPORT_RULE,
        message="imports graduated log",
    ),
    Level.ERROR,
    "fp-import",
    Waiver.INLINE,
    False,
)
STRING = Finding(
    _violation(
        path="nova/tests/t.py",
        status=None,
        line=3,
        rule=GRADUATED_STRING_RULE,
        message="names graduated log",
    ),
    Level.WARNING,
    "fp-string",
    None,
    False,
)
RESULT = CheckResult((DIVERGED, MISSING, IMPORT, STRING))


def test_drift_json_document() -> None:
    doc = drift_to_json(REPORT)
    assert doc["schema"] == DRIFT_SCHEMA
    assert doc["incubator"] == {"path": "/src/oslo-incubator", "head": "f" * 40}
    (project,) = doc["projects"]
    assert (project["name"], project["base"], project["missing"]) == (
        "nova",
        "nova",
        ["uuidutils"],
    )
    assert project["pulled_in"] == [f"{CD}/gettextutils.py"]
    assert [m["status"] for m in project["modules"]] == [
        "diverged",
        "behind",
        "unknown",
        "missing",
    ]
    log = project["copies"][0]
    assert log["changed_lines"] == 3
    assert log["backported_from"] == ["b" * 40]
    assert log["lifecycle"] == {
        "state": "obsolete",
        "library": "oslo.log",
        "commit": "d" * 40,
        "source": "shim",
    }
    assert log["hunks"][0] == {
        "base_start": 10,
        "copy_start": 11,
        "changed_lines": 2,
        "backported_from": None,
        "diff": HUNK.text,
    }
    jsonutils = project["copies"][1]
    assert jsonutils["commits_behind"] == 1
    assert jsonutils["missed_commits"] == [
        {"sha": "c" * 40, "date": "2014-05-13T21:00:00+00:00", "subject": "Fix log"}
    ]
    assert project["copies"][2]["master_path"] is None


def test_drift_json_text_is_the_document_indented() -> None:
    text = render_drift_json(REPORT)
    assert text.endswith("}\n")
    assert json.loads(text) == drift_to_json(REPORT)
    assert "\n  " in text


def test_drift_text_has_a_row_per_module_with_its_cells() -> None:
    text = render_drift_text(REPORT)
    lines = text.splitlines()
    assert lines[0] == "incubator /src/oslo-incubator at ffffffff"
    assert "nova (base nova, 3 files)" in lines
    (log,) = [line for line in lines if line.strip().startswith("log ")]
    assert log.split() == [
        "log",
        "diverged",
        "obsolete",
        "->",
        "oslo.log",
        "12345678",
        "-",
        "2",
        "hunks,",
        "3",
        "lines",
        "(1",
        "backported)",
    ]
    (behind,) = [line for line in lines if line.strip().startswith("jsonutils")]
    assert behind.split()[1:] == ["behind", "-", "12345678", "1", "-"]
    assert f"  undeclared copies: {CD}/extra.py" in lines
    assert f"  not read: {CD}/evil.py: a link out of the tree" in lines
    assert lines[-1] == "4 modules in 1 project: 1 behind, 1 diverged, 1 unknown, 1 missing"


def test_drift_text_verbose_shows_local_changes_without_file_headers() -> None:
    text = render_drift_text(REPORT, verbose=True)
    assert (
        f"  {CD}/log.py: diverged, local changes against master openstack/common/log.py@12345678"
        in text
    )
    assert "    @@ -10 +11 @@\n    -    return x\n    +    return y  # é" in text
    assert "    (backport of master bbbbbbbb)" in text
    assert "--- master" not in text
    assert "@@" not in render_drift_text(REPORT)


def test_drift_text_of_no_projects() -> None:
    assert (
        render_drift_text(EMPTY) == "incubator /inc at 00000000\n\n0 modules in 0 projects: none\n"
    )


def test_check_text_lists_unwaived_findings_and_the_verdict() -> None:
    lines = render_check_text(REPORT, RESULT).splitlines()
    assert lines == [
        "nova: error: log.py diverged from master [drift/diverged]",
        "nova: warning: names graduated log [drift/graduated-string]",
        "check FAILED: 1 problem(s) in 3 copies (1 warning below --fail-level error; "
        "not counted: 1 ignored inline, 1 ignored by the configuration)",
    ]


def test_check_text_passed_with_since_and_baseline_waivers() -> None:
    unchanged = Finding(_violation(), Level.ERROR, "fp", Waiver.UNCHANGED, False)
    baselined = Finding(_violation(), Level.ERROR, "fp", Waiver.BASELINE, False)
    result = CheckResult((unchanged, baselined), since="9" * 40, baseline="b.json")
    assert render_check_text(REPORT, result) == (
        "check passed: 0 problem(s) in 3 copies "
        "(not counted: 1 in the baseline, 1 unchanged since 99999999)\n"
    )
    assert render_check_text(EMPTY, CheckResult(())) == "check passed: 0 problem(s) in 0 copies\n"


def test_check_json_document() -> None:
    doc = json.loads(render_check_json(REPORT, RESULT))
    assert doc["schema"] == CHECK_SCHEMA
    assert doc["passed"] is False
    assert doc["counts"] == {
        "failing": 1,
        "error": 3,
        "warning": 1,
        "note": 0,
        "waived": {"inline": 1, "config": 1, "baseline": 0, "unchanged": 0},
    }
    assert [f["rule"] for f in doc["findings"]] == [
        "drift/diverged",
        "drift/missing",
        GRADUATED_IMPORT_RULE,
        GRADUATED_STRING_RULE,
    ]
    assert doc["findings"][2]["status"] is None
    assert doc["findings"][2]["line"] == 7
    assert doc["findings"][1]["waiver"] == "config"
    assert [r["id"] for r in doc["rules"]] == [f["rule"] for f in doc["findings"]]
    assert doc["rules"][0]["help_uri"].endswith("#rule-drift-diverged")
    assert doc["drift"] == drift_to_json(REPORT)


def test_junit_has_a_case_per_copy_missing_module_and_own_line() -> None:
    root = ET.fromstring(render_check_junit(REPORT, RESULT))
    (suite,) = root.findall("testsuite")
    assert suite.attrib == {
        "name": "nova",
        "tests": "6",
        "failures": "1",
        "errors": "0",
        "skipped": "3",
    }
    names = [case.get("name") for case in suite.findall("testcase")]
    assert names == [
        f"{CD}/log.py",
        f"{CD}/jsonutils.py",
        f"{CD}/extra.py",
        "uuidutils",
        "nova/api.py:7",
        "nova/tests/t.py:3",
    ]
    log = suite.findall("testcase")[0]
    failure = log.find("failure")
    assert failure is not None
    assert failure.get("type") == "drift/diverged"
    assert (failure.text or "").startswith("log.py diverged from master\n")
    missing = suite.findall("testcase")[3].find("skipped")
    assert missing is not None
    assert missing.get("message") == (
        "drift/missing: waived (ignored by the configuration): no copy"
    )
    string = suite.findall("testcase")[5].find("skipped")
    assert string is not None
    assert "warning, below the fail level" in (string.get("message") or "")
    assert suite.findall("testcase")[1].find("failure") is None


def test_junit_is_declared_utf8_and_parses_unicode() -> None:
    text = render_check_junit(REPORT, RESULT)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<testsuites')


def test_sarif_document(tmp_path: Path) -> None:
    report = DriftReport(
        "/inc", "f" * 40, (ProjectDrift(**{**PROJECT.__dict__, "path": str(tmp_path)}),)
    )
    doc = json.loads(render_check_sarif(report, RESULT))
    assert doc["$schema"] == SARIF_SCHEMA
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert run["originalUriBaseIds"] == {"nova": {"uri": tmp_path.as_uri() + "/"}}
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f.violation.rule_id for f in RESULT.findings]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    diverged, missing, imported, string = results
    location = diverged["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": f"{CD}/log.py", "uriBaseId": "nova"},
        "region": {"startLine": 11},  # the copy line of its first hunk
    }
    assert missing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "openstack-common.conf"
    )
    assert missing["suppressions"] == [{"kind": "external"}]
    assert imported["suppressions"] == [{"kind": "inSource"}]
    assert imported["locations"][0]["physicalLocation"]["region"] == {"startLine": 7}
    assert string["level"] == "warning"
    assert diverged["partialFingerprints"] == {FINGERPRINT_KEY: "fp-diverged"}
    assert all("baselineState" not in r for r in results)


@pytest.mark.parametrize(
    ("waiver", "state"),
    [(Waiver.BASELINE, "unchanged"), (Waiver.UNCHANGED, "unchanged"), (None, "new")],
)
def test_sarif_baseline_state_when_compared(waiver: Waiver | None, state: str) -> None:
    finding = Finding(_violation(), Level.ERROR, "fp", waiver, waiver is None)
    doc = json.loads(render_check_sarif(REPORT, CheckResult((finding,), baseline="b.json")))
    (result,) = doc["runs"][0]["results"]
    assert result["baselineState"] == state


def test_sarif_of_a_copy_without_hunks_points_at_line_one() -> None:
    finding = Finding(
        _violation(path=f"{CD}/jsonutils.py", status=DriftStatus.BEHIND),
        Level.ERROR,
        "f",
        None,
        True,
    )
    doc = json.loads(render_check_sarif(REPORT, CheckResult((finding,))))
    region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1}
