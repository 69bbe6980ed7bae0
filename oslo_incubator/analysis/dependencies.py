"""Which master modules a module needs: the closure of its imports, found statically.

Modules are named as in ``openstack-common.conf`` (``log``, ``db.sqlalchemy``),
relative to the package root. A module imports another when one of its files has a
module-level or function-level import of it, in any form: ``import
openstack.common.x``, ``from openstack.common import x``, ``from openstack.common.x
import y``, or a relative ``from . import x`` / ``from .x import y``. Strings naming
modules (``importutils.import_module('...')``) are not followed: they name optional
drivers, which update.py did not pull in either.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from oslo_incubator.analysis.imports import ImportKind, ImportSite, find_imports, innermost_module
from oslo_incubator.model.packageroot import PackageRoot


@dataclass(frozen=True)
class ModuleNeed:
    """A module the sync must copy; ``required_by`` is empty for one asked for."""

    module: str
    required_by: tuple[str, ...] = ()


def master_modules(paths: Iterable[str], package_root: PackageRoot) -> frozenset[str]:
    """Every module name master offers under ``package_root``: each ``.py`` file
    (``a.b`` for ``a/b.py``) and each folder holding Python files (``a``)."""
    prefix = package_root.path + "/"
    found: set[str] = set()
    for path in paths:
        if not path.startswith(prefix) or not path.endswith(".py"):
            continue
        parts = path[len(prefix) : -3].split("/")
        for end in range(1, len(parts)):
            found.add(".".join(parts[:end]))
        if parts[-1] != "__init__":
            found.add(".".join(parts))
    return frozenset(found)


def file_imports(
    text: str, master_path: str, package_root: PackageRoot, known: Collection[str]
) -> list[str]:
    """The modules of ``known`` that the master file ``master_path`` imports.

    A ``from P import n`` names the submodule ``P.n`` when that is a module, and ``P``
    itself otherwise; the root package itself is never a dependency.
    """
    root = package_root.module
    stem = master_path[:-3] if master_path.endswith(".py") else master_path
    is_package = stem.endswith("/__init__")
    dotted = stem.removesuffix("/__init__").replace("/", ".")
    full_known = {f"{root}.{m}" for m in known}
    found: dict[str, None] = {}
    for site in find_imports(text, dotted, is_package):
        if site.kind is ImportKind.WEAK:
            continue
        for target in _targets(site, full_known):
            if target.startswith(root + "."):
                found[target[len(root) + 1 :]] = None
    return list(found)


def dependency_closure(
    requested: Sequence[str],
    files_of: Callable[[str], Sequence[str]],
    texts: Mapping[str, str],
    package_root: PackageRoot,
    known: Collection[str],
) -> list[ModuleNeed]:
    """The requested modules and, transitively, every module their files import.

    Args:
        requested: module names, in the order asked.
        files_of: the master files copied for a module (with the parent
            ``__init__.py`` files that come along).
        texts: master path → text, for every file ``files_of`` may return.
        package_root: where master modules live.
        known: every module name master offers (:func:`master_modules`).

    Returns:
        The requested modules first, then dependencies in the order found; each
        dependency names the modules that import it. A module whose files are all
        among those of modules already listed is not listed again.
    """
    needs: dict[str, list[str]] = {m: [] for m in requested}
    covered: set[str] = set()
    for module in requested:
        covered.update(files_of(module))
    queue = list(requested)
    analysed: dict[str, list[str]] = {}
    while queue:
        module = queue.pop(0)
        for path in files_of(module):
            if path not in analysed:
                analysed[path] = file_imports(texts.get(path, ""), path, package_root, known)
            for dependency in analysed[path]:
                if dependency == module:
                    continue
                if dependency in needs:
                    if needs[dependency] and module not in needs[dependency]:
                        needs[dependency].append(module)
                    continue
                files = files_of(dependency)
                if files and set(files) <= covered:
                    continue
                needs[dependency] = [module]
                covered.update(files)
                queue.append(dependency)
    return [ModuleNeed(m, tuple(by)) for m, by in needs.items()]


def companion_files(module: str, paths: Iterable[str]) -> list[str]:
    """The files outside the package root that update.py copied with ``module``:
    ``tools/<mod>/*.sh``, ``tools/<mod>*`` and ``etc/oslo/<mod>*.conf`` (as
    :func:`glob.glob` matches them: ``*`` does not cross ``/``; the module name is
    used as written, so ``module=redhat-eventlet.patch`` copies
    ``tools/redhat-eventlet.patch``)."""
    patterns = (f"tools/{module}/*.sh", f"tools/{module}*", f"etc/oslo/{module}*.conf")
    return sorted(
        p
        for p in paths
        if any(p.count("/") == pat.count("/") and fnmatch.fnmatchcase(p, pat) for pat in patterns)
    )


# Private


def _targets(site: ImportSite, known: Collection[str]) -> list[str]:
    if site.names:
        subs = [f"{site.module}.{name}" for name, _ in site.names]
        found = [s for s in subs if s in known]
        if len(found) == len(subs):
            return found
        outer = innermost_module(site.module, known)
        return [*found, outer] if outer else found
    inner = innermost_module(site.module, known)
    return [inner] if inner else []
