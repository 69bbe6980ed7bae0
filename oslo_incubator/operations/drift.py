"""Drift: where every copied module of each project stands against master.

Public use cases: :func:`analyse_drift` (a whole report), :func:`check_policy` (the CI
gate over it), :func:`graduated_imports` (the lint rule against imports of graduated
modules) and :func:`judge_findings` (levels, ignores, baseline and ``--since``: which
findings fail). Where each copy came from is decided by the provenance engine
(:mod:`oslo_incubator.history.provenance`), which sync and scan share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from oslo_incubator.analysis.findings import (
    fingerprint,
    inline_ignores,
    normalise_line,
    path_matches,
    rule_matches,
)
from oslo_incubator.analysis.imports import (
    ImportKind,
    expand_from_import,
    find_imports,
    innermost_module,
)
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.history.incubator import Incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.history.resident import worker_cache, worker_incubator
from oslo_incubator.history.since import changes_since
from oslo_incubator.history.workers import Engine
from oslo_incubator.model.check import (
    RULES,
    Baseline,
    CheckResult,
    Finding,
    Level,
    ProjectChanges,
    Waiver,
)
from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.drift import (
    GRADUATED_IMPORT_RULE,
    GRADUATED_STRING_RULE,
    MAX_BEHIND_RULE,
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
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.files import project_python_files

Progress = Callable[[str, int, int], None]


def analyse_drift(
    incubator: Incubator,
    projects: Sequence[Path],
    cache: Cache | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> DriftReport:
    """Analyse every copy of every project against ``incubator``.

    Args:
        incubator: from :func:`oslo_incubator.history.incubator.open_incubator`.
        projects: project roots; each is read with its own configuration.
        cache: where results per copy content are kept between runs.
        progress: called with (project name, copies done, copies in all); on a
            cluster with ("projects", projects done, projects in all).
        engine: a cluster to run on (see ``workflows/cluster.py``): each project is
            analysed by a task of its own on a worker, which opens the incubator and
            the cache itself. The report is the same.

    Returns:
        The report, projects in the given order.

    Raises:
        ConfigError: a project's configuration is malformed or names no base package.
    """
    if engine is not None:
        results = _analyse_on(engine, incubator, projects, cache, progress)
    else:
        results = [
            analyse_project(incubator, project, load_project_config(project), cache, progress)
            for project in projects
        ]
    return DriftReport(str(incubator.path), incubator.index.head, tuple(results))


def _analyse_on(
    engine: Engine,
    incubator: Incubator,
    projects: Sequence[Path],
    cache: Cache | None,
    progress: Progress | None,
) -> list[ProjectDrift]:
    """:func:`analyse_drift`'s projects, one task each on ``engine``."""
    index = incubator.index
    cache_dir = str(cache.path.parent) if cache is not None else None
    pending = [
        engine.submit(_project_on_worker, str(incubator.path), index.package_root, index.head,
                      cache_dir, project)
        for project in projects
    ]  # fmt: skip
    if progress is not None:
        for done, _ in enumerate(engine.as_completed(pending), start=1):
            progress("projects", done, len(pending))
    return engine.gather(pending)


def _project_on_worker(
    repo: str, package_root: PackageRoot, commit: str, cache_dir: str | None, project: Path
) -> ProjectDrift:
    """One project's drift: a cluster's task, with the worker's incubator and cache."""
    incubator = worker_incubator(repo, package_root, commit, cache_dir)
    config = load_project_config(project)
    return analyse_project(incubator, project, config, worker_cache(cache_dir))


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
    """Imports of ``<base>.<root>.<module>`` in a project's own code, where master says
    the module is obsolete, or deleted for a library; and string literals spelling
    such a module's path.

    After a migration to a library nothing should import the old path again; this is
    the lint rule that keeps it so (rule ``drift/graduated-import``). A string naming
    the path is its own rule (``drift/graduated-string``): a ``mock.patch`` target, but
    also a logger list or a driver-alias table whose keys are configuration values,
    which must be reviewed rather than rewritten. Files outside the copy directory are
    read (virtualenvs, ``.tox`` and build folders skipped); only those that name a
    flagged module are parsed.
    """
    if not project.base:
        return []
    flagged = incubator.graduated_modules()
    if not flagged:
        return []
    root = Path(project.path)
    prefix = f"{project.base}.{incubator.package_root.module}"
    copy_dir = f"{project.base.replace('.', '/')}/{incubator.package_root.path}"
    # Only a file that spells "<root>.m" or "<root> import ... m" can name a flagged
    # module: the others are not parsed.
    names = "|".join(re.escape(m) for m in sorted(flagged, key=len, reverse=True))
    root_module = re.escape(incubator.package_root.module)
    spelled = re.compile(
        rf"{root_module}\.(?:{names})\b|{root_module}\s+import\s+(?:\([^)]*|[^\n]*)\b(?:{names})\b"
    )
    violations = []
    for rel in project_python_files(root, exclude=copy_dir):
        text = decode((root / rel).read_bytes())
        if incubator.package_root.module not in text or not spelled.search(text):
            continue
        parts = rel[:-3].split("/")
        is_package = parts[-1] == "__init__"
        dotted = ".".join(parts[:-1] if is_package else parts)
        lines = text.splitlines()
        seen: set[tuple[int, str, str]] = set()
        for site in find_imports(text, dotted, is_package, [prefix]):
            string = site.kind is ImportKind.WEAK
            rule = GRADUATED_STRING_RULE if string else GRADUATED_IMPORT_RULE
            for name in expand_from_import(site) if site.names else [site.module]:
                if not name.startswith(prefix + "."):
                    continue
                module = innermost_module(name[len(prefix) + 1 :], flagged)
                if module is None or (site.line, module, rule) in seen:
                    continue
                seen.add((site.line, module, rule))
                lifecycle = flagged[module]
                verb = "names" if string else "imports"
                where = " in a string" if string else ""
                violations.append(
                    Violation(
                        project.name,
                        module,
                        rel,
                        None,
                        f"{rel}:{site.line}: {verb} {prefix}.{module}{where}, "
                        f"{lifecycle.describe()} in master",
                        line=site.line,
                        rule=rule,
                        lifecycle=lifecycle,
                        text=lines[site.line - 1] if site.line <= len(lines) else "",
                    )
                )
    return violations


