"""report/impact.py: impact reports as text, as the impact/1 JSON document and as SARIF."""

from __future__ import annotations

import dataclasses
import json

from oslo_incubator.model.api import (
    ApiChange,
    ChangeKind,
    Parameter,
    ParameterKind,
    Symbol,
    SymbolKind,
)
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.impact import (
    IMPACT_SCHEMA,
    Bump,
    CallSite,
    ChangedCommit,
    CopyTouch,
    CrossTest,
    ImpactReport,
    ModuleChange,
    ModuleImport,
    ProjectImpact,
    ReleaseNeed,
    Verdict,
)
from oslo_incubator.model.impact import TestChange as Change  # not test classes
from oslo_incubator.model.impact import TestOutcome as Outcome
from oslo_incubator.report.impact import (
    SARIF_SCHEMA,
    TEXT_SITES,
    impact_to_json,
    render_impact_json,
    render_impact_sarif,
    render_impact_text,
)

P = ParameterKind.POSITIONAL
OLD = Symbol("synchronized", SymbolKind.FUNCTION, 10, True, (Parameter("name", P),))
NEW = Symbol(
    "synchronized",
    SymbolKind.FUNCTION,
    10,
    True,
    (Parameter("name", P), Parameter("prefix", ParameterKind.KEYWORD_ONLY)),
)
INCOMPATIBLE = ApiChange(
    "synchronized", ChangeKind.INCOMPATIBLE, ("prefix is required",), OLD, NEW
)
REMOVED = ApiChange(
    "Semaphores",
    ChangeKind.REMOVED,
    ("removed",),
    Symbol("Semaphores", SymbolKind.CLASS, 3, True),
    None,
)
PRIVATE = ApiChange("_helper", ChangeKind.BODY, ("code changed",), None, None, public=False)
LOCKUTILS = ModuleChange(
    "lockutils",
    ("openstack/common/lockutils.py",),
    ("openstack/common/lockutils.py",),
    (INCOMPATIBLE, REMOVED, PRIVATE),
)
SITE = CallSite(
    "lockutils",
    "synchronized",
    "nova/utils.py",
    42,
    "synchronized",
    ChangeKind.INCOMPATIBLE,
    Verdict.BREAKING,
    "the call passes no prefix",
    call=True,
)
AFFECTED_SITE = dataclasses.replace(
    SITE, line=0, verdict=Verdict.AFFECTED, change=ChangeKind.BODY, reason="code changed"
)
TESTS = CrossTest(
    project="nova",
    modules=("nova.tests.test_utils",),
    synced=("nova/openstack/common/lockutils.py",),
    before=10,
    after=8,
    newly_failing=(
        Change("nova.tests.test_utils.LockTest.test_lock", Outcome.PASS, Outcome.FAIL),
        Change("nova.tests.test_db.<import>", Outcome.PASS, Outcome.MISSING),
    ),
    newly_passing=(Change("nova.tests.test_utils.T.test_x", Outcome.FAIL, Outcome.PASS),),
    cannot_run=("nova.tests.test_slow",),
    seconds=3.21,
    python="python3.11",
    notes=("one note",),
)
NOVA = ProjectImpact(
    name="nova",
    path="/src/nova",
    verdict=Verdict.BREAKING,
    copies=(
        CopyTouch("lockutils", DriftStatus.BEHIND, ("nova/openstack/common/lockutils.py",), 3),
    ),
    sites=(SITE, AFFECTED_SITE),
    reasons=("nova/utils.py calls synchronized without prefix",),
    tests=TESTS,
)
GLANCE = ProjectImpact(
    "glance",
    "relative/glance",
    Verdict.AFFECTED,
    imports=(ModuleImport("lockutils", "glance/a.py", 1),),
)
CINDER = ProjectImpact("cinder", "/src/cinder", Verdict.UNTOUCHED)
REPORT = ImpactReport(
    source="/src/oslo-incubator",
    kind="incubator",
    base="1" * 40,
    head="2" * 40,
    commits=(ChangedCommit("3" * 40, "Require a lock prefix ☃"),),
    modules=(LOCKUTILS,),
    projects=(NOVA, GLANCE, CINDER),
    notes=("a note",),
)


