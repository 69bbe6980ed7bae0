"""The cache: damage anywhere is rebuilt, many processes share it, a bad place is no cache."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from oslo_incubator.workspace.cache import Cache, CacheUnavailable


def filled(directory: Path, entries: int = 4000) -> Path:
    cache = Cache(directory)
    cache.put_many("kind", {f"key{n}": {"value": "x" * 200, "n": n} for n in range(entries)})
    cache.close()
    return directory / "cache.sqlite3"


def test_a_cache_damaged_in_its_middle_pages_is_rebuilt(tmp_path: Path) -> None:
    path = filled(tmp_path)
    data = bytearray(path.read_bytes())
    assert len(data) > 100_000
    middle = len(data) // 2
    data[middle : middle + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
    cache = Cache(tmp_path)  # the quick check finds it; it starts again
    assert cache.get("kind", "key1") is None
    cache.put("kind", "key1", [1])
    assert cache.get("kind", "key1") == [1]
    cache.close()


def test_a_read_that_fails_mid_run_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    path = filled(tmp_path)
    cache = Cache(tmp_path)
    path.unlink()
    Path(f"{path}-wal").unlink(missing_ok=True)
    path.write_bytes(b"garbage" * 1000)
    cache._db.execute("PRAGMA cache_size = 0")
    found = cache.get_many("kind", [f"key{n}" for n in range(2000)])
    cache.put("kind", "later", 1)  # never raises
    assert isinstance(found, dict)
    cache.close()


def _open_and_write(directory: str, n: int) -> int:
    cache = Cache(Path(directory))
    cache.put("kind", f"p{n}", n)
    value = cache.get("kind", f"p{n}")
    cache.close()
    return int(value)


def test_many_processes_opening_a_new_cache_at_once(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(12) as pool:
        results = pool.starmap(_open_and_write, [(str(tmp_path), n) for n in range(12)])
    assert results == list(range(12))


def test_a_place_that_cannot_hold_a_cache_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory\n")
    with pytest.raises(CacheUnavailable):
        Cache(blocker / "cache")


def test_commands_go_on_without_a_cache_they_cannot_use(tmp_path: Path) -> None:
    from oslo_incubator.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("x\n")
    result = CliRunner().invoke(main, ["demo", "--help"])
    assert result.exit_code == 0
    result = CliRunner().invoke(
        main,
        ["drift", "--cache-dir", str(blocker / "c"), "--incubator", str(tmp_path), str(tmp_path)],
    )
    assert "warning: no cache" in result.output
    assert result.exit_code == 2  # not a repository: the command's own error, not the cache's