def judge_findings(
    report: DriftReport,
    violations: Sequence[Violation],
    fail_level: Level = Level.ERROR,
    baseline: Baseline | None = None,
    since: str | None = None,
) -> CheckResult:
    """Judge every violation of ``report``: its rule's level, its fingerprint, whether
    something waives it, and whether it fails the check.

    A finding is waived, first match wins, by an ``# oslo-incubator: ignore[...]``
    comment on its line, by a ``check_ignore`` of its project's configuration, by its
    fingerprint in ``baseline``, or, with ``since`` (a commit of the projects' git),
    when the change since then did not introduce it: a copy finding counts only when
    the copy's file changed, a line finding only when its line was added or modified,
    a missing module only when the configuration changed or a copy was deleted. A
    finding fails when nothing waives it and its level reaches ``fail_level``.

    Raises:
        ConfigError: a project's configuration is malformed.
        GitError: with ``since``, a project is not in a git work tree or the commit is
            unknown there.
    """
    projects = {p.name: p for p in report.projects}
    configs = {p.name: load_project_config(Path(p.path)) for p in report.projects}
    changes = (
        {p.name: changes_since(Path(p.path), since) for p in report.projects} if since else {}
    )
    prints = _fingerprints(violations, projects)
    findings = []
    for violation, print_ in zip(violations, prints, strict=True):
        level = RULES[violation.rule_id].level
        waiver = _waiver(
            violation,
            print_,
            configs[violation.project],
            baseline,
            changes.get(violation.project),
            projects[violation.project],
        )
        findings.append(
            Finding(violation, level, print_, waiver, waiver is None and level.reaches(fail_level))
        )
    return CheckResult(
        tuple(findings),
        fail_level,
        next(iter(changes.values())).since if changes else since,
        baseline.source if baseline else None,
    )


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
            MAX_BEHIND_RULE,
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


def _fingerprints(violations: Sequence[Violation], projects: dict[str, ProjectDrift]) -> list[str]:
    """Each violation's fingerprint: rule, project, path, module and what the finding
    is about (a line's normalised text; a diverged copy's local changes), and an
    occurrence number among equals; never a line number, so moving code keeps it."""
    seen: dict[tuple[str, ...], int] = {}
    prints = []
    for violation in violations:
        if violation.text is not None:
            detail = normalise_line(violation.text)
        elif violation.status is DriftStatus.DIVERGED and violation.rule is None:
            detail = _local_changes(projects[violation.project], violation.path)
        else:
            detail = ""
        key = (
            violation.rule_id,
            violation.project,
            violation.path or "",
            violation.module,
            detail,
        )
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        prints.append(fingerprint(*key, str(occurrence)))
    return prints


def _local_changes(project: ProjectDrift, path: str | None) -> str:
    """A diverged copy's local changes as fingerprints see them: the lines removed and
    added, whitespace collapsed, wherever they sit (so a sync that moves them keeps
    the fingerprint and a new local change makes a new one)."""
    for copy in project.copies:
        if copy.copy_path == path:
            return "\n".join(
                f"{sign}{normalise_line(line)}"
                for hunk in copy.hunks
                for sign, lines in (("-", hunk.removed), ("+", hunk.added))
                for line in lines
            )
    return ""


def _waiver(
    violation: Violation,
    print_: str,
    config: ProjectConfig,
    baseline: Baseline | None,
    changes: ProjectChanges | None,
    project: ProjectDrift,
) -> Waiver | None:
    if violation.text is not None:
        patterns = inline_ignores(violation.text)
        if patterns is not None and rule_matches(violation.rule_id, patterns):
            return Waiver.INLINE
    for ignore in config.check_ignores:
        if rule_matches(violation.rule_id, [ignore.rule]) and (
            not ignore.paths or (violation.path and path_matches(violation.path, ignore.paths))
        ):
            return Waiver.CONFIG
    if baseline is not None and print_ in baseline.fingerprints:
        return Waiver.BASELINE
    if changes is not None and not _introduced(violation, changes, config, project):
        return Waiver.UNCHANGED
    return None


def _introduced(
    violation: Violation, changes: ProjectChanges, config: ProjectConfig, project: ProjectDrift
) -> bool:
    """Whether the change since ``changes.since`` brought ``violation`` in."""
    if violation.path is None:  # a declared module without a copy
        root = Path(project.path).resolve()
        source = config.source.resolve() if config.source else None
        if source is not None and source.is_relative_to(root):
            if changes.is_new_file(source.relative_to(root).as_posix()):
                return True
        base = (project.base or "").replace(".", "/")
        stem = f"{base}/{config.package_root.path}/{violation.module.replace('.', '/')}"
        return any(p == f"{stem}.py" or p.startswith(f"{stem}/") for p in changes.changed)
    if violation.line is not None:
        return changes.is_new_line(violation.path, violation.line)
    return changes.is_new_file(violation.path)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
