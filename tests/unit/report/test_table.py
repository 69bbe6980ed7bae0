"""report/table.py: aligned plain-text tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.report.table import render_table


def test_columns_are_padded_to_their_widest_cell() -> None:
    assert render_table(["a", "bb", "c"], [["xxx", "y", "z"], ["w", "vvv", "u"]]) == (
        "  a    bb   c\n  xxx  y    z\n  w    vvv  u"
    )


def test_the_last_column_is_not_padded_and_lines_are_stripped() -> None:
    text = render_table(["name", "why"], [["a", ""], ["b", "long reason"]])
    assert text.splitlines() == ["  name  why", "  a", "  b     long reason"]


def test_header_only() -> None:
    assert render_table(["one", "two"], []) == "  one  two"


def test_indent() -> None:
    assert render_table(["h"], [["v"]], indent="    ") == "    h\n    v"
    assert render_table(["h", "i"], [["v", "w"]], indent="") == "h  i\nv  w"


def test_unicode_cells_are_padded_by_characters() -> None:
    text = render_table(["x", "y"], [["é☃", "1"], ["abc", "2"]])
    assert text.splitlines() == ["  x    y", "  é☃   1", "  abc  2"]


def test_a_row_longer_than_the_header_is_an_error() -> None:
    with pytest.raises(IndexError):
        render_table(["a"], [["1", "2"]])


CELL = st.text(alphabet="abc é", max_size=6)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(CELL, min_size=n, max_size=n),
            st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=5),
        )
    )
)
def test_every_column_starts_at_the_same_place(table: tuple[list[str], list[list[str]]]) -> None:
    header, rows = table
    lines = render_table(header, rows).split("\n")
    assert len(lines) == len(rows) + 1
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    starts = [2 + sum(w + 2 for w in widths[:i]) for i in range(len(widths))]
    for row, line in zip([header, *rows], lines, strict=True):
        assert line == line.rstrip()
        for cell, start in zip(row, starts, strict=True):
            assert line[start : start + len(cell)].rstrip() == cell.rstrip()
        assert line[:2].strip() == ""
