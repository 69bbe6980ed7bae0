"""Exceptions named for what went wrong; only the CLI turns them into messages."""

from __future__ import annotations

from pathlib import Path


class OsloIncubatorError(Exception):
    """Base class: bad input or an unusable workspace (the CLI exits with 2)."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else Path(path)
        self.line = line

    def __reduce__(self) -> tuple[type[OsloIncubatorError], tuple[str, Path | None, int | None]]:
        # Raised on a cluster's worker, it comes back pickled: with its file and line.
        return (type(self), (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class ConfigError(OsloIncubatorError):
    """A configuration file (``openstack-common.conf``, ``pyproject.toml``) is malformed."""


class GitError(OsloIncubatorError):
    """A git command failed, or a path is not a git repository."""


class UnsafePathError(OsloIncubatorError):
    """A module name or path would escape the project it is meant for."""


class FileChangedError(OsloIncubatorError):
    """A file changed while it was being read."""


class UnreadableFileError(OsloIncubatorError):
    """A file to read cannot be read (permissions, an I/O error)."""


class DirtyTreeError(OsloIncubatorError):
    """A file to be written has uncommitted changes."""


class NotAProjectError(OsloIncubatorError):
    """A path given as a project is not a directory of Python code."""


class IncubatorDependencyError(OsloIncubatorError):
    """A graduating library would still import incubator modules that stay behind."""


class EnvironmentToolError(OsloIncubatorError):
    """An outside tool a proof needs (an interpreter, venv or virtualenv, pip) is
    missing or failed."""


class ProjectLockedError(OsloIncubatorError):
    """Another process is writing to the project."""


class ConcurrentChangeError(OsloIncubatorError):
    """A file changed between the moment it was read and the moment it was to be written."""


class PlanConstraintError(OsloIncubatorError):
    """A graduation plan's constraints contradict each other (``--together`` and
    ``--apart`` on one pair, or modules kept apart that imports force together)."""


class FleetFileError(OsloIncubatorError):
    """A fleet file (``--fleet``) is malformed, or names a repository that cannot be
    read or cloned at the revision it gives."""


class ClusterError(OsloIncubatorError):
    """The cluster (``--scheduler``) cannot be used: Dask is not installed, or the
    scheduler cannot be reached."""
