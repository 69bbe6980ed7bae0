"""Read and write a program's record, ``program.json`` in the program's directory."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from oslo_incubator.model.codec import from_jsonable, to_jsonable
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.program import PROGRAM_FILE, PROGRAM_SCHEMA, ProgramRecord


def read_program(dest: Path) -> ProgramRecord | None:
    """The record of the program in ``dest``; ``None`` when there is none.

    Raises:
        ConfigError: the record is not JSON or has another shape or schema.
    """
    path = dest / PROGRAM_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read the program record: {exc.strerror or exc}", path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not a program record: {exc.msg}", path, exc.lineno) from None
    if not isinstance(data, dict) or data.get("schema") != PROGRAM_SCHEMA:
        raise ConfigError(f"not a program record (schema {PROGRAM_SCHEMA!r})", path)
    try:
        return from_jsonable(ProgramRecord, data)
    except ValueError as exc:
        raise ConfigError(str(exc), path) from None


def write_program(dest: Path, record: ProgramRecord) -> Path:
    """Write the record atomically (a crash leaves the old record or the new one)."""
    path = dest / PROGRAM_FILE
    text = json.dumps(to_jsonable(record), indent=2) + "\n"
    fd, name = tempfile.mkstemp(prefix=f".{PROGRAM_FILE}.", dir=dest)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(name, path)
    return path
