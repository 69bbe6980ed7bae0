"""The drift, check and demo commands as a user (or CI) runs them."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from builders import make_incubator, make_project
from click.testing import CliRunner

from oslo_incubator.cli import main

MASTER = "import json\n\n\ndef dumps(v):\n    return json.dumps(v)\n"
PATCHED = MASTER.replace("json.dumps(v)", "json.dumps(v, indent=1)")


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    inc = make_incubator(
        tmp_path / "inc", [("Add jsonutils", {"openstack/common/jsonutils.py": MASTER})]
    )
    project = make_project(tmp_path / "nova", "nova", {"jsonutils.py": PATCHED})
    return inc.path, project.path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_drift_json_has_the_documented_shape(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    code, out = run("drift", "--format", "json", "--incubator", str(inc), str(project))
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "oslo-incubator.drift/2"
    assert len(doc["incubator"]["head"]) == 40
    (proj,) = doc["projects"]
    assert proj["name"] == "nova" and proj["base"] == "nova"
    copy = [c for c in proj["copies"] if c["module"] == "jsonutils"][0]
    assert copy == {
        **copy,
        "copy_path": "nova/openstack/common/jsonutils.py",
        "master_path": "openstack/common/jsonutils.py",
        "status": "diverged",
        "commits_behind": 0,
        "missed_commits": [],
        "changed_lines": 2,
        "backported_from": [],
        "lifecycle": {"state": "active", "library": None, "commit": None, "source": None},
    }
    assert len(copy["base_commit"]) == 40
    assert proj["undeclared"] == [] and proj["missing"] == []


def test_drift_text_is_a_table_with_a_summary(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    code, out = run("drift", "-v", "--incubator", str(inc), str(project))
    assert code == 0
    assert "jsonutils  diverged" in out
    assert "+    return json.dumps(v, indent=1)" in out
    assert out.rstrip().endswith("2 modules in 1 project: 1 current, 1 diverged")


def test_check_fails_on_diverged_by_default_and_passes_when_allowed(
    workspace: tuple[Path, Path],
) -> None:
    inc, project = workspace
    code, out = run("check", "--incubator", str(inc), str(project))
    assert code == 1
    assert "check FAILED: 1 problem(s)" in out
    code, out = run(
        "check", "--fail-on", "obsolete,missing", "--incubator", str(inc), str(project)
    )
    assert code == 0
    assert "check passed" in out


def test_check_junit_and_sarif(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    inc, project = workspace
    code, out = run("check", "--format", "junit", "--incubator", str(inc), str(project))
    assert code == 1
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and suite.get("tests") == "2"
    sarif_path = tmp_path / "out.sarif"
    code, _ = run(
        "check", "--format", "sarif", "-o", str(sarif_path), "--incubator", str(inc), str(project)
    )
    assert code == 1
    sarif = json.loads(sarif_path.read_text())
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "nova/openstack/common/jsonutils.py",
        "uriBaseId": "nova",
    }
    assert location["region"]["startLine"] == 2
    assert result["ruleId"] == "drift/diverged"


def test_fail_on_takes_content_statuses_life_cycle_states_and_qualified_words(
    workspace: tuple[Path, Path],
) -> None:
    inc, project = workspace
    base = ["check", "--incubator", str(inc), str(project)]
    assert run(*base, "--fail-on", "lifecycle:deleted,graduated-import")[0] == 0
    assert run(*base, "--fail-on", "status:diverged")[0] == 1
    code, out = run(*base, "--fail-on", "lifecycle:diverged")
    assert code == 2
    assert "'lifecycle:diverged': choose from" in out


def test_check_max_behind(tmp_path: Path) -> None:
    inc = make_incubator(
        tmp_path / "inc",
        [
            ("Add a", {"openstack/common/a.py": "x = 1\n"}),
            ("a: two", {"openstack/common/a.py": "x = 2\n"}),
            ("a: three", {"openstack/common/a.py": "x = 3\n"}),
        ],
    )
    project = make_project(tmp_path / "nova", "nova", {"a.py": "x = 1\n"})
    args = ["check", "--incubator", str(inc.path), str(project.path)]
    assert run(*args)[0] == 0
    assert run(*args, "--max-behind", "2")[0] == 0
    code, out = run(*args, "--max-behind", "1")
    assert code == 1
    assert "2 master commits behind (at most 1 allowed)" in out


def test_bad_config_exits_2_naming_file_and_line(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    (project / "openstack-common.conf").write_text("[DEFAULT]\nmodule=log\nnonsense\n")
    code, out = run("drift", "--incubator", str(inc), str(project))
    assert code == 2
    assert f"{project}/openstack-common.conf:3: expected 'key = value'" in out


def test_incubator_that_is_not_a_repository_exits_2(
    tmp_path: Path, workspace: tuple[Path, Path]
) -> None:
    _, project = workspace
    (tmp_path / "empty").mkdir()
    code, out = run("drift", "--incubator", str(tmp_path / "empty"), str(project))
    assert code == 2
    assert "not a git repository" in out


def test_unknown_status_in_fail_on_is_a_usage_error(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    code, out = run("check", "--fail-on", "broken", "--incubator", str(inc), str(project))
    assert code == 2
    assert "'broken': choose from current, behind" in out


def test_demo_shows_every_status() -> None:
    code, out = run("demo")
    assert code == 0
    for status in ("current", "behind", "diverged", "unknown", "obsolete", "missing"):
        assert f" {status} " in out or f" {status}\n" in out, status
    assert "(backport of master" in out
    assert "check FAILED" in out
    assert "Local changes kept:" in out and "dry run: " in out


def test_every_command_is_listed_and_loads() -> None:
    from oslo_incubator.cli import COMMANDS

    code, out = run("--help")
    assert code == 0
    for name in COMMANDS:
        assert f"  {name} " in out
        code, text = run(name, "--help")
        assert code == 0, name
        assert "Usage:" in text
