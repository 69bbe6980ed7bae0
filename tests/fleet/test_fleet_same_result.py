"""On a cluster, scan and drift give byte for byte the report they give here."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fleetgen import ProjectPlan, build_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oslo_incubator.graph.copies import build_copy_graph
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.scan import ScanOptions
from oslo_incubator.operations.drift import analyse_drift
from oslo_incubator.operations.scan import scan_projects
from oslo_incubator.report.drift import render_drift_json
from oslo_incubator.report.graph import graph_to_node_link
from oslo_incubator.report.scan import render_scan_json
from oslo_incubator.workspace.cache import Cache

BASES = ("nova", "glance", "cinder", "heat")

plans = st.lists(
    st.builds(
        ProjectPlan,
        base=st.just(""),
        strutils=st.sampled_from([None, 0, 1]),
        patched=st.booleans(),
        retry=st.sampled_from([None, "exact", "near"]),
        managers=st.lists(st.sampled_from(["compute", "volume", "image"]), unique=True).map(tuple),
    ),
    min_size=2,
    max_size=4,
)


def build_fleet(root: Path, found: list[ProjectPlan]) -> list[Path]:
    return [
        build_project(root, ProjectPlan(BASES[n], p.strutils, p.patched, p.retry, p.managers))
        for n, p in enumerate(found)
    ]


def scan_json(
    projects: list[Path], incubator: Path | None, cache: Cache | None, engine: object
) -> str:
    report = scan_projects(projects, ScanOptions(jobs=2), incubator, cache=cache, engine=engine)
    return render_scan_json(report, graph_to_node_link(build_copy_graph(report)))


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(found=plans, with_incubator=st.booleans())
def test_scan_on_a_cluster_is_byte_identical_to_the_local_scan(
    found: list[ProjectPlan], with_incubator: bool, incubator: Path, engine: object
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        projects = build_fleet(Path(scratch), found)
        inc = incubator if with_incubator else None
        local = scan_json(projects, inc, None, None)
        assert scan_json(projects, inc, None, engine) == local


def test_scan_on_a_cluster_with_caches_is_identical_cold_and_warm(
    tmp_path: Path, incubator: Path, engine: object
) -> None:
    projects = build_fleet(
        tmp_path,
        [
            ProjectPlan("", 0, False, "exact", ("compute",)),
            ProjectPlan("", 1, True, "near", ("volume",)),
            ProjectPlan("", 1, False, None, ("compute", "image")),
        ],
    )
    local = scan_json(projects, incubator, None, None)
    for _ in range(2):  # cold, then from the workers' caches and the report's
        cache = Cache(tmp_path / "cache")
        try:
            assert scan_json(projects, incubator, cache, engine) == local
        finally:
            cache.close()


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(found=plans)
def test_drift_on_a_cluster_is_byte_identical_to_the_local_drift(
    found: list[ProjectPlan], incubator: Path, engine: object
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        projects = build_fleet(Path(scratch), found)
        inc = open_incubator(incubator)
        local = render_drift_json(analyse_drift(inc, projects))
        remote = render_drift_json(analyse_drift(inc, projects, engine=engine))
        assert remote == local


def test_the_client_holds_only_the_files_whose_units_can_make_a_family(
    tmp_path: Path, incubator: Path, engine: object, monkeypatch: Any
) -> None:
    import oslo_incubator.operations.scan.cluster as scan

    projects = build_fleet(
        tmp_path,
        [
            ProjectPlan("", 0, False, "exact", ("compute", "volume")),
            ProjectPlan("", None, False, "near", ("image",)),
            ProjectPlan("", None, False, None, ("network",)),
        ],
    )
    local = scan_json(projects, incubator, None, None)
    seen: list[list[str]] = []
    fleet = scan._fleet

    def watched(sources: Any, *args: Any) -> Any:
        seen.append([f"{s.name}/{p}" for s in sources for p in s.paths])
        return fleet(sources, *args)

    monkeypatch.setattr(scan, "_fleet", watched)
    assert scan_json(projects, incubator, None, engine) == local
    # What drift places (strutils.py, the package root's __init__.py), both retry.py
    # (a near copy, from the buckets) and nothing of the managers, each a module of
    # one project alike to no other.
    assert seen == [
        [
            "nova/nova/common/retry.py",
            "nova/nova/openstack/common/__init__.py",
            "nova/nova/openstack/common/strutils.py",
            "glance/glance/common/retry.py",
            "glance/glance/openstack/common/__init__.py",
            "cinder/cinder/openstack/common/__init__.py",
        ]
    ]


def test_workers_with_several_threads_run_one_task_at_a_time_and_agree(
    tmp_path: Path, incubator: Path
) -> None:
    from distributed import LocalCluster

    from oslo_incubator.workflows.cluster import connect

    projects = build_fleet(
        tmp_path,
        [
            ProjectPlan("", 0, True, "exact", ("compute",)),
            ProjectPlan("", 1, False, "near", ("volume",)),
            ProjectPlan("", 1, True, "exact", ("image",)),
        ],
    )
    local = scan_json(projects, incubator, None, None)
    with (
        LocalCluster(n_workers=1, threads_per_worker=3, dashboard_address=":0") as cluster,
        connect(cluster.scheduler_address) as threaded,
    ):
        assert threaded.workers == 1  # processes: parsing is not thread-safe
        assert scan_json(projects, incubator, None, threaded) == local
