"""Walk a project's own Python files, and say which files a walk must not read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

# Directories that hold no code of the project's own (hidden ones are skipped too).
NOT_PROJECT_CODE = frozenset({"venv", "__pycache__", "build", "dist", "node_modules"})


def project_python_files(project: Path, exclude: str | None = None) -> Iterator[str]:
    """The project's ``*.py`` files, relative and with ``/``, in sorted walk order.

    Skipped: hidden directories (``.git``, ``.tox``, ``.venv`` ...), the directories of
    :data:`NOT_PROJECT_CODE`, ``*.egg-info``, any virtualenv (a directory holding
    ``pyvenv.cfg``) and ``exclude``, a directory relative to the project (the copies,
    when only the project's own code is wanted). Symbolic links to directories are not
    followed.
    """
    for dirpath, dirnames, filenames in os.walk(project):
        rel_dir = Path(dirpath).relative_to(project).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in NOT_PROJECT_CODE
            and not d.endswith(".egg-info")
            and f"{rel_dir}{d}" != exclude
            and not (Path(dirpath) / d / "pyvenv.cfg").exists()
        )
        for filename in sorted(filenames):
            if (
                filename.endswith(".py")
                and unreadable_reason(project, Path(dirpath) / filename) is None
            ):
                yield f"{rel_dir}{filename}"


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
