"""What ``scan`` finds: fingerprints of files, copy families, incubation candidates.

A *family* is a set of code units (whole modules, or top-level functions and classes)
that are copies of one another, exactly or nearly, across a fleet of projects. When the
incubator has the unit, the family has a *master* and each member a drift status;
otherwise the member that looks most like the origin represents the family.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.packageroot import PackageRoot

# Bump when anything that decides a result changes, so older cache entries are not used.
ANALYSIS_VERSION = "scan/4"


class Grain(enum.Enum):
    """The size of the unit a family is made of."""

    MODULE = "module"  # a whole file
    SYMBOL = "symbol"  # a top-level function or class


class UnitKind(enum.Enum):
    """What a fingerprinted unit is."""

    MODULE = "module"
    FUNCTION = "function"
    CLASS = "class"


@dataclass(frozen=True)
class FingerprintSettings:
    """How text becomes a fingerprint; changing any of these changes every fingerprint.

    ``shingle`` tokens make one shingle; a signature has ``bins`` 32-bit values (one
    permutation MinHash), cut into ``bands`` bands for locality-sensitive hashing.
    """

    shingle: int = 5
    bins: int = 64
    bands: int = 16


@dataclass(frozen=True)
class UnitPrint:
    """The fingerprint of one unit of a file: the whole module or one top-level symbol.

    ``key`` hashes the normalised token sequence (equal keys are exact copies);
    ``signature`` is the packed MinHash of its shingles (``b""`` when it has none).
    """

    name: str | None  # the symbol's name; None for the module
    kind: UnitKind
    start: int  # first line, 1-based (decorators included)
    end: int  # last line, inclusive
    tokens: int
    key: str
    signature: bytes


@dataclass(frozen=True)
class ImportStatement:
    """One ``import`` or ``from ... import`` statement, as written (not yet resolved)."""

    module: str  # dotted, without the leading dots of a relative import
    level: int  # 0 for absolute, else the number of leading dots
    names: tuple[str, ...]  # the names of a ``from`` import
    line: int


@dataclass(frozen=True)
class FilePrint:
    """Everything ``scan`` needs from one file, computed once per content and cached."""

    lines: int
    trivial: bool  # empty, comments or a lone docstring of one line
    module: UnitPrint | None  # None when the file has no tokens at all
    symbols: tuple[UnitPrint, ...]
    imports: tuple[ImportStatement, ...]


@dataclass(frozen=True)
class ScanOptions:
    """What the user chose for one scan (see doc/source/scan.rst)."""

    min_similarity: float = 0.8
    # Comments are not tokens and a string is one: 25 of these are about the 50 tokens
    # jscpd and PMD CPD ask for, which count comment words and split strings.
    min_tokens: int = 25
    min_lines: int = 5
    jobs: int = 1
    fingerprint: FingerprintSettings = FingerprintSettings()


@dataclass(frozen=True)
class Member:
    """One copy in a family.

    ``similarity`` is the Jaccard similarity of its shingles to the family's
    representative (the master, else the origin member); ``status`` is its drift
    status when the family has a master; ``added`` is the commit time (Unix seconds)
    that added its file to its project, when git history says so.
    """

    project: str
    path: str  # relative to the project root
    symbol: str | None  # None for a whole module
    kind: UnitKind
    start: int
    end: int
    tokens: int
    key: str
    similarity: float
    status: DriftStatus | None = None
    added: int | None = None
    declared: bool = False  # a copy at its master's place that drift located by path


@dataclass(frozen=True)
class Master:
    """The incubator file (or a symbol of it) a family was copied from."""

    path: str  # at HEAD, or the last path before master deleted it
    symbol: str | None
    lineage: str
    commit: str  # the commit of the version the members are compared with
    obsolete: bool  # master no longer has the file
    lifecycle: LifecycleState = LifecycleState.ACTIVE  # what master's records say of it


@dataclass(frozen=True)
class Family:
    """Copies of one unit across projects.

    ``representative`` is the member standing for the family when it has no master:
    the oldest by git history, else the most common content (``origin`` says which).
    """

    id: str
    grain: Grain
    members: tuple[Member, ...]
    master: Master | None
    representative: Member | None
    origin: str  # "master", "oldest" or "most-common"
    lines: int  # of the representative (or master version)
    tokens: int

    @property
    def projects(self) -> tuple[str, ...]:
        """The projects that hold a member, in first-seen order."""
        return tuple(dict.fromkeys(m.project for m in self.members))

    @property
    def min_similarity(self) -> float:
        """The lowest similarity of a member to the representative."""
        return min((m.similarity for m in self.members), default=1.0)

    @property
    def mean_similarity(self) -> float:
        """The mean similarity of the members to the representative."""
        if not self.members:
            return 1.0
        return sum(m.similarity for m in self.members) / len(self.members)


@dataclass(frozen=True)
class Candidate:
    """A family with no master, in two or more projects: a module to incubate."""

    family: str
    rank: int
    score: float
    reason: str


@dataclass(frozen=True)
class ImportLink:
    """A project file that imports a copied module file of the same project."""

    project: str
    importer: str  # path of the importing file
    imported: str  # path of the copied file
    line: int


@dataclass(frozen=True)
class ProjectScan:
    """One scanned project."""

    name: str
    path: str
    bases: tuple[str, ...]  # the package names folded away when comparing
    files: int
    lines: int
    head: str | None  # the git commit scanned, when the project is a repository


@dataclass(frozen=True)
class IncubatorInfo:
    """The incubator the families were matched against."""

    path: str
    head: str
    package_root: PackageRoot


@dataclass(frozen=True)
class ScanReport:
    """The result of one scan."""

    projects: tuple[ProjectScan, ...]
    families: tuple[Family, ...]
    candidates: tuple[Candidate, ...]
    imports: tuple[ImportLink, ...]
    incubator: IncubatorInfo | None
    options: ScanOptions

    def family(self, family_id: str) -> Family:
        """The family with ``family_id``.

        Raises:
            KeyError: no such family.
        """
        for family in self.families:
            if family.id == family_id:
                return family
        raise KeyError(family_id)
