"""What a cluster worker keeps between tasks (history/resident.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from oslo_incubator.history.resident import worker_cache
from oslo_incubator.workspace.cache import Cache


def test_a_worker_keeps_one_cache_per_directory(tmp_path: Path) -> None:
    first = worker_cache(str(tmp_path / "c"))
    assert first is not None
    assert worker_cache(str(tmp_path / "c")) is first
    assert worker_cache(None) is None


def test_a_cache_directory_emptied_between_jobs_is_opened_anew(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    old = worker_cache(str(directory))
    assert old is not None
    shutil.rmtree(directory)
    Cache(directory)  # the next job's client makes the cache again
    new = worker_cache(str(directory))
    assert new is not None and new is not old
    new.put("kind", "key", {"value": 1})
    # What the worker writes reaches the file every other process reads.
    assert Cache(directory).get("kind", "key") == {"value": 1}
