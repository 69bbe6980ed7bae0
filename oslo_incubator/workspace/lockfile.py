"""The lock file ``openstack-common.lock``: what each sync wrote, from which master.

JSON, indented, keys and entries sorted, so that it diffs well in review and two
syncs of the same content write the same bytes (see doc/source/lockfile.rst).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.sync import LOCK_SCHEMA, LockEntry, LockFile

LOCK_NAME = "openstack-common.lock"
_ENTRY_KEYS = (
    "path", "module", "master_path", "master_commit", "master_sha256", "written_sha256",
    "rewrite",
)  # fmt: skip


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of ``data`` (the lock file's content hashes)."""
    return hashlib.sha256(data).hexdigest()


def lock_path(project: Path) -> Path:
    """Where ``project`` keeps its lock file."""
    return project / LOCK_NAME


def read_lock(project: Path) -> LockFile | None:
    """The lock file of ``project``, or ``None`` when it has none.

    Raises:
        ConfigError: the file exists but is not a lock file of a known schema (the
            error names the file and, for bad JSON, the line).
    """
    path = lock_path(project)
    if path.is_dir():
        raise ConfigError("the lock file is a directory", path)
    if not path.is_file():
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start}): not a lock file", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read it: {exc.strerror or exc}", path) from None
    return parse_lock(text, path)


def parse_lock(text: str, path: Path = Path(LOCK_NAME)) -> LockFile:
    """Parse the text of a lock file (see :func:`read_lock`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    if not isinstance(data, dict) or data.get("schema") != LOCK_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise ConfigError(f"not a lock file of schema {LOCK_SCHEMA} (schema {found!r})", path)
    try:
        entries = tuple(_entry(e) for e in data["files"])
        return LockFile(
            base=str(data["base"]),
            package_root=PackageRoot.parse(str(data["package_root"])),
            entries=tuple(sorted(entries, key=lambda e: e.path)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"malformed lock file: {exc}", path) from None


def render_lock(lock: LockFile) -> str:
    """The text of ``lock``: stable, sorted, ending with a newline."""
    data = {
        "schema": lock.schema,
        "base": lock.base,
        "package_root": lock.package_root.path,
        "files": [
            {key: getattr(entry, key) for key in _ENTRY_KEYS}
            for entry in sorted(lock.entries, key=lambda e: e.path)
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def updated_lock(
    old: LockFile | None, base: str, package_root: PackageRoot, entries: Iterable[LockEntry]
) -> LockFile:
    """``old`` with ``entries`` added or replacing the entries of the same paths."""
    merged = {e.path: e for e in (old.entries if old else ())}
    merged.update({e.path: e for e in entries})
    return LockFile(base, package_root, tuple(sorted(merged.values(), key=lambda e: e.path)))


# Private


def _entry(data: Any) -> LockEntry:
    if not isinstance(data, dict):
        raise TypeError("a files entry is not an object")
    missing = [k for k in _ENTRY_KEYS if k not in data]
    if missing:
        raise KeyError(f"entry {data.get('path', '?')!r} lacks {', '.join(missing)}")
    values = {k: data[k] for k in _ENTRY_KEYS}
    if not all(isinstance(v, str) for v in values.values()):
        raise TypeError(f"entry {data.get('path', '?')!r} has a value that is not a string")
    return LockEntry(**values)
