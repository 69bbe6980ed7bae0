"""A fleet file's entries: the repositories a scan or a drift runs over."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FleetEntry:
    """One repository of a fleet file (see doc/source/formats.rst).

    ``location`` is an absolute path (a relative one is taken against the fleet file's
    directory when read) or a git URL; ``revision`` a commit, tag or branch to check
    out apart, ``None`` to read a path's work tree as it is (or a URL's default
    branch). ``source`` and ``line`` say where the entry was written, for errors.
    """

    location: str
    revision: str | None
    source: str
    line: int

    @property
    def is_url(self) -> bool:
        """Whether ``location`` is a git URL (cloned) rather than a path."""
        return is_git_url(self.location)


def is_git_url(text: str) -> bool:
    """A URL git clones (``https://``, ``ssh://``, ``git://``, ``file://``) or the
    scp-like ``user@host:path``."""
    if "://" in text:
        return text.split("://", 1)[0] in {"http", "https", "ssh", "git", "file"}
    head, colon, _ = text.partition(":")
    return bool(colon) and "@" in head and "/" not in head
