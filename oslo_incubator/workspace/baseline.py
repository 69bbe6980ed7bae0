"""The baseline file of ``check``: findings accepted as they are.

JSON, one entry per finding, sorted, without line numbers or messages (which move
and change with unrelated edits), so that rewriting it after a fix shows only the
findings that went away (see doc/source/check.rst and formats.rst).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from oslo_incubator.model.check import Baseline, Finding
from oslo_incubator.model.errors import ConfigError

BASELINE_SCHEMA = "oslo-incubator.check-baseline/1"


def read_baseline(path: Path) -> Baseline:
    """The baseline in ``path``.

    Raises:
        ConfigError: the file cannot be read or is not a baseline (the error names the
            file and, for bad JSON, the line).
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start}): not a baseline", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read it: {exc.strerror or exc}", path) from None
    return parse_baseline(text, path)


def parse_baseline(text: str, path: Path = Path("baseline.json")) -> Baseline:
    """Parse the text of a baseline file (see :func:`read_baseline`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise ConfigError(f"not a baseline of schema {BASELINE_SCHEMA} (schema {found!r})", path)
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise ConfigError("malformed baseline: 'findings' is not a list", path)
    prints = set()
    for entry in entries:
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            raise ConfigError("malformed baseline: an entry without a fingerprint", path)
        prints.add(value)
    return Baseline(frozenset(prints), str(path))


def render_baseline(findings: Iterable[Finding]) -> str:
    """The baseline text recording ``findings`` (inline and configured ignores are
    left out: they already hold), sorted, ending with a newline."""
    entries = sorted(
        (
            {
                "rule": f.violation.rule_id,
                "project": f.violation.project,
                "path": f.violation.path,
                "module": f.violation.module,
                "fingerprint": f.fingerprint,
            }
            for f in findings
        ),
        key=lambda e: (e["project"], e["path"] or "", e["rule"], e["module"], e["fingerprint"]),
    )
    return json.dumps({"schema": BASELINE_SCHEMA, "findings": entries}, indent=2) + "\n"
