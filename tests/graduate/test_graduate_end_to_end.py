"""The whole graduation as a maintainer runs it, with a library installed for real.

An incubator with history (``timeutils`` renamed on the way) graduates ``jsonutils``
and ``timeutils`` into ``oslo.foo``; the library's wheel is built offline and installed
into a fresh virtualenv, where its moved tests pass; a consumer migrates and its tests
pass against the installed library; once the shim branch is merged, drift reports a
consumer that has not migrated yet as holding obsolete copies replaced by the library,
and ``check`` passes the migrated consumer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from graduate_fixtures import build_consumer

from oslo_incubator.cli import main
from oslo_incubator.history.git import git_text, run_git

pytestmark = pytest.mark.slow


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def run(*args: str | Path, cwd: Path) -> str:
    # Nothing of the test's own environment leaks into the fresh virtualenv.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_graduate_install_migrate_and_drift(incubator: Path, tmp_path: Path) -> None:
    nova = build_consumer(tmp_path / "nova", incubator).path
    cinder = build_consumer(tmp_path / "cinder", incubator).path
    lib = tmp_path / "oslo.foo"

    cli("graduate", "run", "--incubator", str(incubator), "--library", "oslo.foo",
        "jsonutils", "timeutils", "--dest", str(lib))  # fmt: skip
    # timeutils keeps its history from before its rename; the pure rename itself is
    # an empty commit in the library, dropped.
    assert git_text(lib, "log", "--format=%s").splitlines()[-2:] == [
        "Add json helpers",
        "Add time helpers",
    ]

    # The library installs, offline, into a virtualenv that has nothing else.
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
        "--no-index", "-w", dist, lib, cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("oslo_foo-*.whl")
    fresh = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", fresh, cwd=tmp_path)
    run(fresh / "bin/pip", "install", "-q", "--no-index", "--no-deps", wheel, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    tests = run(fresh / "bin/python", "-m", "unittest", "discover", "-s", "oslo_foo.tests",
                cwd=elsewhere)  # fmt: skip
    assert "Ran 4 tests" in tests and tests.rstrip().endswith("OK")
    where = run(
        fresh / "bin/python", "-c", "import oslo_foo; print(oslo_foo.__file__)", cwd=elsewhere
    )
    assert where.startswith(str(fresh))

    # A maintainer merges the shim branch; the consumer migrates from the records.
    run_git(incubator, "merge", "-q", "--ff-only", "graduate-oslo.foo")
    out = cli("migrate", str(nova), "--library", "oslo.foo", "--incubator", str(incubator))
    assert out.splitlines()[0] == (
        "migrated nova to oslo.foo (package oslo_foo): jsonutils, timeutils "
        "(from the incubator's records)"
    )
    tests = run(fresh / "bin/python", "-m", "unittest", "discover", "-s", "nova/tests", "-t", ".",
                cwd=nova)  # fmt: skip
    assert "Ran 1 test" in tests and tests.rstrip().endswith("OK")

    # Drift: copies in a consumer that has not migrated are behind master's shims, and
    # their life cycle is obsolete, replaced by the library; the migrated consumer's
    # remaining copies equal master.
    doc = json.loads(
        cli("drift", "--incubator", str(incubator), "--format", "json", str(cinder), str(nova))
    )
    statuses = {
        (p["name"], c["module"]): (c["status"], c["lifecycle"]["library"])
        for p in doc["projects"]
        for c in p["copies"]
        if c["module"] != "__init__"
    }
    assert statuses == {
        ("cinder", "gettextutils"): ("current", None),
        ("cinder", "jsonutils"): ("behind", "oslo.foo"),
        ("cinder", "log"): ("behind", None),
        ("cinder", "timeutils"): ("behind", "oslo.foo"),
        ("nova", "gettextutils"): ("current", None),
        ("nova", "log"): ("current", None),
    }
    check = CliRunner().invoke(main, ["check", "--incubator", str(incubator), str(nova)])
    assert check.exit_code == 0, check.output
