"""A program: carry out a plan file, library after library, resumably.

Public use cases: :func:`run_program` graduates every library of a plan file into
``DEST/<library>``; :func:`migrate_to_program` moves a consumer to every library of a
program in one change.

How the libraries depend on each other. The program works on a *scratch incubator*,
a bare clone of the incubator in ``DEST/.incubator`` whose branch ``program`` starts at
the incubator's HEAD; the user's checkout is never touched. Each library is graduated
from that branch (:func:`oslo_incubator.workflows.graduation.graduate_library`, with
private copies), tagged with the program's version, and its shim commit (the shims,
the incubator's other modules now importing the library, the records) becomes the new
tip of ``program``. So the next library sees the earlier ones as graduated twice over:
the incubator's records say so, and the program passes them as earlier libraries, whose
imports are rewritten to their packages and which are required at ``>=`` their version.

Resuming. ``DEST/program.json`` records each library when it is done (atomically). A
new run reads it, checks that the plan still says the same of the libraries done,
verifies each (its repository's HEAD is the recorded commit; the scratch incubator's
``program`` branch contains its shim commit) and skips it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from oslo_incubator.graph.incubator import incubator_graph
from oslo_incubator.history.git import git_text, resolve_commit, run_git
from oslo_incubator.history.master import read_master
from oslo_incubator.model.errors import ConfigError, GitError
from oslo_incubator.model.graduate import (
    EarlierLibrary,
    FileRole,
    GraduateOptions,
    MigrationResult,
    MigrationTarget,
)
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.plan import PlanFile, PlannedLibrary
from oslo_incubator.model.program import (
    PROGRAM_BRANCH,
    PROGRAM_FILE,
    SCRATCH_INCUBATOR,
    LibraryStatus,
    MovedTest,
    ProgramLibrary,
    ProgramOptions,
    ProgramRecord,
    ProgramResult,
    ProgramStep,
)
from oslo_incubator.operations.migrate import migrate_libraries
from oslo_incubator.workflows.graduation import graduate_library
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.planfile import read_plan_file
from oslo_incubator.workspace.programfile import read_program, write_program

Progress = Callable[[str, int, int], None]


def run_program(
    plan_path: Path,
    incubator: Path,
    dest: Path,
    options: ProgramOptions,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> ProgramResult:
    """Graduate every library of the plan file at ``plan_path`` into ``dest``.

    Args:
        plan_path: a plan file (``graduate plan --output``, or written by hand).
        incubator: the incubator's git repository; its HEAD starts the program.
        dest: the program's directory: ``<library>/`` repositories, ``program.json``,
            the scratch incubator ``.incubator``.
        options: version, Requires-Python and identity of every library.
        cache: the import analysis and history index between runs.
        progress: called with ``("libraries", done, total)``.

    Returns:
        Every library of the plan, written now or skipped (done before).

    Raises:
        ConfigError: a bad plan file (with its file and line), a module the incubator
            does not have, a plan that no longer agrees with the libraries done, a
            library directory the record does not account for.
        GitError: git failed.
    """
    started = time.perf_counter()
    plan = read_plan_file(plan_path)
    package_root = plan.package_root
    dest.mkdir(parents=True, exist_ok=True)
    record = read_program(dest)
    notes: list[str] = []
    if record is None:
        record = _start(plan_path, incubator, dest, package_root)
    else:
        head = resolve_commit(incubator, "HEAD")
        if head != record.head:
            notes.append(
                f"the incubator's HEAD is {head[:12]}; the program continues from "
                f"{record.head[:12]}, where it started"
            )
    scratch = dest / record.scratch
    notes += _check_plan(plan, plan_path, scratch, package_root, record, dest, cache)
    earlier: list[EarlierLibrary] = []
    steps: list[ProgramStep] = []
    total = len(plan.libraries)
    for index, planned in enumerate(plan.libraries):
        if progress is not None:
            progress("libraries", index, total)
        done = record.library(planned.name)
        if done is not None:
            _verify_done(dest, scratch, done)
            status = LibraryStatus.SKIPPED
            entry = done
        else:
            entry = _graduate(planned, scratch, dest, package_root, tuple(earlier), options, cache)
            run_git(scratch, "update-ref", f"refs/heads/{PROGRAM_BRANCH}", entry.shim_commit)
            record = replace(record, libraries=(*record.libraries, entry))
            write_program(dest, record)
            status = LibraryStatus.WRITTEN
        required = tuple(
            e.name for e in earlier if any(r.split(">")[0] == e.name for r in _lines(entry))
        )
        steps.append(ProgramStep(entry, status, required))
        earlier.append(EarlierLibrary(entry.name, entry.package, entry.modules, entry.version))
    if progress is not None:
        progress("libraries", total, total)
    return ProgramResult(
        str(dest), record, tuple(steps), time.perf_counter() - started, tuple(notes)
    )


def program_targets(dest: Path) -> tuple[MigrationTarget, ...]:
    """What a consumer moves to for the program in ``dest``: every library done, in
    order, with its modules and its requirement (``name>=version``).

    Raises:
        ConfigError: ``dest`` holds no program record.
    """
    record = read_program(dest)
    if record is None:
        raise ConfigError(f"no program here (no {PROGRAM_FILE})", dest)
    return tuple(
        MigrationTarget(lib.name, lib.package, lib.modules, f"{lib.name}>={lib.version}")
        for lib in record.libraries
    )


def migrate_to_program(
    project: Path, dest: Path, dry_run: bool = False, force: bool = False
) -> MigrationResult:
    """Move ``project`` to every library of the program in ``dest`` in one change:
    imports of each library's modules name its package, ``requirements.txt`` gains
    every library used, ``openstack-common.conf`` loses their modules, and their copies
    go. All edits or none (see :func:`oslo_incubator.operations.migrate.migrate_libraries`).

    Raises:
        ConfigError: no program in ``dest``, or as ``migrate``.
        DirtyTreeError, UnsafePathError: as ``migrate``.
    """
    targets = program_targets(dest)
    if not targets:
        raise ConfigError("the program has no library done yet", dest / PROGRAM_FILE)
    return migrate_libraries(project, targets, dry_run=dry_run, force=force)


# Private


def _lines(entry: ProgramLibrary) -> tuple[str, ...]:
    return (*entry.requirements, *entry.test_requirements)


def _start(
    plan_path: Path, incubator: Path, dest: Path, package_root: PackageRoot
) -> ProgramRecord:
    """Clone the incubator (bare) into the program's directory, branch ``program`` at
    its HEAD, and write the first record."""
    scratch = dest / SCRATCH_INCUBATOR
    if scratch.exists():
        raise ConfigError(
            f"{SCRATCH_INCUBATOR} exists but there is no {PROGRAM_FILE}; remove it or "
            "choose another directory",
            scratch,
        )
    head = resolve_commit(incubator, "HEAD")
    run_git(dest, "clone", "--bare", "-q", str(incubator.resolve()), SCRATCH_INCUBATOR)
    run_git(scratch, "update-ref", f"refs/heads/{PROGRAM_BRANCH}", head)
    run_git(scratch, "symbolic-ref", "HEAD", f"refs/heads/{PROGRAM_BRANCH}")
    record = ProgramRecord(str(incubator.resolve()), head, str(plan_path.resolve()), package_root)
    write_program(dest, record)
    return record


def _check_plan(
    plan: PlanFile,
    plan_path: Path,
    scratch: Path,
    package_root: PackageRoot,
    record: ProgramRecord,
    dest: Path,
    cache: Cache | None,
) -> list[str]:
    """Every module of the plan exists in the incubator the program started from; the
    libraries done are the plan's first ones, with the same modules; no directory is
    in the way of a library still to do. Returns notes: a library named like a
    distribution the incubator requires (later libraries will get it instead)."""
    master = read_master(scratch, package_root, record.head)
    graph, _ = incubator_graph(master, package_root, cache)
    for library in plan.libraries:
        line = library.line or None
        for module in library.modules:
            if module.replace("/", ".") not in graph:
                raise ConfigError(
                    f"library {library.name}: no module {module!r} under {package_root}/ in the "
                    f"incubator at {record.head[:12]}",
                    plan_path,
                    line,
                )
    names = [lib.name for lib in plan.libraries]
    for position, done in enumerate(record.libraries):
        planned = plan.libraries[position] if position < len(plan.libraries) else None
        if planned is None or planned.name != done.name:
            where = (
                f"is library {names.index(done.name) + 1}" if done.name in names else "lacks it"
            )
            raise ConfigError(
                f"{done.name} was graduated as library {position + 1} of this program; the "
                f"plan now {where}: start the changed plan in a new directory",
                plan_path,
                planned.line or None if planned else None,
            )
        if tuple(planned.modules) != done.modules or planned.package != done.package:
            raise ConfigError(
                f"{done.name} was graduated with modules {', '.join(done.modules)} (package "
                f"{done.package}); the plan now says {', '.join(planned.modules)} (package "
                f"{planned.package}): start the changed plan in a new directory",
                plan_path,
                planned.line or None,
            )
    notes = []
    for library in plan.libraries:
        listed = master.requirements.find(library.name)
        if listed is not None:
            notes.append(
                f"{library.name} has the name of a distribution the incubator requires "
                f"({listed.source}): libraries after it that import that distribution "
                f"require {library.name} of this program instead"
            )
    for library in plan.libraries[len(record.libraries) :]:
        path = dest / library.name
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise ConfigError(
                f"{library.name} is not recorded as done in {PROGRAM_FILE}, but its directory "
                "is not empty (an interrupted run?); remove it to graduate it again",
                path,
            )
    return notes


def _verify_done(dest: Path, scratch: Path, done: ProgramLibrary) -> None:
    repo = dest / done.path
    try:
        head = git_text(repo, "rev-parse", "HEAD").strip()
    except GitError:
        raise ConfigError(
            f"{done.name} is recorded as done, but {repo} is not its repository", repo
        ) from None
    if head != done.head:
        raise ConfigError(
            f"{done.name} is recorded at {done.head[:12]} but its repository is at "
            f"{head[:12]}; the program cannot vouch for it",
            repo,
        )
    try:
        run_git(scratch, "merge-base", "--is-ancestor", done.shim_commit, PROGRAM_BRANCH)
    except GitError:
        raise ConfigError(
            f"the scratch incubator's {PROGRAM_BRANCH} branch lacks {done.name}'s shim commit "
            f"{done.shim_commit[:12]}",
            scratch,
        ) from None


def _graduate(
    planned: PlannedLibrary,
    scratch: Path,
    dest: Path,
    package_root: PackageRoot,
    earlier: tuple[EarlierLibrary, ...],
    options: ProgramOptions,
    cache: Cache | None,
) -> ProgramLibrary:
    started = time.perf_counter()
    graduate_options = GraduateOptions(
        library=planned.name,
        package=planned.package,
        modules=tuple(planned.modules),
        dest=dest / planned.name,
        package_root=package_root,
        identity=options.identity,
        private_copies=True,
        earlier=earlier,
        version=options.version,
        python_requires=options.python_requires,
    )
    command = f"{options.command} (library {planned.name})"
    result = graduate_library(scratch, graduate_options, cache, command)
    assert result.shim is not None  # shims are on: the program needs them
    head = git_text(dest / planned.name, "rev-parse", "HEAD").strip()
    tests = tuple(MovedTest(f.source, f.path) for f in result.files if f.role is FileRole.TEST)
    return ProgramLibrary(
        name=planned.name,
        package=planned.package,
        modules=result.modules,
        version=options.version,
        path=planned.name,
        head=head,
        shim_commit=result.shim.commit,
        private=result.private,
        requirements=result.requirements,
        test_requirements=result.test_requirements,
        tests=tests,
        seconds=round(time.perf_counter() - started, 3),
    )
