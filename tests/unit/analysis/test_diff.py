"""analysis/diff.py: changed-line counts, their lower bound, drift hunks compared on
folded lines, and plain unified diffs."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis.diff import (
    CONTEXT_LINES,
    changed_line_count,
    changed_lines_lower_bound,
    diff_hunks,
    unified_diff,
)
from oslo_incubator.model.drift import Hunk

LINES = st.lists(st.sampled_from(["a", "b", "c", "d", "é", ""]), max_size=12)


def test_changed_line_count_of_equal_and_empty_sequences_is_zero() -> None:
    assert changed_line_count([], []) == 0
    assert changed_line_count(["a", "b"], ["a", "b"]) == 0


def test_changed_line_count_counts_removed_plus_added() -> None:
    assert changed_line_count(["a", "b", "c"], ["a", "x", "c"]) == 2
    assert changed_line_count(["a"], []) == 1
    assert changed_line_count([], ["a", "b"]) == 2
    assert changed_line_count(["a", "b"], ["b", "a"]) == 2  # a move is a removal and an add


def test_lower_bound_of_multisets() -> None:
    assert changed_lines_lower_bound(Counter(["a", "b", "b"]), Counter(["b", "c"])) == 3
    assert changed_lines_lower_bound(Counter(), Counter()) == 0
    # Reordering is invisible to multisets: the bound is 0 where the count is 2.
    assert changed_lines_lower_bound(Counter(["a", "b"]), Counter(["b", "a"])) == 0


@settings(max_examples=200, deadline=None)
@given(LINES, LINES)
def test_lower_bound_never_exceeds_the_count(a: list[str], b: list[str]) -> None:
    bound = changed_lines_lower_bound(Counter(a), Counter(b))
    count = changed_line_count(a, b)
    assert bound <= count
    assert (count == 0) == (a == b)


def test_no_hunks_when_the_folded_lines_agree() -> None:
    # The shown lines differ (a rewritten import) but the folded ones do not.
    folded = ["from x import log", "log.info()"]
    assert diff_hunks(folded, folded, ["from oslo import log"], ["from nova import log"]) == []


def test_one_replacement_makes_one_hunk_with_context_from_the_copy() -> None:
    base = ["l1", "l2", "l3", "old", "l5"]
    copy = ["l1", "l2", "l3", "new", "l5"]
    shown_copy = ["L1", "L2", "L3", "new", "L5"]
    (hunk,) = diff_hunks(base, copy, base, shown_copy, "master/x.py", "nova/x.py")
    assert hunk == Hunk(
        base_start=1,  # where the hunk starts, context included, as its header says
        removed=("old",),
        copy_start=1,
        added=("new",),
        text="--- master/x.py\n+++ nova/x.py\n@@ -1,5 +1,5 @@\n L1\n L2\n L3\n-old\n+new\n L5\n",
    )
    assert hunk.changed_lines == 2


def test_pure_insertion_and_deletion_hunks() -> None:
    (insert,) = diff_hunks(["a"], ["a", "b"], ["a"], ["a", "b"])
    assert (insert.base_start, insert.removed, insert.copy_start, insert.added) == (
        1,
        (),
        1,
        ("b",),
    )
    assert "@@ -1 +1,2 @@\n a\n+b\n" in insert.text
    (delete,) = diff_hunks(["a", "b"], ["a"], ["a", "b"], ["a"])
    assert (delete.removed, delete.added) == (("b",), ())
    assert "@@ -1,2 +1 @@\n a\n-b\n" in delete.text


def test_from_empty_base_the_header_range_starts_at_zero() -> None:
    (hunk,) = diff_hunks([], ["x"], [], ["x"])
    assert hunk.text == "--- master\n+++ copy\n@@ -0,0 +1 @@\n+x\n"
    assert hunk.base_start == 1


def test_distant_changes_make_separate_hunks_close_ones_share() -> None:
    base = [f"l{i}" for i in range(30)]
    far = list(base)
    far[2], far[25] = "X", "Y"
    assert len(diff_hunks(base, far, base, far)) == 2
    near = list(base)
    near[2], near[2 + 2 * CONTEXT_LINES] = "X", "Y"
    (hunk,) = diff_hunks(base, near, base, near)
    assert hunk.removed == ("l2", f"l{2 + 2 * CONTEXT_LINES}")
    assert hunk.added == ("X", "Y")


def test_unified_diff_of_equal_texts_is_empty() -> None:
    assert unified_diff("a\nb\n", "a\nb\n", "old", "new") == ""


def test_unified_diff_matches_diff_u_format() -> None:
    assert unified_diff("a\nb\nc\n", "a\nB\nc\n", "x/old.py", "x/new.py") == (
        "--- x/old.py\n+++ x/new.py\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
    )


def test_unified_diff_of_unicode_text() -> None:
    diff = unified_diff("", "héllo ☃\n", "a", "b")
    assert diff == "--- a\n+++ b\n@@ -0,0 +1 @@\n+héllo ☃\n"


def _apply(diff: str, old: str, tmp: Path) -> str:
    (tmp / "f").write_text(old, encoding="utf-8")
    (tmp / "p").write_text(diff, encoding="utf-8")
    subprocess.run(
        ["git", "apply", "--unidiff-zero", "p"], cwd=tmp, check=True, capture_output=True
    )
    return (tmp / "f").read_text(encoding="utf-8")


def test_unified_diff_applies_with_git_apply(tmp_path: Path) -> None:
    old = "one\ntwo\nthree\nfour\n"
    new = "one\n2\nthree\nfour\nfive ☃\n"
    assert _apply(unified_diff(old, new, "a/f", "b/f"), old, tmp_path) == new


@settings(max_examples=200, deadline=None)
@given(LINES, LINES)
def test_hunks_patch_the_base_into_the_copy(base: list[str], copy: list[str]) -> None:
    """Replaying every hunk's removed/added lines at its positions rebuilds the copy."""
    hunks = diff_hunks(base, copy, base, copy)
    rebuilt: list[str] = []
    at = 0  # next base line (0-based) not yet copied
    for hunk in hunks:
        text_lines = hunk.text.splitlines()[3:]  # after ---, +++ and @@
        # The hunk starts (context included) at base_start; context and removals
        # consume the base.
        start = hunk.base_start - 1
        rebuilt.extend(base[at:start])
        at = start
        for line in text_lines:
            if line.startswith(" "):
                rebuilt.append(base[at])
                at += 1
            elif line.startswith("-"):
                at += 1
            else:
                rebuilt.append(line[1:])
    rebuilt.extend(base[at:])
    assert rebuilt == copy
    assert sum(h.changed_lines for h in hunks) == changed_line_count(base, copy)
