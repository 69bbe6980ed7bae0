"""Carrying a graduation out: the new library, the shims, and consumer migrations.

Words (see doc/source/graduate.rst and migrate.rst): the *library* is the new
repository (``oslo.foo``, import package ``oslo_foo``); a *library file* is one file of
it that came from the incubator, with the master paths it had over time; an
*incubator dependency* is a reference the library's code still makes to an incubator
module that did not graduate with it; a *shim* is the text left at a graduated
module's old path; a *migration* rewrites a consumer project to import the library.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

DEFAULT_IDENTITY = "oslo-incubator <oslo-incubator@localhost>"
_IDENTITY = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]+)>\s*$")


@dataclass(frozen=True)
class Identity:
    """Who the commits a graduation makes are by (author and committer)."""

    name: str
    email: str

    @classmethod
    def parse(cls, text: str) -> Identity:
        """Read ``"Name <email>"``.

        Raises:
            ValueError: the text is not of that form.
        """
        match = _IDENTITY.match(text)
        if match is None or not match.group("name"):
            raise ValueError(f"not 'Name <email>': {text!r}")
        return cls(match.group("name"), match.group("email"))

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def git_env(self) -> dict[str, str]:
        """The environment variables that make git use this identity for a commit."""
        return {
            "GIT_AUTHOR_NAME": self.name,
            "GIT_AUTHOR_EMAIL": self.email,
            "GIT_COMMITTER_NAME": self.name,
            "GIT_COMMITTER_EMAIL": self.email,
        }


@dataclass(frozen=True)
class EarlierLibrary:
    """A library of the same program graduated before this one: imports of its
    ``modules`` are rewritten to ``<package>.<module>`` and it is required at
    ``version`` or later (no specifier when ``None``)."""

    name: str
    package: str
    modules: tuple[str, ...]
    version: str | None = None

    @property
    def requirement(self) -> str:
        """Its requirements line (``oslo.utils>=0.1.0``)."""
        return f"{self.name}>={self.version}" if self.version else self.name


@dataclass(frozen=True)
class GraduateOptions:
    """What ``graduate run`` was asked to do.

    ``modules`` are incubator modules as update.py names them; ``with_closure`` adds
    every module they import at module level. ``branch`` is the incubator branch the
    shims are committed on (``graduate-<library>`` when ``None``); ``in_place`` commits
    them on the current branch instead; ``shims`` false leaves the incubator alone.

    Clean dependencies: incubator modules the library imports that the incubator
    records as graduated, or that an ``earlier`` library of the same program took, are
    imported from their library (and required); with ``private_copies`` the others
    become private copies under ``<package>/openstack/common`` (written by sync, so
    only the graduation workflow can make them); without it they are refused unless
    ``allow_incubator_deps``. ``version`` tags the library's last commit;
    ``python_requires`` is its ``Requires-Python`` (``None``: the incubator's
    ``setup.cfg`` says it, in ``python_requires`` or its oldest Python classifier; else
    :data:`DEFAULT_PYTHON_REQUIRES`).
    """

    library: str
    package: str
    modules: tuple[str, ...]
    dest: Path
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
    allow_incubator_deps: bool = False
    with_closure: bool = False
    branch: str | None = None
    in_place: bool = False
    shims: bool = True
    identity: Identity = Identity("oslo-incubator", "oslo-incubator@localhost")
    summary: str | None = None
    deprecated_in: str | None = None
    removal_version: str | None = "?"
    private_copies: bool = False
    earlier: tuple[EarlierLibrary, ...] = ()
    version: str | None = None
    python_requires: str | None = None


#: The ``Requires-Python`` of a library whose incubator says none.
DEFAULT_PYTHON_REQUIRES = ">=3.8"


class FileRole(enum.Enum):
    """What a library file is: the graduated code, a moved test, a test helper, or a
    data file the tests read (``tests/var/policy.json``)."""

    MODULE = "module"
    TEST = "test"
    HELPER = "helper"
    DATA = "data"


@dataclass(frozen=True)
class LibraryFile:
    """One file of the library that came from the incubator.

    ``source`` is its master path at HEAD; ``history`` every master path it ever had
    (renames followed), all copied into the library's history as ``path``.
    ``moved`` counts the references the import rewrite changed.
    """

    path: str
    source: str
    role: FileRole
    module: str | None  # the incubator module, for MODULE files
    history: tuple[str, ...]
    moved: int = 0


@dataclass(frozen=True)
class IncubatorDependency:
    """A reference the library still makes to an incubator module that stays behind.

    ``path`` and ``line`` are in the library; ``module`` is the dotted name referenced
    (``openstack.common.log``).
    """

    path: str
    line: int
    module: str


@dataclass(frozen=True)
class GraduatedDependency:
    """An incubator module the library imports that has graduated already: imports of
    it now name ``target`` in ``library``, required by ``requirement``.

    ``source`` says who says it graduated: ``program`` (an earlier library of the same
    program) or the incubator record (``obsolete.txt``, ``MAINTAINERS``, ``deletion``,
    ``shim``); ``tests_only`` when only the moved tests import it.
    """

    module: str
    library: str
    target: str
    requirement: str
    source: str
    tests_only: bool = False


@dataclass(frozen=True)
class PrivateCopies:
    """The private copies a graduation synced into the library, and the commit."""

    base: str
    modules: tuple[str, ...]
    files: tuple[str, ...]
    commit: str | None


@dataclass(frozen=True)
class LeftOutTest:
    """A master test of a graduated module that does not go with the library, and why."""

    path: str
    needs: tuple[str, ...]  # the incubator modules it imports that stay behind


@dataclass(frozen=True)
class HistorySummary:
    """What the history extraction kept and how long it took."""

    commits: int
    dropped: int
    head: str | None
    paths: int  # master paths followed (every path every file ever had)
    seconds: float


@dataclass(frozen=True)
class ShimOutcome:
    """The incubator commit that leaves shims and records the graduation.

    ``files`` is every path the commit touches; of them ``shims`` are the graduated
    files, ``rewritten`` the incubator's other modules and tests that now import the
    library, ``removed`` the tests that moved to the library (the rest: MAINTAINERS,
    ``obsolete.txt``, ``requirements.txt``).
    """

    branch: str | None  # None with in_place
    commit: str
    files: tuple[str, ...]
    in_place: bool
    shims: tuple[str, ...] = ()
    rewritten: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraduationResult:
    """What ``graduate run`` did (or, for a refusal, would have done).

    ``requested`` are the modules asked for; ``modules`` those graduated (with the
    closure when asked for); ``needed`` what their closure needs that stays behind.
    ``dependencies`` are the references left to incubator modules (errors unless
    ``allowed``). ``private`` are the modules the library carries as private copies
    (``private_copies`` says what was written), ``graduated`` the modules it imports
    from libraries that exist already; ``tag`` the version tag of its last commit.
    """

    library: str
    package: str
    incubator: str
    head: str
    dest: str
    requested: tuple[str, ...]
    modules: tuple[str, ...]
    needed: tuple[str, ...]
    files: tuple[LibraryFile, ...]
    packaging: tuple[str, ...]
    requirements: tuple[str, ...]
    test_requirements: tuple[str, ...]
    unmapped: tuple[str, ...]
    dependencies: tuple[IncubatorDependency, ...]
    allowed: bool
    left_out_tests: tuple[LeftOutTest, ...]
    history: HistorySummary | None = None
    code_commit: str | None = None
    packaging_commit: str | None = None
    shim: ShimOutcome | None = None
    warnings: tuple[str, ...] = ()
    private: tuple[str, ...] = ()
    graduated: tuple[GraduatedDependency, ...] = ()
    private_copies: PrivateCopies | None = None
    tag: str | None = None


class EditAction(enum.Enum):
    """What a migration does to one file."""

    MODIFY = "modify"
    CREATE = "create"
    DELETE = "delete"


@dataclass(frozen=True)
class FileEdit:
    """One file a migration changes; ``old_text`` is ``None`` for a new file and
    ``new_text`` ``None`` for a deleted one. ``moved`` counts rewritten references."""

    path: str
    action: EditAction
    old_text: str | None
    new_text: str | None
    moved: int = 0


@dataclass(frozen=True)
class KeptCopy:
    """A copy of a moved module that is not deleted, because something still imports it."""

    path: str
    importers: tuple[str, ...]  # "file:line"


@dataclass(frozen=True)
class MigrateOptions:
    """What ``migrate`` was asked to do.

    ``modules`` empty: read which modules moved from the incubator's records (at
    ``incubator_rev``). ``requirement`` is the line added to ``requirements.txt``
    (the library's name by default).
    """

    library: str
    package: str
    modules: tuple[str, ...] = ()
    incubator: Path | None = None
    incubator_rev: str = "HEAD"
    requirement: str | None = None
    dry_run: bool = False
    force: bool = False


@dataclass(frozen=True)
class MigrationTarget:
    """One library a consumer moves to: its modules and the requirements line added."""

    library: str
    package: str
    modules: tuple[str, ...]
    requirement: str


@dataclass(frozen=True)
class MigrationResult:
    """What ``migrate`` changes in one project (or would, for a dry run).

    ``modules_from`` says where the list of modules came from: ``option`` or the
    incubator's records (``records``), or a program (``program``: then ``library`` and
    ``package`` list every library of it, and ``targets`` says which has which modules).
    """

    project: str
    base: str
    library: str
    package: str
    modules: tuple[str, ...]
    modules_from: str
    edits: tuple[FileEdit, ...]
    kept: tuple[KeptCopy, ...]
    warnings: tuple[str, ...]
    dry_run: bool
    written: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    targets: tuple[MigrationTarget, ...] = ()

    @property
    def moved(self) -> int:
        """References rewritten, over all files."""
        return sum(e.moved for e in self.edits)
