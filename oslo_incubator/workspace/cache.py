"""A small key-value cache in one SQLite file under the user's cache directory.

Entries are JSON text keyed by (kind, key), where keys are content hashes, so an entry
is never stale: a changed input is a different key. A file that is not a database of
this schema (corrupt anywhere — ``PRAGMA quick_check`` must say ``ok`` — truncated,
foreign) is deleted and rebuilt, never trusted; so is one that fails later with
"malformed". Many processes may share it: write-ahead logging, a busy timeout, and a
schema created in one transaction. A location that cannot hold a cache
(:class:`CacheUnavailable`) is for the caller to report and go on without one.
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


class CacheUnavailable(Exception):
    """The cache directory or database cannot be used (read-only, not a directory ...)."""


class Cache:
    """JSON values by (kind, key) in ``<directory>/cache.sqlite3``.

    Raises:
        CacheUnavailable: from the constructor, when the location cannot hold a cache.
    """

    def __init__(self, directory: Path):
        self.path = directory / "cache.sqlite3"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = self._open()
        except (OSError, sqlite3.Error) as exc:
            raise CacheUnavailable(f"{directory}: {exc}") from None

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored for ``(kind, key)``, or ``None``."""
        return self.get_many(kind, [key]).get(key)

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Any]:
        """Values for several keys of one kind (missing keys are left out). A cache
        that fails to read is a miss: the caller computes the values again."""
        wanted = list(keys)
        found: dict[str, Any] = {}
        try:
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
        except sqlite3.Error:
            self._damaged()
            return {}
        return found

    def put_many(self, kind: str, items: Mapping[str, Any]) -> None:
        """Store several values of one kind in one transaction; a cache that fails to
        write is forgotten (the next run rebuilds it), never the command's failure."""
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)",
                    [(kind, k, json.dumps(v, separators=(",", ":"))) for k, v in items.items()],
                )
        except sqlite3.Error:
            self._damaged()

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store one value."""
        self.put_many(kind, {key: value})

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _damaged(self) -> None:
        """After an error mid-run: stop using the file, and let the next run rebuild it
        when it is damaged (the quick check on open decides)."""
        self._db.close()
        self._db = sqlite3.connect(":memory:")
        self._db.execute(
            "CREATE TABLE entries (kind TEXT, key TEXT, value TEXT, PRIMARY KEY (kind, key))"
        )

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            # Corrupt or foreign: start again rather than trust it.
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            # A cache needs no durability: a file left corrupt by a crash is rebuilt.
            db.execute("PRAGMA synchronous = OFF")
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = DELETE")
            # Creating the schema is one immediate transaction: of many processes
            # opening a new cache at once, one creates it and the others see it made.
            db.execute("BEGIN IMMEDIATE")
            try:
                tables = {
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                if not tables:
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
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            checked = db.execute("PRAGMA quick_check").fetchall()
            if checked != [("ok",)]:
                raise sqlite3.DatabaseError(f"damaged cache: {checked[0][0]}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        db.isolation_level = "DEFERRED"  # back to implicit transactions for the writes
        return db
