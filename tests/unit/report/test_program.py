"""report/program.py: a program run and its proof as summary tables and as the
program/1 and program-proof/1 JSON documents."""

from __future__ import annotations

import dataclasses
import json

from oslo_incubator.model.program import (
    PROGRAM_SCHEMA,
    PROOF_SCHEMA,
    LibraryProof,
    LibraryStatus,
    MovedTest,
    ProgramLibrary,
    ProgramRecord,
    ProgramResult,
    ProgramStep,
    ProofResult,
)
from oslo_incubator.model.program import TestRun as Run  # not a test class
from oslo_incubator.report.program import (
    program_to_json,
    proof_to_json,
    render_program_json,
    render_program_text,
    render_proof_json,
    render_proof_text,
)


def _library(name: str, package: str, **kw: object) -> ProgramLibrary:
    base: dict[str, object] = {
        "name": name,
        "package": package,
        "modules": ("a", "b"),
        "version": "0.1.0",
        "path": name,
        "head": "1" * 40,
        "shim_commit": "2" * 40,
        "private": (),
        "requirements": ("six",),
        "test_requirements": (),
        "tests": (MovedTest("tests/unit/test_a.py", f"{package}/tests/test_a.py"),),
        "seconds": 2.25,
    }
    return ProgramLibrary(**{**base, **kw})  # type: ignore[arg-type]


I18N = _library("oslo.i18n", "oslo_i18n", modules=("gettextutils",))
LOG = _library("oslo.log", "oslo_log", private=("local",), head="3" * 40, seconds=10.04)
RECORD = ProgramRecord("/src/oslo-incubator", "4" * 40, "plan.toml", libraries=(I18N, LOG))
RESULT = ProgramResult(
    dest="/out/program",
    record=RECORD,
    steps=(
        ProgramStep(I18N, LibraryStatus.SKIPPED, ()),
        ProgramStep(LOG, LibraryStatus.WRITTEN, ("oslo.i18n",), ("a warning",)),
    ),
    seconds=12.3456,
    notes=("resumed from program.json",),
)


def test_program_json_document() -> None:
    doc = program_to_json(RESULT)
    assert doc["schema"] == PROGRAM_SCHEMA
    assert doc["incubator"] == {"path": "/src/oslo-incubator", "head": "4" * 40}
    assert (doc["dest"], doc["scratch"], doc["plan"], doc["seconds"]) == (
        "/out/program",
        ".incubator",
        "plan.toml",
        12.346,
    )
    i18n, log = doc["libraries"]
    assert (i18n["status"], i18n["requires"]) == ("skipped", [])
    assert (log["status"], log["requires"], log["private"]) == (
        "written",
        ["oslo.i18n"],
        ["local"],
    )
    assert log["tests"] == [{"source": "tests/unit/test_a.py", "path": "oslo_log/tests/test_a.py"}]
    assert doc["notes"] == ["resumed from program.json"]
    assert json.loads(render_program_json(RESULT)) == doc


def test_program_text() -> None:
    lines = render_program_text(RESULT).splitlines()
    assert lines[0] == (
        "program of 2 libraries in /out/program (incubator at 44444444; shims on branch "
        "program of .incubator)"
    )
    assert lines[1].split() == [
        "#",
        "library",
        "status",
        "modules",
        "private",
        "requires",
        "tests",
        "head",
        "s",
    ]
    assert lines[2].split() == ["1", "oslo.i18n", "skipped", "1", "0", "-", "1", "11111111", "2.2"]
    assert lines[3].split() == [
        "2",
        "oslo.log",
        "written",
        "2",
        "1",
        "oslo.i18n",
        "1",
        "33333333",
        "10.0",
    ]
    assert lines[4:] == [
        "",
        "1 written, 1 skipped (done before) in 12.3 s",
        "note: resumed from program.json",
    ]


def test_program_text_of_no_steps() -> None:
    empty = dataclasses.replace(RESULT, steps=(), notes=(), seconds=0.0)
    assert (
        render_program_text(empty).splitlines()[-1]
        == "0 written, 0 skipped (done before) in 0.0 s"
    )


GOOD = LibraryProof(
    name="oslo.log",
    wheel="oslo_log-0.1.0-py3-none-any.whl",
    installed=True,
    incubator=Run({"t.a": "pass", "t.b": "pass", "t.c": "fail"}),
    library=Run({"t.a": "pass", "t.b": "error", "t.c": "fail", "t.d": "skip"}),
    seconds=4.44,
    missing=("MySQL-python",),
)
BROKEN = LibraryProof(
    name="oslo.db",
    wheel=None,
    installed=False,
    incubator=Run({}, error="timed out\nafter 600 s"),
    library=Run({}),
    seconds=0.5,
    error="wheel failed\ntraceback",
)
PROOF = ProofResult(
    "/out/program", "/usr/bin/python3", "3.11.7", (GOOD, BROKEN), 5.0, kept="/tmp/k"
)


def test_proof_json_document() -> None:
    doc = proof_to_json(PROOF)
    assert doc["schema"] == PROOF_SCHEMA
    assert doc["python"] == {"path": "/usr/bin/python3", "version": "3.11.7"}
    assert doc["ratio"] == 0.5
    good, broken = doc["libraries"]
    assert (good["kept"], good["lost"], good["missing"]) == (1, ["t.b"], ["MySQL-python"])
    assert good["library"] == {
        "ran": 4,
        "passed": 1,
        "failed": 1,
        "errors": 1,
        "skipped": 1,
        "error": None,
        "outcomes": {"t.a": "pass", "t.b": "error", "t.c": "fail", "t.d": "skip"},
    }
    assert broken["incubator"]["error"] == "timed out\nafter 600 s"
    assert (broken["wheel"], broken["installed"]) == (None, False)
    assert json.loads(render_proof_json(PROOF)) == doc


def test_proof_text() -> None:
    lines = render_proof_text(PROOF).splitlines()
    assert lines[0] == "proof of 2 libraries with Python 3.11.7 (/usr/bin/python3)"
    assert lines[2].split() == [
        "oslo.log",
        "oslo_log-0.1.0-py3-none-any.whl",
        "yes",
        "2/3",
        "1/4",
        "1/2",
        "4.4",
    ]
    assert lines[3].split() == ["oslo.db", "-", "no", "-", "-", "0/0", "0.5"]
    assert (
        lines[5]
        == "of 2 moved tests passing in the incubator, 1 pass in the libraries (50.0%); 5.0 s"
    )
    assert lines[6:] == [
        "oslo.log: not installable, left out of both runs: MySQL-python",
        "oslo.log: lost t.b (error)",
        "oslo.db: wheel failed",
        "oslo.db (incubator run): timed out",
        "virtualenvs and runs kept in /tmp/k",
    ]


def test_proof_without_passing_tests_has_no_ratio() -> None:
    proof = ProofResult("/out", "python3", "3.12.0", (BROKEN,), 1.0)
    assert proof_to_json(proof)["ratio"] is None
    assert "(n/a)" in render_proof_text(proof)
    assert "kept in" not in render_proof_text(proof)


def test_proof_text_lists_ten_lost_tests_then_a_count() -> None:
    passing = {f"t.{i:02d}": "pass" for i in range(13)}
    proof = dataclasses.replace(GOOD, incubator=Run(passing), library=Run({}), missing=())
    lines = render_proof_text(ProofResult("/o", "p", "3", (proof,), 1.0)).splitlines()
    lost = [line for line in lines if ": lost " in line]
    assert lost[0] == "oslo.log: lost t.00 (not run)"
    assert len(lost) == 10
    assert lines[-1] == "oslo.log: ... 3 more lost"
