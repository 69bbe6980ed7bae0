"""Parsing the code this toolkit reads, with the compiler's warnings kept as data.

Old code makes Python's compiler warn: ``'\\.'`` in a string is an invalid escape
sequence (a ``DeprecationWarning`` up to Python 3.11, a ``SyntaxWarning`` printed to
every user from 3.12), ``0in x`` an invalid decimal literal, and so on. They are about
the projects and the incubator being read, not about this program: printed, they bury
the report, and under ``-W error`` they would turn readable files into unreadable ones.

So every parse of code this toolkit reads (a project's, the incubator's, an
``update.py``) goes through :func:`parse_python` or :func:`parse_expression`, which
record the warnings instead of letting them through, always, whatever the warning
filters say. A command that reports how many there were opens
:func:`collect_parse_warnings` around its work; without one they are only dropped.
``tests/foundation/test_parse_warnings.py`` checks that nothing in the package calls
``ast.parse``, ``compile`` or ``ast.literal_eval`` on text any other way.
"""

from __future__ import annotations

import ast
import hashlib
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = [
    "ParseWarning",
    "ParseWarnings",
    "collect_parse_warnings",
    "parse_expression",
    "parse_python",
]


@dataclass(frozen=True)
class ParseWarning:
    """One warning the compiler gave while parsing a file.

    ``filename`` is the name the caller gave the text (a path, a module, ``update.py``),
    ``<unknown>`` when it gave none; ``line`` is ``None`` when the warning has none.
    """

    filename: str
    line: int | None
    category: str
    message: str

    def __str__(self) -> str:
        where = self.filename if self.line is None else f"{self.filename}:{self.line}"
        return f"{where}: {self.category}: {self.message}"


class ParseWarnings:
    """The warnings seen while a :func:`collect_parse_warnings` block ran.

    A text parsed twice (or two copies of one text under one name) counts once.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[ParseWarning, str], None] = {}

    def add(self, warning: ParseWarning, text_digest: str) -> None:
        """Count ``warning``, given for the text whose sha1 is ``text_digest``."""
        self._seen[(warning, text_digest)] = None

    def __len__(self) -> int:
        return len(self._seen)

    def __iter__(self) -> Iterator[ParseWarning]:
        return (warning for warning, _ in self._seen)

    def file_count(self) -> int:
        """How many distinct texts warned."""
        return len({(w.filename, digest) for w, digest in self._seen})


# The collector of the innermost collect_parse_warnings() block, if any. A context
# variable rather than an argument: the warnings machinery it stands in for is
# process-wide already, and the parses happen in helpers many layers below the command.
_COLLECTOR: ContextVar[ParseWarnings | None] = ContextVar(
    "oslo_incubator_parse_warnings", default=None
)


@contextmanager
def collect_parse_warnings() -> Iterator[ParseWarnings]:
    """Collect the warnings of every parse in the block (the block's thread and tasks)."""
    collector = ParseWarnings()
    token = _COLLECTOR.set(collector)
    try:
        yield collector
    finally:
        _COLLECTOR.reset(token)


def parse_python(source: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(source, filename)``, recording the warnings it raises.

    Raises:
        SyntaxError: the text does not parse (warnings are not turned into errors).
        ValueError: it holds null bytes, or bytes its coding cookie cannot decode.
        RecursionError, MemoryError: it is nested too deeply.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return ast.parse(source, filename)
        finally:
            _record(caught, source, filename)


def parse_expression(source: str, filename: str = "<unknown>") -> ast.expr:
    """The expression ``source`` as a tree (for :func:`ast.literal_eval`), recording the
    warnings parsing it raises.

    Raises:
        SyntaxError: the text is not one expression.
        ValueError: it holds null bytes.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return ast.parse(source.lstrip(" \t"), filename, mode="eval").body
        finally:
            _record(caught, source, filename)


# Private


def _record(caught: list[warnings.WarningMessage], source: str | bytes, filename: str) -> None:
    collector = _COLLECTOR.get()
    if not caught or collector is None:
        return
    data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    digest = hashlib.sha1(data).hexdigest()
    for caught_warning in caught:
        line = caught_warning.lineno if caught_warning.filename == filename else None
        warning = ParseWarning(
            filename, line or None, caught_warning.category.__name__, str(caught_warning.message)
        )
        collector.add(warning, digest)
