"""report/scan.py: scan reports as a text summary and as the scan/2 JSON document."""

from __future__ import annotations

import json

from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.scan import (
    Candidate,
    Family,
    FingerprintSettings,
    Grain,
    ImportLink,
    IncubatorInfo,
    Master,
    Member,
    ProjectScan,
    ScanOptions,
    ScanReport,
    UnitKind,
)
from oslo_incubator.report.scan import (
    SCAN_SCHEMA,
    TEXT_CANDIDATES,
    render_scan_json,
    render_scan_text,
    scan_to_json,
)

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
        "key": "k" + project,
        "similarity": 1.0,
    }
    return Member(**{**base, **kw})  # type: ignore[arg-type]


LOG_NOVA = _member("nova", f"{CD}/log.py", status=DriftStatus.DIVERGED, added=1400000000)
LOG_GLANCE = _member(
    "glance", "glance/openstack/common/log.py", status=DriftStatus.CURRENT, declared=True
)
LOG = Family(
    id="F1",
    grain=Grain.MODULE,
    members=(LOG_NOVA, LOG_GLANCE),
    master=Master("openstack/common/log.py", None, "openstack/common/log.py", "a" * 40, False),
    representative=None,
    origin="master",
    lines=40,
    tokens=300,
)
GONE = Family(
    id="F2",
    grain=Grain.SYMBOL,
    members=(_member("nova", f"{CD}/old.py", symbol="helper", kind=UnitKind.FUNCTION),),
    master=Master(
        "openstack/common/old.py",
        "helper",
        "openstack/common/old.py",
        "b" * 40,
        True,
        LifecycleState.DELETED,
    ),
    representative=None,
    origin="master",
    lines=8,
    tokens=40,
)
RETRY_NOVA = _member(
    "nova",
    "nova/utils.py",
    symbol="retry",
    kind=UnitKind.FUNCTION,
    start=10,
    end=25,
    similarity=0.93,
)
RETRY = Family(
    id="F3",
    grain=Grain.SYMBOL,
    members=(RETRY_NOVA, _member("cinder", "cinder/utils.py", symbol="retry", start=3, end=18)),
    master=None,
    representative=RETRY_NOVA,
    origin="oldest",
    lines=16,
    tokens=120,
)
REPORT = ScanReport(
    projects=(
        ProjectScan("nova", "/src/nova", ("nova",), 1200, 345678, "c" * 40),
        ProjectScan("glance", "/src/glance", ("glance",), 10, 900, None),
        ProjectScan("cinder", "/src/cinder", (), 5, 50, None),
    ),
    families=(LOG, GONE, RETRY),
    candidates=(Candidate("F3", 1, 9.25, "in 2 projects, 16 lines"),),
    imports=(
        ImportLink("nova", "nova/api.py", f"{CD}/log.py", 3),
        ImportLink("nova", "nova/api.py", f"{CD}/old.py", 4),
        ImportLink("nova", "nova/db.py", f"{CD}/log.py", 1),
    ),
    incubator=IncubatorInfo("/src/oslo-incubator", "d" * 40, DEFAULT_PACKAGE_ROOT),
    options=ScanOptions(min_similarity=0.75, fingerprint=FingerprintSettings(4, 32, 8)),
)
BARE = ScanReport((), (), (), (), None, ScanOptions())


def test_json_document_head_and_options() -> None:
    doc = scan_to_json(REPORT)
    assert doc["schema"] == SCAN_SCHEMA
    assert doc["options"] == {
        "min_similarity": 0.75,
        "min_tokens": 25,
        "min_lines": 5,
        "shingle": 4,
        "bins": 32,
        "bands": 8,
    }
    assert doc["incubator"] == {
        "path": "/src/oslo-incubator",
        "head": "d" * 40,
        "package_root": "openstack/common",
    }
    assert doc["projects"][0] == {
        "name": "nova",
        "path": "/src/nova",
        "bases": ["nova"],
        "files": 1200,
        "lines": 345678,
        "head": "c" * 40,
    }
    assert "graph" not in doc


def test_json_families_with_and_without_master() -> None:
    log, gone, retry = scan_to_json(REPORT)["families"]
    assert log["master"] == {
        "path": "openstack/common/log.py",
        "symbol": None,
        "lineage": "openstack/common/log.py",
        "commit": "a" * 40,
        "obsolete": False,
        "lifecycle": "active",
    }
    assert log["representative"] is None
    assert log["projects"] == ["nova", "glance"]
    assert log["members"][0]["status"] == "diverged"
    assert log["members"][1]["declared"] is True
    assert gone["master"]["lifecycle"] == "deleted"
    assert gone["grain"] == "symbol"
    assert retry["master"] is None
    assert retry["representative"] == {
        "project": "nova",
        "path": "nova/utils.py",
        "symbol": "retry",
    }
    assert retry["members"][0] | {"similarity": 0.93} == retry["members"][0]
    assert retry["members"][0]["status"] is None


