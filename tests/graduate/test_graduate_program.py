"""``graduate program``, ``graduate verify`` and ``migrate --program``: a plan of three
libraries carried out, resumed, proven in a fresh virtualenv, and a consumer moved."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest
from builders import make_project
from click.testing import CliRunner
from program_fixtures import CONSUMER, PLAN, build_program_incubator, wheel_of_installed
from referencing import Registry, Resource

from oslo_incubator.cli import main
from oslo_incubator.history.git import git_text, run_git


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def incubator(tmp_path: Path) -> Path:
    return build_program_incubator(tmp_path / "incubator").path


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN)
    return path


@pytest.fixture(scope="module")
def links(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pbr and setuptools as wheels, for offline installs of pbr-built libraries."""
    out = tmp_path_factory.mktemp("links")
    wheel_of_installed("pbr", out)
    wheel_of_installed("setuptools", out)
    return out


def program(plan: Path, incubator: Path, dest: Path, *extra: str | Path) -> dict:
    code, out, err = invoke("graduate", "program", plan, "--incubator", incubator,
                            "--dest", dest, "--format", "json", *extra)  # fmt: skip
    assert code == 0, err
    return json.loads(out)


@pytest.mark.slow
def test_a_program_of_three_libraries_builds_installs_and_passes_its_tests(
    plan: Path, incubator: Path, tmp_path: Path, links: Path
) -> None:
    before = git_text(incubator, "for-each-ref")
    doc = program(plan, incubator, tmp_path / "prog", "--verify", "--python", sys.executable,
                  "--no-index", "--find-links", links)  # fmt: skip
    assert [(lib["name"], lib["status"], lib["requires"]) for lib in doc["libraries"]] == [
        ("oslo.utils", "written", []),
        ("oslo.serialization", "written", ["oslo.utils"]),
        ("oslo.log", "written", ["oslo.serialization"]),
    ]
    proof = doc["proof"]
    assert proof["schema"] == "oslo-incubator.program-proof/1"
    counts = {
        lib["name"]: (lib["installed"], lib["incubator"]["passed"], lib["library"]["passed"],
                      lib["library"]["ran"], lib["kept"])
        for lib in proof["libraries"]
    }  # fmt: skip
    # Every wheel installs with its declared requirements (the earlier libraries from
    # their wheels); the moved tests pass where they pass in the incubator, and the
    # test that fails in the incubator fails in the library too.
    assert counts == {
        "oslo.utils": (True, 3, 3, 3, 3),
        "oslo.serialization": (True, 2, 2, 2, 2),
        "oslo.log": (True, 1, 1, 2, 1),
    }
    assert proof["ratio"] == 1.0
    schemas = Path(__file__).resolve().parents[2] / "doc/source/schemas"
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s))
        for s in (json.loads(p.read_text()) for p in schemas.glob("program*.schema.json"))
    )
    program_schema = json.loads((schemas / "program.schema.json").read_text())
    jsonschema.Draft202012Validator(program_schema, registry=registry).validate(doc)
    assert sorted(p.name for p in (tmp_path / "prog/.wheels").glob("*.whl")) == [
        "oslo_log-0.1.0-py3-none-any.whl",
        "oslo_serialization-0.1.0-py3-none-any.whl",
        "oslo_utils-0.1.0-py3-none-any.whl",
    ]
    # The user's incubator is not touched: the shims live in the scratch clone.
    assert git_text(incubator, "for-each-ref") == before
    scratch = tmp_path / "prog/.incubator"
    shims = git_text(scratch, "log", "--format=%s", "program").splitlines()[:3]
    assert shims == [
        "Graduate log to oslo.log",
        "Graduate jsonutils to oslo.serialization",
        "Graduate strutils, timeutils to oslo.utils",
    ]


