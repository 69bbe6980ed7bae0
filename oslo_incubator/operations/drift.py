"""Drift: where every copied module of each project stands against master.

Public use cases: :func:`analyse_drift` (a whole report), :func:`check_policy` (the CI
gate over it) and :func:`graduated_imports` (the lint rule against imports of graduated
modules). Where each copy came from is decided by the provenance engine
(:mod:`oslo_incubator.history.provenance`), which sync and scan share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from oslo_incubator.analysis.imports import expand_from_import, find_imports, innermost_module
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.history.incubator import Incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.model.drift import (
    GRADUATED_IMPORT_RULE,
    CopyDrift,
    DriftReport,
    DriftStatus,
    ModuleDrift,
    Policy,
    ProjectDrift,
    Violation,
    lifecycle_rule,
)
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.files import project_python_files

Progress = Callable[[str, int, int], None]


def analyse_drift(
    incubator: Incubator,
    projects: Sequence[Path],
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> DriftReport:
    """Analyse every copy of every project against ``incubator``.

    Args:
        incubator: from :func:`oslo_incubator.history.incubator.open_incubator`.
        projects: project roots; each is read with its own configuration.
        cache: where results per copy content are kept between runs.
        progress: called with (project name, copies done, copies in all).

    Returns:
        The report, projects in the given order.

    Raises:
        ConfigError: a project's configuration is malformed or names no base package.
    """
    results = []
    for project in projects:
        config = load_project_config(project)
        results.append(analyse_project(incubator, project, config, cache, progress))
    return DriftReport(str(incubator.path), incubator.index.head, tuple(results))


def check_policy(
    report: DriftReport, policy: Policy, incubator: Incubator | None = None
) -> list[Violation]:
    """Every copy of ``report`` that ``policy`` rejects, in report order: by content
    status, by the life cycle of its module, or by how far behind it is; missing
    modules when the policy fails ``missing``; and with the ``incubator`` and
    ``policy.graduated_imports``, every import of a graduated module in the projects'
    own code (see :func:`graduated_imports`)."""
    violations = []
    for project in report.projects:
        lifecycles = {m.module: m.lifecycle for m in project.modules}
        for copy in project.copies:
            # A file master deleted is deleted, whatever its module's life cycle.
            lifecycle = copy.lifecycle
            if lifecycle.state is not LifecycleState.DELETED:
                lifecycle = lifecycles.get(copy.module, copy.lifecycle)
            found = _violation_message(copy, lifecycle, policy)
            if found:
                message, rule = found
                violations.append(
                    Violation(
                        project.name,
                        copy.module,
                        copy.copy_path,
                        copy.status,
                        message,
                        rule=rule,
                        lifecycle=lifecycle,
                    )
                )
        for module in project.modules:
            if module.status is not DriftStatus.MISSING:
                continue
            found = _missing_message(module, policy)
            if found:
                message, rule = found
                violations.append(
                    Violation(
                        project.name,
                        module.module,
                        None,
                        DriftStatus.MISSING,
                        message,
                        rule=rule,
                        lifecycle=module.lifecycle,
                    )
                )
        if incubator is not None and policy.graduated_imports:
            violations += graduated_imports(incubator, project)
    return violations


def graduated_imports(incubator: Incubator, project: ProjectDrift) -> list[Violation]:
    """Imports of ``<base>.<root>.<module>`` (or ``mock.patch`` strings naming one) in a
    project's own code, where master says the module is obsolete, or deleted for a
    library.

    After a migration to a library nothing should import the old path again; this is
    the lint rule that keeps it so (rule ``drift/graduated-import``). Files outside the
    copy directory are read (virtualenvs, ``.tox`` and build folders skipped); only
    those that name a flagged module are parsed.
    """
    if not project.base:
        return []
    flagged = incubator.graduated_modules()
    if not flagged:
        return []
    root = Path(project.path)
    prefix = f"{project.base}.{incubator.root_module}"
    copy_dir = f"{project.base.replace('.', '/')}/{incubator.index.package_root}"
    # Only a file that spells "<root>.m" or "<root> import ... m" can name a flagged
    # module: the others are not parsed.
    names = "|".join(re.escape(m) for m in sorted(flagged, key=len, reverse=True))
    root_module = re.escape(incubator.root_module)
    spelled = re.compile(
        rf"{root_module}\.(?:{names})\b|{root_module}\s+import\s+(?:\([^)]*|[^\n]*)\b(?:{names})\b"
    )
    violations = []
    for rel in project_python_files(root, exclude=copy_dir):
        text = decode((root / rel).read_bytes())
        if incubator.root_module not in text or not spelled.search(text):
            continue
        parts = rel[:-3].split("/")
        is_package = parts[-1] == "__init__"
        dotted = ".".join(parts[:-1] if is_package else parts)
        seen: set[tuple[int, str]] = set()
        for site in find_imports(text, dotted, is_package, [prefix]):
            for name in expand_from_import(site) if site.names else [site.module]:
                if not name.startswith(prefix + "."):
                    continue
                module = innermost_module(name[len(prefix) + 1 :], flagged)
                if module is None or (site.line, module) in seen:
                    continue
                seen.add((site.line, module))
                lifecycle = flagged[module]
                violations.append(
                    Violation(
                        project.name,
                        module,
                        rel,
                        None,
                        f"{rel}:{site.line}: imports {prefix}.{module}, "
                        f"{lifecycle.describe()} in master",
                        line=site.line,
                        rule=GRADUATED_IMPORT_RULE,
                        lifecycle=lifecycle,
                    )
                )
    return violations


# Private


def _violation_message(
    copy: CopyDrift, lifecycle: Lifecycle, policy: Policy
) -> tuple[str, str | None] | None:
    """Why ``policy`` rejects a copy, and the rule (``None``: ``drift/<status>``)."""
    if copy.status in policy.fail_on:
        if copy.status is DriftStatus.DIVERGED:
            return (
                f"{copy.copy_path} carries {_count(len(copy.hunks), 'local change')} "
                f"({_count(copy.changed_lines, 'line')}) on top of master "
                f"{(copy.base_commit or '')[:8]}",
                None,
            )
        if copy.status is DriftStatus.OBSOLETE:
            return f"{copy.copy_path} is no longer in master ({lifecycle.describe()})", None
        return f"{copy.copy_path} is {copy.status.value}", None
    if lifecycle.state in policy.fail_on_lifecycle:
        return (
            f"{copy.copy_path}: module {copy.module} is {lifecycle.describe()} in master",
            lifecycle_rule(lifecycle.state),
        )
    if policy.max_behind is not None and copy.commits_behind > policy.max_behind:
        return (
            f"{copy.copy_path} is {copy.commits_behind} master commits behind "
            f"(at most {policy.max_behind} allowed)",
            "drift/max-behind",
        )
    return None


def _missing_message(module: ModuleDrift, policy: Policy) -> tuple[str, str | None] | None:
    if DriftStatus.MISSING in policy.fail_on:
        return f"module {module.module} is declared but has no copy", None
    if module.lifecycle.state in policy.fail_on_lifecycle:
        return (
            f"module {module.module} is declared; it is {module.lifecycle.describe()} in master",
            lifecycle_rule(module.lifecycle.state),
        )
    return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
