"""What the deprecation-debt scan finds: deprecated APIs, their remaining uses, and
whether their promised removal is overdue."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class DeprecationSource(enum.Enum):
    """Which library made the deprecation."""

    OSLO_INCUBATOR = "oslo_incubator.deprecation"
    DEBTCOLLECTOR = "debtcollector"
    PEP702 = "pep702"  # warnings.deprecated, typing_extensions.deprecated
    VERSIONUTILS = "versionutils"  # oslo's versionutils (incubator copies and oslo_log)


class DeprecatedKind(enum.Enum):
    """What was deprecated."""

    FUNCTION = "function"
    METHOD = "method"
    CLASS = "class"
    PROPERTY = "property"
    MODULE = "module"
    KWARG = "kwarg"  # passing the keyword argument is deprecated
    KWARG_DEFAULT = "kwarg-default"  # relying on the keyword argument's default is deprecated
    FEATURE = "feature"  # a behaviour inside a definition; its uses cannot be found statically


class UseKind(enum.Enum):
    """How a use refers to a deprecated name."""

    IMPORT = "import"
    CALL = "call"
    INSTANTIATION = "instantiation"  # a call of a deprecated class
    SUBCLASS = "subclass"  # a class statement naming a deprecated class as a base
    REFERENCE = "reference"  # any other mention (attribute access, a callback, a decorator)
    TEXT = "text"  # the name appears in a file that does not parse


class Confidence(enum.Enum):
    """How sure the scan is that a use refers to the deprecated name."""

    CERTAIN = "certain"  # resolved through names, or an inferred type that reaches it
    POSSIBLE = "possible"  # the attribute's name matches and its object is not known, or text


class RemovalStatus(enum.Enum):
    """Where a deprecation stands against its promised removal."""

    OVERDUE = "overdue"  # the declaring project has reached the removal version
    PENDING = "pending"  # the removal version is still ahead
    UNSCHEDULED = "unscheduled"  # no removal version was promised (or "never")
    UNKNOWN = "unknown"  # the versions could not be compared; the reason says why


@dataclass(frozen=True)
class Deprecation:
    """One deprecation declared in a module, as the source text states it.

    ``name`` is qualified (``nova.utils.Klass.method``; a keyword argument is
    ``nova.utils.func(kwarg=)``); ``target`` is the dotted name uses must reach (the
    function for a keyword argument, the class for an ``__init__`` keyword argument,
    else ``name``); ``owner`` is the definition whose own body does not count as a
    caller. ``api`` names the helper (``removals.remove``, ``versionutils.deprecated``,
    ``deprecated``). ``removal_problem`` says why ``removal_version`` cannot be read
    (an expression rather than a literal).
    """

    name: str
    kind: DeprecatedKind
    source: DeprecationSource
    api: str
    line: int
    target: str
    owner: str
    kwarg: str | None = None
    replacement: str | None = None
    message: str | None = None
    version: str | None = None
    removal_version: str | None = None
    removal_problem: str | None = None


@dataclass(frozen=True)
class Use:
    """One place that still refers to a deprecated name.

    ``scope`` is the innermost definition the use sits in (the module for top-level
    code). A possible use says in ``reason`` why the object it is reached through is
    not known (``parameter 'client' of nova.x.f is not annotated``).
    """

    project: str
    path: str  # relative to the project root
    line: int
    kind: UseKind
    scope: str
    confidence: Confidence = Confidence.CERTAIN
    reason: str | None = None


@dataclass(frozen=True)
class ProjectVersion:
    """A scanned project and the version its removals are measured against.

    ``source`` says where the version came from (``setup.cfg``, ``pyproject.toml``,
    ``PKG-INFO``, ``git tag``); ``release`` is the OpenStack release series the
    version maps to (``Kilo`` for ``2015.1.0``), when it maps to one.
    """

    name: str
    path: str
    version: str | None
    source: str | None
    release: str | None


@dataclass(frozen=True)
class Removal:
    """The removal verdict of one deprecation, with the comparison that decided it."""

    status: RemovalStatus
    reason: str


@dataclass(frozen=True)
class DebtItem:
    """A deprecation, where it is declared, its verdict and its remaining uses."""

    project: str
    path: str  # relative to the project root
    deprecation: Deprecation
    removal: Removal
    uses: tuple[Use, ...] = ()
    possible_uses: tuple[Use, ...] = ()

    @property
    def tracks_uses(self) -> bool:
        """Whether uses can be found at all (not for a feature deprecated inside a body)."""
        return self.deprecation.kind is not DeprecatedKind.FEATURE


@dataclass(frozen=True)
class SkippedFile:
    """A Python file the scan could not parse (often Python 2 code)."""

    project: str
    path: str
    line: int | None
    reason: str


@dataclass(frozen=True)
class DebtReport:
    """The deprecation debt of several projects scanned together."""

    projects: tuple[ProjectVersion, ...]
    items: tuple[DebtItem, ...]
    files_scanned: int
    skipped: tuple[SkippedFile, ...] = ()
    release: str | None = None  # the release series given on the command line

    @property
    def overdue(self) -> tuple[DebtItem, ...]:
        """The items whose removal is overdue."""
        return tuple(i for i in self.items if i.removal.status is RemovalStatus.OVERDUE)
