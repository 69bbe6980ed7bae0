"""Three-way line merge (diff3): the copy's local changes and master's changes, together.

The algorithm is the classic one (as in GNU diff3 and bzr's ``merge3``): lines of the
base that both sides kept unchanged are *sync points*; between two sync points each
side either left the base alone, or changed it. A region only one side changed takes
that side; a region both sides changed identically takes it once; anything else is a
conflict, unless master's change contains the copy's (every line the copy added,
master added too, and every line it removed, master removed too: a backport of part
of a change master later completed), which takes master's side. Matching uses
:class:`difflib.SequenceMatcher` against the base.

Lines are split on ``"\\n"`` only and keep their ends, so joining the result gives
back the texts byte for byte (``str.splitlines`` would also split on form feeds).

Lines may be compared through a *key* (sync passes the fold of
:mod:`oslo_incubator.analysis.normalise`, so that a line that differs from the base
only by how it was rewritten is no local change). Regions where the copy made no
change take master's lines, so the result is always in master's rendering there.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from oslo_incubator.model.sync import MergeRegion, RegionKind

OURS_MARKER = "<<<<<<< copy"
BASE_MARKER = "||||||| base"
SEPARATOR = "======="
THEIRS_MARKER = ">>>>>>> master"


@dataclass(frozen=True)
class MergeResult:
    """The regions of a merge, in order."""

    regions: tuple[MergeRegion, ...]

    @property
    def clean(self) -> bool:
        """True when no region conflicts."""
        return not self.conflicts

    @property
    def conflicts(self) -> tuple[MergeRegion, ...]:
        """The conflicting regions."""
        return tuple(r for r in self.regions if r.kind is RegionKind.CONFLICT)

    def text(self) -> str:
        """The merged text with standard diff3 conflict markers around conflicts."""
        out: list[str] = []
        for region in self.regions:
            if region.kind is not RegionKind.CONFLICT:
                out.extend(region.result)
                continue
            out.append(OURS_MARKER + "\n")
            out.extend(_terminated(region.ours))
            out.append(BASE_MARKER + "\n")
            out.extend(_terminated(region.base))
            out.append(SEPARATOR + "\n")
            out.extend(_terminated(region.theirs))
            out.append(THEIRS_MARKER + "\n")
        return "".join(out)


def split_lines(text: str) -> list[str]:
    """``text`` as lines that keep their ``"\\n"``; only ``"\\n"`` ends a line."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def merge3(
    base: str, ours: str, theirs: str, key: Callable[[str], str] | None = None
) -> MergeResult:
    """Merge the changes ``base`` → ``ours`` and ``base`` → ``theirs``.

    Args:
        base: the common ancestor (the master version the copy was taken from).
        ours: the copy, with its local changes.
        theirs: master's current version.
        key: how lines are compared (identity by default).

    Returns:
        The regions; ``MergeResult.text()`` is the merged text (with conflict markers
        where regions conflict).
    """
    return MergeResult(
        tuple(merge_regions(split_lines(base), split_lines(ours), split_lines(theirs), key))
    )


def merge_regions(
    base: Sequence[str],
    ours: Sequence[str],
    theirs: Sequence[str],
    key: Callable[[str], str] | None = None,
) -> Iterator[MergeRegion]:
    """The regions of :func:`merge3` over lists of lines."""
    if key is None:
        kz, ka, kb = base, ours, theirs
    else:
        kz, ka, kb = [key(x) for x in base], [key(x) for x in ours], [key(x) for x in theirs]
    iz = ia = ib = 0
    for zmatch, zend, amatch, aend, bmatch, bend in _sync_regions(kz, ka, kb):
        if amatch > ia or bmatch > ib or zmatch > iz:
            kind = _kind(kz[iz:zmatch], ka[ia:amatch], kb[ib:bmatch])
            yield MergeRegion(
                kind,
                iz + 1,
                tuple(base[iz:zmatch]),
                ia + 1,
                tuple(ours[ia:amatch]),
                ib + 1,
                tuple(theirs[ib:bmatch]),
            )
        if zend > zmatch:
            yield MergeRegion(
                RegionKind.UNCHANGED,
                zmatch + 1,
                tuple(base[zmatch:zend]),
                amatch + 1,
                tuple(ours[amatch:aend]),
                bmatch + 1,
                tuple(theirs[bmatch:bend]),
            )
        iz, ia, ib = zend, aend, bend


# Private


def _kind(z: Sequence[str], a: Sequence[str], b: Sequence[str]) -> RegionKind:
    if a == b:
        # Both sides made the same change (or deleted the same lines).
        return RegionKind.SAME if a != z else RegionKind.UNCHANGED
    if a == z:
        return RegionKind.THEIRS
    if b == z:
        return RegionKind.OURS
    if _contains_change(z, a, b):
        # A backport of part of master's change: master's side keeps all of it.
        return RegionKind.SAME
    return RegionKind.CONFLICT


def _contains_change(z: Sequence[str], a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether ``z`` → ``b`` adds every line ``z`` → ``a`` adds and removes every line
    it removes."""
    base, ours, theirs = Counter(z), Counter(a), Counter(b)
    return not ((ours - base) - (theirs - base)) and not ((base - ours) - (base - theirs))


def _sync_regions(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> list[tuple[int, int, int, int, int, int]]:
    """Base ranges both sides kept, with where they sit in each side; a final empty
    region marks the ends."""
    amatches = _matching_blocks(base, ours)
    bmatches = _matching_blocks(base, theirs)
    regions = []
    ia = ib = 0
    while ia < len(amatches) and ib < len(bmatches):
        abase, amatch, alen = amatches[ia]
        bbase, bmatch, blen = bmatches[ib]
        start, end = max(abase, bbase), min(abase + alen, bbase + blen)
        if start < end:
            asub = amatch + (start - abase)
            bsub = bmatch + (start - bbase)
            regions.append((start, end, asub, asub + end - start, bsub, bsub + end - start))
        # Advance whichever block ends first in the base.
        if abase + alen < bbase + blen:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(base), len(ours), len(ours), len(theirs), len(theirs)))
    return regions


def _matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(m.a, m.b, m.size) for m in matcher.get_matching_blocks() if m.size]


def _terminated(lines: Sequence[str]) -> list[str]:
    # A region that ends the file without a newline must not swallow the next marker.
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return list(lines)
