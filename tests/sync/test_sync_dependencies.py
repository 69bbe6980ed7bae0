"""The dependency closure over master's imports, and update.py's companion files."""

from __future__ import annotations

from oslo_incubator.analysis.dependencies import (
    ModuleNeed,
    companion_files,
    dependency_closure,
    file_imports,
    master_modules,
)
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT

ROOT = DEFAULT_PACKAGE_ROOT
TEXTS = {
    "openstack/common/__init__.py": "",
    "openstack/common/log.py": (
        "from openstack.common.gettextutils import _\n"
        "from openstack.common import jsonutils\n"
        "import openstack.common.local\n"
    ),
    "openstack/common/gettextutils.py": "import gettext\n",
    "openstack/common/jsonutils.py": "from openstack.common import timeutils\n",
    "openstack/common/timeutils.py": "import datetime\n",
    "openstack/common/local.py": "def f():\n    from openstack.common import log\n",
    "openstack/common/unused.py": "importutils.import_module('openstack.common.local')\n",
    "openstack/common/db/__init__.py": "",
    "openstack/common/db/api.py": "from . import options\nfrom .sqlalchemy import utils\n",
    "openstack/common/db/options.py": "",
    "openstack/common/db/sqlalchemy/__init__.py": "",
    "openstack/common/db/sqlalchemy/utils.py": "from openstack.common.db.sqlalchemy import session\n",
    "openstack/common/db/sqlalchemy/session.py": "from openstack.common import py3kcompat\n",
}
KNOWN = master_modules(TEXTS, ROOT)


def files_of(module: str) -> list[str]:
    rel = module.replace(".", "/")
    if f"{ROOT}/{rel}.py" in TEXTS:
        return [f"{ROOT}/{rel}.py"]
    folder = f"{ROOT}/{rel}/"
    return sorted(p for p in TEXTS if p.startswith(folder) and "/" not in p[len(folder) :])


def test_master_modules_are_files_and_packages() -> None:
    assert {"log", "db", "db.api", "db.sqlalchemy", "db.sqlalchemy.session"} <= KNOWN
    assert "__init__" not in KNOWN and "db.__init__" not in KNOWN


def test_file_imports_resolve_absolute_from_and_relative_forms() -> None:
    assert file_imports(TEXTS["openstack/common/log.py"], "openstack/common/log.py", ROOT, KNOWN) == [
        "gettextutils", "jsonutils", "local",
    ]  # fmt: skip
    assert file_imports(TEXTS["openstack/common/db/api.py"], "openstack/common/db/api.py", ROOT,
                        KNOWN) == ["db.options", "db.sqlalchemy.utils"]  # fmt: skip


def test_strings_naming_modules_are_not_dependencies() -> None:
    text = TEXTS["openstack/common/unused.py"]
    assert file_imports(text, "openstack/common/unused.py", ROOT, KNOWN) == []


def test_closure_follows_imports_transitively_and_says_who_needs_what() -> None:
    assert dependency_closure(["log"], files_of, TEXTS, ROOT, KNOWN) == [
        ModuleNeed("log"),
        ModuleNeed("gettextutils", ("log",)),
        ModuleNeed("jsonutils", ("log",)),
        ModuleNeed("local", ("log",)),
        ModuleNeed("timeutils", ("jsonutils",)),
    ]


def test_closure_of_a_package_skips_modules_it_already_contains() -> None:
    needs = dependency_closure(["db"], files_of, TEXTS, ROOT, KNOWN)
    assert [n.module for n in needs] == ["db", "db.sqlalchemy.utils", "db.sqlalchemy.session"]


def test_closure_ignores_imports_of_modules_master_does_not_have() -> None:
    needs = dependency_closure(["db.sqlalchemy"], files_of, TEXTS, ROOT, KNOWN)
    assert needs == [ModuleNeed("db.sqlalchemy")]  # py3kcompat is gone from master


def test_companion_files_are_matched_as_update_py_globbed_them() -> None:
    paths = [
        "tools/config/generate_sample.sh",
        "tools/config/deep/nested.sh",
        "tools/install_venv_common.py",
        "tools/colorizer.py",
        "etc/oslo/rootwrap.conf",
        "etc/oslo/rootwrap.d/x.filters",
    ]
    assert companion_files("config", paths) == ["tools/config/generate_sample.sh"]
    assert companion_files("install_venv_common", paths) == ["tools/install_venv_common.py"]
    assert companion_files("rootwrap", paths) == ["etc/oslo/rootwrap.conf"]
