"""The fleet file: LOCATION [REVISION] a line; errors name the file and line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fleetgen import ProjectPlan, build_project

from oslo_incubator.cli import main
from oslo_incubator.history.git import resolve_commit, run_git
from oslo_incubator.model.errors import FleetFileError
from oslo_incubator.workspace.fleetfile import read_fleet


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), env={"DASK_SCHEDULER_ADDRESS": None})


def test_fleet_file_reads_paths_relative_to_itself_urls_revisions_and_comments(
    tmp_path: Path,
) -> None:
    fleet = tmp_path / "fleet.txt"
    fleet.write_text(
        "# the fleet\n\nnova\n/srv/glance  2015.1.0  # pinned\n"
        "https://opendev.org/openstack/cinder.git 2015.1.0\ngit@example.org:heat.git\n"
    )
    found = [(e.location, e.revision, e.line) for e in read_fleet(fleet)]
    assert found == [
        (str(tmp_path / "nova"), None, 3),
        ("/srv/glance", "2015.1.0", 4),
        ("https://opendev.org/openstack/cinder.git", "2015.1.0", 5),
        ("git@example.org:heat.git", None, 6),
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("nova\nglance 2015.1.0 extra\n", 2, "expected LOCATION [REVISION], found 3 fields"),
        ("nova --upload-pack=evil\n", 1, "not a revision name"),
        ("\n-nova\n", 2, "a location cannot start with '-'"),
    ],
)
def test_a_malformed_fleet_line_is_an_error_with_file_and_line(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    fleet = tmp_path / "fleet.txt"
    fleet.write_text(text)
    with pytest.raises(FleetFileError) as raised:
        list(read_fleet(fleet))
    assert raised.value.line == line
    assert reason in str(raised.value)
    result = invoke("scan", "--no-cache", "--fleet", str(fleet))
    assert result.exit_code == 2
    assert f"{fleet}:{line}: " in result.output


def test_an_empty_fleet_or_a_missing_directory_exits_2(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet.txt"
    fleet.write_text("# nothing\n")
    result = invoke("scan", "--no-cache", "--fleet", str(fleet))
    assert result.exit_code == 2 and "names no repository" in result.output
    fleet.write_text("# one\nmissing\n")
    result = invoke("drift", "--no-cache", "--fleet", str(fleet))
    assert result.exit_code == 2 and f"{fleet}:2: no such directory" in result.output


def test_scan_of_a_fleet_clones_urls_at_their_revision(tmp_path: Path) -> None:
    build_project(tmp_path / "src", ProjectPlan("nova", 0, False, "exact", ("compute",)))
    glance = build_project(tmp_path / "src", ProjectPlan("glance", 0, False, "exact", ()))
    pinned = resolve_commit(glance)
    # A later commit the fleet's revision leaves out.
    (glance / "glance" / "late.py").write_text("x = 1\n")
    run_git(glance, "add", "-A")
    run_git(glance, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "late")
    fleet = tmp_path / "fleet.txt"
    fleet.write_text(f"src/nova\nfile://{glance} {pinned}\n")
    cache = tmp_path / "cache"
    result = invoke("scan", "--format", "json", "--cache-dir", str(cache), "--fleet", str(fleet))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    projects = {p["name"]: p for p in report["projects"]}
    assert sorted(projects) == ["glance", "nova"]
    assert projects["glance"]["head"] == pinned
    assert projects["glance"]["path"].startswith(str(cache / "fleet"))
    assert any(len(f["members"]) == 2 for f in report["families"])  # retry.py, in both


def test_scan_and_drift_cli_on_a_cluster_print_what_they_print_here(
    tmp_path: Path, incubator: Path, cluster: Any
) -> None:
    projects = [
        str(build_project(tmp_path, ProjectPlan("nova", 0, False, "exact", ("compute",)))),
        str(build_project(tmp_path, ProjectPlan("glance", 1, True, "near", ()))),
    ]
    address = cluster.scheduler_address
    for command in ("scan", "drift"):
        args = [command, "--format", "json", "--no-cache", "--incubator", str(incubator)]
        local = invoke(*args, *projects)
        remote = invoke(*args, "--scheduler", address, *projects)
        assert local.exit_code == 0 and remote.exit_code == 0, remote.output
        assert remote.output == local.output


def test_a_bad_configuration_read_on_a_worker_names_its_file_and_line(
    tmp_path: Path, cluster: Any
) -> None:
    nova = build_project(tmp_path, ProjectPlan("nova", 0, False, None, ()))
    conf = nova / "openstack-common.conf"
    conf.write_text("[DEFAULT]\nmodule=strutils\nnot a setting\n")
    for command in ("scan", "drift"):
        result = invoke(command, "--no-cache", "--scheduler", cluster.scheduler_address, str(nova))
        assert result.exit_code == 2, result.output
        assert f"{conf}:3: expected 'key = value'" in result.output
