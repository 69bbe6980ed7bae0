"""Walk a project's own Python files, and say which files a walk must not read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

# Directories that hold no code of the project's own (hidden ones are skipped too).
NOT_PROJECT_CODE = frozenset({"venv", "__pycache__", "node_modules"})
# Build output, skipped at the project root only: ``setup.py build`` and ``python -m
# build`` write there, while deeper a directory of that name is a package of the
# project's own (pip has ``pip/_internal/operations/build/``). Scan skipped them at the
# root and the other commands at any depth; no tree of the real fleet (nova, glance,
# cinder, heat, keystone, neutron, ceilometer, ironic, the incubator) has either below
# its root, so scan's findings are unchanged.
BUILD_OUTPUT = frozenset({"build", "dist"})


def project_python_files(project: Path, exclude: str | None = None) -> Iterator[str]:
    """The project's ``*.py`` files, relative and with ``/``, in sorted walk order (a
    directory's files, then its subdirectories').

    Skipped: hidden directories (``.git``, ``.tox``, ``.venv`` ...), the directories of
    :data:`NOT_PROJECT_CODE`, :data:`BUILD_OUTPUT` at the root, ``*.egg-info``, any
    virtualenv (a directory holding ``pyvenv.cfg``), ``exclude``, a directory relative
    to the project (the copies, when only the project's own code is wanted), and files
    :func:`unreadable_reason` refuses. Symbolic links to directories are not followed.
    """
    return _walk(project, str(project), "", exclude)


def _walk(project: Path, directory: str, prefix: str, exclude: str | None) -> Iterator[str]:
    # One scandir per directory, whose entries know their type: a regular file costs
    # no system call of its own. nova's 1,425 files: 7 ms of CPU, os.walk with an
    # lstat per file 26 ms.
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    subdirectories = []
    for entry in entries:
        name = entry.name
        if entry.is_dir():  # a link to a directory too, which is not followed
            if (
                entry.is_symlink()
                or name[0] == "."
                or name in NOT_PROJECT_CODE
                or (not prefix and name in BUILD_OUTPUT)
                or name.endswith(".egg-info")
                or prefix + name == exclude
            ):
                continue
            subdirectories.append(entry)
        elif name.endswith(".py") and (
            entry.is_file(follow_symlinks=False)
            or unreadable_reason(project, Path(entry.path)) is None
        ):
            yield prefix + name
    for entry in subdirectories:
        if not os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):  # a virtualenv
            yield from _walk(project, entry.path, f"{prefix}{entry.name}/", exclude)


def unreadable_reason(root: Path, path: Path) -> str | None:
    """Why a walk of ``root`` must not read ``path`` (``None``: it may).

    A link that leaves ``root`` is a finding, not an input (a copy linked to
    ``/etc/passwd`` is not shown); a dangling link or a link loop has nothing to read;
    anything but a regular file (a FIFO would block the read forever) is no source file.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        return exc.strerror or "cannot be read"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a dangling or looping link"
        try:
            target.relative_to(root.resolve())
        except ValueError:
            return f"a link out of the tree (to {target})"
        info = os.stat(target)
    if stat.S_ISDIR(info.st_mode):
        return None if path.is_dir() else "not a directory"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    return None
