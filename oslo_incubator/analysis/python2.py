"""Python 2 source made parseable by Python 3's ``ast``, for read-only analysis.

Real copies from 2014–2015 are often Python 2 only (``except Error, e:``, ``0L``,
``print x``), or use ``async`` as a name as Python 3.6 allowed. Scans that only
*read* code can still learn from them: this rewrites the handful of such spellings
line by line, keeping every line where it was, so
what an analysis finds in the result points at the right line of the original. The
result is never written back and never run.
"""

from __future__ import annotations

import re

_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    # except Error, e:  /  except (A, B), e:
    (re.compile(r"^(\s*except\s+)(\([^)]*\)|[\w.]+)\s*,\s*(\w+)\s*:", re.M), r"\1\2 as \3:"),
    # print >>stream, x  /  print x  /  print
    (re.compile(r"^(\s*)print\s*>>\s*([^,\n]+),\s*(.*?)\s*$", re.M), r"\1print(\3, file=\2)"),
    (re.compile(r"^(\s*)print(?:\s+(?![\s(=.,)])(.*?))?\s*$", re.M), r"\1print(\2)"),
    # exec code in namespace
    (re.compile(r"^(\s*)exec\s+(?!\()(.+?)(?:\s+in\s+.+?)?\s*$", re.M), r"\1exec(\2)"),
    # 10L, 0x1FL
    (re.compile(r"\b((?:0[xX][0-9a-fA-F]+)|(?:\d+))[lL]\b"), r"\1"),
    # 0755 (an octal literal)
    (re.compile(r"(?<![\w.])0([0-7]+)\b"), r"0o\1"),
    # ur"text"
    (re.compile(r"\b[uU][rR](['\"])"), r"r\1"),
    # `x` (repr)
    (re.compile(r"`([^`\n]+)`"), r"repr(\1)"),
    # a <> b
    (re.compile(r"<>"), "!="),
    # async and await as names (legal before Python 3.7: oslo.db's enginefacade.async)
    (re.compile(r"\b(async|await)\b(?![ \t]+(?:def|with|for)\b)(?=[ \t]*(?:[(.:=,)\]]|$))", re.M),
     r"\1_"),
)  # fmt: skip


# raise Error, "message"[, traceback]: the first comma outside brackets ends the type.
_RAISE = re.compile(r"^(\s*raise\s+)(.+?)\s*$", re.M)


def as_python3(text: str) -> str:
    """``text`` with Python 2 spellings rewritten, line for line (see module docstring).

    Strings and comments that happen to contain those spellings may be changed too:
    the result is for reading the code's structure, not its literals.
    """
    for pattern, replacement in _FIXES:
        text = pattern.sub(replacement, text)
    return _RAISE.sub(_raise_as_call, text)


def _raise_as_call(match: re.Match[str]) -> str:
    head, body = match.group(1), match.group(2)
    depth = 0
    for index, char in enumerate(body):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char in "'\"":
            return match.group(0)  # a string before any comma: leave it
        elif char == "," and depth == 0:
            return f"{head}{body[:index]}({body[index + 1 :].strip()})"
    return match.group(0)
