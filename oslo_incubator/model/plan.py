"""A graduation plan: which incubator modules leave together, in which order.

Words (see doc/source/graduate.rst): a *module* is named as update.py names it
(``log``, ``db.sqlalchemy``); a *library* is a proposed group of modules that graduate
together; *baggage* is what a requested module's closure adds beyond the modules asked
for; a *consumer* is a project whose own code imports incubator modules.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot


class DependencyKind(enum.Enum):
    """How one module needs another (the import kinds of the import analysis).

    ``strong``: imported at module level, needed at import time; ``lazy``: imported
    inside a function, needed when that runs; ``weak``: named in a string
    (``importutils.import_module('openstack.common.x')``), needed only if that string
    is used as a module path.
    """

    STRONG = "strong"
    LAZY = "lazy"
    WEAK = "weak"

    @property
    def strength(self) -> int:
        """Strong 2, lazy 1, weak 0: an edge with several kinds of site takes the max."""
        return {"strong": 2, "lazy": 1, "weak": 0}[self.value]


class Signal(enum.Enum):
    """A kind of evidence that two modules belong in one library.

    Hard signals decide alone: ``cycle`` (module-level imports round a cycle),
    ``intent`` (a record names the library a module goes to), ``together`` (the user
    said so), ``requested`` (``--module`` and what it needs at import time). The others
    weigh in a module's bonds (see doc/source/graduate.rst for how each is measured).
    """

    CYCLE = "cycle"
    INTENT = "intent"
    TOGETHER = "together"
    REQUESTED = "requested"
    IMPORT = "import"
    HELPER = "helper"
    CO_CHANGE = "co-change"
    CO_CONSUMPTION = "co-consumption"
    REQUIREMENT = "requirement"
    MAINTAINER = "maintainer"
    NAME = "name"

    @property
    def hard(self) -> bool:
        """Whether the signal alone puts modules in one library."""
        return self in _HARD_SIGNALS


_HARD_SIGNALS = frozenset({Signal.CYCLE, Signal.INTENT, Signal.TOGETHER, Signal.REQUESTED})


class Granularity(enum.Enum):
    """How large the proposed libraries are: ``fine`` splits themes into smaller
    libraries, ``coarse`` joins related themes; ``balanced`` is the default."""

    FINE = "fine"
    BALANCED = "balanced"
    COARSE = "coarse"


@dataclass(frozen=True)
class Tie:
    """One signal between two modules: its share of their bond, the count behind it
    (commits, consumer files, modules sharing a requirement ...) and the words for
    people (``changed together in 3 commits``)."""

    signal: Signal
    weight: float
    count: int
    text: str


@dataclass(frozen=True)
class Bond:
    """What ties two modules (sorted) together: the sum of its ties' weights."""

    modules: tuple[str, str]
    weight: float
    ties: tuple[Tie, ...]


@dataclass(frozen=True)
class CloseCall:
    """A strong bond between modules of two libraries, and what kept them apart.

    ``libraries`` are the libraries of ``bond.modules``, in that order; ``apart`` says
    why (``--apart``, recorded intent, an import cycle between the libraries it would
    make, or ties within each library that weigh more).
    """

    bond: Bond
    libraries: tuple[str, str]
    apart: str


@dataclass(frozen=True)
class ImportLine:
    """Where one module imports another: a file (relative to the repository) and line."""

    path: str
    line: int
    kind: DependencyKind


@dataclass(frozen=True)
class ModuleEdge:
    """``source`` imports ``target``; ``kind`` is the strongest of its ``sites``."""

    source: str
    target: str
    kind: DependencyKind
    sites: tuple[ImportLine, ...]


