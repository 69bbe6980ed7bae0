"""``oslo-incubator scan`` as a user runs it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from scan_fixtures import Fleet

from oslo_incubator.cli import main
from oslo_incubator.operations.scan import steps as scan_steps


def _scan(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])  # click 8.2+: stderr kept apart
    return result.exit_code, result.stdout, result.stderr


def _projects(fleet: Fleet) -> list[str]:
    return [str(p) for p in fleet.projects]


def test_text_summary_names_masters_candidates_and_importers(fleet: Fleet):
    code, out, err = _scan("--incubator", str(fleet.incubator), *_projects(fleet))

    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("scanned 4 projects, 31 Python files, 281 lines; incubator ")
    assert lines[1:6] == [
        "  project  bases   files  lines  head",
        f"  nova     nova    9      79     {lines[2].split()[-1]}",
        f"  glance   glance  6      65     {lines[3].split()[-1]}",
        f"  cinder   cinder  9      83     {lines[4].split()[-1]}",
        f"  heat     heat    7      54     {lines[5].split()[-1]}",
    ]
    assert lines[6:] == [
        "",
        "families with a master in the incubator: 2",
        "  family  master                                         copies  projects"
        "            status",
        "  M1      openstack/common/strutils.py                   3       nova,glance,cinder"
        "  1 current, 1 behind, 1 diverged",
        "  S1      openstack/common/strutils.py:bool_from_string  1       heat"
        "                1 current",
        "",
        "families with no master: 1 of modules, 1 of functions and classes; "
        "2 span two or more projects",
        "",
        "incubation candidates, best first:",
        "  rank  family  score  unit                       projects                 copies  lines",
        "  1     M2      15.3   cinder/helpers.py          nova,glance,cinder       3       30",
        "  2     S2      14.3   heat/engine/util.py:retry  nova,glance,cinder,heat  4       11",
        "  (score = projects x log2(1 + lines) x (1 + divergence); see --verbose)",
        "",
        "project files importing copies: 1 in nova, 1 in cinder",
    ]


def test_verbose_lists_every_member_with_the_candidate_reason(fleet: Fleet):
    code, out, _ = _scan("-v", *_projects(fleet))

    assert code == 0
    assert (
        "M1 module family, 3 copies, 30 lines; representative cinder:cinder/helpers.py "
        "(oldest in git)\n"
        "  candidate: 3 projects, 3 copies of 30 lines, 0.97 alike on average: "
        "3 x log2(1+30) x (1+0.03) = 15.3\n"
        "    project  path                      lines  similarity  status  added\n"
        "    nova     nova/helpers.py           1-30   1.00        -       2014-05-13 19:53\n"
        "    glance   glance/common/helpers.py  1-30   0.92        -       2014-05-13 19:53\n"
        "    cinder   cinder/helpers.py         1-30   1.00        -       2014-05-13 18:53\n"
    ) in out


def test_json_has_the_schema_families_candidates_and_the_graph(fleet: Fleet):
    code, out, _ = _scan("--format", "json", "--incubator", str(fleet.incubator),
                         *_projects(fleet))  # fmt: skip

    doc = json.loads(out)
    assert code == 0
    assert doc["schema"] == "oslo-incubator.scan/2"
    assert doc["options"] == {"min_similarity": 0.8, "min_tokens": 25, "min_lines": 5,
                              "shingle": 5, "bins": 64, "bands": 16}  # fmt: skip
    assert [f["id"] for f in doc["families"]] == ["M1", "M2", "S1", "S2"]
    assert doc["families"][0]["members"][0] == {
        "project": "nova",
        "path": "nova/openstack/common/strutils.py",
        "symbol": None,
        "kind": "module",
        "start": 1,
        "end": 29,
        "tokens": 160,
        "key": "66ccb4cf877492d5",
        "similarity": 0.7937,
        "status": "behind",
        "added": 1_400_003_600,
        "declared": True,
    }
    assert doc["families"][1]["representative"] == {
        "project": "cinder", "path": "cinder/helpers.py", "symbol": None}  # fmt: skip
    assert [c["family"] for c in doc["candidates"]] == ["M2", "S2"]
    assert doc["graph"]["graph"] == {"schema": "oslo-incubator.scan-graph/2"}
    assert len(doc["graph"]["nodes"]) == 21


def test_graphml_and_dot_export_the_graph(fleet: Fleet):
    code, graphml, _ = _scan("--format", "graphml", *_projects(fleet))
    assert code == 0
    graph = nx.read_graphml(io.BytesIO(graphml.encode()))
    assert graph.nodes["file:cinder:cinder/helpers.py"]["family"] == "M1"

    code, dot, _ = _scan("--format", "dot", *_projects(fleet))
    assert code == 0
    assert dot.startswith('digraph "oslo-incubator.scan/2" {')


def test_a_malformed_configuration_is_bad_input_naming_file_and_line(tmp_path: Path):
    (tmp_path / "openstack-common.conf").write_text("[DEFAULT]\nmodule=log\nbogus line\n")

    code, out, err = _scan(str(tmp_path))

    assert (code, out) == (2, "")
    assert err == (
        f"oslo-incubator: error: {tmp_path / 'openstack-common.conf'}:3: "
        "expected 'key = value', got 'bogus line'\n"
    )


def test_an_incubator_that_is_not_a_repository_is_bad_input(tmp_path: Path, fleet: Fleet):
    code, _, err = _scan("--incubator", str(tmp_path), str(fleet.heat))

    assert code == 2
    assert err == f"oslo-incubator: error: {tmp_path}: not a git repository\n"


def test_threshold_out_of_range_is_a_usage_error(fleet: Fleet):
    code, _, err = _scan("--min-similarity", "1.5", str(fleet.heat))

    assert code == 2
    assert "--min-similarity" in err


def test_no_cache_scans_without_touching_the_cache(fleet: Fleet, tmp_path: Path):
    code, out, _ = _scan("--no-cache", "--cache-dir", str(tmp_path / "c"), *_projects(fleet))

    assert code == 0 and "incubation candidates" in out
    assert not (tmp_path / "c").exists()


def test_an_unreadable_project_file_is_bad_input_naming_it(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
):
    # Permissions cannot stop root, which may run the tests: refuse the read instead.
    real_open = open

    def denied(path: str, *args: Any, **kwargs: Any) -> Any:
        if str(path).endswith("engine/util.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(scan_steps, "open", denied, raising=False)
    code, out, err = _scan("--no-cache", str(fleet.heat))

    assert code == 2 and out == ""
    util = fleet.heat / "heat" / "engine" / "util.py"
    assert err == f"oslo-incubator: error: {util}: cannot be read: Permission denied\n"
