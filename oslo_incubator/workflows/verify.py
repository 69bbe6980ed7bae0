"""Proof that a program's cut works: wheels, a fresh virtualenv, the moved tests.

Public use case: :func:`verify_program`. For each library of a program, in order:

1. its wheel is built (pbr, offline, from its repository; into ``DEST/.wheels``);
2. a fresh virtualenv of the chosen interpreter gets the wheels of the libraries
   before it, then the library's declared requirements (``requirements.txt`` and
   ``test-requirements.txt``) with those libraries pinned to their versions (so the
   package index, which may hold other releases of the same names, never replaces
   them), the rest from the package index (or only from ``--find-links`` with
   ``--no-index``);
3. its moved tests run in the incubator itself, at the commit the program started
   from, in that environment (before the library is installed): the baseline; each
   test module in a process of its own, killed after ``test_timeout`` seconds, with
   the variables the incubator's ``.testr.conf`` sets for its own runs
   (``OS_TEST_TIMEOUT=60``: oslotest's per-test timeout);
4. the library's wheel is installed, and the same tests run from the library.

Both runs use the same interpreter and the same third-party packages, so a test that
passes in the incubator and fails in the library points at the cut. Test ids of the
incubator run are mapped to the library's (``tests.unit.test_x`` →
``<package>.tests.test_x``) to compare them one by one.
"""

from __future__ import annotations

import io
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from packaging.utils import canonicalize_name

from oslo_incubator.analysis.imports import dotted_module_of
from oslo_incubator.analysis.packaging import testr_environment
from oslo_incubator.history.git import run_git
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.program import (
    PROGRAM_FILE,
    LibraryProof,
    ProgramLibrary,
    ProofResult,
    TestRun,
    VerifyOptions,
)
from oslo_incubator.workspace.environments import (
    build_wheel,
    create_environment,
    pip_install,
    python_version,
    run_tests,
)
from oslo_incubator.workspace.programfile import read_program

#: Where a program keeps the wheels it built, in its directory.
WHEELS_DIR = ".wheels"

Progress = Callable[[str, int, int], None]


def verify_program(
    dest: Path, options: VerifyOptions, progress: Progress | None = None
) -> ProofResult:
    """Prove every library of the program in ``dest`` (see the module docstring).

    Returns:
        Per library: the wheel, whether it installed, and the moved tests' outcomes in
        the incubator and in the library.

    Raises:
        ConfigError: ``dest`` holds no program.
        EnvironmentToolError: the interpreter cannot be run or gives no virtualenv.
    """
    started = time.perf_counter()
    record = read_program(dest)
    if record is None:
        raise ConfigError(f"no program here (no {PROGRAM_FILE})", dest)
    version = ".".join(str(v) for v in python_version(options.python))
    wheels = dest / WHEELS_DIR
    proofs: list[LibraryProof] = []
    work = Path(tempfile.mkdtemp(prefix="oslo-incubator-verify-"))
    try:
        incubator = work / "incubator"
        _export(dest / record.scratch, record.head, incubator)
        testr = incubator / ".testr.conf"
        variables = testr_environment(testr.read_text()) if testr.is_file() else {}
        built: dict[str, tuple[Path | None, str | None]] = {}
        total = len(record.libraries)
        for index, library in enumerate(record.libraries):
            if progress is not None:
                progress("wheels", index, total)
            built[library.name] = _wheel(dest / library.path, library, wheels)
        # The program's libraries are installed from their wheels, never from an index
        # that may have other releases of the same names.
        for index, library in enumerate(record.libraries):
            if progress is not None:
                progress("tests", index, total)
            earlier = [built[lib.name][0] for lib in record.libraries[:index]]
            # Only the libraries before this one are the program's: a later one may
            # share a name with a requirement this one means from the index.
            pins = work / f"program-constraints-{index}.txt"
            pins.write_text(
                "".join(f"{lib.name}=={lib.version}\n" for lib in record.libraries[:index])
            )
            proofs.append(
                _prove(
                    library,
                    dest,
                    built[library.name],
                    earlier,
                    pins,
                    incubator,
                    work,
                    options,
                    variables,
                )  # fmt: skip
            )
        if progress is not None:
            progress("tests", total, total)
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    return ProofResult(
        str(dest),
        options.python,
        version,
        tuple(proofs),
        time.perf_counter() - started,
        str(work) if options.keep else None,
    )


# Private


def _export(repo: Path, commit: str, target: Path) -> None:
    """The incubator's tree at ``commit``, as files (``git archive``)."""
    target.mkdir(parents=True)
    data = run_git(repo, "archive", "--format=tar", commit)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")


