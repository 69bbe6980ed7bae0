"""Reading Python 2 (and pre-3.7) sources as Python 3, line for line."""

from __future__ import annotations

import ast

import pytest

from oslo_incubator.analysis.python2 import as_python3

OLD = """\
try:
    x = 10L + 0755
except (KeyError, ValueError), e:
    print >>sys.stderr, "bad", `e`
    print "x"
    raise ValueError, "gone", tb
if a <> b:
    exec code in namespace
    s = ur"text"
reader.async(1)

@writer.async
def go():
    print
"""


def test_python2_spellings_parse_and_keep_their_lines() -> None:
    text = as_python3(OLD)
    tree = ast.parse(text)
    assert len(text.splitlines()) == len(OLD.splitlines())
    lines = {n.lineno: ast.unparse(n) for n in tree.body[0].handlers[0].body}  # type: ignore[attr-defined]
    assert lines == {
        4: "print('bad', repr(e), file=sys.stderr)",
        5: "print('x')",
        6: "raise ValueError('gone', tb)",
    }
    assert ast.unparse(tree.body[2]) == "reader.async_(1)"


@pytest.mark.parametrize(
    "source",
    ["async def f():\n    await g()\n    async with a:\n        pass\n", "x = 'a, b'\n"],
)
def test_python3_code_is_left_as_it_is(source: str) -> None:
    assert as_python3(source) == source
