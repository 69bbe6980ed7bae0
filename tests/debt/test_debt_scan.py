"""The debt scan over fixture projects: cross-project uses, versions from files and git
tags, overdue versus pending, versionutils copies, and files that do not parse."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from builders import make_project

from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.git import run_git
from oslo_incubator.model.debt import (
    Confidence,
    DebtItem,
    DebtReport,
    DeprecatedKind,
    RemovalStatus,
    SkippedFile,
    Use,
    UseKind,
)
from oslo_incubator.model.errors import NotAProjectError, OsloIncubatorError
from oslo_incubator.operations import debt as debt_operation
from oslo_incubator.operations.debt import discover_version, scan_debt
from oslo_incubator.workspace.cache import Cache

LIBA_API = """\
from debtcollector import removals
from debtcollector import renames


@removals.remove(message="use new_func() instead", version="1.5", removal_version="2.0")
def old_func():
    return 1


def new_func():
    return 2


@removals.removed_class("OldClass", replacement="NewClass", removal_version="3.0")
class OldClass(object):
    pass


@renames.renamed_kwarg("colour", "color", removal_version="2.0")
def paint(color=None, colour=None):
    return color or colour
"""

APPB_MAIN = """\
from liba import api as a
from liba.api import OldClass, paint


def run():
    a.old_func()
    thing = OldClass()
    paint(colour="red")
    paint(color="blue")
    return thing
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def liba(tmp_path: Path, version: str = "2.0.0") -> Path:
    return write(
        tmp_path / "liba",
        {
            "setup.cfg": f"[metadata]\nname = liba\nversion = {version}\n",
            "liba/__init__.py": "",
            "liba/api.py": LIBA_API,
        },
    )


def appb(tmp_path: Path) -> Path:
    return write(
        tmp_path / "appb",
        {
            "pyproject.toml": '[project]\nname = "appb"\nversion = "0.3"\n',
            "appb/__init__.py": "",
            "appb/main.py": APPB_MAIN,
        },
    )


def by_name(report: DebtReport) -> dict[str, DebtItem]:
    return {item.deprecation.name: item for item in report.items}


def test_project_b_calling_project_a_deprecations_is_found_across_projects(tmp_path: Path) -> None:
    report = scan_debt([liba(tmp_path), appb(tmp_path)])
    items = by_name(report)
    assert list(items) == ["liba.api.old_func", "liba.api.OldClass", "liba.api.paint(colour=)"]
    old_func, old_class, kwarg = items.values()
    assert (old_func.project, old_func.path, old_func.deprecation.line) == (
        "liba",
        "liba/api.py",
        5,
    )
    assert old_func.deprecation.replacement == "new_func()"
    assert old_func.uses == (Use("appb", "appb/main.py", 6, UseKind.CALL, "appb.main.run"),)
    assert old_class.deprecation.replacement == "NewClass"
    assert old_class.uses == (
        Use("appb", "appb/main.py", 2, UseKind.IMPORT, "appb.main"),
        Use("appb", "appb/main.py", 7, UseKind.INSTANTIATION, "appb.main.run"),
    )
    assert kwarg.deprecation.kind is DeprecatedKind.KWARG
    assert kwarg.uses == (Use("appb", "appb/main.py", 8, UseKind.CALL, "appb.main.run"),)
    assert [i.possible_uses for i in items.values()] == [(), (), ()]


def test_removal_is_overdue_once_setup_cfg_version_reaches_it(tmp_path: Path) -> None:
    report = scan_debt([liba(tmp_path, "2.0.0"), appb(tmp_path)])
    assert [(i.deprecation.name, i.removal.status, i.removal.reason) for i in report.items] == [
        ("liba.api.old_func", RemovalStatus.OVERDUE, "2.0.0 has reached 2.0"),
        ("liba.api.OldClass", RemovalStatus.PENDING, "2.0.0 is before 3.0"),
        ("liba.api.paint(colour=)", RemovalStatus.OVERDUE, "2.0.0 has reached 2.0"),
    ]
    assert [i.deprecation.name for i in report.overdue] == [
        "liba.api.old_func", "liba.api.paint(colour=)",
    ]  # fmt: skip
    assert report.projects[0].version == "2.0.0" and report.projects[0].source == "setup.cfg"
    assert (report.projects[1].version, report.projects[1].source) == ("0.3", "pyproject.toml")


