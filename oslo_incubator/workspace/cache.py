"""A small key-value cache in one SQLite file under the user's cache directory.

Entries are JSON text keyed by (kind, key), where keys are content hashes, so an entry
is never stale: a changed input is a different key. A file that is not a database of
this schema (corrupt, truncated, foreign) is deleted and rebuilt, never trusted.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SCHEMA = "oslo-incubator.cache/1"
ENV_CACHE_DIR = "OSLO_INCUBATOR_CACHE_DIR"


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    """``$OSLO_INCUBATOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/oslo-incubator``.

    Without either, ``~/.cache/oslo-incubator``.
    """
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "oslo-incubator"


class Cache:
    """JSON values by (kind, key) in ``<directory>/cache.sqlite3``."""

    def __init__(self, directory: Path):
        self.path = directory / "cache.sqlite3"
        directory.mkdir(parents=True, exist_ok=True)
        self._db = self._open()

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored for ``(kind, key)``, or ``None``."""
        row = self._db.execute(
            "SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Any]:
        """Values for several keys of one kind (missing keys are left out)."""
        wanted = list(keys)
        found: dict[str, Any] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, value in self._db.execute(
                f"SELECT key, value FROM entries WHERE kind = ? AND key IN ({marks})",
                (kind, *chunk),
            ):
                try:
                    found[key] = json.loads(value)
                except ValueError:
                    continue
        return found

    def put_many(self, kind: str, items: Mapping[str, Any]) -> None:
        """Store several values of one kind in one transaction."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)",
                [(kind, k, json.dumps(v, separators=(",", ":"))) for k, v in items.items()],
            )

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store one value."""
        self.put_many(kind, {key: value})

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError:
            # Corrupt or foreign: start again rather than trust it.
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            # A cache needs no durability: a file left corrupt by a crash is rebuilt.
            db.execute("PRAGMA synchronous = OFF")
            tables = {
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                with db:
                    db.execute("CREATE TABLE meta (schema TEXT NOT NULL)")
                    db.execute("INSERT INTO meta VALUES (?)", (SCHEMA,))
                    db.execute(
                        "CREATE TABLE entries (kind TEXT, key TEXT, value TEXT,"
                        " PRIMARY KEY (kind, key))"
                    )
            elif tables != {"meta", "entries"} or db.execute(
                "SELECT schema FROM meta"
            ).fetchall() != [(SCHEMA,)]:
                raise sqlite3.DatabaseError("foreign cache")
            db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db
