"""What master says of a module apart from its content: its life cycle.

A module's *content status* (drift's current, behind, diverged ...) compares texts; its
*life cycle* is what the incubator's records say of it: maintained, orphaned, on its way
to a library, deprecated, obsolete, or deleted. The two are independent axes: a
deprecated module can be current, and an active one can be diverged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class LifecycleState(enum.Enum):
    """Where a module is in its life, from the incubator's records.

    ``active``: maintained, or no record says otherwise; ``orphan``: MAINTAINERS says
    nobody maintains it; ``graduating``: on its way to a library; ``deprecated``: to go
    away, still synced; ``obsolete``: replaced (a library has it, or it is a dead end),
    though master still has the file; ``deleted``: master no longer has the file.
    """

    ACTIVE = "active"
    ORPHAN = "orphan"
    GRADUATING = "graduating"
    DEPRECATED = "deprecated"
    OBSOLETE = "obsolete"
    DELETED = "deleted"

    @property
    def retired(self) -> bool:
        """Whether the module is leaving master or has left it (deprecated, obsolete,
        deleted): what ``sync --fail-on-obsolete`` refuses and sync warns about."""
        return self in _RETIRED


_RETIRED = frozenset({LifecycleState.DEPRECATED, LifecycleState.OBSOLETE, LifecycleState.DELETED})


class RecordSource(enum.Enum):
    """Which record says what a module's life cycle is."""

    MAINTAINERS = "MAINTAINERS"
    OBSOLETE_LIST = "obsolete.txt"
    DELETION = "deletion"  # the commit that removed the file from master
    SHIM = "shim"  # master's file only re-exports a library


@dataclass(frozen=True)
class Lifecycle:
    """A module's (or one master file's) life cycle.

    ``library`` is the library that replaces it, when a record names one; ``commit``
    the master commit that says so (the one that gave the record its present form, the
    deleting commit, or the commit that made the file a shim); ``source`` the record
    (``None`` for an active module no record mentions).
    """

    state: LifecycleState
    library: str | None = None
    commit: str | None = None
    source: RecordSource | None = None

    def describe(self) -> str:
        """One phrase for people: ``obsolete (replaced by oslo.log)``."""
        if self.library:
            return f"{self.state.value} (replaced by {self.library})"
        return self.state.value


#: A module no record mentions.
ACTIVE = Lifecycle(LifecycleState.ACTIVE)
