"""Commits and file versions of the incubator's history."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Commit:
    """One incubator commit. ``order`` is 0 for HEAD and grows into the past."""

    sha: str
    parents: tuple[str, ...]
    timestamp: int
    date: str  # ISO 8601 with offset, as git prints it
    subject: str
    order: int

    @property
    def short(self) -> str:
        """The abbreviated sha people read in commit messages."""
        return self.sha[:8]


@dataclass(frozen=True)
class Version:
    """A file's content as introduced by one commit at one path.

    ``blob`` is ``None`` for a deletion. A content that was introduced more than once
    (a revert, a merge) has one ``Version`` per introduction.
    """

    path: str
    blob: str | None
    commit: str
    order: int  # the commit's order: smaller is newer


@dataclass(frozen=True)
class ModuleChange:
    """One commit's change to master modules: ``modules`` are every module it changed,
    named as at HEAD (a renamed file counts for the module it is now), or as last seen
    for a file master no longer has."""

    sha: str
    subject: str
    modules: frozenset[str]
