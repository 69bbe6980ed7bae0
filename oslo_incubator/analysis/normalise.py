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
The *quirk* comparison additionally lets a copy's ``.`` stand for any character of
master's between the placeholder and a word, which undoes the unescaped-dot mangling
(one way only: see :func:`quirk_equal`).
"""

from __future__ import annotations

import hashlib
import re

from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

PLACEHOLDER = "\x00"
UPPER_PLACEHOLDER = "\x01"

# The unescaped-dot quirk: "<placeholder><any character>" before a word.
_QUIRK = re.compile(f"{PLACEHOLDER}[^\\n](?=[A-Za-z_])")


def fold(text: str, base: str | None, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT) -> str:
    """Fold ``text`` so that any update.py rewrite of a master text folds alike.

    ``base`` is the project's dotted base package (``nova``); ``None`` folds only
    ``oslo``. Line structure is kept: line *i* of the fold is line *i* of ``text``.
    """
    # Plain str.replace, longest word first: about ten times faster than one regex
    # alternation, and drift folds every master version it compares with.
    text = text.replace("\r\n", "\n")
    base = base or "oslo"
    root_module = package_root.module
    text = text.replace(f"{base}.{root_module}", root_module)
    for word in sorted({"oslo", base}, key=len, reverse=True):
        text = text.replace(word, PLACEHOLDER)
    for word in sorted({"OSLO", base.upper()}, key=len, reverse=True):
        text = text.replace(word, UPPER_PLACEHOLDER)
    return text


def fold_quirks(folded: str) -> str:
    """Further fold a :func:`fold` result to forget update.py's unescaped-dot mangling:
    every character between the placeholder and a word becomes ``.``.

    Two-way and length-preserving: equal quirk folds are necessary for
    :func:`quirk_equal`, which decides.
    """
    if PLACEHOLDER not in folded:
        return folded
    return _QUIRK.sub(PLACEHOLDER + ".", folded)


def quirk_equal(copy_folded: str, master_folded: str) -> bool:
    """Whether a copy equals a master text up to update.py's unescaped-dot mangling.

    One way only: where they differ the copy must read ``<placeholder>.word`` and
    master ``<placeholder>?word`` (``oslo.config`` in the copy for master's
    ``oslo_config``), never the reverse, which would be a local edit.
    """
    if len(copy_folded) != len(master_folded) or fold_quirks(copy_folded) != fold_quirks(
        master_folded
    ):
        return False
    return all(
        c == "." and m != "\n" and i > 0 and copy_folded[i - 1] == PLACEHOLDER
        for i, (c, m) in enumerate(zip(copy_folded, master_folded, strict=True))
        if c != m
    )


def content_key(text: str) -> str:
    """A short stable hash of a (folded) text, for lookups and caches."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-8, keeping undecodable bytes (Python 2 era latin-1)."""
    return data.decode("utf-8", "surrogateescape")


def rewrite_import_prefix(
    text: str, base: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
) -> str:
    """The line-level rewrite: the package root's module after ``from``/``import`` at a line start,
    or right after a quote or ``=``, gains the ``<base>.`` prefix.

    What update.py did to imports at its simplest; sync's fallback for text libcst
    cannot parse, and the inverse that :func:`fold` undoes.
    """
    root_module = package_root.module
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