def test_text_heading_commits_and_changed_api() -> None:
    lines = render_impact_text(REPORT).splitlines()
    assert lines[:4] == [
        "impact of 11111111..22222222 (1 commit) of the incubator at /src/oslo-incubator",
        "  33333333 Require a lock prefix ☃",
        "",
        "changed API",
    ]
    assert lines[4] == "  lockutils"
    assert lines[5].split() == ["change", "name", "why"]
    assert lines[6].split() == [
        "incompatible",
        "synchronized(name,",
        "prefix)",
        "prefix",
        "is",
        "required",
    ]
    assert lines[7].split() == ["removed", "Semaphores", "removed"]
    assert lines[8] == "    and 1 private name(s) (--verbose)"


def test_text_project_table_and_details() -> None:
    text = render_impact_text(REPORT)
    rows = {
        line.split()[0]: line.split()[1:]
        for line in text.split("\nprojects\n")[1].split("\n\n")[0].splitlines()[1:]
    }
    assert rows == {
        "nova": ["breaking", "lockutils", "behind", "3", "2", "2", "newly", "failing"],
        "glance": ["affected", "imports", "0", "-"],
        "cinder": ["untouched", "-", "0", "-"],
    }
    assert "\nnova: breaking\n  nova/utils.py calls synchronized without prefix\n" in text
    assert (
        "  nova/utils.py:42: breaking: lockutils.synchronized: the call passes no prefix\n"
    ) in text
    assert "\ncinder:" not in text  # untouched, no copies, no tests: no section
    assert "\nglance: affected\n" in text
    assert text.endswith("notes\n  a note\n\nwould break: nova\n")


def test_text_cross_tests() -> None:
    text = render_impact_text(REPORT)
    assert (
        "  cross tests (3.2 s, python3.11):\n"
        "    1 test module(s); passed 10 before, 8 after; synced 1 file(s)\n"
        "    newly failing: nova.tests.test_utils.LockTest.test_lock (pass -> fail)\n"
        "    newly failing: nova.tests.test_db (no longer loads) (pass -> missing)\n"
        "    newly passing: nova.tests.test_utils.T.test_x\n"
        "    cannot run: nova.tests.test_slow\n"
        "    note: one note\n"
    ) in text


def test_text_cross_tests_that_could_not_run() -> None:
    tests = CrossTest("nova", (), (), 0, 0, error="no virtualenv")
    report = dataclasses.replace(REPORT, projects=(dataclasses.replace(NOVA, tests=tests),))
    text = render_impact_text(report)
    assert "could not run" in text.split("\nprojects\n")[1].splitlines()[1]
    assert "  cross tests (0.0 s, python):\n    could not run: no virtualenv\n" in text


def test_text_verbose_lists_private_changes_and_every_site() -> None:
    sites = tuple(
        dataclasses.replace(SITE, line=i, reason="r" * 200) for i in range(TEXT_SITES + 3)
    )
    report = dataclasses.replace(
        REPORT, projects=(dataclasses.replace(NOVA, sites=sites, tests=None),)
    )
    short = render_impact_text(report)
    assert "  ... 3 more (--verbose)" in short
    assert "r" * 157 + "..." in short
    assert "r" * 158 not in short
    full = render_impact_text(report, verbose=True)
    assert "more (--verbose)" not in full
    assert "r" * 200 in full
    assert "_helper" in full and "_helper" not in short


def test_text_library_release_and_many_commits() -> None:
    commits = tuple(ChangedCommit(f"{i:040d}", f"change {i}") for i in range(12))
    report = ImpactReport(
        source="/src/oslo.concurrency",
        kind="library",
        base="a" * 40,
        head="b" * 40,
        commits=commits,
        modules=(),
        projects=(),
        package="oslo_concurrency",
        release=ReleaseNeed("1.2.0", Bump.MAJOR, "2.0.0", ("synchronized changed incompatibly",)),
    )
    lines = render_impact_text(report).splitlines()
    assert lines[0] == (
        "impact of aaaaaaaa..bbbbbbbb (12 commits) of the library oslo_concurrency at "
        "/src/oslo.concurrency"
    )
    assert lines[1] == "  ... 2 earlier commits"
    assert lines[2] == "  00000000 change 2"
    assert "  no module changed" in lines
    assert lines[-2:] == [
        "release needed since 1.2.0: major -> 2.0.0",
        "  synchronized changed incompatibly",
    ]
    assert "would break" not in "\n".join(lines)