def test_later_libraries_import_and_require_the_earlier_ones(
    plan: Path, incubator: Path, tmp_path: Path
) -> None:
    prog = tmp_path / "prog"
    doc = program(plan, incubator, prog)
    libraries = {lib["name"]: lib for lib in doc["libraries"]}
    assert libraries["oslo.serialization"]["requirements"] == ["oslo.utils>=0.1.0"]
    assert libraries["oslo.log"]["requirements"] == ["oslo.serialization>=0.1.0"]
    assert libraries["oslo.log"]["private"] == ["local"]
    jsonutils = (prog / "oslo.serialization/oslo_serialization/jsonutils.py").read_text()
    assert "from oslo_utils import strutils\nfrom oslo_utils import timeutils\n" in jsonutils
    log = (prog / "oslo.log/oslo_log/log.py").read_text()
    assert (
        "from oslo_serialization import jsonutils\nfrom oslo_log.openstack.common import local\n"
        in log
    )
    test = (prog / "oslo.serialization/oslo_serialization/tests/test_jsonutils.py").read_text()
    assert "from oslo_utils import strutils" in test
    for name in ("oslo.utils", "oslo.serialization", "oslo.log"):
        assert git_text(prog / name, "describe", "--tags").strip() == "0.1.0"
    # The private copy is tracked against the program's incubator.
    code, out, _ = invoke("drift", "--incubator", prog / ".incubator", "--format", "json",
                          prog / "oslo.log")  # fmt: skip
    assert code == 0
    assert {c["module"]: c["status"] for c in json.loads(out)["projects"][0]["copies"]} == {
        "__init__": "current",
        "local": "current",
    }


def test_a_resumed_program_verifies_and_skips_the_libraries_done(
    plan: Path, incubator: Path, tmp_path: Path
) -> None:
    prog = tmp_path / "prog"
    first = tmp_path / "first.toml"
    first.write_text(PLAN.split('[[library]]\nname = "oslo.serialization"')[0])
    done = program(first, incubator, prog)
    assert [lib["status"] for lib in done["libraries"]] == ["written"]
    utils_head = done["libraries"][0]["head"]

    code, out, err = invoke("graduate", "program", plan, "--incubator", incubator, "--dest", prog)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].split() == [
        "#", "library", "status", "modules", "private", "requires", "tests", "head", "s",
    ]  # fmt: skip
    assert lines[2].split()[:4] == ["1", "oslo.utils", "skipped", "2"]
    assert lines[3].split()[:4] == ["2", "oslo.serialization", "written", "1"]
    assert lines[-1].startswith("2 written, 1 skipped (done before) in ")
    assert git_text(prog / "oslo.utils", "rev-parse", "HEAD").strip() == utils_head

    again = program(plan, incubator, prog)
    assert [lib["status"] for lib in again["libraries"]] == ["skipped"] * 3

    # A library changed behind the program's back is not vouched for.
    run_git(prog / "oslo.log", "commit", "-q", "--allow-empty", "-m", "local change")
    code, out, err = invoke("graduate", "program", plan, "--incubator", incubator, "--dest", prog)
    assert (code, out) == (2, "")
    assert "oslo.log is recorded at" in err