def _wheel(repo: Path, library: ProgramLibrary, wheels: Path) -> tuple[Path | None, str | None]:
    """The library's wheel, built once per library commit (a wheel of the same name
    built from another commit is replaced)."""
    stamp = wheels / f".{library.name}.head"
    prefix = library.name.replace(".", "_").replace("-", "_")
    existing = sorted(wheels.glob(f"{prefix}-{library.version}-*.whl"))
    if existing and stamp.is_file() and stamp.read_text().strip() == library.head:
        return existing[-1], None
    for old in existing:
        old.unlink()
    wheel, error = build_wheel(repo, wheels)
    if wheel is not None:
        stamp.write_text(library.head + "\n")
    return wheel, error


def _prove(
    library: ProgramLibrary,
    dest: Path,
    built: tuple[Path | None, str | None],
    earlier: list[Path | None],
    pins: Path,
    incubator: Path,
    work: Path,
    options: VerifyOptions,
    variables: dict[str, str],
) -> LibraryProof:
    started = time.perf_counter()
    wheel, error = built
    empty = TestRun({})
    name = library.name
    if wheel is None:
        return LibraryProof(name, None, False, empty, empty, 0.0, f"wheel: {error}")
    repo = dest / library.path
    env = create_environment(options.python, work / f"env-{name}")
    if any(w is None for w in earlier):
        return LibraryProof(name, wheel.name, False, empty, empty, 0.0,
                            "an earlier library's wheel did not build")  # fmt: skip
    if earlier:
        failed = pip_install(env, ["--no-deps", *(str(w) for w in earlier if w)], options.timeout)
        if failed:
            return LibraryProof(name, wheel.name, False, empty, empty, _since(started),
                                f"earlier libraries: {failed}")  # fmt: skip
    sources = ["-c", str(pins)]
    for link in options.find_links:
        sources += ["--find-links", link]
    if options.no_index:
        sources.append("--no-index")
    for constraint in options.constraints:
        sources += ["-c", constraint]
    files = [
        repo / n for n in ("requirements.txt", "test-requirements.txt") if (repo / n).is_file()
    ]
    requirements = [arg for f in files for arg in ("-r", str(f))]
    missing: list[str] = []
    failed = pip_install(env, [*sources, *requirements], options.timeout)
    if failed:
        # One at a time: what installs is installed, the rest is said (both runs
        # then go without it alike); a program library that will not install fails.
        for line in _requirement_lines(files):
            if pip_install(env, [*sources, line], options.timeout):
                missing.append(line)
        ours = [m for m in missing if _name(m) in _program_names(dest)]
        if ours:
            return LibraryProof(name, wheel.name, False, empty, empty, _since(started),
                                f"requirements: {failed}", tuple(missing))  # fmt: skip
    mapping = {dotted_module_of(t.source)[0]: dotted_module_of(t.path)[0] for t in library.tests}
    before = run_tests(env, list(mapping), incubator, incubator, options.test_timeout,
                       work / f"run-{name}-incubator", variables)  # fmt: skip
    baseline = _mapped(before.outcomes, mapping, before.error)
    failed = pip_install(env, ["--no-deps", str(wheel)], options.timeout)
    if failed and "requires a different Python" in failed:
        failed += " (build the program with graduate program --python-requires to match)"
    if failed:
        return LibraryProof(name, wheel.name, False, baseline, empty, _since(started),
                            f"install: {failed}", tuple(missing))  # fmt: skip
    elsewhere = work / f"cwd-{name}"
    elsewhere.mkdir()
    after = run_tests(env, list(mapping.values()), elsewhere, None, options.test_timeout,
                      work / f"run-{name}-library", variables)  # fmt: skip
    return LibraryProof(
        name,
        wheel.name,
        True,
        baseline,
        TestRun(after.outcomes, after.error),
        _since(started),
        None,
        tuple(missing),
    )


def _requirement_lines(files: list[Path]) -> list[str]:
    lines = []
    for path in files:
        for raw in path.read_text().splitlines():
            line = raw.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                lines.append(line)
    return lines


def _name(requirement: str) -> str:
    return canonicalize_name(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])


def _program_names(dest: Path) -> set[str]:
    record = read_program(dest)
    return {canonicalize_name(lib.name) for lib in record.libraries} if record else set()


def _mapped(outcomes: dict[str, str], mapping: dict[str, str], error: str | None) -> TestRun:
    """Incubator test ids under the library's module names."""
    found = {}
    for test_id, outcome in outcomes.items():
        new = test_id
        for old, moved in mapping.items():
            if test_id == old or test_id.startswith(old + "."):
                new = moved + test_id[len(old) :]
                break
        found[new] = outcome
    return TestRun(found, error)


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
