"""Without --scheduler, nothing of Dask is imported: the local pool is the default."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fleetgen import ProjectPlan, build_project, no_scheduler_env

PROBE = """
import sys
from oslo_incubator.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    assert not exit.code, exit.code
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
print("LOADED", loaded, file=sys.stderr)
"""


def run_probe(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=no_scheduler_env(),
        check=True,
    )
    return done.stderr.strip().splitlines()[-1]


def test_scan_and_drift_import_no_dask_without_a_scheduler(
    tmp_path: Path, incubator: Path
) -> None:
    nova = build_project(tmp_path, ProjectPlan("nova", 0, False, "exact", ("compute",)))
    glance = build_project(tmp_path, ProjectPlan("glance", 1, False, "near", ()))
    scanned = run_probe(
        "scan", "--format", "json", "--incubator", str(incubator), str(nova), str(glance)
    )
    drifted = run_probe(
        "drift", "--format", "json", "--incubator", str(incubator), str(nova), str(glance)
    )
    assert scanned == "LOADED []"
    assert drifted == "LOADED []"
