"""workspace/copies.py: a project's copies on disk, the module and master file of each,
and the master files of a module."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.workspace.copies import (
    ROOT_INIT_MODULE,
    CopyLocation,
    ProjectCopies,
    locate_copies,
    module_files,
    module_of_path,
)

COPY_DIR = "nova/openstack/common"


def _project(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _config(*modules: str, scripts: tuple[str, ...] = (), base: str = "nova") -> ProjectConfig:
    return ProjectConfig(source=None, base=base, modules=modules, scripts=scripts)


def _where(copies: ProjectCopies) -> list[tuple[str, str, str, bool]]:
    return [(c.copy_path, c.module, c.master_path, c.declared) for c in copies.copies]


def test_no_copy_directory_means_every_module_is_missing(tmp_path: Path) -> None:
    found = locate_copies(tmp_path, _config("log", "jsonutils"))
    assert found == ProjectCopies(copies=(), missing=("log", "jsonutils"), skipped=())


def test_file_modules_and_the_root_init(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {f"{COPY_DIR}/__init__.py": "", f"{COPY_DIR}/log.py": "", f"{COPY_DIR}/extra.py": ""},
    )
    found = locate_copies(project, _config("log"))
    assert _where(found) == [
        (f"{COPY_DIR}/__init__.py", ROOT_INIT_MODULE, "openstack/common/__init__.py", True),
        (f"{COPY_DIR}/extra.py", "extra", "openstack/common/extra.py", False),
        (f"{COPY_DIR}/log.py", "log", "openstack/common/log.py", True),
    ]
    assert found.missing == ()
    assert found.undeclared == (f"{COPY_DIR}/extra.py",)


def test_package_modules_take_their_files_and_dotted_parents_take_init(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            f"{COPY_DIR}/db/__init__.py": "",
            f"{COPY_DIR}/db/sqlalchemy/__init__.py": "",
            f"{COPY_DIR}/db/sqlalchemy/session.py": "",
            f"{COPY_DIR}/rpc/__init__.py": "",
            f"{COPY_DIR}/rpc/impl_kombu.py": "",
        },
    )
    found = locate_copies(project, _config("db.sqlalchemy", "rpc"))
    modules = {
        c.copy_path.removeprefix(COPY_DIR + "/"): (c.module, c.declared) for c in found.copies
    }
    assert modules == {
        "db/__init__.py": ("db.sqlalchemy", True),  # the parent __init__.py of a dotted module
        "db/sqlalchemy/__init__.py": ("db.sqlalchemy", True),
        "db/sqlalchemy/session.py": ("db.sqlalchemy", True),
        "rpc/__init__.py": ("rpc", True),
        "rpc/impl_kombu.py": ("rpc", True),
    }


def test_a_file_declared_as_a_dotted_module(tmp_path: Path) -> None:
    project = _project(tmp_path, {f"{COPY_DIR}/report/views/json.py": ""})
    (copy,) = locate_copies(project, _config("report.views.json")).copies
    assert (copy.module, copy.declared) == ("report.views.json", True)


def test_undeclared_package_files_belong_to_their_package(tmp_path: Path) -> None:
    project = _project(
        tmp_path, {f"{COPY_DIR}/middleware/__init__.py": "", f"{COPY_DIR}/middleware/base.py": ""}
    )
    found = locate_copies(project, _config())
    assert [(c.module, c.declared) for c in found.copies] == [
        ("middleware", False),
        ("middleware", False),
    ]


def test_bytecode_hidden_files_and_cache_directories_are_not_copies(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            f"{COPY_DIR}/log.py": "",
            f"{COPY_DIR}/log.pyc": "",
            f"{COPY_DIR}/.log.py.swp": "",
            f"{COPY_DIR}/__pycache__/log.cpython-311.pyc": "",
            f"{COPY_DIR}/.tox/x.py": "",
            f"{COPY_DIR}/README.rst": "",
        },
    )
    paths = [c.copy_path for c in locate_copies(project, _config("log")).copies]
    assert paths == [f"{COPY_DIR}/README.rst", f"{COPY_DIR}/log.py"]


def test_companions_are_copies_only_where_master_has_them(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            f"{COPY_DIR}/install_venv_common.py": "",
            "tools/install_venv_common.py": "",
            "etc/nova/rootwrap.conf": "",
            "tools/unrelated.sh": "",
        },
    )
    companions = ["tools/install_venv_common.py", "etc/oslo/rootwrap.conf", "tools/other.py"]
    found = locate_copies(project, _config("install_venv_common", "rootwrap"), companions)
    assert (
        "tools/install_venv_common.py",
        "install_venv_common",
        "tools/install_venv_common.py",
        True,
    ) in _where(found)
    assert ("etc/nova/rootwrap.conf", "rootwrap", "etc/oslo/rootwrap.conf", True) in _where(found)
    assert "tools/unrelated.sh" not in [c.copy_path for c in found.copies]
    # rootwrap has a companion on disk, so it is not missing though it has no module file.
    assert found.missing == ()


def test_companion_globs_do_not_cross_directories(tmp_path: Path) -> None:
    project = _project(tmp_path, {"tools/log/deep/x.sh": "", "tools/log/run.sh": ""})
    found = locate_copies(project, _config("log"), ["tools/log/deep/x.sh", "tools/log/run.sh"])
    assert [c.copy_path for c in found.copies] == ["tools/log/run.sh"]


def test_scripts_are_their_own_modules_and_missing_when_absent(tmp_path: Path) -> None:
    project = _project(tmp_path, {"tools/colorizer.py": ""})
    found = locate_copies(project, _config(scripts=("tools/colorizer.py", "run_tests.sh")))
    assert _where(found) == [
        ("tools/colorizer.py", "tools/colorizer.py", "tools/colorizer.py", True)
    ]
    assert found.missing == ("run_tests.sh",)


def test_base_with_dots_and_another_package_root(tmp_path: Path) -> None:
    config = ProjectConfig(
        source=None, base="foo.bar", modules=("log",), package_root=PackageRoot("oslo/common")
    )
    project = _project(tmp_path, {"foo/bar/oslo/common/log.py": "ünïcode = 1\n"})
    assert _where(locate_copies(project, config)) == [
        ("foo/bar/oslo/common/log.py", "log", "oslo/common/log.py", True)
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_links_out_of_the_project_are_skipped_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("secret = 1\n")
    project = _project(tmp_path / "p", {f"{COPY_DIR}/log.py": ""})
    (project / COPY_DIR / "evil.py").symlink_to(outside)
    found = locate_copies(project, _config("log"))
    assert [c.copy_path for c in found.copies] == [f"{COPY_DIR}/log.py"]
    (skipped,) = found.skipped
    assert skipped.startswith(f"{COPY_DIR}/evil.py: ")


def test_copy_location_is_a_value() -> None:
    a = CopyLocation("log", "p", "m", True)
    assert a == CopyLocation("log", "p", "m", True)
    assert len({a, CopyLocation("log", "p", "m", True)}) == 1


ROOT = DEFAULT_PACKAGE_ROOT
MASTER = [
    f"{ROOT}/__init__.py",
    f"{ROOT}/log.py",
    f"{ROOT}/db/__init__.py",
    f"{ROOT}/db/api.py",
    f"{ROOT}/db/README",
    f"{ROOT}/db/sqlalchemy/__init__.py",
    f"{ROOT}/db/sqlalchemy/session.py",
]


def test_module_files_of_a_file_module() -> None:
    assert module_files("log", MASTER, ROOT) == [f"{ROOT}/log.py"]


def test_module_files_of_a_package_leave_out_subpackages_and_non_python() -> None:
    assert module_files("db", MASTER, ROOT) == [f"{ROOT}/db/__init__.py", f"{ROOT}/db/api.py"]
    assert module_files("db.sqlalchemy", MASTER, ROOT) == [
        f"{ROOT}/db/sqlalchemy/__init__.py",
        f"{ROOT}/db/sqlalchemy/session.py",
    ]


def test_module_files_of_an_unknown_module_is_empty() -> None:
    assert module_files("nothing", MASTER, ROOT) == []
    assert module_files("log", [], ROOT) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"{ROOT}/log.py", "log"),
        (f"{ROOT}/db/sqlalchemy/session.py", "db.sqlalchemy"),
        (f"{ROOT}/db/__init__.py", "db"),
        (f"{ROOT}/__init__.py", None),
        (f"{ROOT}/db/README", None),
        ("tools/install_venv_common.py", None),
        ("openstack/commonx/log.py", None),
    ],
)
def test_module_of_path(path: str, expected: str | None) -> None:
    assert module_of_path(path, ROOT) == expected
    assert module_of_path(path, PackageRoot.parse(f"{ROOT}/")) == expected


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_copy_directory_linked_out_of_the_project_is_not_listed(tmp_path: Path) -> None:
    outside = _project(tmp_path / "outside", {"log.py": ""})
    project = tmp_path / "p"
    (project / "nova/openstack").mkdir(parents=True)
    (project / COPY_DIR).symlink_to(outside, target_is_directory=True)
    found = locate_copies(project, _config("log"))
    assert found.copies == ()
    assert found.missing == ("log",)
    (skipped,) = found.skipped
    assert skipped.startswith(f"{COPY_DIR}: ")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_scripts_and_companions_linked_out_are_skipped(tmp_path: Path) -> None:
    outside = _project(tmp_path / "outside", {"x.py": "", "y.conf": ""})
    project = tmp_path / "p"
    (project / "tools").mkdir(parents=True)
    (project / "tools/colorizer.py").symlink_to(outside / "x.py")
    (project / "tools/install_venv_common.py").symlink_to(outside / "x.py")
    config = _config("install_venv_common", scripts=("tools/colorizer.py",))
    found = locate_copies(project, config, ["tools/install_venv_common.py"])
    assert found.copies == ()
    assert sorted(s.split(":")[0] for s in found.skipped) == [
        "tools/colorizer.py",
        "tools/install_venv_common.py",
    ]
    assert found.missing == ("install_venv_common", "tools/colorizer.py")
