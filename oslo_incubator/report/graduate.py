"""Render graduation runs and migrations: text for people, JSON, the migration's diff.

Schemas: ``oslo-incubator.graduate/1`` (:func:`graduation_to_json`) and
``oslo-incubator.migrate/1`` (:func:`migration_to_json`), documented in
doc/source/graduate.rst and doc/source/migrate.rst.
"""

from __future__ import annotations

import json
from typing import Any

from oslo_incubator.analysis.diff import unified_diff
from oslo_incubator.model.graduate import EditAction, GraduationResult, MigrationResult
from oslo_incubator.report.table import render_table

GRADUATE_SCHEMA = "oslo-incubator.graduate/1"
MIGRATE_SCHEMA = "oslo-incubator.migrate/1"


def graduation_to_json(result: GraduationResult) -> dict[str, Any]:
    """The ``oslo-incubator.graduate/1`` document."""
    history = result.history
    shim = result.shim
    return {
        "schema": GRADUATE_SCHEMA,
        "library": result.library,
        "package": result.package,
        "incubator": {"path": result.incubator, "head": result.head},
        "dest": result.dest,
        "requested": list(result.requested),
        "modules": list(result.modules),
        "needed": list(result.needed),
        "files": [
            {
                "path": f.path,
                "source": f.source,
                "role": f.role.value,
                "module": f.module,
                "history": list(f.history),
                "moved": f.moved,
            }
            for f in result.files
        ],
        "packaging": list(result.packaging),
        "requirements": list(result.requirements),
        "test_requirements": list(result.test_requirements),
        "unmapped": list(result.unmapped),
        "incubator_dependencies": {
            "allowed": result.allowed,
            "references": [
                {"path": d.path, "line": d.line, "module": d.module} for d in result.dependencies
            ],
        },
        "left_out_tests": [
            {"path": t.path, "needs": list(t.needs)} for t in result.left_out_tests
        ],
        "history": None
        if history is None
        else {
            "commits": history.commits,
            "dropped": history.dropped,
            "head": history.head,
            "paths": history.paths,
            "seconds": round(history.seconds, 3),
        },
        "commits": {"code": result.code_commit, "packaging": result.packaging_commit},
        "shim": None
        if shim is None
        else {
            "branch": shim.branch,
            "commit": shim.commit,
            "files": list(shim.files),
            "shims": list(shim.shims),
            "rewritten": list(shim.rewritten),
            "removed": list(shim.removed),
            "in_place": shim.in_place,
        },
        "private": {
            "modules": list(result.private),
            "files": list(result.private_copies.files) if result.private_copies else [],
            "commit": result.private_copies.commit if result.private_copies else None,
        },
        "graduated": [
            {
                "module": g.module,
                "library": g.library,
                "target": g.target,
                "requirement": g.requirement,
                "source": g.source,
                "tests_only": g.tests_only,
            }
            for g in result.graduated
        ],
        "tag": result.tag,
        "warnings": list(result.warnings),
    }


def render_graduation_json(result: GraduationResult) -> str:
    """:func:`graduation_to_json` as indented text."""
    return json.dumps(graduation_to_json(result), indent=2) + "\n"