@dataclass(frozen=True)
class ThirdParty:
    """A third-party distribution that modules import.

    ``listed_in`` is the requirements file that names it (``requirements.txt``,
    ``test-requirements.txt``), empty when none does; ``specifier`` and ``marker`` come
    from that line. ``imports`` are the imported names that resolve to it; ``kind`` is
    the strongest import (a requirement imported only lazily is optional at import time).
    """

    distribution: str
    specifier: str
    marker: str
    listed_in: str
    imports: tuple[str, ...]
    kind: DependencyKind

    @property
    def requirement(self) -> str:
        """As a requirements line (``SQLAlchemy<=0.9.99,>=0.7.8``)."""
        marker = f"; {self.marker}" if self.marker else ""
        return f"{self.distribution}{self.specifier}{marker}"


@dataclass(frozen=True)
class ModuleInfo:
    """One incubator module at HEAD.

    ``tests`` are the master test files that import it; ``unmapped`` the imported
    top-level names that are neither standard library nor a known distribution.
    """

    name: str
    files: tuple[str, ...]
    lines: int
    tests: tuple[str, ...]
    requirements: tuple[ThirdParty, ...]
    unmapped: tuple[str, ...]


@dataclass(frozen=True)
class ApiName:
    """A public name of a module that consumers use (``getLogger`` of ``log``).

    For a package module the name is qualified by the file that defines it
    (``session.get_session`` of ``db.sqlalchemy``). ``uses`` counts the lines that name
    it: the ``from`` import of the name, attribute accesses on a module alias, and
    string paths (``mock.patch('nova.openstack.common.timeutils.utcnow')``).
    """

    module: str
    name: str
    uses: int
    projects: tuple[str, ...]


@dataclass(frozen=True)
class ModuleUsage:
    """How one project's own code uses one incubator module.

    ``sites`` are its import statements (paths relative to the project root); ``api``
    the module's names it uses (``projects`` is the one project).
    """

    module: str
    sites: tuple[ImportLine, ...]
    api: tuple[ApiName, ...]

    @property
    def files(self) -> tuple[str, ...]:
        """The project files that import the module, sorted."""
        return tuple(sorted({s.path for s in self.sites}))


@dataclass(frozen=True)
class ProjectUsage:
    """Which incubator modules a project's own code imports (its copies aside).

    ``text_scanned`` are the files that are not valid Python 3, whose imports and
    names were found by a text scan instead of the syntax tree.
    """

    name: str
    path: str
    base: str
    modules: tuple[ModuleUsage, ...]
    text_scanned: tuple[str, ...] = ()

    def usage_of(self, module: str) -> ModuleUsage | None:
        """How the project uses ``module``, ``None`` when it does not import it."""
        return next((u for u in self.modules if u.module == module), None)


@dataclass(frozen=True)
class ConsumerUse:
    """How much one project's own code imports a library's modules."""

    project: str
    import_sites: int
    files: int


@dataclass(frozen=True)
class Baggage:
    """What the closure of the requested modules adds beyond them."""

    modules: tuple[str, ...]
    lines: int
    requirements: tuple[str, ...]


@dataclass(frozen=True)
class ModuleDependency:
    """A module outside a library that the library imports, and where it graduates.

    ``later`` is true when ``library`` comes after the importing library in the plan's
    order: only a lazy or weak import can point forward (a broken cycle).
    """

    module: str
    library: str
    kind: DependencyKind
    later: bool = False


@dataclass(frozen=True)
class Library:
    """A proposed library: modules that graduate together, and what it takes.

    ``reasons`` say why the modules are together, in numbers (what holds the whole
    library together); ``bonds`` are the ties between its modules, strongest first, and
    ``close_calls`` the strongest bonds to modules of other libraries with what kept
    them apart; ``requested`` are the modules named
    with ``--module`` (empty otherwise) and ``baggage`` what their closure dragged in.
    ``tests`` are the master test files that go with it: a test file named for one of
    its modules (``tests/unit/test_log.py``, ``tests/unit/db/sqlalchemy/test_utils.py``)
    that imports it, else a test file whose last library in graduation order is this one
    (it can run only once all it imports has graduated); ``test_requirements`` are what
    those tests import beyond ``requirements``.
    """

    name: str
    modules: tuple[str, ...]
    reasons: tuple[str, ...]
    files: int
    lines: int
    requested: tuple[str, ...]
    baggage: Baggage | None
    api: tuple[ApiName, ...]
    requirements: tuple[ThirdParty, ...]
    test_requirements: tuple[ThirdParty, ...]
    unmapped: tuple[str, ...]
    dependencies: tuple[ModuleDependency, ...]
    consumers: tuple[ConsumerUse, ...]
    tests: tuple[str, ...]
    bonds: tuple[Bond, ...] = ()
    close_calls: tuple[CloseCall, ...] = ()

    @property
    def libraries(self) -> tuple[str, ...]:
        """The libraries this one imports, without repeats, in dependency order."""
        return tuple(dict.fromkeys(d.library for d in self.dependencies))


