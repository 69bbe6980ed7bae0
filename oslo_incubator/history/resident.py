"""What a cluster worker keeps between tasks: its cache and the incubators it opened.

A task of scan or drift on a cluster names its cache by directory and the incubator
by path, package root and commit (what pickles); here each worker process opens them
once per thread and keeps them, instead of once per task (opening the incubator reads
its whole history index). The one place with state that outlives a call, on purpose:
it lives only in worker processes, and everything in it is keyed by what it was
opened from, so a task never sees another's.
"""

from __future__ import annotations

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
    opened there; the task then computes everything)."""
    if directory is None:
        return None
    return _cache(directory, threading.get_ident())


def worker_incubator(
    repo: str, package_root: PackageRoot, commit: str, cache_dir: str | None
) -> Incubator:
    """The incubator at ``repo`` as of ``commit``, indexed once per worker thread."""
    return _incubator(repo, package_root, commit, cache_dir, threading.get_ident())


@lru_cache(maxsize=_KEPT)
def _cache(directory: str, thread: int) -> Cache | None:
    # SQLite connections belong to the thread that made them: one per thread.
    try:
        return Cache(Path(directory))
    except CacheUnavailable:
        return None


@lru_cache(maxsize=_KEPT)
def _incubator(
    repo: str, package_root: PackageRoot, commit: str, cache_dir: str | None, thread: int
) -> Incubator:
    from oslo_incubator.history.incubator import open_incubator

    return open_incubator(Path(repo), package_root, worker_cache(cache_dir), rev=commit)
