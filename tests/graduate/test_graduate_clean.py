"""``graduate run`` with clean dependencies: a public package of the modules asked for,
private copies of what has not graduated, requirements on what has."""

from __future__ import annotations

import json
from pathlib import Path

from builders import make_incubator
from click.testing import CliRunner
from graduate_fixtures import JSONUTILS, LOG, TEST_JSONUTILS, TIMEUTILS

from oslo_incubator.cli import main
from oslo_incubator.history.git import git_text
from oslo_incubator.model.graduate import EarlierLibrary, GraduateOptions
from oslo_incubator.workflows.graduation import graduate_library


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_private_copy_is_tracked_and_drift_reports_it_current(
    incubator: Path, tmp_path: Path
) -> None:
    lib = tmp_path / "oslo.log"
    code, out, err = invoke(
        "graduate", "run", "--incubator", str(incubator), "--library", "oslo.log", "log",
        "--dest", str(lib), "--version", "0.1.0",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[1] == (
        "  private copies in oslo_log/openstack/common: jsonutils, timeutils"
    )
    public = sorted(p.name for p in (lib / "oslo_log").glob("*.py"))
    assert public == ["__init__.py", "log.py"]
    assert (
        "from oslo_log.openstack.common import jsonutils" in (lib / "oslo_log/log.py").read_text()
    )
    # The private copies' own tests stay in the incubator; the module's test moves.
    assert sorted(p.name for p in (lib / "oslo_log/tests").glob("test_*.py")) == ["test_log.py"]
    conf = (lib / "openstack-common.conf").read_text()
    assert "module=jsonutils\nmodule=timeutils\n" in conf and "base=oslo_log\n" in conf
    assert (lib / "openstack-common.lock").is_file()
    assert git_text(lib, "status", "--porcelain").strip() == ""
    assert git_text(lib, "describe", "--tags").strip() == "0.1.0"
    # The private copies' requirement (jsonutils imports iso8601) is the library's.
    assert "iso8601>=0.1.9" in (lib / "requirements.txt").read_text()

    code, out, err = invoke("drift", "--incubator", str(incubator), "--format", "json", str(lib))
    assert code == 0, err
    (project,) = json.loads(out)["projects"]
    statuses = {c["module"]: c["status"] for c in project["copies"]}
    assert statuses == {"__init__": "current", "jsonutils": "current", "timeutils": "current"}


def test_without_private_copies_the_refusal_names_file_and_line_and_writes_nothing(
    pristine_incubator: Path, tmp_path: Path
) -> None:
    code, out, err = invoke(
        "graduate", "run", "--incubator", str(pristine_incubator), "--library", "oslo.log", "log",
        "--dest", str(tmp_path / "lib"), "--no-private-copies",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(f"oslo-incubator: error: {tmp_path / 'lib/oslo_log/log.py'}:5: ")
    assert not (tmp_path / "lib").exists()
    assert "graduate-oslo.log" not in git_text(pristine_incubator, "branch")


def test_a_module_the_incubator_records_as_graduated_is_required_not_copied(
    tmp_path: Path,
) -> None:
    incubator = make_incubator(
        tmp_path / "incubator",
        [
            (
                "Add helpers",
                {
                    "openstack/common/timeutils.py": TIMEUTILS,
                    "openstack/common/jsonutils.py": JSONUTILS,
                    "tests/__init__.py": "",
                    "tests/unit/__init__.py": "",
                    "tests/unit/test_jsonutils.py": TEST_JSONUTILS,
                    "tests/unit/fakes.py": "DATA = {}\n",
                    "requirements.txt": "oslo.time>=1.2\n",
                },
            ),
            (
                "Record that timeutils graduated",
                {"obsolete.txt": "openstack/common/timeutils.py oslo.time\n"},
            ),
        ],
    ).path
    result = graduate_library(
        incubator,
        GraduateOptions("oslo.json", "oslo_json", ("jsonutils",), tmp_path / "lib",
                        private_copies=True, shims=False),
    )  # fmt: skip
    assert result.private == ()
    assert [(g.module, g.target, g.requirement, g.source) for g in result.graduated] == [
        ("timeutils", "oslo_time.timeutils", "oslo.time>=1.2", "obsolete.txt")
    ]
    text = (tmp_path / "lib/oslo_json/jsonutils.py").read_text()
    assert "from oslo_time import timeutils" in text
    test = (tmp_path / "lib/oslo_json/tests/test_jsonutils.py").read_text()
    assert "@mock.patch('oslo_time.timeutils.utcnow')" in test
    assert result.requirements == ("iso8601", "oslo.time>=1.2")
    assert not (tmp_path / "lib/openstack-common.conf").exists()


def test_an_earlier_library_of_the_program_wins_with_its_version(
    incubator: Path, tmp_path: Path
) -> None:
    earlier = EarlierLibrary("oslo.time", "oslo_time", ("timeutils",), "0.3.0")
    result = graduate_library(
        incubator,
        GraduateOptions("oslo.json", "oslo_json", ("jsonutils",), tmp_path / "lib",
                        private_copies=True, shims=False, earlier=(earlier,)),
    )  # fmt: skip
    assert result.private == ()
    assert "oslo.time>=0.3.0" in result.requirements
    assert (
        "from oslo_time import timeutils" in (tmp_path / "lib/oslo_json/jsonutils.py").read_text()
    )


def test_a_private_copy_that_imports_one_of_the_librarys_modules_gets_its_own_copy(
    tmp_path: Path,
) -> None:
    # log (private) imports jsonutils (public): the copy's import is rewritten by sync
    # to the private path, so jsonutils is copied too and drift stays current.
    incubator = make_incubator(
        tmp_path / "incubator",
        [
            (
                "Add",
                {
                    "openstack/common/timeutils.py": TIMEUTILS,
                    "openstack/common/jsonutils.py": JSONUTILS,
                    "openstack/common/log.py": LOG,
                    "openstack/common/network.py": "from openstack.common import log\n",
                },
            )
        ],
    ).path
    result = graduate_library(
        incubator,
        GraduateOptions("oslo.utils", "oslo_utils", ("jsonutils", "timeutils", "network"),
                        tmp_path / "lib", private_copies=True, shims=False),
    )  # fmt: skip
    assert result.private == ("jsonutils", "log", "timeutils")
    copy = (tmp_path / "lib/oslo_utils/openstack/common/log.py").read_text()
    assert "from oslo_utils.openstack.common import jsonutils" in copy


def test_a_test_naming_another_module_in_a_string_is_that_modules_test(tmp_path: Path) -> None:
    incubator = make_incubator(
        tmp_path / "incubator",
        [
            (
                "Add",
                {
                    "openstack/common/timeutils.py": TIMEUTILS,
                    "openstack/common/db.py": "OPTIONS = []\n",
                    "tests/__init__.py": "",
                    "tests/unit/__init__.py": "",
                    "tests/unit/test_db_options.py": (
                        "from openstack.common import timeutils\nOPTS = 'openstack.common.db'\n"
                    ),
                },
            )
        ],
    ).path
    result = graduate_library(
        incubator,
        GraduateOptions("oslo.time", "oslo_time", ("timeutils",), tmp_path / "lib",
                        private_copies=True, shims=False),
    )  # fmt: skip
    assert [f.source for f in result.files] == ["openstack/common/timeutils.py"]
    assert result.private == ()


def test_data_files_the_moved_tests_read_go_where_the_tests_look_for_them(
    tmp_path: Path,
) -> None:
    incubator = make_incubator(
        tmp_path / "incubator",
        [
            (
                "Add",
                {
                    "openstack/common/policy.py": "RULES = {}\n",
                    "tests/__init__.py": "",
                    "tests/unit/__init__.py": "",
                    "tests/var/policy.json": '{"a": "@"}\n',
                    "tests/var/ssl/ca.crt": "CERT\n",
                    "tests/other/unused.txt": "x\n",
                    "tests/unit/test_policy.py": (
                        "import os\n\n"
                        "from openstack.common import policy\n\n"
                        "VAR = os.path.join(os.path.dirname(__file__), '..', 'var')\n"
                    ),
                },
            )
        ],
    ).path
    result = graduate_library(
        incubator,
        GraduateOptions("oslo.policy", "oslo_policy", ("policy",), tmp_path / "lib",
                        private_copies=True, shims=False),
    )  # fmt: skip
    data = {f.path: f.source for f in result.files if f.role.value == "data"}
    assert data == {
        "oslo_policy/var/policy.json": "tests/var/policy.json",
        "oslo_policy/var/ssl/ca.crt": "tests/var/ssl/ca.crt",
    }
    assert (tmp_path / "lib/oslo_policy/var/policy.json").read_text() == '{"a": "@"}\n'


def test_a_test_of_a_module_graduated_elsewhere_does_not_move(tmp_path: Path) -> None:
    incubator = make_incubator(
        tmp_path / "incubator",
        [
            (
                "Add",
                {
                    "openstack/common/timeutils.py": TIMEUTILS,
                    "openstack/common/rpc/__init__.py": "X = 1\n",
                    "tests/__init__.py": "",
                    "tests/unit/__init__.py": "",
                    "tests/unit/rpc/__init__.py": "",
                    "tests/unit/rpc/test_common.py": (
                        "from openstack.common import rpc\n"
                        "from openstack.common import timeutils\n"
                    ),
                    "obsolete.txt": "openstack/common/rpc/* oslo.messaging\n",
                },
            )
        ],
    ).path
    result = graduate_library(
        incubator,
        GraduateOptions("oslo.time", "oslo_time", ("timeutils",), tmp_path / "lib",
                        private_copies=True, shims=False),
    )  # fmt: skip
    assert [f.source for f in result.files] == ["openstack/common/timeutils.py"]
