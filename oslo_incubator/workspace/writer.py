"""Write a set of files into a project all at once, or not at all.

Every destination is checked first (:func:`safe_destination`); then each new content
goes to a temporary file beside its destination; only when all of them are on disk
are they renamed over their destinations (a rename within one directory is atomic).
Files about to be replaced are hard-linked to backups first, so that a failure even
during the renames puts every file back as it was. Temporary files, backups and
directories the write created are removed whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from oslo_incubator.model.errors import ConfigError, UnsafePathError

_TEMP_SUFFIX = ".oslo-incubator.tmp"
# Dotted names; '-' is allowed for entries that name companion files only
# (``redhat-eventlet.patch``), as openstack-common.conf allows.
_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_][A-Za-z0-9_\-]*)*")


@dataclass(frozen=True)
class FileWrite:
    """One file to write: bytes and permission bits."""

    data: bytes
    mode: int = 0o644


def safe_destination(project: Path, rel: str) -> Path:
    """The absolute path of ``rel`` inside ``project``, checked.

    Raises:
        UnsafePathError: ``rel`` is empty, absolute, has ``..`` or empty parts, or
            resolves (through a symlink) outside ``project``.
    """
    pure = PurePosixPath(rel)
    if not rel or "\\" in rel or "\0" in rel or pure.is_absolute() or os.path.isabs(rel):
        raise UnsafePathError(f"refusing to write {rel!r}: not a relative path", project / rel)
    if any(part in ("..", ".", "") for part in rel.split("/")):
        raise UnsafePathError(
            f"refusing to write {rel!r}: it would leave the project", project / rel
        )
    root = project.resolve()
    target = project.joinpath(*pure.parts)
    resolved = target.resolve()
    if not _inside(resolved, root):
        raise UnsafePathError(
            f"refusing to write {rel!r}: it resolves to {resolved}, outside the project", target
        )
    return target


def check_module_name(project: Path, name: str) -> None:
    """Accept a dotted module name (``log``, ``report.views.json``, ``redhat-eventlet.patch``).

    Raises:
        UnsafePathError: the name would name a path outside the package root
            (``..``, ``/``, an absolute path).
        ConfigError: the name is not a dotted module name for another reason.
    """
    if _MODULE_NAME.fullmatch(name):
        return
    if "/" in name or "\\" in name or ".." in name or os.path.isabs(name):
        raise UnsafePathError(f"refusing module {name!r}: it would leave the project", project)
    raise ConfigError(f"invalid module name {name!r}", project)


def write_all(project: Path, files: Mapping[str, FileWrite]) -> list[str]:
    """Write ``files`` (project-relative path → content) all or none.

    Returns:
        The paths written, sorted.

    Raises:
        UnsafePathError: a destination is unsafe (nothing is written).
        OSError: writing failed (nothing is left changed).
    """
    targets = {rel: safe_destination(project, rel) for rel in sorted(files)}
    created_dirs: list[Path] = []
    temps: dict[str, Path] = {}
    backups: dict[str, Path] = {}
    renamed: list[str] = []
    try:
        for rel, target in targets.items():
            created_dirs += _make_parents(target.parent, project)
            if target.is_dir():
                raise IsADirectoryError(f"{target} is a directory")
            temps[rel] = _write_temp(target, files[rel])
        for rel, target in targets.items():
            if target.exists() or target.is_symlink():
                backups[rel] = _backup(target)
        for rel, target in targets.items():
            os.replace(temps.pop(rel), target)
            renamed.append(rel)
    except BaseException:
        for rel in reversed(renamed):
            if rel in backups:
                os.replace(backups.pop(rel), targets[rel])
            else:
                targets[rel].unlink(missing_ok=True)
        _remove([*temps.values(), *backups.values()])
        for directory in reversed(created_dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    _remove(backups.values())
    return renamed


# Private


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _make_parents(directory: Path, project: Path) -> list[Path]:
    missing: list[Path] = []
    current = directory
    while not current.exists() and current != project:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _write_temp(target: Path, content: FileWrite) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.data)
        os.chmod(name, content.mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _backup(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".backup" + _TEMP_SUFFIX,
                                dir=target.parent)  # fmt: skip
    os.close(fd)
    backup = Path(name)
    backup.unlink()
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, backup, follow_symlinks=False)
    return backup
