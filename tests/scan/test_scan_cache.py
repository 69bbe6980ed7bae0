"""scan's cache: fingerprints by content, reports by trees; corrupt files are rebuilt."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from scan_fixtures import Fleet

from oslo_incubator.history import workers as workers_module
from oslo_incubator.model.errors import FileChangedError
from oslo_incubator.model.scan import ScanOptions
from oslo_incubator.operations import scan as scan_module
from oslo_incubator.operations.scan import scan_projects
from oslo_incubator.workspace.cache import Cache


def _kinds(cache_dir: Path) -> dict[str, int]:
    with sqlite3.connect(cache_dir / "cache.sqlite3") as db:
        return dict(db.execute("SELECT kind, count(*) FROM entries GROUP BY kind").fetchall())


def _counting_fingerprints(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = workers_module.fingerprint_records

    def counting(jobs: list[Any], *args: Any) -> list[list[Any]]:
        calls.append(len(jobs))
        return original(jobs, *args)

    monkeypatch.setattr(workers_module, "fingerprint_records", counting)
    return calls


def test_second_scan_of_unchanged_trees_reuses_the_whole_report(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cache = Cache(tmp_path / "cache")
    first = scan_projects(fleet.projects, ScanOptions(), fleet.incubator, cache=cache)
    assert _kinds(tmp_path / "cache") == {
        "history-index": 1,  # drift's, for the incubator
        "drift-copy": 6,  # drift's, for the copies under openstack/common
        "scan-file": 17,  # one per distinct content (31 files, many empty __init__.py)
        "scan-master": 3,  # one per master version: strutils.py twice, __init__.py
        "scan-history": 4,  # one per project head
        "scan-pair": 5,  # every pair compared exactly
        "scan-report": 1,
    }

    def fail(*args: Any) -> None:
        raise AssertionError("the report should have come from the cache")

    monkeypatch.setattr(scan_module, "_families", fail)
    second = scan_projects(fleet.projects, ScanOptions(jobs=4), fleet.incubator, cache=cache)

    assert second == replace(first, options=ScanOptions(jobs=4))
    cache.close()


def test_a_changed_file_is_the_only_one_fingerprinted_again(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    for project in fleet.projects:
        shutil.copytree(project, tmp_path / project.name)
    projects = [tmp_path / p.name for p in fleet.projects]
    cache = Cache(tmp_path / "cache")
    calls = _counting_fingerprints(monkeypatch)
    before = scan_projects(projects, ScanOptions(), cache=cache)
    assert sum(calls) == 17  # each distinct content once: 31 files, many empty __init__.py
    calls.clear()

    util = tmp_path / "heat" / "heat" / "engine" / "util.py"
    util.write_text(util.read_text().replace("return sorted(", "return list("))
    after = scan_projects(projects, ScanOptions(), cache=cache)

    assert calls == [1]
    assert [f.id for f in after.families] == [f.id for f in before.families]
    cache.close()


def test_corrupt_cache_file_is_detected_and_rebuilt(fleet: Fleet, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    cache = Cache(cache_dir)
    expected = scan_projects(fleet.projects, ScanOptions(), fleet.incubator, cache=cache)
    cache.close()
    database = cache_dir / "cache.sqlite3"
    data = bytearray(database.read_bytes())
    data[100:4096] = b"\xde\xad\xbe\xef" * ((4096 - 100) // 4)  # clobber the schema pages
    database.write_bytes(bytes(data))
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(database) as db:
        db.execute("SELECT count(*) FROM entries").fetchall()

    cache = Cache(cache_dir)
    found = scan_projects(fleet.projects, ScanOptions(), fleet.incubator, cache=cache)
    cache.close()

    assert found == expected
    assert _kinds(cache_dir)["scan-report"] == 1  # a working database again


def test_a_foreign_database_in_the_cache_place_is_not_trusted(fleet: Fleet, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    with sqlite3.connect(cache_dir / "cache.sqlite3") as db:
        db.execute("CREATE TABLE entries (kind TEXT, key TEXT, value TEXT)")
        db.execute("INSERT INTO entries VALUES ('scan-report', 'x', '{}')")

    cache = Cache(cache_dir)
    found = scan_projects(fleet.projects, ScanOptions(), cache=cache)
    cache.close()

    assert [f.id for f in found.families] == ["M1", "M2", "S1", "S2"]
    assert "meta" in {
        r[0]
        for r in sqlite3.connect(cache_dir / "cache.sqlite3").execute(
            "SELECT name FROM sqlite_master"
        )
    }


def test_unreadable_cache_entries_are_recomputed(fleet: Fleet, tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    expected = scan_projects(fleet.projects, ScanOptions(), cache=cache)
    for kind in ("scan-report", "scan-file"):
        with sqlite3.connect(cache.path) as db:
            db.execute("UPDATE entries SET value = '[1, 2]' WHERE kind = ?", (kind,))

    found = scan_projects(fleet.projects, ScanOptions(), cache=cache)
    cache.close()

    assert found == expected


def _touch_strutils_once_hashed(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, touch: Callable[[Path], Any]
) -> list[Path]:
    """Copies of the fleet whose ``strutils.py`` files ``touch`` changes right after
    the scan hashed them, before its workers read them again."""
    for project in fleet.projects:
        shutil.copytree(project, tmp_path / project.name)
    original = scan_module._read_project

    def touched_once_hashed(path: Path, *args: Any) -> Any:
        source = original(path, *args)
        for found in path.rglob("strutils.py"):
            touch(found)
        return source

    monkeypatch.setattr(scan_module, "_read_project", touched_once_hashed)
    return [tmp_path / p.name for p in fleet.projects]


def test_a_file_that_changes_while_it_is_read_fails_the_scan_and_caches_nothing_wrong(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def edit(path: Path) -> None:
        path.write_text(path.read_text() + "\n# edited meanwhile\n")

    projects = _touch_strutils_once_hashed(fleet, tmp_path, monkeypatch, edit)
    cache = Cache(tmp_path / "cache")

    with pytest.raises(FileChangedError, match="strutils.py: changed while the scan read it"):
        scan_projects(projects, ScanOptions(), cache=cache)
    monkeypatch.undo()

    assert "scan-report" not in _kinds(tmp_path / "cache")
    again = scan_projects(projects, ScanOptions(), cache=cache)
    assert again == scan_projects(projects, ScanOptions())  # as if nothing had been cached


def test_a_file_deleted_while_the_scan_runs_fails_it_as_bad_input(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    projects = _touch_strutils_once_hashed(fleet, tmp_path, monkeypatch, Path.unlink)

    with pytest.raises(FileChangedError, match="strutils.py: changed while the scan read it"):
        scan_projects(projects, ScanOptions(), cache=Cache(tmp_path / "cache"))
