"""One Dask cluster for every fleet test (two worker processes, one thread each), and
the incubator the generated projects copy from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import make_incubator
from fleetgen import STRUTILS_V1, STRUTILS_V2


@pytest.fixture(scope="session")
def cluster() -> Iterator[object]:
    """A LocalCluster of two worker processes for the whole session."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as found:
        yield found


@pytest.fixture(scope="session")
def engine(cluster: object) -> Iterator[object]:
    """An engine on :func:`cluster`, as ``--scheduler`` makes one."""
    from oslo_incubator.workflows.cluster import connect

    with connect(cluster.scheduler_address) as found:
        yield found


@pytest.fixture(scope="session")
def incubator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An incubator where ``strutils`` has two versions."""
    path = tmp_path_factory.mktemp("incubator") / "incubator"
    make_incubator(
        path,
        [
            ("Add strutils", {"openstack/common/strutils.py": STRUTILS_V1}),
            ("Add mask_password", {"openstack/common/strutils.py": STRUTILS_V2}),
        ],
    )
    return path
