"""The impact command: output formats, exit codes, bad usage."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from impact_fixtures import History

from oslo_incubator.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["impact", *args, "--no-cache"])
    return result.exit_code, result.output


def test_a_breaking_change_exits_1_and_names_the_line(history: History, nova: Path) -> None:
    code, out = run("--incubator", str(history.path), "--change", history.removed, str(nova))
    assert code == 1
    assert "nova/compute.py:7: breaking: lockutils.remove_me: function removed" in out
    assert "would break: nova" in out


def test_an_affecting_change_exits_0(history: History, nova: Path, glance: Path) -> None:
    code, out = run(
        "--incubator", str(history.path), "--change", history.body, str(nova), str(glance)
    )
    assert code == 0
    assert "glance/api.py:5: affected: jsonutils.dumps: body changed" in out


def test_json_carries_a_schema_and_every_line(history: History, nova: Path) -> None:
    code, out = run(
        "--incubator",
        str(history.path),
        "--change",
        history.required,
        "--format",
        "json",
        str(nova),
    )
    data = json.loads(out)
    assert code == 1
    assert data["schema"] == "oslo-incubator.impact/1" and data["breaking"] is True
    (project,) = data["projects"]
    assert project["verdict"] == "breaking"
    assert [(s["path"], s["line"], s["verdict"]) for s in project["sites"]] == [
        ("nova/compute.py", 5, "breaking")
    ]
    assert data["modules"][0]["changes"][0]["kind"] == "incompatible"


def test_sarif_has_one_result_per_line(history: History, nova: Path) -> None:
    code, out = run(
        "--incubator",
        str(history.path),
        "--range",
        f"{history.loads_changed}..{history.required}",
        "--format",
        "sarif",
        str(nova),
    )
    data = json.loads(out)
    results = data["runs"][0]["results"]
    assert code == 1
    assert [
        (r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in results
    ] == [
        ("impact/incompatible", "error", 5),
        ("impact/removed", "error", 7),
        ("impact/renamed", "error", 8),
    ]


def test_the_library_release_is_printed(tmp_path: Path) -> None:
    from oslo_incubator.history.builder import RepoBuilder
    from oslo_incubator.history.git import run_git

    repo = RepoBuilder(tmp_path / "lib")
    repo.commit("One", {"oslo_demo/__init__.py": "", "oslo_demo/a.py": "def f():\n    pass\n"})
    run_git(repo.path, "tag", "0.3.0")
    repo.commit("Two", {"oslo_demo/a.py": "def f():\n    pass\n\n\ndef g():\n    pass\n"})
    code, out = run("--library", str(repo.path), "--since-release")
    assert code == 0
    assert "release needed since 0.3.0: minor -> 0.4.0" in out
    assert "a.g: added (function added)" in out


def test_bad_usage_is_exit_2(history: History, nova: Path) -> None:
    assert run(str(nova))[0] == 2  # neither --incubator nor --library
    assert run("--incubator", str(history.path), "--change", "HEAD", "--range", "A..B")[0] == 2
    assert run("--incubator", str(history.path), "--since-release")[0] == 2
    assert run("--incubator", str(history.path), "--all-tests")[0] == 2
    code, out = run("--incubator", str(history.path), "--change", "no-such-commit")
    assert code == 2 and "no commit 'no-such-commit'" in out


def test_help_names_the_verdicts_and_exit_codes() -> None:
    result = CliRunner().invoke(main, ["impact", "--help"])
    assert result.exit_code == 0
    assert "breaking" in result.output and "--run-tests" in result.output
    assert "impact" in CliRunner().invoke(main, ["--help"]).output
