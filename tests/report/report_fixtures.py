"""The workspace of the report tests: the demo's sample workspace, plus a helper that two
projects copied without a master (an incubation candidate) and a deprecation.

The sample already shows every drift status: compute's log.py diverged with a
backport, its jsonutils.py diverged with a local patch, imaging's log.py behind,
compute's context.py obsolete, its sqlutils.py unknown and its uuidutils missing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner
from referencing import Registry, Resource

from oslo_incubator.cli import main
from oslo_incubator.operations.demo import build_sample_workspace

SCHEMAS = Path(__file__).resolve().parents[2] / "doc/source/schemas"

# A function both compute and imaging carry, that the incubator never had.
HELPER = '''\
"""Retry helpers."""

import time


def retry(func, attempts=3, delay=0.5):
    """Call func until it succeeds or attempts run out."""
    for attempt in range(attempts):
        try:
            return func()
        except Exception:
            if attempt == attempts - 1:
                raise
            time.sleep(delay * (attempt + 1))
'''

DEPRECATED = """\
from debtcollector import removals


@removals.remove(removal_version="1.0")
def old_api():
    return 1


def caller():
    return old_api()
"""


@dataclass(frozen=True)
class Fleet:
    """The workspace and the site written from it."""

    incubator: Path
    projects: tuple[Path, ...]
    site: Path
    output: str  # what the report command printed

    def page(self, name: str) -> str:
        return (self.site / name).read_text(encoding="utf-8")


def build_fleet(root: Path) -> tuple[Path, tuple[Path, ...]]:
    sample = build_sample_workspace(root / "sample")
    compute, imaging, storage = sample.projects
    (compute / "compute/retrying.py").write_text(HELPER)
    (imaging / "imaging/retrying.py").write_text(HELPER)
    (storage / "setup.cfg").write_text("[metadata]\nname = storage\nversion = 1.2\n")
    (storage / "storage/lib/old.py").write_text(DEPRECATED)
    return sample.incubator, sample.projects


def run_report(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *map(str, args)])
    return result.exit_code, result.output


def embedded(page: str) -> tuple[str, Any]:
    """The schema named on a page's data element, and the document in it."""
    match = re.search(
        r'<script type="application/json" id="report-data" data-schema="([^"]+)">(.*?)</script>',
        page,
        re.S,
    )
    assert match, "no embedded data"
    return match.group(1), json.loads(match.group(2))


def validate(document: Any, name: str) -> None:
    """Validate against doc/source/schemas/<name>.schema.json, as the schema tests do."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator(
        schema,
        registry=Registry().with_resources(resources),
        format_checker=jsonschema.FormatChecker(),
    ).validate(document)
