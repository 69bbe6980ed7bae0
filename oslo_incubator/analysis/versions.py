"""Project versions and OpenStack release names, from text (no I/O).

Two ways of naming a point in time meet in deprecation debt: version numbers
(``removal_version='3.0'``, a project at ``2.5.1``) and OpenStack release series
(oslo's ``versionutils.deprecated(as_of=JUNO, remove_in=2)`` promises removal in
*Liberty*; debtcollector users write ``removal_version='M'`` or ``'Mitaka'``).

Release series are numbered by their alphabetical cycle: Austin is 1, Bexar 2, …,
Zed 26, then the second cycle (Antelope 2023.1) is 27, Bobcat 28, and so on. That is
what versionutils does with ``chr(ord(as_of) + remove_in)`` for the first cycle; past
Zed its letter arithmetic runs off the alphabet, and we continue into the second cycle
instead. A single letter always means the first cycle (``'A'`` is Austin).

A project version maps to a release series only when it is a series number:
the date-based versions of the integrated releases (``2015.1.0`` is Kilo) or a
``YYYY.N`` series name of the second cycle (``2023.1`` is Antelope). Semantic versions
(nova ``12.0.0``) have no universal mapping; the caller supplies the series instead.
"""

from __future__ import annotations

import configparser
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from oslo_incubator.deprecation.versions import RELEASE_SERIES, parse_series, series_names
from oslo_incubator.model.debt import RemovalStatus

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Release:
    """One OpenStack release series."""

    ordinal: int  # Austin 1 … Zed 26, Antelope 27 …
    name: str
    series: str | None  # its version-like number, when it had one ("2015.1", "2023.1")


RELEASES: tuple[Release, ...] = tuple(
    Release(n, name, series) for n, (name, series) in enumerate(RELEASE_SERIES, start=1)
)

_SERIES_RE = re.compile(r"^(20\d\d)\.(\d+)(?:\.\d+)*(?:[._-]?(?:a|b|rc|dev)\d*)*$", re.I)
_PKG_INFO_VERSION = re.compile(r"^Version:\s*(\S+)\s*$", re.M)


def release_by_ordinal(ordinal: int, extra: Sequence[str] = ()) -> Release | None:
    """The release series numbered ``ordinal`` (Austin is 1), if known; ``extra`` names
    series after the known ones (a project's ``release-series`` setting)."""
    if 1 <= ordinal <= len(RELEASES):
        return RELEASES[ordinal - 1]
    names = series_names(extra)
    if len(RELEASES) < ordinal <= len(names):
        return Release(ordinal, names[ordinal - 1], None)
    return None


def parse_release(text: str, extra: Sequence[str] = ()) -> Release | None:
    """The release series ``text`` names, if it names one.

    Accepts a letter (``'M'``; versionutils' constants), a name in any case
    (``'Mitaka'``, ``'mitaka'``), either with a wildcard and ``cycle`` (``'N*-cycle'``,
    see :func:`oslo_incubator.deprecation.versions.parse_series`), or a series number
    (``'2015.1'``, ``'2023.1'``). ``extra`` names series after the known ones.
    """
    value = text.strip()
    for release in RELEASES:
        if value == release.series:
            return release
    series = parse_series(value, extra)
    return None if series is None else release_by_ordinal(series.ordinal, extra)


def release_of_version(version: str) -> Release | None:
    """The release series a project version belongs to, when the version is a series
    number (``2015.1.0``, ``2015.1.0rc2`` and ``2015.1`` are Kilo); else ``None``.

    A pre-release belongs to the series it leads to: a project at ``2015.1.0b3`` is
    in the Kilo cycle.
    """
    match = _SERIES_RE.match(version.strip().lstrip("vV"))
    if match is None:
        return None
    series = f"{match.group(1)}.{int(match.group(2))}"
    return next((r for r in RELEASES if r.series == series), None)