def render_graduation_text(result: GraduationResult) -> str:
    """What ``graduate run`` did, for people: the steps, the files, what to look at."""
    modules = ", ".join(result.modules)
    lines = [
        f"graduated {modules} into {result.library} (package {result.package}) at {result.dest}"
    ]
    if result.graduated:
        used = ", ".join(f"{g.module} → {g.target}" for g in result.graduated)
        lines.append(f"  imported from libraries that graduated already: {used}")
    if result.private:
        lines.append(
            f"  private copies in {result.package}/openstack/common: {', '.join(result.private)}"
        )
    elif result.needed and not result.graduated:
        lines.append(f"  needed at import time, staying behind: {', '.join(result.needed)}")
    steps = []
    if result.history is not None:
        h = result.history
        head = (h.head or "none")[:8]
        steps.append(
            (
                "history",
                f"{h.commits} commits kept from {h.paths} paths ({h.dropped} dropped) "
                f"in {h.seconds:.2f} s, head {head}",
            )  # fmt: skip
        )
    moved = sum(f.moved for f in result.files)
    steps.append(("code", f"{_short(result.code_commit)} imports rewritten ({moved} references)"))
    requirements = ", ".join(result.requirements) or "none"
    tests = ", ".join(result.test_requirements) or "none"
    steps.append(
        (
            "packaging",
            f"{_short(result.packaging_commit)} requirements: {requirements}; tests: {tests}",
        )  # fmt: skip
    )
    copies = result.private_copies
    if copies is not None:
        steps.append(
            (
                "private",
                f"{_short(copies.commit)} {len(copies.modules)} modules synced "
                f"({len(copies.files)} files, openstack-common.conf and lock file)",
            )
        )
    if result.tag:
        steps.append(("tag", result.tag))
    shim = result.shim
    if shim is not None:
        where = "current branch" if shim.in_place else f"branch {shim.branch}"
        steps.append(
            (
                "shims",
                f"{where} at {shim.commit[:8]}: {len(shim.shims)} shims, {len(shim.rewritten)} "
                f"importers now import the library, {len(shim.removed)} moved tests removed",
            )
        )
    lines += render_table(["", ""], steps).splitlines()[1:]
    rows = [
        [f.path, f.source, f.role.value, str(f.moved), str(len(f.history))] for f in result.files
    ]
    lines += ["", render_table(["file", "from", "role", "moved", "paths"], rows).rstrip("\n")]
    if result.dependencies:
        label = "allowed" if result.allowed else "errors"
        lines += ["", f"incubator modules still imported ({label}):"]
        lines += [f"  {d.path}:{d.line}: {d.module}" for d in result.dependencies]
    if result.warnings:
        lines += ["", "warnings:"] + [f"  {w}" for w in result.warnings]
    return "\n".join(lines) + "\n"


def migration_to_json(result: MigrationResult, with_diff: bool = False) -> dict[str, Any]:
    """The ``oslo-incubator.migrate/1`` document (with the diff for a dry run)."""
    data: dict[str, Any] = {
        "schema": MIGRATE_SCHEMA,
        "project": result.project,
        "base": result.base,
        "library": result.library,
        "package": result.package,
        "modules": list(result.modules),
        "modules_from": result.modules_from,
        "dry_run": result.dry_run,
        "edits": [
            {"path": e.path, "action": e.action.value, "moved": e.moved} for e in result.edits
        ],
        "moved": result.moved,
        "kept": [{"path": k.path, "importers": list(k.importers)} for k in result.kept],
        "warnings": list(result.warnings),
        "written": list(result.written),
        "deleted": list(result.deleted),
    }
    if with_diff:
        data["diff"] = render_migration_diff(result)
    return data


def render_migration_json(result: MigrationResult, with_diff: bool = False) -> str:
    """:func:`migration_to_json` as indented text."""
    return json.dumps(migration_to_json(result, with_diff), indent=2) + "\n"


def render_migration_diff(result: MigrationResult) -> str:
    """Every edit as a unified diff (``git apply`` reads it from the project root)."""
    parts = []
    for edit in result.edits:
        old_name = "/dev/null" if edit.action is EditAction.CREATE else f"a/{edit.path}"
        new_name = "/dev/null" if edit.action is EditAction.DELETE else f"b/{edit.path}"
        parts.append(unified_diff(edit.old_text or "", edit.new_text or "", old_name, new_name))
    return "".join(parts)


def render_migration_text(result: MigrationResult) -> str:
    """What ``migrate`` changed (or would change), for people."""
    source = "named" if result.modules_from == "option" else "from the incubator's records"
    lines = [
        f"{'would migrate' if result.dry_run else 'migrated'} {result.base} to {result.library} "
        f"(package {result.package}): {', '.join(result.modules)} ({source})"
    ]
    rows = [[e.action.value, e.path, f"{e.moved} moved" if e.moved else ""] for e in result.edits]
    if rows:
        lines += render_table(["", "", ""], rows).splitlines()[1:]
    if result.kept:
        lines += ["", "copies kept, still named by:"]
        lines += [f"  {k.path}: {', '.join(k.importers)}" for k in result.kept]
    if result.warnings:
        lines += ["", "warnings:"] + [f"  {w}" for w in result.warnings]
    if result.dry_run:
        lines.append("dry run: nothing written")
    else:
        lines.append(
            f"{len(result.written)} file(s) written, {len(result.deleted)} deleted, "
            f"{result.moved} reference(s) moved"
        )
    return "\n".join(lines) + "\n"


# Private


def _short(sha: str | None) -> str:
    return sha[:8] if sha else "(no change)"
