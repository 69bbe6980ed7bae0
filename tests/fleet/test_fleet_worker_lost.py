"""A worker lost in the middle of a scan changes nothing: Dask runs its tasks again."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import cloudpickle
from fleetgen import ProjectPlan, build_project

from oslo_incubator.graph.copies import build_copy_graph
from oslo_incubator.model.scan import ScanOptions
from oslo_incubator.operations.scan import scan_projects
from oslo_incubator.report.graph import graph_to_node_link
from oslo_incubator.report.scan import render_scan_json

# The workers unpickle _die_once from this module's text: they cannot import tests.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _die_once(flag: str, fn: Any, *args: Any) -> Any:
    """Kill this worker process the first time (``flag`` remembers), else run ``fn``."""
    if not os.path.exists(flag):
        with open(flag, "w"):
            pass
        os._exit(1)
    return fn(*args)


class KillsFirstWorker:
    """An engine whose first task kills the worker process that runs it."""

    def __init__(self, engine: Any, flag: Path):
        self.engine = engine
        self.workers = engine.workers
        self.flag = str(flag)
        self.killed = False

    def submit(self, fn: Any, /, *args: Any) -> Any:
        if self.killed:
            return self.engine.submit(fn, *args)
        self.killed = True
        return self.engine.submit(_die_once, self.flag, fn, *args)

    def as_completed(self, pending: Any) -> Any:
        return self.engine.as_completed(pending)

    def gather(self, pending: Any) -> Any:
        return self.engine.gather(pending)


def test_scan_is_identical_when_a_worker_dies_during_it(
    tmp_path: Path, incubator: Path, engine: Any
) -> None:
    projects = [
        build_project(tmp_path, ProjectPlan("nova", 0, False, "exact", ("compute",))),
        build_project(tmp_path, ProjectPlan("glance", 1, True, "near", ("image",))),
        build_project(tmp_path, ProjectPlan("cinder", 1, False, "exact", ("volume",))),
    ]

    def scan(on: Any) -> str:
        report = scan_projects(projects, ScanOptions(jobs=2), incubator, engine=on)
        return render_scan_json(report, graph_to_node_link(build_copy_graph(report)))

    local = scan(None)
    flag = tmp_path / "killed"
    assert scan(KillsFirstWorker(engine, flag)) == local
    assert flag.exists()  # a worker did die
