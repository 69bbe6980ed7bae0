"""The three-way line merge: exact cases and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis.merge import merge3, split_lines
from oslo_incubator.model.sync import RegionKind

BASE = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n"

texts = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "\n", "e"]), max_size=12).map(
    "".join
)


@given(texts, texts)
def test_merge_with_master_unchanged_gives_the_copy(base: str, ours: str) -> None:
    result = merge3(base, ours, base)
    assert result.clean
    assert result.text() == ours


@given(texts, texts)
def test_merge_with_copy_unchanged_gives_master(base: str, theirs: str) -> None:
    result = merge3(base, base, theirs)
    assert result.clean
    assert result.text() == theirs


@given(texts, texts)
def test_merge_of_identical_changes_gives_that_change(base: str, both: str) -> None:
    result = merge3(base, both, both)
    assert result.clean
    assert result.text() == both


@st.composite
def separated_edits(draw: st.DrawFn) -> tuple[list[str], dict[int, str], dict[int, str]]:
    size = draw(st.integers(min_value=2, max_value=30))
    base = [f"line {i}\n" for i in range(size)]
    indices = draw(st.sets(st.integers(min_value=0, max_value=size - 1), min_size=1))
    ours: dict[int, str] = {}
    theirs: dict[int, str] = {}
    last_side = None
    last_index = -10
    for index in sorted(indices):
        side = draw(st.sampled_from(["ours", "theirs"]))
        if last_side is not None and side != last_side and index - last_index < 2:
            continue  # keep at least one unchanged line between the two sides' edits
        (ours if side == "ours" else theirs)[index] = f"{side} edit of {index}\n"
        last_side, last_index = side, index
    return base, ours, theirs


@given(separated_edits())
def test_merge_keeps_both_sides_edits_when_they_do_not_touch(
    case: tuple[list[str], dict[int, str], dict[int, str]],
) -> None:
    base, ours, theirs = case
    ours_text = "".join(ours.get(i, line) for i, line in enumerate(base))
    theirs_text = "".join(theirs.get(i, line) for i, line in enumerate(base))
    expected = "".join(ours.get(i, theirs.get(i, line)) for i, line in enumerate(base))
    result = merge3("".join(base), ours_text, theirs_text)
    assert result.clean
    assert result.text() == expected


def test_merge_keeps_local_patch_and_master_change_in_different_places() -> None:
    ours = BASE.replace("two\n", "two (local)\n")
    theirs = BASE.replace("six\n", "six (master)\n")
    result = merge3(BASE, ours, theirs)
    assert result.text() == BASE.replace("two\n", "two (local)\n").replace(
        "six\n", "six (master)\n"
    )
    kinds = [r.kind for r in result.regions]
    assert kinds == [
        RegionKind.UNCHANGED, RegionKind.OURS, RegionKind.UNCHANGED, RegionKind.THEIRS,
        RegionKind.UNCHANGED,
    ]  # fmt: skip


def test_merge_reports_same_change_on_both_sides_as_same() -> None:
    both = BASE.replace("four\n", "four (fixed)\n")
    result = merge3(BASE, both, both)
    (same,) = [r for r in result.regions if r.kind is RegionKind.SAME]
    assert same.base == ("four\n",)
    assert same.ours == ("four (fixed)\n",)
    assert same.base_start == 4


def test_merge_conflict_is_written_with_diff3_markers() -> None:
    ours = BASE.replace("four\n", "four (copy)\n")
    theirs = BASE.replace("four\n", "four (master)\n")
    result = merge3(BASE, ours, theirs)
    assert not result.clean
    (conflict,) = result.conflicts
    assert (conflict.base_start, conflict.base, conflict.ours, conflict.theirs) == (
        4, ("four\n",), ("four (copy)\n",), ("four (master)\n",),
    )  # fmt: skip
    assert result.text() == (
        "one\ntwo\nthree\n"
        "<<<<<<< copy\nfour (copy)\n||||||| base\nfour\n=======\nfour (master)\n>>>>>>> master\n"
        "five\nsix\nseven\n"
    )


def test_merge_conflict_at_end_without_newline_keeps_markers_on_their_own_lines() -> None:
    result = merge3("a\nb", "a\nx", "a\ny")
    assert result.text() == "a\n<<<<<<< copy\nx\n||||||| base\nb\n=======\ny\n>>>>>>> master\n"


def test_split_lines_only_splits_on_newlines() -> None:
    assert split_lines("a\x0cb\nc\r\nd") == ["a\x0cb\n", "c\r\n", "d"]
    assert "".join(split_lines("x\n\ny")) == "x\n\ny"


def test_partial_backport_of_a_change_master_completed_takes_master() -> None:
    base = "levels = [\n    'amqp=WARN',\n]\n"
    ours = "levels = [\n    'amqp=WARN',\n    'iso8601=WARN',\n]\n"
    theirs = "levels = [\n    'amqp=WARN',\n    'iso8601=WARN',\n    'requests=WARN',\n]\n"
    result = merge3(base, ours, theirs)
    assert result.clean
    assert result.text() == theirs
    (same,) = [r for r in result.regions if r.kind is RegionKind.SAME]
    assert same.ours == ("    'iso8601=WARN',\n",)


def test_different_changes_of_one_line_still_conflict() -> None:
    result = merge3("x = 1\n", "x = 2\n", "x = 3\ny = 4\n")
    assert [r.kind for r in result.regions] == [RegionKind.CONFLICT]


@given(texts, texts, texts)
def test_merge_result_keeps_every_line_of_a_clean_merge_from_one_side(
    base: str, ours: str, theirs: str
) -> None:
    result = merge3(base, ours, theirs)
    for region in result.regions:
        assert region.result in (region.ours, region.theirs)
