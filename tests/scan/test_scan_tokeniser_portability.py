"""Scan's tokeniser on Python 3.10, whose ``re`` has no possessive repeats (``*+``).

On 3.11 and later the patterns run as written; on 3.10 with plain greedy repeats
instead (:func:`without_possessive`). Both must cut every text alike: compared here
on texts built from the pieces that matter (quotes, escapes, comments, newlines), on
every version that can compile both. The rest of the scan suite runs whichever form
the interpreter uses.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis import fingerprint
from oslo_incubator.analysis.fingerprint import tokenize, without_possessive

POSSESSIVE = sys.version_info >= (3, 11)
needs_possessive = pytest.mark.skipif(not POSSESSIVE, reason="re has possessive repeats from 3.11")

# The bytes the patterns care about, and a few ordinary ones, so that strings open and
# close, escape, run over lines and stay unclosed often.
PIECES = [b"'", b'"', b"'''", b'"""', b"\\", b"\n", b"#", b" ", b"a", b"1", b"(", b"=", b"\x00"]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join)


@pytest.mark.parametrize(
    ("pattern", "plain"),
    [
        (rb"a*+b++c?+", rb"a*b+c?"),
        (rb"(?:ab|c)*+x{2,3}+", rb"(?:ab|c)*x{2,3}"),
        (rb"[*+]+[^]+]*+", rb"[*+]+[^]+]*"),  # inside a class "*" and "+" are bytes
        (rb"\++\*+", rb"\++\*+"),  # an escaped "+" repeated, not a possessive mark
        (rb"a*?b+?(?=c)(?:d)", rb"a*?b+?(?=c)(?:d)"),  # lazy repeats and groups as they were
    ],
)
def test_without_possessive_drops_the_marks_and_nothing_else(pattern: bytes, plain: bytes) -> None:
    assert without_possessive(pattern) == plain


def test_both_patterns_compile_without_possessive_repeats() -> None:
    for source in (fingerprint._TOKEN_SOURCE, fingerprint._STRING_RUNS_SOURCE):
        plain = without_possessive(source)
        assert b"*+" not in plain.replace(b"[-+*/%&|^=<>!@:]", b"")
        re.compile(plain, re.S)


@needs_possessive
@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_tokeniser_cuts_alike_with_and_without_possessive_repeats(text: bytes) -> None:
    plain = re.compile(without_possessive(fingerprint._TOKEN_SOURCE), re.S)
    assert plain.findall(text) == fingerprint._TOKEN.findall(text)


@needs_possessive
@settings(max_examples=400, deadline=None)
@given(texts)
def test_string_runs_split_alike_with_and_without_possessive_repeats(text: bytes) -> None:
    plain = re.compile(without_possessive(fingerprint._STRING_RUNS_SOURCE), re.S)
    assert plain.split(text) == fingerprint._STRING_RUNS.split(text)


def test_the_tokeniser_reads_strings_comments_and_names_on_this_python() -> None:
    text = b"x = 'a\\'b'  # comment\ny = '''doc\n''' + \"q\" ** 2\nz(1.5e3)\n"
    assert tokenize(text) == [
        b"x", b"=", b"'a\\'b'", b"y", b"=", b"'''doc\n'''", b"+", b'"q"', b"**", b"2",
        b"z", b"(", b"1.5e3", b")",
    ]  # fmt: skip
