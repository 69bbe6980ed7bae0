"""A program: a plan file carried out library after library, and its proof.

Words (see doc/source/graduate.rst): a *program* is a plan file carried out in order
into one directory, one repository per library, each depending on the libraries before
it; its *record* (``program.json`` in that directory) says which libraries are done,
so a program can be resumed; its *scratch incubator* is a bare clone of the incubator
on which the shims of each library accumulate, so that later libraries see earlier
ones as graduated, and the user's own incubator is never touched. The *proof* builds
wheels, installs them in a fresh virtualenv and runs each library's moved tests next to
the same tests in the incubator.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oslo_incubator.model.graduate import DEFAULT_IDENTITY, Identity
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

PROGRAM_SCHEMA = "oslo-incubator.program/1"
PROOF_SCHEMA = "oslo-incubator.program-proof/1"
#: The record of a program, in its directory.
PROGRAM_FILE = "program.json"
#: The scratch incubator, a bare clone, in the program's directory.
SCRATCH_INCUBATOR = ".incubator"
#: The branch of the scratch incubator on which the shims accumulate.
PROGRAM_BRANCH = "program"


@dataclass(frozen=True)
class ProgramOptions:
    """How a program graduates each library: its version (a tag; later libraries
    require ``>=`` it), its ``Requires-Python`` (``None``: as
    :class:`~oslo_incubator.model.graduate.GraduateOptions` finds it), who commits."""

    version: str = "0.1.0"
    python_requires: str | None = None
    identity: Identity = Identity.parse(DEFAULT_IDENTITY)
    command: str = "oslo-incubator graduate program"


@dataclass(frozen=True)
class MovedTest:
    """A test file that moved: its incubator path and its library path."""

    source: str
    path: str


@dataclass(frozen=True)
class ProgramLibrary:
    """One library a program has written (``path`` relative to the program's
    directory; ``head`` its last commit; ``shim_commit`` the scratch incubator's commit
    that left its shims)."""

    name: str
    package: str
    modules: tuple[str, ...]
    version: str
    path: str
    head: str
    shim_commit: str
    private: tuple[str, ...]
    requirements: tuple[str, ...]
    test_requirements: tuple[str, ...]
    tests: tuple[MovedTest, ...]
    seconds: float


@dataclass(frozen=True)
class ProgramRecord:
    """What ``program.json`` holds: where the program comes from and what is done."""

    incubator: str
    head: str  # the incubator commit the program started from
    plan: str
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
    scratch: str = SCRATCH_INCUBATOR
    libraries: tuple[ProgramLibrary, ...] = ()
    schema: str = PROGRAM_SCHEMA

    def library(self, name: str) -> ProgramLibrary | None:
        """The library named ``name``, when done."""
        return next((lib for lib in self.libraries if lib.name == name), None)


class LibraryStatus(enum.Enum):
    """What a program run did with one library of the plan."""

    WRITTEN = "written"  # graduated by this run
    SKIPPED = "skipped"  # done by an earlier run, verified


@dataclass(frozen=True)
class ProgramStep:
    """One library of a program run and what the run did with it."""

    library: ProgramLibrary
    status: LibraryStatus
    earlier: tuple[str, ...]  # the earlier libraries it requires
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgramResult:
    """What ``graduate program`` did."""

    dest: str
    record: ProgramRecord
    steps: tuple[ProgramStep, ...]
    seconds: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyOptions:
    """How to prove a program: the interpreter of the fresh virtualenvs, where pip
    finds requirements besides the program's wheels, and how long a test run may take."""

    python: str
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    timeout: float = 1800.0
    keep: bool = False
    constraints: tuple[str, ...] = ()  # pip constraints files (the era's versions)
    test_timeout: float = 600.0  # seconds one test module may run


@dataclass(frozen=True)
class TestRun:
    """Outcomes of one run of test modules: test id → ``pass``, ``fail``, ``error``,
    ``skip`` or ``xfail``; ids are the library's (incubator ids are mapped)."""

    outcomes: dict[str, str]
    error: str | None = None  # the run itself failed (timeout, no result)

    @property
    def passed(self) -> frozenset[str]:
        """The ids that passed."""
        return frozenset(t for t, o in self.outcomes.items() if o == "pass")

    def count(self, outcome: str) -> int:
        """How many tests had ``outcome``."""
        return sum(1 for o in self.outcomes.values() if o == outcome)


@dataclass(frozen=True)
class LibraryProof:
    """One library's proof: its wheel, the install, and its moved tests run in the
    incubator and in the library, under the same interpreter and packages.

    ``missing`` are declared requirements that would not install (a database driver
    that needs a system library): both runs go without them, alike."""

    name: str
    wheel: str | None
    installed: bool
    incubator: TestRun
    library: TestRun
    seconds: float
    error: str | None = None
    missing: tuple[str, ...] = ()  # declared requirements that would not install

    @property
    def kept(self) -> int:
        """Tests that pass in the incubator and in the library."""
        return len(self.incubator.passed & self.library.passed)

    @property
    def lost(self) -> tuple[str, ...]:
        """Tests that pass in the incubator but not in the library."""
        return tuple(sorted(self.incubator.passed - self.library.passed))


@dataclass(frozen=True)
class ProofResult:
    """``graduate verify``: every library's proof, and the interpreter used."""

    dest: str
    python: str
    python_version: str
    libraries: tuple[LibraryProof, ...]
    seconds: float
    kept: str | None = None  # the work folder (virtualenvs, runs), when kept

    @property
    def ratio(self) -> float | None:
        """Of the moved tests that pass in the incubator, the share that pass in the
        libraries (``None`` when none pass in the incubator)."""
        base = sum(len(p.incubator.passed) for p in self.libraries)
        return None if base == 0 else sum(p.kept for p in self.libraries) / base
