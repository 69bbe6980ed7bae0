"""Read a fleet file: the repositories ``scan`` and ``drift`` run over (``--fleet``).

::

    # LOCATION [REVISION]; blank lines and comments are skipped
    /srv/git/openstack/nova
    ../glance                                  2015.1.0
    https://opendev.org/openstack/cinder.git   2015.1.0

The file is read a line at a time (:func:`read_fleet` is a generator), so a fleet of
any length costs the reader one line of memory; whether the paths exist and the
revisions resolve is for the worker that reads the repository to find out (on a
cluster the paths may be on the workers' shared filesystem only).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from oslo_incubator.model.errors import FleetFileError
from oslo_incubator.model.fleet import FleetEntry, is_git_url

# A revision git accepts as a name, never an option: no leading "-", no spaces.
_REVISION_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@/^~{}+-]*$")


def read_fleet(path: Path) -> Iterator[FleetEntry]:
    """The entries of the fleet file at ``path``, in order. The whole file is checked
    before the first entry comes (a pass that keeps nothing), so that a bad line is
    found before any repository is read or cloned.

    Raises:
        FleetFileError: the file cannot be read, or a line is not ``LOCATION
            [REVISION]`` (with the file and line), or the fleet is empty.
    """
    for _ in _entries(path):
        pass
    yield from _entries(path)


def _entries(path: Path) -> Iterator[FleetEntry]:
    base = path.resolve().parent
    found = 0
    try:
        with open(path, encoding="utf-8") as lines:
            for number, raw in enumerate(lines, start=1):
                entry = _entry(raw, base, str(path), number)
                if entry is not None:
                    found += 1
                    yield entry
    except OSError as error:
        raise FleetFileError(f"cannot be read: {error.strerror or error}", path) from None
    except UnicodeDecodeError:
        raise FleetFileError("is not UTF-8 text", path) from None
    if not found:
        raise FleetFileError("names no repository", path)


def _entry(raw: str, base: Path, source: str, number: int) -> FleetEntry | None:
    text = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
    if not text:
        return None
    fields = text.split()
    if len(fields) > 2:
        raise FleetFileError(
            f"expected LOCATION [REVISION], found {len(fields)} fields", source, number
        )
    location, revision = fields[0], (fields[1] if len(fields) == 2 else None)
    if location.startswith("-"):
        raise FleetFileError(f"a location cannot start with '-': {location}", source, number)
    if revision is not None and not _REVISION_RE.match(revision):
        raise FleetFileError(f"not a revision name: {revision}", source, number)
    if not is_git_url(location):
        location = os.path.normpath(os.path.join(base, os.path.expanduser(location)))
    return FleetEntry(location, revision, source, number)
