"""What a cluster worker keeps between tasks: its cache and the incubators it opened.

A task of scan or drift on a cluster names its cache by directory and the incubator
by path, package root and commit (what pickles); here each worker process opens them
once per thread and keeps them, instead of once per task (opening the incubator reads
its whole history index). The one place with state that outlives a call, on purpose:
it lives only in worker processes, and everything in it is keyed by what it was
opened from, so a task never sees another's.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.workspace.cache import Cache, CacheUnavailable

if TYPE_CHECKING:
    from oslo_incubator.history.incubator import Incubator

_KEPT = 16  # caches and incubators kept per process (a worker serves few clients)


def worker_cache(directory: str | None) -> Cache | None:
    """The cache at ``directory`` on this worker (``None``: no cache, or none can be
    opened there; the task then computes everything).

    A cache file deleted since it was opened (the operator emptied the cache directory
    between two jobs) is opened anew, and the incubators indexed with it are forgotten:
    the old connection would go on writing to a file nobody reads.
    """
    if directory is None:
        return None
    key = (directory, threading.get_ident())
    kept = _caches.get(key)
    if kept is not None and kept[0] is not None and _identity(kept[0].path) != kept[1]:
        del _caches[key]
        _incubator.cache_clear()
        kept = None
    if kept is None:
        try:
            cache: Cache | None = Cache(Path(directory))
        except CacheUnavailable:
            cache = None
        if len(_caches) >= _KEPT:
            del _caches[next(iter(_caches))]
        kept = (cache, _identity(cache.path) if cache is not None else None)
        _caches[key] = kept
    return kept[0]


def worker_incubator(
    repo: str, package_root: PackageRoot, commit: str, cache_dir: str | None
) -> Incubator:
    """The incubator at ``repo`` as of ``commit``, indexed once per worker thread."""
    return _incubator(repo, package_root, commit, cache_dir, threading.get_ident())


# SQLite connections belong to the thread that made them: one per directory and
# thread, with the identity of the file it opened.
_caches: dict[tuple[str, int], tuple[Cache | None, tuple[int, int] | None]] = {}


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


@lru_cache(maxsize=_KEPT)
def _incubator(
    repo: str, package_root: PackageRoot, commit: str, cache_dir: str | None, thread: int
) -> Incubator:
    from oslo_incubator.history.incubator import open_incubator

    return open_incubator(Path(repo), package_root, worker_cache(cache_dir), rev=commit)