def versionutils_removal(
    as_of: str, remove_in: int | None, extra: Sequence[str] = ()
) -> Release | None:
    """The release in which ``versionutils.deprecated(as_of, remove_in=N)`` may remove.

    ``remove_in`` counts releases after ``as_of`` (versionutils' default is 2);
    ``0`` or ``None`` means never, and gives ``None``.

    Raises:
        ValueError: ``as_of`` is not a release letter or name, or the sum runs past
            the last release this module knows.
    """
    start = parse_release(as_of, extra)
    if start is None:
        raise ValueError(f"as_of {as_of!r} is not a release letter or name")
    if not remove_in:
        return None
    release = release_by_ordinal(start.ordinal + remove_in, extra)
    if release is None:
        raise ValueError(f"{start.name} + {remove_in} releases is past the known releases")
    return release


def version_from_setup_cfg(text: str) -> str | None:
    """``[metadata] version`` of a ``setup.cfg`` text, or ``None`` (pbr often leaves it
    out and takes the version from git tags)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    value = parser.get("metadata", "version", fallback="").strip()
    return value or None


def version_from_pyproject(text: str) -> str | None:
    """Static ``[project] version`` of a ``pyproject.toml`` text, or ``None`` (absent,
    dynamic, or the file is not valid TOML)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    project = data.get("project")
    if not isinstance(project, dict):
        return None
    value = project.get("version")
    return value.strip() or None if isinstance(value, str) else None


def version_from_pkg_info(text: str) -> str | None:
    """``Version:`` of a ``PKG-INFO`` (core metadata) text, or ``None``."""
    match = _PKG_INFO_VERSION.search(text.split("\n\n", 1)[0])
    return match.group(1) if match else None


def version_from_tag(tag: str) -> str:
    """A version from a git tag name (``v1.2.0`` is ``1.2.0``; ``2015.1.0`` stays)."""
    tag = tag.strip()
    return tag[1:] if len(tag) > 1 and tag[0] in "vV" and tag[1].isdigit() else tag


def assess_removal(
    removal_version: str | None,
    project_version: str | None,
    release: Release | None = None,
    extra: Sequence[str] = (),
) -> tuple[RemovalStatus, str]:
    """Has a project at ``project_version`` reached ``removal_version``?

    Release-like removal versions (``'M'``, ``'Mitaka'``, ``'2023.1'``) are compared
    by release order against ``release`` when given, else against the release the
    project version maps to (:func:`release_of_version`). Other removal versions
    are compared as versions (PEP 440, with :mod:`packaging`); a pre-release counts as
    the release it leads to (the code must be gone before ``2.0`` ships, so a project
    at ``2.0.0b1`` has reached a ``2.0`` removal).

    Returns:
        The status and a short reason that states the comparison made, or why none
        could be made (``UNKNOWN``; never a silent "not due").
    """
    if removal_version is None:
        return RemovalStatus.UNSCHEDULED, "no removal version given"
    wanted = parse_release(removal_version, extra)
    if wanted is not None:
        current = release
        if current is None and project_version is not None:
            current = release_of_version(project_version)
        if current is None:
            got = f"version {project_version}" if project_version else "no version"
            return RemovalStatus.UNKNOWN, (
                f"removal in {wanted.name} is a release name; the project has {got} and "
                "no release series is known for it (pass --release)"
            )
        status = (
            RemovalStatus.OVERDUE if current.ordinal >= wanted.ordinal else RemovalStatus.PENDING
        )
        verb = "has reached" if status is RemovalStatus.OVERDUE else "is before"
        return status, f"{current.name} {verb} {wanted.name}"
    try:
        target = Version(removal_version)
    except InvalidVersion:
        return RemovalStatus.UNKNOWN, (
            f"removal version {removal_version!r} cannot be ordered: it is neither a "
            "PEP 440 version nor a release series (add new series to release-series)"
        )
    if project_version is None:
        return RemovalStatus.UNKNOWN, "the project's version is unknown"
    try:
        current_version = Version(project_version)
    except InvalidVersion:
        return RemovalStatus.UNKNOWN, f"project version {project_version!r} is not a version"
    reached = Version(current_version.base_version) >= Version(target.base_version)
    if reached:
        return RemovalStatus.OVERDUE, f"{project_version} has reached {removal_version}"
    return RemovalStatus.PENDING, f"{project_version} is before {removal_version}"
