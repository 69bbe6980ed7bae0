"""Render sync results: text for people, JSON (``oslo-incubator.sync/2``), the diff."""

from __future__ import annotations

import json
from typing import Any

from oslo_incubator.analysis.diff import unified_diff
from oslo_incubator.model.sync import FileSync, ModuleSync, SyncResult
from oslo_incubator.report.table import render_table

SYNC_SCHEMA = "oslo-incubator.sync/2"


def sync_to_json(result: SyncResult, with_diff: bool = False) -> dict[str, Any]:
    """The ``oslo-incubator.sync/2`` document (see doc/source/sync.rst)."""
    data: dict[str, Any] = {
        "schema": SYNC_SCHEMA,
        "project": result.project,
        "base": result.base,
        "incubator": {
            "path": result.incubator,
            "commit": result.master.sha,
            "date": result.master.date,
        },
        "rewrite": result.rewrite,
        "command": result.command,
        "dry_run": result.dry_run,
        "status": status_of(result),
        "modules": [_module_json(m) for m in result.modules],
        "retired": [
            {
                "module": r.module,
                "state": r.lifecycle.state.value,
                "library": r.lifecycle.library,
                "commit": r.lifecycle.commit,
                "source": r.lifecycle.source.value if r.lifecycle.source else None,
                "copied": r.copied,
            }
            for r in result.retired
        ],
        "warnings": list(result.warnings),
        "written": list(result.written),
        "committed": result.committed,
        "message": result.message,
    }
    if with_diff:
        data["diff"] = render_sync_diff(result)
    return data


def render_sync_json(result: SyncResult, with_diff: bool = False) -> str:
    """:func:`sync_to_json` as indented text."""
    return json.dumps(sync_to_json(result, with_diff), indent=2) + "\n"


def status_of(result: SyncResult) -> str:
    """One word for the outcome: ``written``, ``dry-run``, ``conflicts``, ``up-to-date``
    or ``refused`` (retired modules with ``--fail-on-obsolete``, or a dirty tree)."""
    if result.written:
        return "written"
    if result.dry_run:
        return "dry-run"
    if result.refused == "conflicts" or result.conflicts:
        return "conflicts"
    if result.refused:
        return "refused"
    if not result.changed:
        return "up-to-date"
    return "refused"


def render_sync_text(result: SyncResult) -> str:
    """A table of modules, then retired modules, conflicts, warnings and the outcome."""
    out = [
        f"sync {result.project} (base {result.base}) from {result.incubator} at "
        f"{result.master.sha[:8]} ({result.master.date[:10]}), rewrite {result.rewrite}"
    ]
    rows = [
        [
            m.module,
            m.action.value,
            str(sum(1 for f in m.files if f.changes_project)) + f"/{len(m.files)}",
            str(len(m.picked_up) or "-"),
            _local_cell(m),
            f"needed by {', '.join(m.required_by)}" if m.required_by else "",
        ]
        for m in result.modules
    ]
    out.append(
        render_table(["module", "action", "changed", "commits", "local changes", "why"], rows)
    )
    for item in result.retired:
        life = item.lifecycle
        source = "" if life.source is None or item.copied is False else f"{life.source.value} "
        said = f" ({source}at {life.commit[:8]})" if life.commit else ""
        library = f", replaced by {life.library}" if life.library else ""
        verb = "copied" if item.copied else "not copied"
        out.append(f"  {item.module} {verb}: {life.state.value} in master{said}{library}")
    for file in result.files:
        for change in file.local_changes:
            if change.kept:
                verb = "kept"
            elif change.dropped:
                verb = "dropped (--local-changes drop): master's text replaced it"
            else:
                origin = change.backported_from
                verb = "dropped, master has it" + (f" since {origin[:8]}" if origin else "")
            out.append(f"  local change {file.copy_path}:{change.base_start}: {verb}")
    for conflict in result.conflicts:
        out.append(f"  conflict {conflict.copy_path}:{conflict.base_start}:")
        out += [f"    copy   | {line.rstrip()}" for line in conflict.ours]
        out += [f"    base   | {line.rstrip()}" for line in conflict.base]
        out += [f"    master | {line.rstrip()}" for line in conflict.theirs]
    for warning in result.warnings:
        out.append(f"  warning: {warning}")
    out.append(_outcome(result))
    return "\n".join(out) + "\n"


def render_sync_diff(result: SyncResult) -> str:
    """The unified diff of every file the sync changes (``a/`` and ``b/`` paths)."""
    parts = []
    for file in result.changed:
        old = file.old_text or ""
        old_name = f"a/{file.copy_path}" if file.old_text is not None else "/dev/null"
        parts.append(unified_diff(old, file.new_text, old_name, f"b/{file.copy_path}"))
    return "".join(parts)


# Private


def _module_json(module: ModuleSync) -> dict[str, Any]:
    return {
        "module": module.module,
        "required_by": list(module.required_by),
        "action": module.action.value,
        "picked_up": [
            {"sha": c.sha, "date": c.date, "subject": c.subject} for c in module.picked_up
        ],
        "files": [_file_json(f) for f in module.files],
    }


def _file_json(file: FileSync) -> dict[str, Any]:
    return {
        "path": file.copy_path,
        "master_path": file.master_path,
        "kind": file.kind.value,
        "action": file.action.value,
        "base_commit": file.base_commit,
        "base_source": file.base_source,
        "rewrite": file.rewrite,
        "local_changes": [
            {
                "base_start": c.base_start,
                "removed": list(c.removed),
                "added": list(c.added),
                "kept": c.kept,
                "dropped": c.dropped,
                "backported_from": c.backported_from,
            }
            for c in file.local_changes
        ],
        "conflicts": [
            {
                "base_start": c.base_start,
                "base": list(c.base),
                "copy": list(c.ours),
                "master": list(c.theirs),
            }
            for c in file.conflicts
        ],
    }


def _local_cell(module: ModuleSync) -> str:
    kept = sum(1 for f in module.files for c in f.local_changes if c.kept)
    dropped = sum(1 for f in module.files for c in f.local_changes if not c.kept)
    conflicts = sum(len(f.conflicts) for f in module.files)
    parts = []
    if kept:
        parts.append(f"{kept} kept")
    if dropped:
        parts.append(f"{dropped} dropped")
    if conflicts:
        parts.append(f"{conflicts} conflicting")
    return ", ".join(parts) or "-"


def _outcome(result: SyncResult) -> str:
    changed = len(result.changed)
    status = status_of(result)
    if status == "written":
        committed = f"; committed {result.committed[:8]}" if result.committed else ""
        return f"wrote {len(result.written)} file(s){committed}"
    if status == "dry-run":
        return f"dry run: {changed} file(s) would change; nothing written"
    if status == "conflicts":
        return (
            f"{len(result.conflicts)} conflict(s): nothing written "
            "(--allow-conflicts writes them with conflict markers)"
        )
    if status == "up-to-date":
        return "everything is up to date; nothing to write"
    if result.refused == "retired":
        return "retired modules asked for (--fail-on-obsolete): nothing written"
    return f"{changed} file(s) would change; nothing written"