def test_nothing_is_overdue_before_the_removal_version(tmp_path: Path) -> None:
    report = scan_debt([liba(tmp_path, "1.9.4")])
    assert {i.removal.status for i in report.items} == {RemovalStatus.PENDING}
    assert report.overdue == ()


@pytest.mark.parametrize(
    ("tag", "status"),
    [("v3.0.1", RemovalStatus.OVERDUE), ("2.9.0", RemovalStatus.PENDING)],
)
def test_git_tag_gives_the_version_when_no_file_declares_one(
    tmp_path: Path, tag: str, status: RemovalStatus
) -> None:
    repo = RepoBuilder(tmp_path / "liba")
    repo.commit("Add the API", {"liba/__init__.py": "", "liba/api.py": LIBA_API})
    run_git(repo.path, "tag", tag)
    repo.commit("Later work", {"README": "more\n"})
    report = scan_debt([repo.path])
    assert report.projects[0].version == tag.lstrip("v")
    assert report.projects[0].source == "git tag"
    assert by_name(report)["liba.api.OldClass"].removal.status is status


def test_version_files_win_over_git_tags_in_documented_order(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "p")
    repo.commit("First", {"p/__init__.py": "", "PKG-INFO": "Name: p\nVersion: 4.0\n"})
    run_git(repo.path, "tag", "1.0")
    assert discover_version(repo.path) == ("4.0", "PKG-INFO")
    repo.write({"pyproject.toml": '[project]\nname = "p"\nversion = "5.0"\n'})
    assert discover_version(repo.path) == ("5.0", "pyproject.toml")
    repo.write({"setup.cfg": "[metadata]\nname = p\nversion = 6.0\n"})
    assert discover_version(repo.path) == ("6.0", "setup.cfg")
    repo.write({"setup.cfg": "[metadata]\nname = p\n", "pyproject.toml": None, "PKG-INFO": None})
    assert discover_version(repo.path) == ("1.0", "git tag")


def test_project_without_version_or_tag_has_unknown_removals(tmp_path: Path) -> None:
    root = write(tmp_path / "liba", {"liba/__init__.py": "", "liba/api.py": LIBA_API})
    report = scan_debt([root])
    assert report.projects[0].version is None
    assert {(i.removal.status, i.removal.reason) for i in report.items} == {
        (RemovalStatus.UNKNOWN, "the project's version is unknown")
    }


VERSIONUTILS_USER = """\
from oslo_log import versionutils

from nova.openstack.common import versionutils as vu


@vu.deprecated(as_of=vu.deprecated.JUNO, in_favor_of='nova.new.thing()', remove_in=+1)
def juno_plus_one():
    pass


@versionutils.deprecated(as_of=versionutils.deprecated.JUNO)
class JunoPlusTwo(object):
    pass


@versionutils.deprecated(as_of=versionutils.deprecated.ICEHOUSE, remove_in=0)
def never_removed():
    pass
"""


def test_versionutils_copy_in_a_project_measures_remove_in_in_releases(tmp_path: Path) -> None:
    nova = make_project(
        tmp_path / "nova",
        "nova",
        {"versionutils.py": "class deprecated(object):\n    JUNO = 'J'\n"},
        extra={
            "setup.cfg": "[metadata]\nname = nova\nversion = 2015.1\n",
            "nova/legacy.py": VERSIONUTILS_USER,
            "nova/api.py": "from nova import legacy\nlegacy.juno_plus_one()\nlegacy.JunoPlusTwo()\n",
        },
    )
    report = scan_debt([nova.path])
    assert report.projects[0].release == "Kilo"
    assert [
        (i.deprecation.name, i.deprecation.version, i.deprecation.removal_version,
         i.removal.status, i.removal.reason, [(u.path, u.line, u.kind) for u in i.uses])
        for i in report.items
    ] == [
        ("nova.legacy.juno_plus_one", "Juno", "Kilo", RemovalStatus.OVERDUE,
         "Kilo has reached Kilo", [("nova/api.py", 2, UseKind.CALL)]),
        ("nova.legacy.JunoPlusTwo", "Juno", "Liberty", RemovalStatus.PENDING,
         "Kilo is before Liberty", [("nova/api.py", 3, UseKind.INSTANTIATION)]),
        ("nova.legacy.never_removed", "Icehouse", None, RemovalStatus.UNSCHEDULED,
         "no removal version given", []),
    ]  # fmt: skip
    assert report.items[0].deprecation.replacement == "nova.new.thing()"


