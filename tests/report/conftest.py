"""The site every report test reads (the workspace is in report_fixtures.py)."""

from __future__ import annotations

import pytest
from report_fixtures import Fleet, build_fleet, run_report


@pytest.fixture(scope="session")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    root = tmp_path_factory.mktemp("report")
    incubator, projects = build_fleet(root)
    site = root / "site"
    code, out = run_report("--incubator", incubator, "--output", site, "--no-cache", *projects)
    assert code == 0, out
    return Fleet(incubator, projects, site, out)
