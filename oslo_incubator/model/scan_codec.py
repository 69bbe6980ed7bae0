"""Scan's compact cache forms: a file's fingerprint and a whole report, as JSON lists.

Not :func:`~oslo_incubator.model.codec.to_jsonable`: a fleet's fingerprints are read
back on every warm scan, and positional lists with a dict lookup for each enum read in
a fraction of the time that field names and a call per value take.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.scan import (
    ANALYSIS_VERSION,
    Candidate,
    Family,
    FilePrint,
    Grain,
    ImportLink,
    ImportStatement,
    IncubatorInfo,
    Master,
    Member,
    ProjectScan,
    ScanOptions,
    ScanReport,
    UnitKind,
    UnitPrint,
)

REPORT_SCHEMA = f"oslo-incubator.scan-cache/{ANALYSIS_VERSION}"
# A dict lookup: calling the enum costs half of reading a fleet's fingerprints.
_UNIT_KINDS = {kind.value: kind for kind in UnitKind}


def print_to_json(found: FilePrint) -> list[Any]:
    """A file's fingerprint in its cache form."""
    return [
        found.lines,
        found.trivial,
        None if found.module is None else _unit_to_json(found.module),
        [_unit_to_json(u) for u in found.symbols],
        [[i.module, i.level, list(i.names), i.line] for i in found.imports],
    ]


def print_from_json(data: list[Any]) -> FilePrint:
    """A file's fingerprint from :func:`print_to_json`.

    Raises:
        ValueError, TypeError, KeyError, IndexError, AttributeError: not that form.
    """
    lines, trivial, module, symbols, imports = data
    return FilePrint(
        lines=int(lines),
        trivial=bool(trivial),
        module=None if module is None else _unit_from_json(module),
        symbols=tuple(_unit_from_json(u) for u in symbols),
        imports=tuple(ImportStatement(m, int(lv), tuple(n), int(ln)) for m, lv, n, ln in imports),
    )


def report_to_json(report: ScanReport) -> dict[str, Any]:
    """A whole report in its cache form (its options are the scan's own)."""

    def family(f: Family) -> list[Any]:
        master = None
        if f.master is not None:
            m = f.master
            master = [m.path, m.symbol, m.lineage, m.commit, m.obsolete, m.lifecycle.value]
        rep = None
        if f.representative is not None:
            rep = f.members.index(f.representative)
        return [f.id, f.grain.value, [_member_to_json(m) for m in f.members], master, rep,
                f.origin, f.lines, f.tokens]  # fmt: skip

    inc = report.incubator
    return {
        "schema": REPORT_SCHEMA,
        "projects": [[p.name, p.path, list(p.bases), p.files, p.lines, p.head]
                     for p in report.projects],
        "families": [family(f) for f in report.families],
        "candidates": [[c.family, c.rank, c.score, c.reason] for c in report.candidates],
        "imports": [[i.project, i.importer, i.imported, i.line] for i in report.imports],
        "incubator": None if inc is None else [inc.path, inc.head, inc.package_root.path],
    }  # fmt: skip


def report_from_json(data: dict[str, Any], options: ScanOptions | None = None) -> ScanReport:
    """A report from :func:`report_to_json`, with the ``options`` of this scan.

    Raises:
        ValueError: another schema; ValueError, TypeError, KeyError, IndexError,
            AttributeError: not that form.
    """
    if data.get("schema") != REPORT_SCHEMA:
        raise ValueError("not a scan report of this version")
    families = []
    for fid, grain, members, master, rep, origin, lines, tokens in data["families"]:
        found = tuple(_member_from_json(m) for m in members)
        families.append(
            Family(
                fid,
                Grain(grain),
                found,
                None if master is None else _master_from_json(master),
                None if rep is None else found[rep],
                origin,
                int(lines),
                int(tokens),
            )  # fmt: skip
        )
    inc = data["incubator"]
    return ScanReport(
        projects=tuple(
            ProjectScan(n, p, tuple(b), int(f), int(ln), h)
            for n, p, b, f, ln, h in data["projects"]
        ),
        families=tuple(families),
        candidates=tuple(
            Candidate(f, int(r), float(s), reason) for f, r, s, reason in data["candidates"]
        ),
        imports=tuple(ImportLink(p, a, b, int(ln)) for p, a, b, ln in data["imports"]),
        incubator=None if inc is None else IncubatorInfo(inc[0], inc[1], PackageRoot(inc[2])),
        options=options or ScanOptions(),
    )


def _unit_to_json(unit: UnitPrint) -> list[Any]:
    return [unit.name, unit.kind.value, unit.start, unit.end, unit.tokens, unit.key,
            base64.b64encode(unit.signature).decode("ascii")]  # fmt: skip


def _unit_from_json(data: list[Any]) -> UnitPrint:
    name, kind, start, end, tokens, key, sig = data
    return UnitPrint(name, _UNIT_KINDS[kind], int(start), int(end), int(tokens), str(key),
                     binascii.a2b_base64(sig))  # fmt: skip


def _member_to_json(m: Member) -> list[Any]:
    return [m.project, m.path, m.symbol, m.kind.value, m.start, m.end, m.tokens, m.key,
            m.similarity, m.status.value if m.status else None, m.added, m.declared]  # fmt: skip


def _member_from_json(d: list[Any]) -> Member:
    project, path, symbol, kind, start, end, tokens, key, similarity, status, added, declared = d
    return Member(project, path, symbol, _UNIT_KINDS[kind], int(start), int(end), int(tokens), key,
                  float(similarity), DriftStatus(status) if status else None,
                  None if added is None else int(added), bool(declared))  # fmt: skip


def _master_from_json(data: list[Any]) -> Master:
    path, symbol, lineage, commit, obsolete, lifecycle = data
    return Master(path, symbol, lineage, commit, obsolete, LifecycleState(lifecycle))
