"""Deprecations declared in Python source, and the references that may still use them.

Pure: an ``ast`` tree and its module name in, data out. Four families of helper are
recognised, however they are imported (``from debtcollector import removals as r``,
``import debtcollector.removals``, ``from oslo_log import versionutils``, ``from
warnings import deprecated as dep``):

* this toolkit's ``oslo_incubator.deprecation`` and ``debtcollector`` (the same API:
  ``removals``, ``moves``, ``renames``, ``updating`` and ``deprecate()``);
* PEP 702's ``warnings.deprecated`` and ``typing_extensions.deprecated``;
* oslo's ``versionutils.deprecated`` (incubator copies ``<base>.openstack.common.
  versionutils`` and ``oslo_log.versionutils``).

Names resolve through a small model of Python scoping (:mod:`.scopes`): imports and
definitions of the module, function locals (parameters and reassigned names shadow; a
name assigned once from ``Klass(...)`` holds an instance of ``Klass``), ``self``/``cls``
in methods, and ``Klass().method``. An attribute whose object cannot be resolved by
name is kept as an *unresolved* reference with a term of its object (:mod:`.terms`),
which the index evaluates with every module's outline (:mod:`.outline`); it may become
a "possible" use when its name is a deprecated method's or property's name.

Where things are: :mod:`.apis` (the helpers and their parameters), :mod:`.arguments`
(reading their arguments), :mod:`.declarations` (a recogniser per family),
:mod:`.references`, :mod:`.index` (matching), :mod:`.walk` (the one walk that feeds
them all).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection

from oslo_incubator.analysis.deprecations.apis import (
    DEBT_APIS,
    DEBT_PACKAGES,
    PEP702_APIS,
    VERSIONUTILS_DEFAULT_REMOVE_IN,
    VERSIONUTILS_PARAMS,
    classify_api,
)
from oslo_incubator.analysis.deprecations.arguments import replacement_from_message
from oslo_incubator.analysis.deprecations.index import DeprecationIndex, Match
from oslo_incubator.analysis.deprecations.outline import ModuleOutline, Signature
from oslo_incubator.analysis.deprecations.references import Interest, Reference
from oslo_incubator.analysis.deprecations.walk import ModuleWalk
from oslo_incubator.model.debt import DeprecatedKind, Deprecation

__all__ = [
    "DEBT_APIS",
    "DEBT_PACKAGES",
    "PEP702_APIS",
    "VERSIONUTILS_DEFAULT_REMOVE_IN",
    "VERSIONUTILS_PARAMS",
    "DeprecationIndex",
    "Interest",
    "Match",
    "ModuleOutline",
    "Reference",
    "Signature",
    "classify_api",
    "describe_module",
    "find_deprecations",
    "find_mentions",
    "find_references",
    "may_declare",
    "module_for_path",
    "outline_module",
    "replacement_from_message",
]

# Only a text containing one of these can declare a deprecation ("moved_" is also in
# "removed_"); plain substring tests are several times faster than a regex alternation.
_DECLARATION_MARKERS = ("deprecat", "debtcollector", "moved_", "renamed_kwarg", "updated_kwarg")


def module_for_path(path: str, package_dirs: Collection[str]) -> tuple[str, bool]:
    """The dotted module of a project file, and whether it is a package.

    ``path`` is relative to the project root with ``/`` separators; ``package_dirs``
    are the directories holding an ``__init__.py``. The module is named from the
    outermost package of an unbroken chain of packages (``src/pkg/x.py`` is ``pkg.x``
    when ``src`` is not a package); a file outside any package is named by its whole
    path (``tools/hooks.py`` is ``tools.hooks``).
    """
    parts = path.removesuffix(".py").split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    directories = path.split("/")[:-1]
    start = len(directories)
    while start > 0 and "/".join(directories[:start]) in package_dirs:
        start -= 1
    if start == len(directories):  # not in a package: keep the whole path
        start = 0
    return ".".join(parts[start:]), is_package


def may_declare(text: str) -> bool:
    """Whether source ``text`` can declare a deprecation at all (a cheap pre-test)."""
    return any(marker in text for marker in _DECLARATION_MARKERS)


def find_deprecations(
    tree: ast.Module, module: str, is_package: bool = False, walrus: bool = True
) -> list[Deprecation]:
    """Every deprecation declared in ``tree``, the text of module ``module``.

    ``walrus=False`` says the text has no ``:=``, which spares the search for names
    that assignment expressions bind.

    Returns:
        Deprecations in source order; a definition deprecated twice (a property's
        getter and setter) is reported once per kind.
    """
    walk = ModuleWalk(module, is_package, walrus=walrus)
    walk.run(tree)
    assert walk.declarations is not None
    return _unique_deprecations(walk.declarations.found)


def find_references(
    tree: ast.Module, module: str, is_package: bool, interest: Interest, walrus: bool = True
) -> list[Reference]:
    """The references in ``tree`` that ``interest`` wants, in source order (``walrus``
    as for :func:`find_deprecations`)."""
    walk = ModuleWalk(module, is_package, interest, walrus, declare=False)
    walk.run(tree)
    assert walk.references is not None
    return sorted(walk.references.found, key=lambda r: r.line)


def outline_module(
    tree: ast.Module, module: str, is_package: bool = False, walrus: bool = True
) -> ModuleOutline:
    """The classes, import aliases and type facts of ``tree`` (see :class:`ModuleOutline`)."""
    return describe_module(tree, module, is_package, walrus)[1]


def describe_module(
    tree: ast.Module,
    module: str,
    is_package: bool = False,
    walrus: bool = True,
    declares: bool = True,
) -> tuple[list[Deprecation], ModuleOutline]:
    """:func:`find_deprecations` and :func:`outline_module` in one walk of ``tree``
    (``declares=False``, when :func:`may_declare` says the text cannot declare any,
    spares the search for declarations)."""
    walk = ModuleWalk(module, is_package, None, walrus, outline=True, declare=declares)
    walk.run(tree)
    assert walk.outliner is not None
    found = walk.declarations.found if walk.declarations is not None else []
    return _unique_deprecations(found), walk.outliner.outline()


def find_mentions(text: str, words: Collection[str]) -> list[tuple[str, int]]:
    """Each whole-word occurrence of ``words`` in ``text`` as ``(word, line)``: the
    fallback for files that do not parse."""
    if not words:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words)) + r")\b")
    found = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for word in dict.fromkeys(m.group(1) for m in pattern.finditer(line)):
            found.append((word, lineno))
    return found


# Private


def _unique_deprecations(deprecations: list[Deprecation]) -> list[Deprecation]:
    seen: set[tuple[str, DeprecatedKind, int | None]] = set()
    unique = []
    for found in sorted(deprecations, key=lambda d: d.line):
        key = (
            found.name,
            found.kind,
            found.line if found.kind is DeprecatedKind.FEATURE else None,
        )
        if key not in seen:
            seen.add(key)
            unique.append(found)
    return unique
