"""Line diffs between a base version and a copy, compared on folded lines."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence

from oslo_incubator.model.drift import Hunk

CONTEXT_LINES = 3


def changed_lines_lower_bound(a: Counter[str], b: Counter[str]) -> int:
    """A cheap lower bound of :func:`changed_line_count` from line multisets.

    Any line diff removes at least the lines of ``a`` that ``b`` lacks and adds at
    least those of ``b`` that ``a`` lacks.
    """
    return sum((a - b).values()) + sum((b - a).values())


def changed_line_count(a: Sequence[str], b: Sequence[str]) -> int:
    """Lines removed plus lines added to turn ``a`` into ``b``."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return len(a) + len(b) - 2 * same


def diff_hunks(
    base_folded: Sequence[str],
    copy_folded: Sequence[str],
    base_lines: Sequence[str],
    copy_lines: Sequence[str],
    base_name: str = "master",
    copy_name: str = "copy",
) -> list[Hunk]:
    """The local changes that turn the base into the copy, one :class:`Hunk` each.

    Lines are compared folded (so update.py's rewrites are not changes) and shown as
    they are in the base and the copy. Hunks are unified-diff hunks with
    :data:`CONTEXT_LINES` lines of context; changes closer than twice that share a hunk.
    """
    matcher = difflib.SequenceMatcher(None, base_folded, copy_folded, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        first, last = group[0], group[-1]
        i1, i2, j1, j2 = first[1], last[2], first[3], last[4]
        out = [f"@@ -{_range(i1, i2 - i1)} +{_range(j1, j2 - j1)} @@"]
        removed: list[str] = []
        added: list[str] = []
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                # Context as the copy has it: that is the file the reader will open.
                out.extend(" " + line for line in copy_lines[b1:b2])
                continue
            if tag in ("replace", "delete"):
                removed.extend(base_lines[a1:a2])
                out.extend("-" + line for line in base_lines[a1:a2])
            if tag in ("replace", "insert"):
                added.extend(copy_lines[b1:b2])
                out.extend("+" + line for line in copy_lines[b1:b2])
        hunks.append(
            Hunk(
                base_start=i1 + 1,
                removed=tuple(removed),
                copy_start=j1 + 1,
                added=tuple(added),
                text=f"--- {base_name}\n+++ {copy_name}\n" + "\n".join(out) + "\n",
            )
        )
    return hunks


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A plain unified diff of two texts, as ``diff -u`` prints it."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=old_name,
            tofile=new_name,
        )
    )


def _range(start: int, length: int) -> str:
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"