def test_text_of_removed_moved_unparsed_and_new_modules() -> None:
    modules = (
        ModuleChange("gone", ("openstack/common/gone.py",), (), ()),
        ModuleChange("old", ("openstack/common/old.py",), (), (), moved_to="new"),
        ModuleChange("py2", ("a",), ("a",), (), parsed=False),
        ModuleChange("fresh", (), ("openstack/common/fresh.py",), ()),
    )
    text = render_impact_text(dataclasses.replace(REPORT, modules=modules, projects=()))
    assert "  gone: module removed\n" in text
    assert "  old: module moved to new\n" in text
    assert "  py2: changed, not valid Python 3 (names not compared)\n" in text
    assert "  fresh (new module)\n    no public name changed\n" in text


def test_json_document() -> None:
    doc = impact_to_json(REPORT)
    assert next(iter(doc)) == "schema"
    assert doc["schema"] == IMPACT_SCHEMA
    assert doc["breaking"] is True
    nova = doc["projects"][0]
    assert nova["verdict"] == "breaking"
    assert nova["sites"][0] == {
        "module": "lockutils",
        "name": "synchronized",
        "path": "nova/utils.py",
        "line": 42,
        "changed": "synchronized",
        "change": "incompatible",
        "verdict": "breaking",
        "reason": "the call passes no prefix",
        "call": True,
        "via": "",
    }
    change = doc["modules"][0]["changes"][0]
    assert change["new"]["parameters"][1] == {
        "name": "prefix",
        "kind": "keyword-only",
        "default": None,
    }
    assert "refers" not in change["new"]  # working data, left out
    assert json.loads(render_impact_json(REPORT)) == doc
    assert impact_to_json(dataclasses.replace(REPORT, projects=(CINDER,)))["breaking"] is False


def test_sarif_results_levels_and_locations() -> None:
    doc = json.loads(render_impact_sarif(REPORT))
    assert doc["$schema"] == SARIF_SCHEMA
    (run,) = doc["runs"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == [
        "impact/removed",
        "impact/renamed",
        "impact/incompatible",
        "impact/extended",
        "impact/body",
        "impact/test-fails",
    ]
    assert run["originalUriBaseIds"] == {
        "nova": {"uri": "file:///src/nova/"},
        "glance": {"uri": "./relative/glance/"},
        "cinder": {"uri": "file:///src/cinder/"},
    }
    breaking, affected, test_lock, test_import = run["results"]
    assert (breaking["ruleId"], breaking["level"]) == ("impact/incompatible", "error")
    assert breaking["message"]["text"] == "lockutils.synchronized: the call passes no prefix"
    assert breaking["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "nova/utils.py", "uriBaseId": "nova"},
        "region": {"startLine": 42},
    }
    assert affected["level"] == "warning"
    assert affected["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert test_lock["ruleId"] == "impact/test-fails"
    assert test_lock["message"]["text"] == (
        "nova.tests.test_utils.LockTest.test_lock: pass before the change, fail after"
    )
    uri = test_lock["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "nova/tests/test_utils.py"
    assert test_import["message"]["text"].startswith("nova.tests.test_db.<import>: pass before")


def test_sarif_locates_a_test_module_that_no_longer_loads_at_its_file() -> None:
    doc = json.loads(render_impact_sarif(REPORT))
    test_import = doc["runs"][0]["results"][3]
    uri = test_import["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "nova/tests/test_db.py"


def test_sarif_of_no_projects_has_no_results() -> None:
    doc = json.loads(render_impact_sarif(dataclasses.replace(REPORT, projects=())))
    assert doc["runs"][0]["results"] == []
    assert doc["runs"][0]["originalUriBaseIds"] == {}


def test_text_cuts_long_test_lists() -> None:
    failing = tuple(
        Change(f"nova.tests.t.T.test_{i:02d}", Outcome.PASS, Outcome.FAIL)
        for i in range(TEXT_SITES + 2)
    )
    cannot = tuple(f"nova.tests.slow_{i:02d}" for i in range(12))
    tests = dataclasses.replace(TESTS, newly_failing=failing, cannot_run=cannot, newly_passing=())
    report = dataclasses.replace(REPORT, projects=(dataclasses.replace(NOVA, tests=tests),))
    short = render_impact_text(report)
    assert short.count("    newly failing: ") == TEXT_SITES
    assert "    ... 2 more newly failing (--verbose)\n" in short
    assert short.count("    cannot run: ") == 10
    assert "    ... 2 more that cannot run\n" in short
    full = render_impact_text(report, verbose=True)
    assert full.count("    newly failing: ") == TEXT_SITES + 2
    assert "more newly failing" not in full
