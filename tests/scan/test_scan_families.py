"""scan_projects: copy families, masters, origins, candidates and imports of a fleet."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from scan_fixtures import Fleet, helpers, manager, near_helpers

from oslo_incubator.analysis.fingerprint import similarity, unit_tokens
from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.scan import (
    Candidate,
    Family,
    Grain,
    ImportLink,
    Master,
    Member,
    ScanOptions,
    ScanReport,
    UnitKind,
)
from oslo_incubator.operations.scan import scan_projects

T1, T2, T3 = 1_400_003_600, 1_400_007_200, 1_400_010_800  # the builders' first commits


@pytest.fixture(scope="module")
def report(fleet: Fleet) -> ScanReport:
    return scan_projects(fleet.projects, ScanOptions(), fleet.incubator)


def _member(project: str, path: str, symbol: str | None, lines: tuple[int, int], tokens: int,
            key: str, similarity: float, status: DriftStatus | None, added: int,
            declared: bool = False) -> Member:  # fmt: skip
    kind = UnitKind.MODULE if symbol is None else UnitKind.FUNCTION
    return Member(project, path, symbol, kind, lines[0], lines[1], tokens, key, similarity,
                  status, added, declared)  # fmt: skip


def _strutils_master(report: ScanReport) -> Master:
    return report.family("M1").master  # type: ignore[return-value]


def test_scan_puts_exact_renamed_package_and_near_copies_in_one_family(report: ScanReport):
    helpers_key = "ce40ada8738a27d6"
    near = _member("glance", "glance/common/helpers.py", None, (1, 30), 126, "1e056f9610f6b964",
                   0.9213, None, T3)  # fmt: skip
    cinder = _member("cinder", "cinder/helpers.py", None, (1, 30), 126, helpers_key, 1.0, None, T2)

    assert report.family("M2") == Family(
        id="M2",
        grain=Grain.MODULE,
        members=(
            _member("nova", "nova/helpers.py", None, (1, 30), 126, helpers_key, 1.0, None, T3),
            near,
            cinder,
        ),
        master=None,
        representative=cinder,  # committed first
        origin="oldest",
        lines=30,
        tokens=126,
    )


def test_member_similarity_is_the_documented_jaccard_of_shingles(fleet: Fleet):
    near = unit_tokens(near_helpers("glance").encode(), ("glance",))
    origin = unit_tokens(helpers("cinder").encode(), ("cinder",))

    assert round(similarity(near, origin), 4) == 0.9213


def test_scan_ties_copies_to_their_master_with_their_drift_status(report: ScanReport):
    master = _strutils_master(report)
    assert master.path == "openstack/common/strutils.py"
    assert master.lineage == "openstack/common/strutils.py"
    assert master.symbol is None and not master.obsolete

    assert report.family("M1") == Family(
        id="M1",
        grain=Grain.MODULE,
        members=(
            _member("nova", "nova/openstack/common/strutils.py", None, (1, 29), 160,
                    "66ccb4cf877492d5", 0.7937, DriftStatus.BEHIND, T1, declared=True),
            _member("glance", "glance/openstack/common/strutils.py", None, (1, 35), 201,
                    "b08065bbb1bcbd5c", 0.9487, DriftStatus.DIVERGED, T1, declared=True),
            # Not where update.py puts copies: matched by content to master HEAD.
            _member("cinder", "cinder/common/text.py", None, (1, 35), 199,
                    "e2e88ba51db2d4a8", 1.0, DriftStatus.CURRENT, T2),
        ),
        master=master,
        representative=None,
        origin="master",
        lines=35,
        tokens=199,
    )  # fmt: skip


def test_scan_finds_a_function_copied_into_other_code(report: ScanReport):
    retry_key = "20de143b1c781135"
    heat = _member("heat", "heat/engine/util.py", "retry", (13, 23), 76, retry_key, 1.0, None, T1)

    assert report.family("S2") == Family(
        id="S2",
        grain=Grain.SYMBOL,
        members=(
            _member("nova", "nova/helpers.py", "retry", (8, 18), 76, retry_key, 1.0, None, T3),
            _member("glance", "glance/common/helpers.py", "retry", (8, 18), 76, retry_key, 1.0,
                    None, T3),
            _member("cinder", "cinder/helpers.py", "retry", (8, 18), 76, retry_key, 1.0, None, T2),
            heat,
        ),
        master=None,
        representative=heat,
        origin="oldest",
        lines=11,
        tokens=76,
    )  # fmt: skip


def test_functions_only_inside_copies_of_one_module_make_no_family_of_their_own(
    report: ScanReport,
):
    symbols = {m.symbol for f in report.families if f.grain is Grain.SYMBOL for m in f.members}

    # chunks lives only in the helpers.py copies; mask_password only in strutils copies.
    assert symbols == {"retry", "bool_from_string"}


def test_scan_attaches_a_function_copied_from_master_to_the_master_symbol(report: ScanReport):
    family = report.family("S1")

    assert family.master == Master(
        "openstack/common/strutils.py",
        "bool_from_string",
        "openstack/common/strutils.py",
        _strutils_master(report).commit,
        False,
    )
    # The copies inside copies of strutils.py are told by the module family M1.
    assert family.members == (
        _member("heat", "heat/common/utils.py", "bool_from_string", (9, 21), 79,
                "03a9ef93706fc5d4", 1.0, DriftStatus.CURRENT, T1),
    )  # fmt: skip


def test_scan_groups_nothing_else(report: ScanReport, fleet: Fleet):
    assert [f.id for f in report.families] == ["M1", "M2", "S1", "S2"]
    grouped = {(m.project, m.path) for f in report.families for m in f.members}
    # Unrelated managers, identical but tiny version.py files, empty __init__.py files.
    assert ("nova", "nova/compute/manager.py") not in grouped
    assert ("cinder", "cinder/version.py") not in grouped
    assert not any(path.endswith("__init__.py") for _, path in grouped)
    nova_manager = manager("nova", "instance", "reboot", "Reboot an instance, retrying.")
    cinder_manager = manager("cinder", "volume", "detach", "Detach a volume from its attachments.")
    assert similarity(unit_tokens(nova_manager.encode(), ("nova",)),
                      unit_tokens(cinder_manager.encode(), ("cinder",))) < 0.8  # fmt: skip


def test_scan_ranks_incubation_candidates_with_the_reason(report: ScanReport):
    assert report.candidates == (
        Candidate("M2", 1, 15.252, "3 projects, 3 copies of 30 lines, 0.97 alike on average: "
                  "3 x log2(1+30) x (1+0.03) = 15.3"),
        Candidate("S2", 2, 14.34, "4 projects, 4 copies of 11 lines, 1.00 alike on average: "
                  "4 x log2(1+11) x (1+0.00) = 14.3"),
    )  # fmt: skip


def test_scan_links_project_code_to_the_copies_it_imports(report: ScanReport):
    assert report.imports == (
        ImportLink("nova", "nova/compute/manager.py", "nova/helpers.py", 3),
        ImportLink("nova", "nova/compute/manager.py", "nova/openstack/common/strutils.py", 4),
        ImportLink("cinder", "cinder/volume/manager.py", "cinder/helpers.py", 3),
    )


def test_scan_reports_each_project(report: ScanReport, fleet: Fleet):
    assert [(p.name, p.bases, p.files, p.lines) for p in report.projects] == [
        ("nova", ("nova",), 9, 79),
        ("glance", ("glance",), 6, 65),
        ("cinder", ("cinder",), 9, 83),
        ("heat", ("heat",), 7, 54),
    ]
    assert report.incubator is not None
    assert report.incubator.package_root == DEFAULT_PACKAGE_ROOT


def test_without_incubator_master_copies_group_by_similarity_alone(fleet: Fleet):
    found = scan_projects(fleet.projects, ScanOptions())

    strutils = [f for f in found.families if f.grain is Grain.MODULE and
                any(m.path == "cinder/common/text.py" for m in f.members)]  # fmt: skip
    assert [(m.project, m.path, m.similarity) for m in strutils[0].members] == [
        ("glance", "glance/openstack/common/strutils.py", 1.0),
        ("cinder", "cinder/common/text.py", 0.9487),
    ]  # nova's copy of the first version is below 0.8 of both
    assert strutils[0].master is None and strutils[0].origin == "oldest"
    assert strutils[0].representative == strutils[0].members[0]  # glance's was committed first


def test_without_git_history_the_most_common_content_is_the_origin(tmp_path: Path):
    for name, text in [("alpha", helpers("alpha")), ("beta", near_helpers("beta")),
                       ("gamma", helpers("gamma"))]:  # fmt: skip
        (tmp_path / name / name).mkdir(parents=True)
        (tmp_path / name / name / "__init__.py").write_text("")
        (tmp_path / name / name / "helpers.py").write_text(text)

    found = scan_projects([tmp_path / n for n in ("beta", "alpha", "gamma")], ScanOptions())

    (family,) = [f for f in found.families if f.grain is Grain.MODULE]
    assert family.origin == "most-common"
    assert (family.representative.project, family.representative.path) == (  # type: ignore[union-attr]
        "alpha", "alpha/helpers.py")  # fmt: skip
    assert [(m.project, m.similarity, m.added) for m in family.members] == [
        ("beta", 0.9213, None), ("alpha", 1.0, None), ("gamma", 1.0, None)]  # fmt: skip
    assert [p.head for p in found.projects] == [None, None, None]


def test_a_higher_threshold_drops_the_near_copy(fleet: Fleet):
    found = scan_projects(fleet.projects, ScanOptions(min_similarity=0.95), fleet.incubator)

    helpers_family = [f for f in found.families if f.master is None and f.grain is Grain.MODULE]
    assert [m.project for m in helpers_family[0].members] == ["nova", "cinder"]


def test_scan_skips_virtualenvs_build_output_and_tool_directories(tmp_path: Path):
    text = helpers("proj")
    for where in ["proj/a.py", "proj/b.py", ".tox/py27/lib/c.py", "env/lib/d.py",
                  "build/lib/proj/e.py", "proj.egg-info/f.py", "proj/__pycache__/g.py",
                  ".git/h.py"]:  # fmt: skip
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / where).write_text(text)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "proj" / "__init__.py").write_text("")

    found = scan_projects([tmp_path], ScanOptions())

    assert found.projects[0].files == 3
    (family,) = [f for f in found.families if f.grain is Grain.MODULE]
    assert [m.path for m in family.members] == ["proj/a.py", "proj/b.py"]


def test_python_2_files_take_part_at_both_grains(tmp_path: Path):
    py2 = helpers("{base}").replace("raise\n", "raise\n            print 'giving up'\n")
    for name in ("alpha", "bravo"):
        (tmp_path / name / name).mkdir(parents=True)
        (tmp_path / name / name / "__init__.py").write_text("")
        (tmp_path / name / name / "legacy.py").write_text(py2.replace("{base}", name))
        (tmp_path / name / name / "other.py").write_text(
            f"import os\n\n\nVALUE = os.sep\n\n\n{py2.split(chr(10) * 3)[1]}\n"
        )

    found = scan_projects([tmp_path / "alpha", tmp_path / "bravo"], ScanOptions())

    assert [(f.grain, [m.path for m in f.members]) for f in found.families] == [
        (Grain.MODULE, ["alpha/legacy.py", "bravo/legacy.py"]),
        (Grain.MODULE, ["alpha/other.py", "bravo/other.py"]),
        (Grain.SYMBOL,
         ["alpha/legacy.py", "alpha/other.py", "bravo/legacy.py", "bravo/other.py"]),
    ]  # fmt: skip


def test_parallel_scan_finds_what_a_serial_scan_finds(tmp_path: Path):
    for name in ("left", "right"):
        root = tmp_path / name / name
        root.mkdir(parents=True)
        (root / "__init__.py").write_text("")
        for i in range(40):
            text = helpers(name).replace("def chunks", f"def chunks_{i}")
            (root / f"module_{i}.py").write_text(text.replace("Helpers", f"Helpers {i}"))
    projects = [tmp_path / "left", tmp_path / "right"]

    serial = scan_projects(projects, ScanOptions(jobs=1))
    parallel = scan_projects(projects, ScanOptions(jobs=2))

    assert replace(parallel, options=serial.options) == serial
    assert len([f for f in serial.families if f.grain is Grain.MODULE]) == 1


def test_duplicate_project_names_are_told_apart(tmp_path: Path, fleet: Fleet):
    shutil.copytree(fleet.heat, tmp_path / "heat")

    found = scan_projects([fleet.heat, tmp_path / "heat"], ScanOptions())

    assert [p.name for p in found.projects] == ["heat", "heat-2"]
