"""Name families: modules whose names say they belong together.

Computed from the names alone, never from a list of names:

* a **package**: modules under one top-level name (``report``, ``report.views.json``);
* a **suffix**: at least :data:`MIN_FAMILY` modules whose last name part ends with the
  same :data:`MIN_SUFFIX` or more letters (``excutils``, ``network_utils``: ``*utils``;
  underscores are ignored); only the largest such set counts, named by the longest suffix
  all its members share;
* a **containment**: one top-level name of :data:`MIN_CONTAINED` or more letters begins
  or ends another (``cache`` and ``memorycache``, ``log`` and ``log_handler``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import permutations

#: The fewest letters a shared suffix needs to make a family (``utils`` has five).
MIN_SUFFIX = 4
#: The fewest modules a suffix family needs: two names ending alike may be chance.
MIN_FAMILY = 3
#: The fewest letters a top-level name needs to make a family with a name holding it.
MIN_CONTAINED = 3


@dataclass(frozen=True)
class NameFamily:
    """Modules whose names share a part. ``label`` is for people (``report.*``,
    ``*utils``, ``cache in memorycache``); ``kind`` is ``package``, ``suffix`` or
    ``containment``; ``stem`` the shared part (``report``, ``utils``, ``cache``)."""

    label: str
    kind: str
    stem: str
    modules: frozenset[str]


def name_families(modules: Iterable[str]) -> tuple[NameFamily, ...]:
    """Every family among ``modules`` (see the module docstring), sorted by label."""
    names = sorted(set(modules))
    families = _packages(names) + _suffixes(names) + _containments(names)
    return tuple(sorted(families, key=lambda f: (f.label, sorted(f.modules))))


def families_by_module(families: Iterable[NameFamily]) -> Mapping[str, tuple[NameFamily, ...]]:
    """Each module's families, in the order given."""
    found: dict[str, list[NameFamily]] = {}
    for family in families:
        for module in sorted(family.modules):
            found.setdefault(module, []).append(family)
    return {m: tuple(f) for m, f in found.items()}


def common_suffix(names: Iterable[str]) -> str:
    """The longest suffix every name ends with (underscores kept)."""
    items = list(names)
    if not items:
        return ""
    shortest = min(items, key=len)
    size = 0
    while size < len(shortest) and all(n[-1 - size] == shortest[-1 - size] for n in items):
        size += 1
    return shortest[len(shortest) - size :]


# Private


def _packages(names: list[str]) -> list[NameFamily]:
    tops: dict[str, set[str]] = {}
    for name in names:
        tops.setdefault(name.split(".")[0], set()).add(name)
    return [
        NameFamily(f"{top}.*", "package", top, frozenset(members))
        for top, members in sorted(tops.items())
        if len(members) > 1
    ]


def _letters(name: str) -> str:
    return name.rsplit(".", 1)[-1].replace("_", "")


def _suffixes(names: list[str]) -> list[NameFamily]:
    last = {n: _letters(n) for n in names}
    sets: set[frozenset[str]] = set()
    for name in names:
        word = last[name]
        for start in range(len(word) - MIN_SUFFIX + 1):
            members = frozenset(n for n in names if last[n].endswith(word[start:]))
            if len(members) >= MIN_FAMILY:
                sets.add(members)
    families = []
    for members in sets:
        if any(members < other for other in sets):
            continue
        stem = common_suffix(last[m] for m in members)
        families.append(NameFamily(f"*{stem}", "suffix", stem, members))
    return families


def _containments(names: list[str]) -> list[NameFamily]:
    tops = [n for n in names if "." not in n]
    families = []
    for short, long in permutations(tops, 2):
        word, part = long.replace("_", ""), short.replace("_", "")
        if len(part) >= MIN_CONTAINED and (word.startswith(part) or word.endswith(part)):
            label = f"{short} in {long}"
            families.append(NameFamily(label, "containment", short, frozenset({short, long})))
    return families
