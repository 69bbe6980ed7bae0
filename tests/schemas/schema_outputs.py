"""Run every command that prints ``--format json`` on small workspaces, and keep what
it printed: the documents the JSON Schemas in doc/source/schemas/ must accept."""

from __future__ import annotations

import importlib.util
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from oslo_incubator.cli import main
from oslo_incubator.operations.demo import build_sample_workspace


def _graduate_fixtures() -> ModuleType:
    """tests/graduate/graduate_fixtures.py, wherever pytest put that directory."""
    path = Path(__file__).resolve().parents[1] / "graduate" / "graduate_fixtures.py"
    spec = importlib.util.spec_from_file_location("schema_graduate_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DEBT_API = (
    "from debtcollector import removals\n\n\n"
    '@removals.remove(removal_version="2.0")\n'
    "def old_func():\n    pass\n"
)


@dataclass
class Outputs:
    """Documents by the name of their schema file (``drift`` for drift.schema.json),
    each with the command line that printed it."""

    documents: dict[str, list[tuple[list[str], Any]]] = field(default_factory=dict)

    def run(self, name: str, *args: str | Path, codes: tuple[int, ...] = (0,)) -> Any:
        argv = [str(a) for a in args]
        result = CliRunner().invoke(main, argv)
        assert result.exit_code in codes, (argv, result.output)
        doc = json.loads(result.stdout)
        self.documents.setdefault(name, []).append((argv, doc))
        return doc


def collect(root: Path) -> Outputs:
    """Build the workspaces under ``root`` and run every JSON-printing command."""
    out = Outputs()
    sample = build_sample_workspace(root / "sample")
    inc = sample.incubator
    projects = [str(p) for p in sample.projects]
    out.run("drift", "drift", "--format", "json", "--incubator", inc, *projects)
    out.run("check", "check", "--format", "json", "--incubator", inc, *projects, codes=(1,))
    out.run(
        "check", "check", "--format", "json", "--incubator", inc, "--fail-on", "diverged",
        "--fail-level", "warning", "--since", "HEAD", projects[0],
    )  # fmt: skip
    out.run(
        "sync", "sync", "--dry-run", "--format", "json", "--incubator", inc,
        "--module", "log", "--module", "jsonutils", projects[0],
    )  # fmt: skip
    out.run(
        "sync", "sync", "--format", "json", "--incubator", inc, "--module", "log", projects[1],
        codes=(0, 1),
    )  # fmt: skip
    out.run(
        "sync", "update", "--base", "storage", "--modules", "log",
        "--dest-dir", projects[2], "--incubator", inc, "--format", "json",
        codes=(0, 1),
    )  # fmt: skip
    out.run("recover", "recover", "--format", "json", projects[0])
    out.run("impact", "impact", "--format", "json", "--incubator", inc, "--change", "HEAD",
            *projects, codes=(0, 1))  # fmt: skip
    out.run("scan", "scan", "--format", "json", "--no-cache", "--incubator", inc, *projects)
    out.run("scan", "scan", "--format", "json", "--no-cache", *projects)

    debt = root / "liba"
    (debt / "liba").mkdir(parents=True)
    (debt / "setup.cfg").write_text("[metadata]\nname = liba\nversion = 2.1\n")
    (debt / "liba/__init__.py").write_text("")
    (debt / "liba/api.py").write_text(DEBT_API)
    (debt / "liba/user.py").write_text("from liba.api import old_func\nold_func()\n")
    out.run("debt", "debt", "--format", "json", debt)

    fixtures = _graduate_fixtures()
    incubator = fixtures.build_incubator(root / "incubator").path
    consumer = fixtures.build_consumer(root / "nova", incubator).path
    out.run(
        "plan", "graduate", "plan", "--format", "json", "--incubator", incubator,
        "--project", consumer,
    )  # fmt: skip
    out.run(
        "migrate", "migrate", "--format", "json", "--dry-run", "--library", "oslo.foo",
        "--module", "jsonutils", "--incubator", incubator, consumer,
    )  # fmt: skip
    out.run(
        "graduate", "graduate", "run", "--format", "json", "--incubator", incubator,
        "--library", "oslo.foo", "jsonutils", "timeutils", "--dest", root / "lib",
    )  # fmt: skip
    shutil.rmtree(root / "lib")
    return out