def test_a_changed_plan_or_an_interrupted_library_is_refused(
    plan: Path, incubator: Path, tmp_path: Path
) -> None:
    prog = tmp_path / "prog"
    first = tmp_path / "first.toml"
    first.write_text(PLAN.split('[[library]]\nname = "oslo.serialization"')[0])
    program(first, incubator, prog)
    changed = tmp_path / "changed.toml"
    changed.write_text(PLAN.replace('["strutils", "timeutils"]', '["strutils"]'))
    code, _, err = invoke("graduate", "program", changed, "--incubator", incubator, "--dest", prog)
    assert code == 2
    assert err.startswith(f"oslo-incubator: error: {changed}:4: oslo.utils was graduated with ")

    (prog / "oslo.serialization").mkdir()
    (prog / "oslo.serialization/half").write_text("")
    code, _, err = invoke("graduate", "program", plan, "--incubator", incubator, "--dest", prog)
    assert code == 2
    assert "oslo.serialization is not recorded as done" in err


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (PLAN.replace('["jsonutils"]', '["jsonutils", "nosuch"]'), 8,
         "library oslo.serialization: no module 'nosuch' under openstack/common/"),
        (PLAN.replace('name = "oslo.log"', 'name = "oslo.log'), 14, "not a TOML plan file"),
        (PLAN.replace('modules = ["log"]', 'modules = "log"'), 12,
         "library oslo.log: modules must be a list of module names"),
    ],
)  # fmt: skip
def test_a_bad_plan_file_exits_2_naming_the_file_and_line(
    incubator: Path, tmp_path: Path, text: str, line: int, message: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    code, out, err = invoke("graduate", "program", bad, "--incubator", incubator, "--dest",
                            tmp_path / "prog")  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(f"oslo-incubator: error: {bad}:{line}: {message}"), err
    assert not any((tmp_path / "prog").glob("oslo.*"))


def test_migrate_moves_a_consumer_to_every_library_of_the_program_in_one_change(
    plan: Path, incubator: Path, tmp_path: Path
) -> None:
    prog = tmp_path / "prog"
    program(plan, incubator, prog)

    def master(name: str) -> str:
        return git_text(incubator, "show", f"HEAD:openstack/common/{name}")

    names = ("jsonutils.py", "log.py", "local.py", "strutils.py", "timeutils.py")
    nova = make_project(
        tmp_path / "nova", "nova", {n: master(n) for n in names},
        extra={"nova/api.py": CONSUMER, "requirements.txt": "pbr\n"},
    ).path  # fmt: skip
    code, out, err = invoke("migrate", nova, "--program", prog, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["modules_from"] == "program"
    api = (nova / "nova/api.py").read_text()
    assert (
        "from oslo_serialization import jsonutils\nfrom oslo_log import log\nfrom oslo_utils import strutils\n"
        in api
    )
    assert (nova / "requirements.txt").read_text() == (
        "oslo.log>=0.1.0\noslo.serialization>=0.1.0\noslo.utils>=0.1.0\npbr\n"
    )
    # Copies of graduated modules go; local, log's private helper, stays with the project.
    copies = sorted(p.name for p in (nova / "nova/openstack/common").glob("*.py"))
    assert copies == ["__init__.py", "local.py"]
    assert (nova / "openstack-common.conf").read_text() == "[DEFAULT]\nmodule=local\nbase=nova\n"


def test_the_proof_table_gives_passed_over_ran_and_names_the_tests_lost() -> None:
    from oslo_incubator.model.program import LibraryProof, ProofResult, TestRun
    from oslo_incubator.report.program import render_proof_text

    incubator = TestRun({"lib.tests.test_a.T.test_1": "pass", "lib.tests.test_a.T.test_2": "pass"})
    library = TestRun({"lib.tests.test_a.T.test_1": "pass", "lib.tests.test_a.T.test_2": "error"})
    proof = LibraryProof("oslo.lib", "oslo_lib-0.1.0-py2.py3-none-any.whl", True, incubator,
                         library, 1.5, None, ("MySQL-python",))  # fmt: skip
    text = render_proof_text(ProofResult("prog", "python2.7", "2.7.18", (proof,), 3.0))
    lines = text.splitlines()
    assert lines[0] == "proof of 1 libraries with Python 2.7.18 (python2.7)"
    assert lines[2].split() == [
        "oslo.lib", "oslo_lib-0.1.0-py2.py3-none-any.whl", "yes", "2/2", "1/2", "1/2", "1.5",
    ]  # fmt: skip
    assert "of 2 moved tests passing in the incubator, 1 pass in the libraries (50.0%)" in text
    assert "oslo.lib: not installable, left out of both runs: MySQL-python" in lines
    assert "oslo.lib: lost lib.tests.test_a.T.test_2 (error)" in lines


def test_a_failed_install_is_told_by_pips_error_not_its_python_2_banner() -> None:
    from oslo_incubator.workspace.environments import _pip_error

    output = (
        "DEPRECATION: Python 2.7 reached the end of its life on January 1st, 2020.\n"
        "ERROR: Package 'oslo-log' requires a different Python: 2.7.18 not in '>=3.8'\n"
        "DEPRECATION: pip 21.0 will remove support for this functionality.\n"
    )
    assert _pip_error(output) == (
        "ERROR: Package 'oslo-log' requires a different Python: 2.7.18 not in '>=3.8'"
    )
    assert _pip_error("a\nb\n\nc\nd\n") == "b\nc\nd"