def test_json_candidates_imports_and_graph() -> None:
    graph: dict[str, list[object]] = {"nodes": [], "links": []}
    doc = scan_to_json(REPORT, graph)
    assert doc["candidates"] == [
        {"rank": 1, "family": "F3", "score": 9.25, "reason": "in 2 projects, 16 lines"}
    ]
    assert doc["imports"][0] == {
        "project": "nova",
        "importer": "nova/api.py",
        "imported": f"{CD}/log.py",
        "line": 3,
    }
    assert doc["graph"] is graph
    assert json.loads(render_scan_json(REPORT, graph)) == doc


def test_json_without_incubator() -> None:
    doc = json.loads(render_scan_json(BARE))
    assert doc["incubator"] is None
    assert (doc["projects"], doc["families"], doc["candidates"]) == ([], [], [])


def test_text_summary_line_and_project_table() -> None:
    lines = render_scan_text(REPORT).splitlines()
    assert lines[0] == (
        "scanned 3 projects, 1,215 Python files, 346,628 lines; "
        "incubator /src/oslo-incubator at dddddddd"
    )
    assert lines[1].split() == ["project", "bases", "files", "lines", "head"]
    assert lines[2].split() == ["nova", "nova", "1200", "345678", "cccccccc"]
    assert lines[4].split() == ["cinder", "-", "5", "50", "-"]


def test_text_families_with_a_master_show_status_counts_and_lifecycle() -> None:
    text = render_scan_text(REPORT)
    assert "families with a master in the incubator: 2" in text
    (log,) = [line for line in text.splitlines() if line.strip().startswith("F1 ")]
    assert log.split() == [
        "F1",
        "openstack/common/log.py",
        "2",
        "nova,glance",
        "1",
        "current,",
        "1",
        "diverged",
    ]
    (gone,) = [line for line in text.splitlines() if line.strip().startswith("F2 ")]
    assert "openstack/common/old.py:helper (deleted in master)" in gone
    assert gone.rstrip().endswith("-")  # no member has a status


def test_text_candidates_and_imports() -> None:
    text = render_scan_text(REPORT)
    assert (
        "families with no master: 0 of modules, 1 of functions and classes; "
        "1 span two or more projects"
    ) in text
    assert "incubation candidates, best first:" in text
    (row,) = [line for line in text.splitlines() if line.strip().startswith("1 ")]
    assert row.split() == ["1", "F3", "9.2", "nova/utils.py:retry", "nova,cinder", "2", "16"]
    # Two importing files in nova (api.py imports two copies: it counts once).
    assert "project files importing copies: 2 in nova" in text
    assert "candidate:" not in text


def test_text_lists_only_the_first_candidates() -> None:
    families = tuple(
        Family(
            f"S{i}",
            Grain.MODULE,
            (_member("a", f"a/m{i}.py"),),
            None,
            _member("a", f"a/m{i}.py"),
            "most-common",
            5,
            30,
        )
        for i in range(TEXT_CANDIDATES + 5)
    )
    candidates = tuple(Candidate(f.id, i + 1, 1.0, "r") for i, f in enumerate(families))
    report = ScanReport((), families, candidates, (), None, ScanOptions())
    text = render_scan_text(report)
    assert f"(the first {TEXT_CANDIDATES}; --format json lists all):" in text
    assert f"S{TEXT_CANDIDATES - 1} " in text
    assert f"S{TEXT_CANDIDATES} " not in text


def test_text_verbose_lists_every_family_with_members() -> None:
    text = render_scan_text(REPORT, verbose=True)
    assert (
        "F1 module family, 2 copies, 40 lines; master openstack/common/log.py at aaaaaaaa"
    ) in text
    assert (
        "F3 function/class family, 2 copies, 16 lines; "
        "representative nova:nova/utils.py:retry (oldest in git)"
    ) in text
    assert "  candidate: in 2 projects, 16 lines" in text
    (member,) = [
        line for line in text.splitlines() if line.split()[:2] == ["nova", f"{CD}/log.py"]
    ]
    assert member.split()[2:] == ["1-40", "1.00", "diverged", "2014-05-13", "16:53"]
    (retry,) = [
        line for line in text.splitlines() if "nova/utils.py:retry" in line and "10-25" in line
    ]
    assert retry.split()[3:] == ["0.93", "-", "-"]


def test_text_of_an_empty_scan() -> None:
    assert render_scan_text(BARE) == (
        "scanned 0 projects, 0 Python files, 0 lines\n"
        "  project  bases  files  lines  head\n"
        "\n"
        "families with no master: 0 of modules, 0 of functions and classes; "
        "0 span two or more projects\n"
    )
