"""Render a program run and its proof: a summary table for people, JSON for machines.

Schemas: ``oslo-incubator.program/1`` (:func:`program_to_json`, also the shape of
``program.json``'s libraries) and ``oslo-incubator.program-proof/1``
(:func:`proof_to_json`), documented in doc/source/graduate.rst.
"""

from __future__ import annotations

import json
from typing import Any

from oslo_incubator.model.codec import to_jsonable
from oslo_incubator.model.program import (
    PROGRAM_SCHEMA,
    PROOF_SCHEMA,
    LibraryProof,
    ProgramResult,
    ProofResult,
    TestRun,
)
from oslo_incubator.report.table import render_table


def program_to_json(result: ProgramResult) -> dict[str, Any]:
    """The ``oslo-incubator.program/1`` document of a run."""
    return {
        "schema": PROGRAM_SCHEMA,
        "dest": result.dest,
        "incubator": {"path": result.record.incubator, "head": result.record.head},
        "scratch": result.record.scratch,
        "plan": result.record.plan,
        "seconds": round(result.seconds, 3),
        "libraries": [
            {
                **to_jsonable(step.library),
                "status": step.status.value,
                "requires": list(step.earlier),
            }
            for step in result.steps
        ],
        "notes": list(result.notes),
    }


def render_program_json(result: ProgramResult) -> str:
    """:func:`program_to_json` as indented text."""
    return json.dumps(program_to_json(result), indent=2) + "\n"


def render_program_text(result: ProgramResult) -> str:
    """The summary table of a program run."""
    rows = []
    for number, step in enumerate(result.steps, start=1):
        lib = step.library
        rows.append(
            [
                str(number),
                lib.name,
                step.status.value,
                str(len(lib.modules)),
                str(len(lib.private)),
                ", ".join(step.earlier) or "-",
                str(len(lib.tests)),
                lib.head[:8],
                f"{lib.seconds:.1f}",
            ]
        )
    header = ["#", "library", "status", "modules", "private", "requires", "tests", "head", "s"]
    written = sum(1 for s in result.steps if s.status.value == "written")
    lines = [
        f"program of {len(result.steps)} libraries in {result.dest} (incubator at "
        f"{result.record.head[:8]}; shims on branch program of {result.record.scratch})",
        render_table(header, rows),
        "",
        f"{written} written, {len(result.steps) - written} skipped (done before) "
        f"in {result.seconds:.1f} s",
    ]
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


def proof_to_json(result: ProofResult) -> dict[str, Any]:
    """The ``oslo-incubator.program-proof/1`` document."""
    return {
        "schema": PROOF_SCHEMA,
        "dest": result.dest,
        "python": {"path": result.python, "version": result.python_version},
        "seconds": round(result.seconds, 3),
        "ratio": result.ratio,
        "libraries": [_library_json(p) for p in result.libraries],
    }


def render_proof_json(result: ProofResult) -> str:
    """:func:`proof_to_json` as indented text."""
    return json.dumps(proof_to_json(result), indent=2) + "\n"


def render_proof_text(result: ProofResult) -> str:
    """Per library: wheel, install, moved tests passing in the incubator and in the
    library; then the tests lost in the cut."""
    rows = []
    for proof in result.libraries:
        rows.append(
            [
                proof.name,
                proof.wheel or "-",
                "yes" if proof.installed else "no",
                _counts(proof.incubator),
                _counts(proof.library),
                f"{proof.kept}/{len(proof.incubator.passed)}",
                f"{proof.seconds:.1f}",
            ]
        )
    header = ["library", "wheel", "installed", "incubator", "library", "kept", "s"]
    ratio = "n/a" if result.ratio is None else f"{100 * result.ratio:.1f}%"
    kept = sum(p.kept for p in result.libraries)
    base = sum(len(p.incubator.passed) for p in result.libraries)
    lines = [
        f"proof of {len(result.libraries)} libraries with Python {result.python_version} "
        f"({result.python})",
        render_table(header, rows),
        "",
        f"of {base} moved tests passing in the incubator, {kept} pass in the libraries "
        f"({ratio}); {result.seconds:.1f} s",
    ]
    for proof in result.libraries:
        if proof.error:
            lines.append(f"{proof.name}: {proof.error.splitlines()[0]}")
        if proof.missing:
            lines.append(f"{proof.name}: not installable, left out of both runs: "
                         f"{', '.join(proof.missing)}")  # fmt: skip
        for run, where in ((proof.incubator, "incubator"), (proof.library, "library")):
            if run.error:
                lines.append(f"{proof.name} ({where} run): {run.error.splitlines()[0]}")
        for test in proof.lost[:10]:
            lines.append(
                f"{proof.name}: lost {test} ({proof.library.outcomes.get(test, 'not run')})"
            )
        if len(proof.lost) > 10:
            lines.append(f"{proof.name}: ... {len(proof.lost) - 10} more lost")
    if result.kept:
        lines.append(f"virtualenvs and runs kept in {result.kept}")
    return "\n".join(lines) + "\n"


# Private


def _counts(run: TestRun) -> str:
    """``passed/ran`` (``-`` when nothing ran)."""
    if not run.outcomes:
        return "-"
    return f"{len(run.passed)}/{len(run.outcomes)}"


def _library_json(proof: LibraryProof) -> dict[str, Any]:
    return {
        "name": proof.name,
        "wheel": proof.wheel,
        "installed": proof.installed,
        "error": proof.error,
        "missing": list(proof.missing),
        "seconds": proof.seconds,
        "kept": proof.kept,
        "lost": list(proof.lost),
        "incubator": _run_json(proof.incubator),
        "library": _run_json(proof.library),
    }


def _run_json(run: TestRun) -> dict[str, Any]:
    return {
        "ran": len(run.outcomes),
        "passed": len(run.passed),
        "failed": run.count("fail"),
        "errors": run.count("error"),
        "skipped": run.count("skip"),
        "error": run.error,
        "outcomes": dict(sorted(run.outcomes.items())),
    }