def test_release_named_removal_with_a_semantic_version_needs_the_release_option(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path / "svc",
        {
            "setup.cfg": "[metadata]\nname = svc\nversion = 13.0.0\n",
            "svc/__init__.py": "",
            "svc/x.py": "from debtcollector import removals\n"
            "@removals.remove(removal_version='Mitaka')\ndef f(): pass\n",
        },
    )
    unknown = scan_debt([root]).items[0].removal
    assert unknown.status is RemovalStatus.UNKNOWN
    assert unknown.reason.endswith("no release series is known for it (pass --release)")
    given = scan_debt([root], release="mitaka")
    assert given.release == "Mitaka"
    assert given.items[0].removal.status is RemovalStatus.OVERDUE
    assert scan_debt([root], release="L").items[0].removal.status is RemovalStatus.PENDING


def test_python2_files_are_read_as_python3_keeping_their_lines(tmp_path: Path) -> None:
    root = liba(tmp_path)
    py2 = (
        "from liba import api\n\ndef f():\n    print 'x'\n    try:\n        api.old_func()\n"
        "    except ValueError, e:\n        raise KeyError, 'gone'\n"
    )
    write(root, {"liba/py2.py": py2})
    report = scan_debt([root])
    assert report.skipped == ()
    assert Use("liba", "liba/py2.py", 6, UseKind.CALL, "liba.py2.f") in (
        by_name(report)["liba.api.old_func"].uses
    )


def test_files_that_do_not_parse_are_skipped_with_reason_and_their_mentions_are_possible(
    tmp_path: Path,
) -> None:
    root = liba(tmp_path)
    write(
        root,
        {
            "liba/broken.py": "from liba import api\n\ndef f(:\n    api.old_func()\n",
            "liba/nulls.py": "x = 1\0\n",
        },
    )
    report = scan_debt([root])
    assert report.files_scanned == 4
    assert report.skipped == (
        SkippedFile("liba", "liba/broken.py", 3, "invalid syntax"),
        SkippedFile("liba", "liba/nulls.py", None, "source code string cannot contain null bytes"),
    )  # fmt: skip
    assert by_name(report)["liba.api.old_func"].possible_uses == (
        Use("liba", "liba/broken.py", 4, UseKind.TEXT, "liba.broken", Confidence.POSSIBLE,
            "the file does not parse"),
    )  # fmt: skip


def test_unresolved_method_calls_are_possible_uses_kept_apart(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            "p/__init__.py": "",
            "p/store.py": """\
                from debtcollector import moves

                class Store(object):
                    def fetch(self):
                        pass

                    @moves.moved_method('fetch', removal_version='9.0')
                    def get_data(self):
                        return self.fetch()
                """,
            "p/user.py": """\
                from p.store import Store

                def use(store, factory):
                    Store().get_data()
                    store.get_data()
                    factory().get_data()
                """,
        },
    )
    item = scan_debt([root]).items[0]
    assert item.deprecation.name == "p.store.Store.get_data"
    assert item.deprecation.replacement == "p.store.Store.fetch"
    assert [(u.line, u.confidence) for u in item.uses] == [(4, Confidence.CERTAIN)]
    assert [(u.line, u.confidence) for u in item.possible_uses] == [
        (5, Confidence.POSSIBLE),
        (6, Confidence.POSSIBLE),
    ]


def test_hidden_and_build_directories_are_not_scanned(tmp_path: Path) -> None:
    root = liba(tmp_path)
    write(root, {".tox/py/lib/x.py": "import liba.api\n", "build/lib/liba/api.py": LIBA_API})
    report = scan_debt([root])
    assert report.files_scanned == 2
    assert len(report.items) == 3


def test_a_file_given_as_project_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "setup.py"
    path.write_text("x = 1\n")
    with pytest.raises(NotAProjectError, match="it is a file"):
        scan_debt([path])


def test_a_directory_without_python_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    with pytest.raises(NotAProjectError, match="has no Python files"):
        scan_debt([tmp_path / "docs"])


def test_an_unknown_release_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(OsloIncubatorError, match="'Zebra' is not a release"):
        scan_debt([liba(tmp_path)], release="Zebra")


