"""A fleet's repositories where a worker can read them: a path as it is, else a
clone (a git URL, or a path at a revision) made once in a directory of clones."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from oslo_incubator.history.git import run_git
from oslo_incubator.model.errors import FleetFileError, GitError
from oslo_incubator.model.fleet import FleetEntry


def materialise_all(entries: list[FleetEntry], clones: str) -> list[Path]:
    """:func:`materialise` for each entry, in order (one task of a cluster)."""
    return [materialise(entry, clones) for entry in entries]


def materialise(entry: FleetEntry, clones: str) -> Path:
    """The directory holding ``entry``'s work tree: its path when it is a path without
    a revision, else a clone at the revision under ``clones``, made by the first task
    that needs it and reused after (keyed by location and revision).

    Raises:
        FleetFileError: the path is not a directory, or git cannot clone the location
            or check out the revision (with the fleet file and line).
    """
    if not entry.is_url and entry.revision is None:
        if not os.path.isdir(entry.location):
            raise FleetFileError(f"no such directory: {entry.location}", entry.source, entry.line)
        return Path(entry.location)
    key = hashlib.sha1(f"{entry.location}\0{entry.revision}".encode()).hexdigest()[:16]
    name = entry.location.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    name = name.removesuffix(".git") or "repository"
    target = Path(clones) / key / name
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Cloned aside and renamed: two workers cloning at once both succeed, one keeps its.
    scratch = Path(tempfile.mkdtemp(prefix=".clone-", dir=target.parent))
    try:
        work = scratch / name
        run_git(scratch, "clone", "--quiet", "--no-checkout", "--", entry.location, name)
        if entry.revision is not None:
            run_git(work, "checkout", "--quiet", "--detach", entry.revision, "--")
        else:
            run_git(work, "checkout", "--quiet")
        try:
            os.rename(work, target)
        except OSError:
            if not target.is_dir():
                raise
    except GitError as error:
        raise FleetFileError(error.message, entry.source, entry.line) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target
