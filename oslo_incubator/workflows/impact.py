"""Cross tests of an incubator change: impact, then sync, then the project's tests.

For each project the change touches: a temporary git worktree of the project's HEAD
(the user's checkout is never written; only git's list of worktrees grows, and
shrinks again), its copies of the changed modules synced with this package's own
sync to master as it was just before the change, the selected tests run in a fresh
virtualenv, the change synced in, the same tests run again, and the difference
reported. Syncing the *before* state first means the two runs differ by the change
alone, even for a project several syncs behind.

Composes ``impact`` (who is touched, which lines) and ``sync`` (the two syncs), so it
lives one layer above the operations.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from oslo_incubator.analysis.crosstests import compare_runs, is_test_file, select_tests
from oslo_incubator.analysis.imports import dotted_module_of, expand_from_import, find_imports
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.packaging import testr_environment
from oslo_incubator.history.git import add_worktree, remove_worktree
from oslo_incubator.history.incubator import Incubator, open_incubator
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.errors import OsloIncubatorError
from oslo_incubator.model.impact import CrossTest, ImpactReport, ProjectImpact, Verdict
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.sync import SyncOptions, SyncResult
from oslo_incubator.operations.sync import command_line, sync_project
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.environments import (
    Environment,
    create_environment,
    pip_install,
    run_tests,
)
from oslo_incubator.workspace.files import project_python_files

Progress = Callable[[str, int, int], None]
Say = Callable[[str], None]

REQUIREMENTS = ("requirements.txt", "test-requirements.txt")


@dataclass(frozen=True)
class CrossTestOptions:
    """How cross tests run: the virtualenvs' interpreter (``None``: ``python3`` if
    found, else this one), every test module or only those selected, the time one
    test module may take, a pip constraints file, and whether the temporary trees
    are kept."""

    python: str | None = None
    all_tests: bool = False
    timeout: float = 600.0
    constraints: Path | None = None
    keep: bool = False


def cross_test(
    incubator: Path,
    report: ImpactReport,
    package_root: PackageRoot,
    options: CrossTestOptions,
    cache: Cache | None = None,
    progress: Progress | None = None,
    say: Say | None = None,
) -> ImpactReport:
    """``report`` with the cross tests of every project the change touches (one with
    a copy of a changed module, or a line that uses a changed name).

    Raises:
        GitError: the incubator lost a commit of the report.
    """
    before = open_incubator(incubator, package_root, cache, rev=report.base)
    after = open_incubator(incubator, package_root, cache, rev=report.head)
    projects = []
    for project in report.projects:
        if project.verdict is Verdict.UNTOUCHED and not project.copies:
            projects.append(project)
            continue
        tests = _cross_test_one(project, report, before, after, options, cache, say)
        projects.append(replace(project, tests=tests))
    return replace(report, projects=tuple(projects))


# Private


def _cross_test_one(
    project: ProjectImpact,
    report: ImpactReport,
    before: Incubator,
    after: Incubator,
    options: CrossTestOptions,
    cache: Cache | None,
    say: Say | None,
) -> CrossTest:
    started = time.monotonic()
    modules = tuple(c.module for c in project.copies if c.status is not DriftStatus.MISSING)
    python = options.python or shutil.which("python3") or sys.executable
    if not modules:
        return CrossTest(project.name, (), (), 0, 0, error="no copy of a changed module to sync")
    scratch = Path(tempfile.mkdtemp(prefix=f"oslo-incubator-impact-{project.name}-"))
    tree = scratch / project.name
    source = Path(project.path)
    notes: list[str] = []
    try:
        _say(say, f"{project.name}: worktree of HEAD in {tree}")
        add_worktree(source, tree)
        command = command_line(["impact", "--run-tests", "--change", report.head])
        first = _sync(before, tree, modules, command, cache)
        if first.refused:
            return _failed(project, started, python, f"the sync to {report.base[:8]} "
                           f"was refused ({first.refused})")  # fmt: skip
        if first.written:
            notes.append(
                f"copies first brought to {report.base[:8]}, just before the change "
                f"({len(first.written)} file(s)), so the runs differ by the change alone"
            )
        tests = _selected_tests(tree, project, report, options.all_tests)
        if not tests:
            why = "no test module imports the changed modules or the files that use them"
            return _failed(project, started, python, why + " (--all-tests runs all)")
        _say(say, f"{project.name}: virtualenv ({python}) and requirements")
        env, install_notes = _environment(python, scratch / "venv", tree, options)
        notes += install_notes
        variables = _testr_variables(tree)
        _say(say, f"{project.name}: {len(tests)} test module(s) before the change")
        first_run = run_tests(
            env, tests, tree, tree, options.timeout, scratch / "before", variables
        )
        second = _sync(after, tree, modules, command, cache)
        if second.refused:
            return _failed(project, started, python, f"the sync of the change was refused "
                           f"({second.refused})", tests)  # fmt: skip
        _say(say, f"{project.name}: {len(tests)} test module(s) after the change")
        second_run = run_tests(
            env, tests, tree, tree, options.timeout, scratch / "after", variables
        )
        failing, passing, cannot = compare_runs(first_run.outcomes, second_run.outcomes)
        for run, when in ((first_run, "before"), (second_run, "after")):
            if run.error:
                notes.append(f"{when}: {run.error.splitlines()[0][:300]}")
        if options.keep:
            notes.append(f"kept: {scratch} (git -C {source} worktree remove --force {tree})")
        return CrossTest(
            project=project.name,
            modules=tuple(tests),
            synced=tuple(p for p in second.written if p.endswith(".py")),
            before=_passed(first_run.outcomes),
            after=_passed(second_run.outcomes),
            newly_failing=failing,
            newly_passing=passing,
            cannot_run=cannot,
            seconds=time.monotonic() - started,
            python=python,
            notes=tuple(notes),
        )
    except OsloIncubatorError as exc:
        return _failed(project, started, python, str(exc))
    finally:
        if not options.keep:
            remove_worktree(source, tree)
            shutil.rmtree(scratch, ignore_errors=True)


def _sync(
    incubator: Incubator, tree: Path, modules: Sequence[str], command: str, cache: Cache | None
) -> SyncResult:
    config = load_project_config(tree)
    options = SyncOptions(modules=tuple(modules), force=True, command=command)
    return sync_project(incubator, tree, config, options, cache)


def _selected_tests(
    tree: Path, project: ProjectImpact, report: ImpactReport, everything: bool
) -> list[str]:
    """Test modules (dotted) to run: every one, or those that import a changed module's
    copy or a project module with a line that uses a changed name."""
    config = load_project_config(tree)
    files = [f for f in project_python_files(tree) if is_test_file(f)]
    if everything:
        return [dotted_module_of(f)[0] for f in files]
    root = report.package
    targets = {f"{config.base}.{root}.{c.module}" for c in project.copies}
    targets |= {dotted_module_of(s.path)[0] for s in project.sites}
    imports = {}
    for path in files:
        dotted, is_package = dotted_module_of(path)
        text = decode((tree / path).read_bytes())
        sites = find_imports(text, dotted, is_package)
        imports[path] = [name for site in sites for name in expand_from_import(site)]
    chosen = set(select_tests(imports, targets))
    chosen |= {s.path for s in project.sites if is_test_file(s.path)}
    return [dotted_module_of(p)[0] for p in sorted(chosen)]


def _environment(
    python: str, where: Path, tree: Path, options: CrossTestOptions
) -> tuple[Environment, list[str]]:
    """A virtualenv with the project's requirements. When they do not install
    together (an old database driver needing a system library, a dead download
    link), each is installed on its own and those that fail are left out of both
    runs alike, and named."""
    notes: list[str] = []
    env = create_environment(python, where)
    requirements = [f for f in REQUIREMENTS if (tree / f).is_file()]
    if not requirements:
        return env, notes
    constraints = ["-c", str(options.constraints)] if options.constraints else []
    arguments = [a for f in requirements for a in ("-r", str(tree / f))]
    if pip_install(env, [*arguments, *constraints]) is None:
        return env, notes
    left_out = []
    for name in requirements:
        for line in decode((tree / name).read_bytes()).splitlines():
            requirement = line.split("#", 1)[0].strip()
            if not requirement or requirement.startswith("-"):
                continue
            if pip_install(env, [requirement, *constraints]) is not None:
                left_out.append(requirement)
    if left_out:
        notes.append(f"left out of both runs, would not install: {', '.join(left_out)}")
    return env, notes


def _testr_variables(tree: Path) -> dict[str, str]:
    conf = tree / ".testr.conf"
    if not conf.is_file():
        return {}
    return testr_environment(decode(conf.read_bytes()))


def _passed(outcomes: dict[str, str]) -> int:
    return sum(1 for outcome in outcomes.values() if outcome in ("pass", "xfail"))


def _failed(
    project: ProjectImpact, started: float, python: str, why: str, tests: Sequence[str] = ()
) -> CrossTest:
    return CrossTest(
        project.name, tuple(tests), (), 0, 0, error=why,
        seconds=time.monotonic() - started, python=python,
    )  # fmt: skip


def _say(say: Say | None, message: str) -> None:
    if say is not None:
        say(message)
