"""The provenance rules, as pure functions: is a local change a backport, and which
master commits a copy really missed.

Drift (which hunks of a copy are backports), sync (which local changes master now has,
and from which commit) and scan all decide these questions with these functions, so
the answers cannot disagree. Texts come in as folded lines (see
:mod:`oslo_incubator.analysis.normalise`); nothing here reads git or files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def change_delta(
    removed: Iterable[str], added: Iterable[str], fold_line: Callable[[str], str]
) -> Counter[str]:
    """The net change a local hunk makes, as a multiset of folded, stripped lines:
    positive for lines it adds, negative for lines it removes. Lines without a letter
    or digit (blank lines, lone brackets) are left out: they carry no evidence."""
    delta: Counter[str] = Counter()
    for line in added:
        key = fold_line(line).strip()
        if is_significant(key):
            delta[key] += 1
    for line in removed:
        key = fold_line(line).strip()
        if is_significant(key):
            delta[key] -= 1
    return Counter({k: v for k, v in delta.items() if v})


def carries(delta: Counter[str], base: Counter[str], version: Counter[str]) -> bool:
    """Whether a master version makes the same net change to the base's lines as a
    local hunk whose :func:`change_delta` is ``delta`` (``base`` and ``version`` are
    multisets of folded, stripped lines)."""
    if not delta:
        return False
    for line, change in delta.items():
        if change > 0 and version[line] < base[line] + change:
            return False
        if change < 0 and version[line] > base[line] + change:
            return False
    return True


def backport_origin(
    delta: Counter[str],
    base: Counter[str],
    newer: Iterable[tuple[T, Counter[str]]],
) -> T | None:
    """The first of the ``newer`` master versions (oldest first, each with its line
    multiset) that carries the local change: the commit that introduced it in master,
    so the local change is a backport of it. ``None`` when none does."""
    for origin, lines in newer:
        if carries(delta, base, lines):
            return origin
    return None


def stripped_lines(folded_lines: Sequence[str]) -> Counter[str]:
    """The multiset of stripped lines :func:`carries` compares."""
    return Counter(line.strip() for line in folded_lines)


def is_significant(line: str) -> bool:
    """Whether a line carries evidence: it has a letter or digit (blank lines and lone
    brackets do not)."""
    return any(ch.isalnum() for ch in line)