@dataclass(frozen=True)
class Cycle:
    """Modules that import each other round a cycle (a strongly connected set).

    ``edges`` are all import edges among them, with their lines; ``breaking_edges`` the
    fewest edges whose removal leaves no cycle (``exact`` false when the set is too big
    to search and a greedy heuristic chose them). ``forced`` is true when the
    module-level imports alone make a cycle, so the modules must graduate together;
    otherwise lazy or weak imports close it and the plan breaks it there.
    """

    modules: tuple[str, ...]
    edges: tuple[ModuleEdge, ...]
    breaking_edges: tuple[ModuleEdge, ...]
    exact: bool
    forced: bool


@dataclass(frozen=True)
class ModuleClosure:
    """The modules a set of modules needs at import time, and their requirements.

    ``modules`` includes the requested ones; ``baggage`` is the rest.
    """

    requested: tuple[str, ...]
    modules: tuple[str, ...]
    baggage: Baggage
    requirements: tuple[ThirdParty, ...]
    unmapped: tuple[str, ...]


@dataclass(frozen=True)
class GraduationPlan:
    """Libraries in graduation order (each after the libraries it imports), the cycles
    found on the way, and the module graph the plan was made from.

    ``notes`` are things the reader should know (an unreadable requirements line, files
    that only a text scan could read, commits left out of co-change); ``granularity`` is
    the one asked for and ``weights`` the weight of each soft signal the plan used.
    """

    incubator: str
    head: str
    package_root: PackageRoot
    projects: tuple[str, ...]
    requested: tuple[str, ...]
    libraries: tuple[Library, ...]
    cycles: tuple[Cycle, ...]
    modules: tuple[ModuleInfo, ...]
    edges: tuple[ModuleEdge, ...]
    notes: tuple[str, ...] = ()
    granularity: Granularity = Granularity.BALANCED
    weights: tuple[tuple[Signal, float], ...] = ()
    released: tuple[str, ...] = ()  # libraries the incubator already requires: graduated

    def library_of(self, module: str) -> Library | None:
        """The library that takes ``module``."""
        return next((lib for lib in self.libraries if module in lib.modules), None)


PLAN_FILE_SCHEMA = "oslo-incubator.graduation-plan/1"


@dataclass(frozen=True)
class PlannedLibrary:
    """One library of a plan file: its distribution name, import package, modules, and
    the lines that say why (kept as comments for people; not read back)."""

    name: str
    package: str
    modules: tuple[str, ...]
    why: tuple[str, ...] = ()
    line: int = 0  # where its table starts in the file it was read from (0: not read)


@dataclass(frozen=True)
class PlanFile:
    """An editable graduation plan: libraries in graduation order (each after every
    library it imports), as ``graduate plan --output`` writes it and ``graduate run``
    and ``graduate program`` read it back (see doc/source/formats.rst)."""

    libraries: tuple[PlannedLibrary, ...]
    incubator_head: str = ""
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
    schema: str = PLAN_FILE_SCHEMA

    def library_of(self, module: str) -> PlannedLibrary | None:
        """The library that takes ``module``, or ``None``."""
        return next((lib for lib in self.libraries if module in lib.modules), None)