def test_many_deprecations_are_matched_as_surely_as_a_few(tmp_path: Path) -> None:
    names = [f"old_{n}" for n in range(40)]
    api = "from debtcollector import removals\n" + "".join(
        f"\n@removals.remove\ndef {name}():\n    pass\n" for name in names
    )
    root = write(
        tmp_path / "big",
        {
            "big/__init__.py": "",
            "big/api.py": api,
            "big/user.py": "from big import api\napi.old_39()\napi.old_0()\n",
            "big/quiet.py": "x = 1\n",
        },
    )
    report = scan_debt([root])
    assert len(report.items) == 40
    used = {i.deprecation.name: [u.line for u in i.uses] for i in report.items if i.uses}
    assert used == {"big.api.old_0": [3], "big.api.old_39": [2]}


def test_a_removed_module_is_used_by_every_import_of_it_but_not_by_itself(tmp_path: Path) -> None:
    root = write(
        tmp_path / "pkg",
        {
            "pkg/__init__.py": "",
            "pkg/old.py": """\
                import debtcollector.removals

                debtcollector.removals.removed_module(__name__, replacement='pkg.new',
                                                      removal_version='2.0')

                def helper():
                    return helper
                """,
            "pkg/new.py": "def helper():\n    return 1\n",
            "pkg/user.py": """\
                import pkg.old
                from pkg import old
                from pkg.old import helper as h
                import pkg.new

                pkg.old.helper()
                """,
        },
    )
    [item] = scan_debt([root]).items
    assert (item.deprecation.name, item.deprecation.kind) == ("pkg.old", DeprecatedKind.MODULE)
    assert item.deprecation.replacement == "pkg.new"
    assert [(u.path, u.line, u.kind) for u in item.uses] == [
        ("pkg/user.py", 1, UseKind.IMPORT),
        ("pkg/user.py", 2, UseKind.IMPORT),
        ("pkg/user.py", 3, UseKind.IMPORT),
        ("pkg/user.py", 6, UseKind.CALL),
    ]


def test_moved_shims_are_used_through_their_old_names_across_projects(tmp_path: Path) -> None:
    lib = write(
        tmp_path / "lib",
        {
            "lib/__init__.py": "",
            "lib/shim.py": """\
                from oslo_incubator.deprecation import moves

                from lib import core

                get_thing = moves.moved_function(core.fetch_thing, 'get_thing', __name__)
                Thing = moves.moved_class(core.Item, 'Thing', __name__, removal_version='1.0')
                """,
            "lib/core.py": "def fetch_thing(): pass\nclass Item(object): pass\n",
        },
    )
    app = write(
        tmp_path / "app",
        {
            "app/__init__.py": "",
            "app/run.py": "from lib import shim\nshim.get_thing()\nshim.Thing()\n",
        },
    )
    report = scan_debt([lib, app])
    assert [
        (
            i.deprecation.name,
            i.deprecation.replacement,
            [(u.project, u.line, u.kind) for u in i.uses],
        )
        for i in report.items
    ] == [
        ("lib.shim.get_thing", "lib.core.fetch_thing", [("app", 2, UseKind.CALL)]),
        ("lib.shim.Thing", "lib.core.Item", [("app", 3, UseKind.INSTANTIATION)]),
    ]


def test_a_second_scan_of_unchanged_trees_only_reads_and_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path / "cache")
    roots = [liba(tmp_path), appb(tmp_path)]
    first = scan_debt(roots, cache=cache)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm scan parsed a file")

    monkeypatch.setattr(debt_operation.ast, "parse", no_parsing)
    monkeypatch.setattr(debt_operation, "decode", no_parsing)
    assert scan_debt(roots, cache=cache) == first


def test_a_changed_file_is_described_again_and_the_others_come_from_the_cache(
    tmp_path: Path,
) -> None:
    cache = Cache(tmp_path / "cache")
    roots = [liba(tmp_path), appb(tmp_path)]
    scan_debt(roots, cache=cache)
    write(roots[1], {"appb/main.py": "from liba import api\n\napi.old_func()\napi.old_func()\n"})
    warm = scan_debt(roots, cache=cache)
    assert warm == scan_debt(roots)
    assert [u.line for u in by_name(warm)["liba.api.old_func"].uses] == [3, 4]
