"""Reading a ``removal_version`` the way real code writes it (standard library only).

Real OpenStack code passes debtcollector far more than PEP 440 versions: release
series names in any case (``'Ocata'``, ``'ocata'``, ``"Pike"``), series initials
(``'T'``), forms like ``"N*-cycle"``, ``'?'`` and ``'9.0.0'``. Decorating never fails
on any of them (debtcollector accepts them all, and a project swapping the import
must not crash on start-up); this module says which of them can be *ordered*, which
is what strict mode and the ``debt`` scan need.

:data:`RELEASE_SERIES` is the data: OpenStack's series in release order. Austin is
1, …, Zed 26, then the second alphabetical cycle (Antelope ``2023.1``) is 27. A
project can extend the list: the scan reads ``release-series`` from its
configuration, and strict mode reads :data:`SERIES_ENV_VAR` (comma-separated names,
appended after the known ones).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

#: Environment variable naming extra release series for strict mode ("Hibiscus,Ivy").
SERIES_ENV_VAR: Final = "OSLO_INCUBATOR_DEPRECATION_SERIES"

#: ``removal_version`` meaning "some future version nobody picked yet".
UNKNOWN: Final = "?"

#: OpenStack release series in order, with the ``YYYY.N`` number of those that had one.
RELEASE_SERIES: Final[tuple[tuple[str, str | None], ...]] = (
    ("Austin", "2010.1"), ("Bexar", "2011.1"), ("Cactus", "2011.2"),
    ("Diablo", "2011.3"), ("Essex", "2012.1"), ("Folsom", "2012.2"),
    ("Grizzly", "2013.1"), ("Havana", "2013.2"), ("Icehouse", "2014.1"),
    ("Juno", "2014.2"), ("Kilo", "2015.1"), ("Liberty", None), ("Mitaka", None),
    ("Newton", None), ("Ocata", None), ("Pike", None), ("Queens", None),
    ("Rocky", None), ("Stein", None), ("Train", None), ("Ussuri", None),
    ("Victoria", None), ("Wallaby", None), ("Xena", None), ("Yoga", None),
    ("Zed", None), ("Antelope", "2023.1"), ("Bobcat", "2023.2"),
    ("Caracal", "2024.1"), ("Dalmatian", "2024.2"), ("Epoxy", "2025.1"),
    ("Flamingo", "2025.2"), ("Gazpacho", "2026.1"),
)  # fmt: skip

# A public-knowledge reading of PEP 440's grammar, written for this module:
# optional "v", optional epoch, a dotted release, then optional pre, post and
# dev segments (each with the separators and spellings PEP 440 normalises) and
# an optional "+local" label. Surrounding whitespace is ignored, as PEP 440
# requires. The body is ASCII-only so case-folding cannot admit lookalikes.
_PEP440_VERSION: Final = re.compile(
    r"""
    \s*
    (?a:
        v?
        (?:[0-9]+!)?                                  # epoch
        [0-9]+(?:\.[0-9]+)*                           # release
        (?:[-_.]?(?:alpha|a|beta|b|preview|pre|c|rc)  # pre-release
           [-_.]?[0-9]*)?
        (?:-[0-9]+                                    # post-release, implicit
          |[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?         # post-release, spelled
        (?:[-_.]?dev[-_.]?[0-9]*)?                    # development release
        (?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?           # local version label
    )
    \s*
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A series spelled as a name or an initial, optionally with a wildcard and a word
# saying it is a cycle: "Ocata", "ocata", "T", "N*-cycle", "Pike release",
# "the Queens cycle".
_SERIES_FORM: Final = re.compile(
    r"\s*(?:the\s+)?(?P<name>[A-Za-z]+)\*?(?:[\s_-]*(?:cycle|release|series))?\s*",
    re.ASCII | re.IGNORECASE,
)


@dataclass(frozen=True)
class Series:
    """One release series: its place in the order (Austin is 1) and its name."""

    ordinal: int
    name: str


def is_pep440_version(text: str) -> bool:
    """Tell whether ``text`` is a version PEP 440 accepts (before normalisation)."""
    return _PEP440_VERSION.fullmatch(text) is not None


def series_names(extra: Sequence[str] = ()) -> tuple[str, ...]:
    """The known series names in order, then ``extra`` ones not already known."""
    known = [name for name, _ in RELEASE_SERIES]
    lowered = {name.lower() for name in known}
    for name in extra:
        cleaned = name.strip()
        if cleaned and cleaned.lower() not in lowered:
            known.append(cleaned)
            lowered.add(cleaned.lower())
    return tuple(known)


def parse_series(text: str, extra: Sequence[str] = ()) -> Series | None:
    """The release series ``text`` names, if it names one.

    A name in any case (``'Ocata'``, ``'OCATA'``), an initial (``'T'``: a single
    letter is always the first alphabetical cycle), or those with a wildcard and a
    word such as ``cycle`` (``'N*-cycle'``, ``'Pike release'``). ``extra`` names
    series after the known ones (see :func:`series_names`).
    """
    match = _SERIES_FORM.fullmatch(text)
    if match is None:
        return None
    word = match.group("name")
    names = series_names(extra)
    if len(word) == 1:
        ordinal = ord(word.upper()) - ord("A") + 1
        return Series(ordinal, names[ordinal - 1])
    for ordinal, name in enumerate(names, start=1):
        if word.lower() == name.lower():
            return Series(ordinal, name)
    return None


def is_orderable(removal_version: object, extra: Sequence[str] = ()) -> bool:
    """Tell whether a ``removal_version`` can be placed in time.

    ``None`` and ``''`` (none given) and ``'?'`` (unknown future) count as orderable:
    they promise no particular release. Otherwise the value must be a PEP 440
    version or a release series (:func:`parse_series`).
    """
    if removal_version is None or removal_version == "" or removal_version == UNKNOWN:
        return True
    text = str(removal_version)
    return is_pep440_version(text) or parse_series(text, extra) is not None


def series_from_environment() -> tuple[str, ...]:
    """The extra series names :data:`SERIES_ENV_VAR` lists (none when unset)."""
    value = os.environ.get(SERIES_ENV_VAR, "")
    return tuple(name.strip() for name in value.split(",") if name.strip())
