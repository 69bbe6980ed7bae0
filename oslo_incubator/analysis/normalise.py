"""Undo what copying did to master text, so a copy can be compared with master.

Over its life oslo-incubator's ``update.py`` rewrote, line by line: the import prefix
``openstack.common`` to ``<base>.openstack.common``; every ``oslo`` to ``<base>`` and
``OSLO`` to ``<BASE>`` (comments and strings included, sparing ``oslotest`` and later
``oslo-incubator``); and then restored ``<base>.<lib>`` to ``oslo.<lib>`` for graduated
libraries, with an unescaped ``.`` until February 2015 (so ``oslo_config`` became
``oslo.config`` and ``nova/utils.py`` became ``oslo.utils.py``).

Instead of guessing which of about twenty rule sets produced a copy, drift compares
*folded* texts: the import prefix undone, and every ``oslo`` and every ``<base>``
replaced by one placeholder (upper-case forms by another). Both the copy and every
master version are folded the same way, so whichever rule set ran, the fold agrees.
The *quirk* fold additionally forgets the character between the placeholder and a
graduated library's name, which undoes the unescaped-dot mangling.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

PLACEHOLDER = "\x00"
UPPER_PLACEHOLDER = "\x01"

# Every library update.py ever listed in its "restore" step (OSLO_LIBS and earlier lists).
GRADUATED_LIBRARIES = (
    "cache",
    "concurrency",
    "config",
    "context",
    "db",
    "i18n",
    "log",
    "messaging",
    "middleware",
    "policy",
    "reports",
    "rootwrap",
    "serialization",
    "service",
    "sphinx",
    "utils",
    "version",
    "versionedobjects",
    "vmware",
)


@lru_cache(maxsize=64)
def _quirk_pattern() -> re.Pattern[str]:
    libs = "|".join(GRADUATED_LIBRARIES)
    return re.compile(f"{PLACEHOLDER}[^\\n](?=(?:{libs})\\b)")


def fold(text: str, base: str | None, root_module: str = "openstack.common") -> str:
    """Fold ``text`` so that any update.py rewrite of a master text folds alike.

    ``base`` is the project's dotted base package (``nova``); ``None`` folds only
    ``oslo``. Line structure is kept: line *i* of the fold is line *i* of ``text``.
    """
    # Plain str.replace, longest word first: about ten times faster than one regex
    # alternation, and drift folds every master version it compares with.
    text = text.replace("\r\n", "\n")
    base = base or "oslo"
    text = text.replace(f"{base}.{root_module}", root_module)
    for word in sorted({"oslo", base}, key=len, reverse=True):
        text = text.replace(word, PLACEHOLDER)
    for word in sorted({"OSLO", base.upper()}, key=len, reverse=True):
        text = text.replace(word, UPPER_PLACEHOLDER)
    return text


def fold_quirks(
    folded: str, base: str | None = None, root_module: str = "openstack.common"
) -> str:
    """Further fold a :func:`fold` result to forget update.py's unescaped-dot mangling."""
    if PLACEHOLDER not in folded:
        return folded
    return _quirk_pattern().sub(PLACEHOLDER + ".", folded)


def content_key(text: str) -> str:
    """A short stable hash of a (folded) text, for lookups and caches."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-8, keeping undecodable bytes (Python 2 era latin-1)."""
    return data.decode("utf-8", "surrogateescape")


def rewrite_import_prefix(text: str, base: str, root_module: str = "openstack.common") -> str:
    """The line-level rewrite: ``root_module`` after ``from``/``import`` at a line start,
    or right after a quote or ``=``, gains the ``<base>.`` prefix.

    What update.py did to imports at its simplest; sync's fallback for text libcst
    cannot parse, and the inverse that :func:`fold` undoes.
    """
    pattern = re.compile(
        r"(^[ \t]*from[ \t]+|^[ \t]*import[ \t]+|['\"=])"
        + re.escape(root_module)
        + r"(?![A-Za-z0-9_])",
        re.MULTILINE,
    )
    return pattern.sub(lambda m: f"{m.group(1)}{base}.{root_module}", text)


_TRIVIAL_LINE = re.compile(r"^\s*(#.*)?$")


def is_trivial(text: str) -> bool:
    """True when ``text`` has no code: empty, comments, or a lone docstring.

    Such files (``__init__.py`` most often) match many versions at many paths and are
    no evidence of a base commit on their own.
    """
    code = [line for line in text.splitlines() if not _TRIVIAL_LINE.match(line)]
    if not code:
        return True
    joined = "\n".join(code).strip()
    return bool(re.fullmatch(r'(?s)[rRuU]?("""|\'\'\').*?\1', joined))
