"""Walk a project's own Python files."""

from __future__ import annotations

import os
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
            if filename.endswith(".py"):
                yield f"{rel_dir}{filename}"
