"""Pure helpers for judging ``check`` findings: inline ignore comments, rule and path
patterns, fingerprints that survive line moves, and the lines a diff added.

An inline ignore is a comment on the finding's line::

    _LOGGERS = ('keystone.openstack.common.log',)  # oslo-incubator: ignore[drift/graduated-*]

``ignore[a, b]`` names several rules (each may be a glob: ``drift/graduated-*``); a
bare ``ignore`` ignores every rule on that line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from fnmatch import fnmatchcase

_IGNORE = re.compile(r"#\s*oslo-incubator:\s*ignore(?:\[([^\]]*)\]|(?![\w\[-]))")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_SPACE = re.compile(r"\s+")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def inline_ignores(line: str) -> tuple[str, ...] | None:
    """The rule patterns an ``# oslo-incubator: ignore[...]`` comment on ``line`` names:
    ``("*",)`` for a bare ``ignore``, ``None`` without such a comment."""
    match = _IGNORE.search(line)
    if match is None:
        return None
    if match.group(1) is None:
        return ("*",)
    return tuple(p.strip() for p in match.group(1).split(",") if p.strip())


def rule_matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """Whether ``rule_id`` matches one of ``patterns`` (ids or globs: ``drift/*``)."""
    return any(fnmatchcase(rule_id, p) for p in patterns)


def path_matches(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` (relative, ``/``-separated) matches one of the glob
    ``patterns``; ``*`` crosses ``/``, so ``keystone/tests/*`` takes the whole tree,
    and a pattern ending in ``/`` takes everything below that directory."""
    for pattern in patterns:
        if pattern.endswith("/"):
            pattern += "*"
        if fnmatchcase(path, pattern):
            return True
    return False


def normalise_line(text: str) -> str:
    """A line as fingerprints see it: without an ignore comment, whitespace collapsed,
    so re-indenting or annotating a line keeps its findings' fingerprints."""
    match = _IGNORE.search(text)
    if match is not None:
        text = text[: match.start()]
    return _SPACE.sub(" ", text).strip()


def fingerprint(*parts: str) -> str:
    """A stable 32-hex-digit digest of ``parts`` (rule, project, path, normalised text
    and an occurrence number, say): no line numbers, so moving code keeps it."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def added_lines(diff: str) -> dict[str, frozenset[int]]:
    """Parse the output of ``git diff -U0``: every added or modified line number per new
    path (a file only deleted is not there; a file only renamed maps to no lines)."""
    lines: dict[str, set[int]] = {}
    current: str | None = None
    in_header = False
    for raw in diff.splitlines():
        if raw.startswith("diff --git "):
            in_header, current = True, None
        elif in_header and raw.startswith("+++ "):
            current = _diff_path(raw[4:], "b/")
            if current is not None:
                lines.setdefault(current, set())
        elif in_header and raw.startswith("rename to "):
            current = _diff_path(raw[len("rename to ") :], "")
            if current is not None:
                lines.setdefault(current, set())
        elif raw.startswith("@@") and current is not None and (match := _HUNK.match(raw)):
            in_header = False
            start = int(match.group(1))
            count = 1 if match.group(2) is None else int(match.group(2))
            lines[current].update(range(start, start + count))
    return {p: frozenset(n) for p, n in lines.items()}


# Private


def _diff_path(text: str, prefix: str) -> str | None:
    """A path from a ``---``/``+++`` line; ``None`` for ``/dev/null``."""
    text = text.rstrip("\n").split("\t", 1)[0]
    if text == "/dev/null":
        return None
    if text.startswith('"') and text.endswith('"'):
        text = _unquote(text[1:-1])
    return text[len(prefix) :] if text.startswith(prefix) else text


def _unquote(text: str) -> str:
    """Undo git's C-style quoting of a path (octal bytes, backslash escapes)."""
    out = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            octal = text[i + 1 : i + 4]
            if len(octal) == 3 and all(c in "01234567" for c in octal):
                out.append(int(octal, 8))
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, ord(nxt)))
            i += 2
            continue
        out += char.encode("utf-8")
        i += 1
    return out.decode("utf-8", "surrogateescape")
