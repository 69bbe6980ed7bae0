"""Find a project's copies on disk and say which module and master file each is."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.workspace.files import unreadable_reason

ROOT_INIT_MODULE = "__init__"
_SKIP_DIRS = {"__pycache__", ".git", ".tox", ".venv"}


@dataclass(frozen=True)
class CopyLocation:
    """One file in a project that came (or seems to come) from a master file."""

    module: str
    copy_path: str  # relative to the project root, with '/'
    master_path: str  # relative to the incubator root
    declared: bool  # named by the configuration (directly or as a parent __init__.py)


@dataclass(frozen=True)
class ProjectCopies:
    """Every copy found in one project, the declared modules with no copy at all, and
    the files under the copy directory that were not read ("path: why")."""

    copies: tuple[CopyLocation, ...]
    missing: tuple[str, ...]
    skipped: tuple[str, ...] = ()

    @property
    def undeclared(self) -> tuple[str, ...]:
        """Copy paths that no configuration entry names."""
        return tuple(c.copy_path for c in self.copies if not c.declared)


def locate_copies(
    project: Path, config: ProjectConfig, master_companions: Collection[str] = ()
) -> ProjectCopies:
    """Find the copies of ``project``.

    Args:
        project: the project's root.
        config: its settings; ``config.base`` must be set.
        master_companions: master paths outside the package root that update.py
            copied along with modules (``tools/install_venv_common.py``,
            ``etc/oslo/*.conf``); a project file is a companion copy only when master
            has (or had) the file.

    Returns:
        The copies, sorted by path, and the declared modules with nothing on disk.
    """
    declared = set(config.modules)
    copy_dir = project / config.copy_dir
    found: dict[str, CopyLocation] = {}
    skipped: list[str] = []
    outside = unreadable_reason(project, copy_dir) if copy_dir.is_dir() else None
    if outside is not None:
        # Nothing under a directory that leaves the project is even listed.
        skipped.append(f"{config.copy_dir}: {outside}")
    for rel in _walk(copy_dir) if outside is None else []:
        why = unreadable_reason(project, copy_dir / rel)
        if why is not None:
            skipped.append(f"{config.copy_dir}/{rel}: {why}")
            continue
        module, is_declared = _module_of(rel, declared)
        copy_path = f"{config.copy_dir}/{rel}"
        found[copy_path] = CopyLocation(
            module, copy_path, f"{config.package_root.path}/{rel}", is_declared
        )
    for module in config.modules:
        for master_path in _companions_of(module, master_companions):
            copy_path = _companion_destination(master_path, config.base_path)
            if (project / copy_path).is_file() and not _skip(project, copy_path, skipped):
                found[copy_path] = CopyLocation(module, copy_path, master_path, True)
    for script in config.scripts:
        if (project / script).is_file() and not _skip(project, script, skipped):
            found[script] = CopyLocation(script, script, script, True)
    present = {c.module for c in found.values() if c.declared}
    missing = tuple(m for m in config.modules if m not in present)
    missing += tuple(s for s in config.scripts if s not in present)
    return ProjectCopies(
        tuple(sorted(found.values(), key=lambda c: c.copy_path)), missing, tuple(skipped)
    )


def module_files(module: str, paths: Collection[str], package_root: PackageRoot) -> list[str]:
    """The master files that make up ``module``, as update.py copied them.

    A file module is ``<root>/a/b.py``; a package module is the ``*.py`` files directly
    in ``<root>/a/b/`` (not its subpackages, which need their own entry).
    """
    rel = module.replace(".", "/")
    as_file = f"{package_root.path}/{rel}.py"
    if as_file in paths:
        return [as_file]
    folder = f"{package_root.path}/{rel}/"
    return sorted(
        p
        for p in paths
        if p.startswith(folder) and "/" not in p[len(folder) :] and p.endswith(".py")
    )


def module_of_path(path: str, package_root: PackageRoot) -> str | None:
    """The module a master file belongs to, as update.py names it.

    ``<root>/log.py`` → ``log``; ``<root>/db/sqlalchemy/session.py`` → ``db.sqlalchemy``;
    ``None`` for the root ``__init__.py`` and for anything that is not a ``.py`` file
    under the root.
    """
    prefix = package_root.path + "/"
    if not path.startswith(prefix) or not path.endswith(".py"):
        return None
    parts = path[len(prefix) : -3].split("/")
    if len(parts) == 1:
        return None if parts[0] == "__init__" else parts[0]
    return ".".join(parts[:-1])


# Private


def _skip(project: Path, rel: str, skipped: list[str]) -> bool:
    why = unreadable_reason(project, project / rel)
    if why is not None:
        skipped.append(f"{rel}: {why}")
    return why is not None


def _walk(copy_dir: Path) -> list[str]:
    if not copy_dir.is_dir():
        return []
    result = []
    for dirpath, dirnames, filenames in os.walk(copy_dir):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in filenames:
            if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                continue
            full = Path(dirpath) / name
            result.append(full.relative_to(copy_dir).as_posix())
    return sorted(result)


def _module_of(rel: str, declared: set[str]) -> tuple[str, bool]:
    parts = rel.split("/")
    stem = parts[-1][:-3] if parts[-1].endswith(".py") else parts[-1]
    package = ".".join(parts[:-1])
    if len(parts) == 1:
        if stem == "__init__":
            return ROOT_INIT_MODULE, True  # update.py always copied the root __init__.py
        return stem, stem in declared
    if stem == "__init__":
        if package in declared:
            return package, True
        for module in sorted(declared):
            if module.startswith(package + "."):
                return module, True  # the parent __init__.py of a dotted module
        return package, False
    dotted = f"{package}.{stem}"
    if dotted in declared:
        return dotted, True
    return package, package in declared


def _companions_of(module: str, master_companions: Collection[str]) -> list[str]:
    # update.py put the module name into these globs as it was written, dots and all.
    patterns = (f"tools/{module}/*.sh", f"tools/{module}*", f"etc/oslo/{module}*.conf")
    return sorted(p for p in master_companions if any(_glob_match(p, pat) for pat in patterns))


def _glob_match(path: str, pattern: str) -> bool:
    # As glob.glob matches: '*' does not cross a '/'.
    return path.count("/") == pattern.count("/") and fnmatch.fnmatchcase(path, pattern)


def _companion_destination(master_path: str, base_path: str) -> str:
    if master_path.startswith("etc/oslo/"):
        return f"etc/{base_path}/" + master_path[len("etc/oslo/") :]
    return master_path
