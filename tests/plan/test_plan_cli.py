"""``oslo-incubator graduate plan`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import make_incubator, make_project
from click.testing import CliRunner

from oslo_incubator.cli import main
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.workspace.planfile import default_package, parse_plan_file

ROOT = DEFAULT_PACKAGE_ROOT


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    inc = make_incubator(
        tmp_path / "inc",
        [
            (
                "Add modules",
                {
                    f"{ROOT}/log.py": "import six\nfrom openstack.common import handler\n",
                    f"{ROOT}/handler.py": "def f():\n    from openstack.common import log\n",
                    f"{ROOT}/units.py": "Ki = 1024\n",
                    "requirements.txt": "six>=1.6.0\n",
                },
            )
        ],
    )
    project = make_project(
        tmp_path / "nova",
        "nova",
        {"log.py": "x = 1\n"},
        extra={
            "nova/a.py": (
                "from nova.openstack.common import handler\n"
                "from nova.openstack.common import log as logging\n"
                "LOG = logging.getLogger(__name__)\n"
            ),
        },
    )
    return inc.path, project.path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_plan_text_is_a_numbered_sequence_with_one_block_per_library(
    workspace: tuple[Path, Path],
) -> None:
    inc, project = workspace
    code, out = run(
        "graduate", "plan", "--incubator", str(inc), "--project", str(project),
        "--apart", "log,handler",
    )  # fmt: skip
    assert code == 0
    assert "3 libraries in graduation order" in out
    assert "\n1. handler  (1 module, 1 file, 2 lines)\n" in out
    assert "\n2. log  (1 module, 1 file, 2 lines)\n" in out
    assert "\n3. units  (1 module, 1 file, 1 line)\n" in out
    assert "   used by:           nova (1 import site in 1 file)\n" in out
    assert "   api used:          getLogger (1)\n" in out
    assert "   requires:          six>=1.6.0\n" in out
    assert "   imports:           log [lazy, graduates later]\n" in out
    assert "closed only through lazy or weak imports: the plan breaks it; broken at:" in out
    assert f"handler -> log (lazy) {ROOT}/handler.py:2" in out


def test_plan_json_has_the_documented_shape(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    code, out = run(
        "graduate", "plan", "--incubator", str(inc), "--project", str(project),
        "--module", "log", "--format", "json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "oslo-incubator.plan/2"
    assert doc["granularity"] == "balanced"
    assert doc["weights"]["co-change"] > 0
    assert len(doc["incubator"]["head"]) == 40
    assert (doc["projects"], doc["requested"]) == (["nova"], ["log"])
    assert [(lib["position"], lib["name"], lib["modules"]) for lib in doc["libraries"]] == [
        (1, "log", ["log", "handler"]),
        (2, "units", ["units"]),
    ]
    log = doc["libraries"][0]
    assert log["reasons"] == [
        "requested: log",
        "needed at import time by the requested modules: handler",
        "1 module-level import between them",
    ]
    (bond,) = log["bonds"]
    assert bond["modules"] == ["handler", "log"]
    assert [t["signal"] for t in bond["ties"]] == ["import"]
    assert log["close_calls"] == []
    assert log["baggage"] == {"modules": ["handler"], "lines": 2, "requirements": []}
    assert log["requirements"][0]["requirement"] == "six>=1.6.0"
    assert log["consumers"] == [{"project": "nova", "import_sites": 2, "files": 1}]
    assert log["api"] == [{"module": "log", "name": "getLogger", "uses": 1, "projects": ["nova"]}]
    assert {e["kind"] for e in doc["edges"]} == {"strong", "lazy"}
    assert doc["cycles"][0]["forced"] is False


def test_plan_dot_draws_libraries_as_clusters_and_breaking_edges_red(
    workspace: tuple[Path, Path],
) -> None:
    inc, _ = workspace
    code, out = run(
        "graduate", "plan", "--incubator", str(inc), "--format", "dot", "--apart", "log,handler"
    )
    assert code == 0
    assert out.startswith("digraph graduation {")
    assert 'subgraph "cluster_1" {' in out
    assert 'label="1. handler";' in out
    assert (
        '"handler" -> "log" [style=dashed, tooltip="openstack/common/handler.py:2", color=red];'
        in out
    )
    assert '"log" -> "handler" [style=solid' in out


def test_an_unknown_module_exits_2_with_a_one_line_reason(workspace: tuple[Path, Path]) -> None:
    inc, _ = workspace
    code, out = run("graduate", "plan", "--incubator", str(inc), "--module", "nope")
    assert code == 2
    assert out == "oslo-incubator: error: no module 'nope' under openstack/common/ at HEAD\n"


def test_a_directory_that_is_not_a_repository_exits_2(tmp_path: Path) -> None:
    code, out = run("graduate", "plan", "--incubator", str(tmp_path))
    assert code == 2
    assert out.startswith("oslo-incubator: error: ")


def test_a_cycle_inside_one_library_says_so(tmp_path: Path) -> None:
    inc = make_incubator(
        tmp_path / "inc",
        [
            (
                "Add modules",
                {
                    f"{ROOT}/log.py": "from openstack.common import handler\n",
                    f"{ROOT}/handler.py": "def f():\n    from openstack.common import log\n",
                },
            )
        ],
    )
    code, out = run("graduate", "plan", "--incubator", str(inc.path), "--module", "log")
    assert code == 0
    assert "its modules share library log for other reasons; it could be broken at:" in out


def test_a_project_without_a_base_package_exits_2_naming_it(
    workspace: tuple[Path, Path], tmp_path: Path
) -> None:
    inc, _ = workspace
    project = tmp_path / "nobase"
    project.mkdir()
    (project / "openstack-common.conf").write_text("[DEFAULT]\nmodule=log\n")
    code, out = run("graduate", "plan", "--incubator", str(inc), "--project", str(project))
    assert code == 2
    assert (
        out
        == f"oslo-incubator: error: {project}: no base package: set base= in openstack-common.conf\n"
    )


def test_help_explains_the_grouping_rules() -> None:
    code, out = run("graduate", "plan", "--help")
    assert code == 0
    assert "lazy" in out and "--module" in out and "--project" in out
    code, out = run("graduate", "--help")
    assert code == 0 and "plan" in out


def test_the_same_input_gives_the_same_plan_byte_for_byte(workspace: tuple[Path, Path]) -> None:
    inc, project = workspace
    args = ["graduate", "plan", "--incubator", str(inc), "--project", str(project)]
    outputs = {run(*args, "--format", f)[1] for f in ("json",) for _ in range(2)}
    assert len(outputs) == 1
    assert run(*args, "--no-cache", "--format", "json")[1] in outputs


def test_the_plan_file_written_with_output_reads_back(
    workspace: tuple[Path, Path], tmp_path: Path
) -> None:
    inc, project = workspace
    target = tmp_path / "plan.toml"
    code, out = run(
        "graduate", "plan", "--incubator", str(inc), "--project", str(project),
        "--format", "json", "--output", str(target), "--together", "log,units",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    text = target.read_text()
    plan = parse_plan_file(text, target)
    assert [(lib.name, lib.modules) for lib in plan.libraries] == [
        (lib["name"], tuple(lib["modules"])) for lib in doc["libraries"]
    ]
    assert [lib.package for lib in plan.libraries] == [
        default_package(lib["name"]) for lib in doc["libraries"]
    ]
    assert plan.incubator_head == doc["incubator"]["head"]
    assert "# --together log,units\n" in text


def test_overrides_and_granularity_are_options(workspace: tuple[Path, Path]) -> None:
    inc, _ = workspace
    base = ["graduate", "plan", "--incubator", str(inc), "--format", "json"]
    code, out = run(*base, "--granularity", "fine", "--apart", "log,handler,units")
    assert code == 0
    doc = json.loads(out)
    assert doc["granularity"] == "fine"
    assert sorted(len(lib["modules"]) for lib in doc["libraries"]) == [1, 1, 1]
    code, out = run(*base, "--together", "log")
    assert code == 2 and "name two or more modules" in out
    code, out = run(*base, "--together", "log,units", "--apart", "units,log")
    assert code == 2
    assert out == "oslo-incubator: error: --together log,units: --apart log,units\n"
    code, out = run(*base, "--granularity", "huge")
    assert code == 2


def test_every_output_says_what_kept_close_modules_apart(tmp_path: Path) -> None:
    files = {f"{ROOT}/{n}.py": "" for n in "abcd"}
    history = [("Add modules", files)]
    for n in range(3):
        history.append(("Change a and b", {f"{ROOT}/a.py": f"{n}\n", f"{ROOT}/b.py": f"{n}\n"}))
        history.append(("Change c and d", {f"{ROOT}/c.py": f"{n}\n", f"{ROOT}/d.py": f"{n}\n"}))
    inc = make_incubator(tmp_path / "inc", history).path
    args = ["graduate", "plan", "--incubator", str(inc), "--apart", "a,b"]
    code, out = run(*args)
    assert code == 0
    # The first commit added four modules: it counts too (a third for each pair).
    assert (
        "      close call:        a ~ b (b), bond 1.25: changed together in 4 commits (of 4 and 4). "
        "Apart:\n                         --apart a,b\n"
    ) in out
    assert "      together because:  changed together in 4 commits\n" in out
    code, out = run(*args, "--format", "dot")
    assert '"a" -> "b" [dir=none, style=dotted, color=gray, constraint=false' in out
    assert 'tooltip="changed together in 4 commits";' in out
    code, _ = run(*args, "--output", str(tmp_path / "plan.toml"))
    assert "# apart from b (b), tied to a: --apart a,b\n" in (tmp_path / "plan.toml").read_text()
