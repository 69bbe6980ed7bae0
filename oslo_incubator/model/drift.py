"""What drift analysis finds for each copy, module and project."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from oslo_incubator.model.history import Commit
from oslo_incubator.model.lifecycle import ACTIVE, Lifecycle, LifecycleState


class DriftStatus(enum.Enum):
    """Where a copy's content stands against master (see the glossary in DESIGN.md).

    Content only: ``obsolete`` means master no longer has the file (renames followed);
    what master's records say of a module that it still has is its life cycle
    (:class:`~oslo_incubator.model.lifecycle.Lifecycle`), never its status.
    """

    CURRENT = "current"
    BEHIND = "behind"
    DIVERGED = "diverged"
    UNKNOWN = "unknown"
    OBSOLETE = "obsolete"
    MISSING = "missing"


#: The check rule for an import, in a project's own code, of a module master says
#: graduated (the other rules are ``drift/<status>`` and ``lifecycle/<state>``).
GRADUATED_IMPORT_RULE = "drift/graduated-import"


def lifecycle_rule(state: LifecycleState) -> str:
    """The check rule that fails a copy for its module's life cycle."""
    return f"lifecycle/{state.value}"


# From best to worst: a module rolls up to the worst status of its files.
STATUS_SEVERITY = {
    DriftStatus.CURRENT: 0,
    DriftStatus.BEHIND: 1,
    DriftStatus.UNKNOWN: 2,
    DriftStatus.DIVERGED: 3,
    DriftStatus.OBSOLETE: 4,
    DriftStatus.MISSING: 5,
}


@dataclass(frozen=True)
class Hunk:
    """One local change against the base version, as in a unified diff."""

    base_start: int
    removed: tuple[str, ...]  # base lines the copy does not have
    copy_start: int
    added: tuple[str, ...]  # copy lines the base does not have
    text: str  # the hunk in unified-diff form, header included
    backported_from: str | None = None  # master commit that introduced the same change

    @property
    def changed_lines(self) -> int:
        """Lines removed plus lines added."""
        return len(self.removed) + len(self.added)


@dataclass(frozen=True)
class CopyDrift:
    """Drift of one copied file."""

    module: str
    copy_path: str  # relative to the project root
    master_path: str | None  # relative to the incubator root
    status: DriftStatus
    base_commit: str | None = None
    missed_commits: tuple[Commit, ...] = ()
    hunks: tuple[Hunk, ...] = ()
    lifecycle: Lifecycle = ACTIVE
    # Whether a diverged or unknown copy is valid Python 3 (drift works either way);
    # None for copies equal to a master version, which need no check.
    parses: bool | None = None
    match: str = "exact"  # how the base was found: exact, quirk, lock, nearest, trivial

    @property
    def commits_behind(self) -> int:
        """How many master commits changed the file since the base."""
        return len(self.missed_commits)

    @property
    def changed_lines(self) -> int:
        """Lines removed and added by local changes."""
        return sum(h.changed_lines for h in self.hunks)

    @property
    def backported_from(self) -> tuple[str, ...]:
        """Master commits whose changes the copy already carries, without repeats."""
        seen: dict[str, None] = {}
        for hunk in self.hunks:
            if hunk.backported_from:
                seen[hunk.backported_from] = None
        return tuple(seen)


@dataclass(frozen=True)
class ModuleDrift:
    """A module rolled up from its files: its status is its worst file's status; its
    life cycle is what master's records say of the module."""

    module: str
    status: DriftStatus
    copies: tuple[CopyDrift, ...]
    lifecycle: Lifecycle = ACTIVE


@dataclass(frozen=True)
class ProjectDrift:
    """Drift of every copy in one project."""

    name: str
    path: str
    base: str | None
    copies: tuple[CopyDrift, ...]
    undeclared: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    modules: tuple[ModuleDrift, ...] = field(default=())
    skipped: tuple[str, ...] = ()  # files not read ("path: why"): links out, unreadable
    pulled_in: tuple[str, ...] = ()  # copies no entry names that declared copies import

    def count(self, status: DriftStatus) -> int:
        """How many copies have ``status`` (``missing`` counts modules)."""
        if status is DriftStatus.MISSING:
            return len(self.missing)
        return sum(1 for c in self.copies if c.status is status)


@dataclass(frozen=True)
class DriftReport:
    """Drift of several projects against one incubator."""

    incubator_path: str
    incubator_head: str
    projects: tuple[ProjectDrift, ...]


@dataclass(frozen=True)
class Policy:
    """What ``check`` fails on: content statuses, life-cycle states (of the module a
    copy belongs to), copies more than ``max_behind`` commits behind, and, with
    ``graduated_imports``, imports of graduated modules in a project's own code."""

    fail_on: frozenset[DriftStatus] = frozenset({DriftStatus.DIVERGED, DriftStatus.MISSING})
    fail_on_lifecycle: frozenset[LifecycleState] = frozenset({LifecycleState.DELETED})
    max_behind: int | None = None
    graduated_imports: bool = True


@dataclass(frozen=True)
class Violation:
    """One copy (or missing module, or import of a graduated module) that breaks the
    policy."""

    project: str
    module: str
    path: str | None  # copy path relative to the project; None for a missing module
    status: DriftStatus | None  # the copy's content status; None for an import
    message: str
    line: int | None = None  # for a rule about one line (an import of a graduated module)
    rule: str | None = None  # the check rule when not drift/<status>
    lifecycle: Lifecycle = ACTIVE

    @property
    def rule_id(self) -> str:
        """The check rule broken: ``drift/<status>``, ``lifecycle/<state>`` or
        ``drift/graduated-import``."""
        if self.rule:
            return self.rule
        return f"drift/{self.status.value}" if self.status else "drift/unknown"
