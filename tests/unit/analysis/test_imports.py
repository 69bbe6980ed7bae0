"""analysis/imports.py: import sites of Python 3 and Python 2 text, relative imports,
weak (string) imports, and the small name helpers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oslo_incubator.analysis.imports import (
    ImportKind,
    ImportSite,
    dotted_module_of,
    expand_from_import,
    find_imports,
    innermost_module,
    resolve_relative,
)

STRONG, LAZY, WEAK = ImportKind.STRONG, ImportKind.LAZY, ImportKind.WEAK


def test_empty_source_has_no_imports() -> None:
    assert find_imports("", "pkg.mod") == []


def test_plain_and_aliased_imports_are_strong_with_aliases() -> None:
    source = "import os\nimport os.path as osp, sys\n"
    assert find_imports(source, "pkg.mod") == [
        ImportSite("os", 1, STRONG),
        ImportSite("os.path", 2, STRONG, (), "osp"),
        ImportSite("sys", 2, STRONG),
    ]


def test_from_import_names_carry_their_local_aliases() -> None:
    source = "from a.b import c, d as e\n"
    assert find_imports(source, "pkg.mod") == [
        ImportSite("a.b", 1, STRONG, (("c", "c"), ("d", "e")))
    ]


def test_imports_in_functions_methods_and_lambdas_are_lazy() -> None:
    source = (
        "import top\n"
        "def f():\n"
        "    import inner\n"
        "class K:\n"
        "    import in_class\n"
        "    async def m(self):\n"
        "        from x import y\n"
        "g = lambda: __import__('z')\n"
        "import after\n"
    )
    assert [(s.module, s.line, s.kind) for s in find_imports(source, "pkg.mod")] == [
        ("top", 1, STRONG),
        ("inner", 3, LAZY),
        ("in_class", 5, STRONG),  # a class body runs at import time
        ("x", 7, LAZY),
        ("after", 9, STRONG),
    ]


def test_sites_come_in_line_order_even_when_nested_first() -> None:
    source = "def f():\n    import b\nimport a\n"
    assert [s.module for s in find_imports(source, "m")] == ["b", "a"]


def test_relative_imports_resolve_against_the_module_package() -> None:
    source = "from . import sibling\nfrom .. import up\nfrom .sub import thing\n"
    sites = find_imports(source, "nova.openstack.common.log")
    assert [(s.module, s.names) for s in sites] == [
        ("nova.openstack.common", (("sibling", "sibling"),)),
        ("nova.openstack", (("up", "up"),)),
        ("nova.openstack.common.sub", (("thing", "thing"),)),
    ]


def test_relative_imports_of_a_package_init_resolve_against_the_package_itself() -> None:
    sites = find_imports("from . import log\n", "nova.openstack.common", is_package=True)
    assert sites == [ImportSite("nova.openstack.common", 1, STRONG, (("log", "log"),))]


def test_string_prefixes_make_weak_imports_of_matching_literals_only() -> None:
    source = (
        "import mock\n"
        "@mock.patch('nova.openstack.common.log.getLogger')\n"
        "def test():\n"
        "    x = 'nova.openstack.commonplace'\n"  # a prefix of the word, not of the module
        "    y = 'not a module nova.openstack.common'\n"
        '    z = "nova.openstack.common"\n'
    )
    sites = find_imports(source, "nova.tests.t", string_prefixes=["nova.openstack.common"])
    assert sites == [
        ImportSite("mock", 1, STRONG),
        ImportSite("nova.openstack.common.log.getLogger", 2, WEAK),
        ImportSite("nova.openstack.common", 6, WEAK),
    ]


def test_strings_are_not_imports_without_prefixes() -> None:
    assert find_imports("x = 'nova.openstack.common.log'\n", "m") == []


def test_python2_text_is_scanned_with_regexes() -> None:
    source = (
        "import os, sys as system\n"
        "from nova.openstack.common import log as logging, jsonutils\n"
        "print 'hello'\n"
        "def f():\n"
        "    from . import lazy_one\n"
        "    except_ = 1\n"
    )
    assert find_imports(source, "nova.utils") == [
        ImportSite("os", 1, STRONG),
        ImportSite("sys", 1, STRONG, (), "system"),
        ImportSite(
            "nova.openstack.common", 2, STRONG, (("log", "logging"), ("jsonutils", "jsonutils"))
        ),
        ImportSite("nova", 5, LAZY, (("lazy_one", "lazy_one"),)),
    ]


def test_python2_parenthesised_from_import_and_weak_strings() -> None:
    source = (
        "from nova.openstack.common import (log,\n"
        "    timeutils)\n"
        "exec 'x'\n"
        "CONF = 'nova.openstack.common.rpc.impl_kombu'\n"
    )
    sites = find_imports(source, "nova.a", string_prefixes=("nova.openstack.common",))
    assert sites[0].module == "nova.openstack.common"
    assert sites[0].line == 1
    assert ("log", "log") in sites[0].names
    assert sites[-1] == ImportSite("nova.openstack.common.rpc.impl_kombu", 4, WEAK)


def test_null_bytes_fall_back_to_the_text_scan() -> None:
    assert find_imports("import os\n\x00\n", "m") == [ImportSite("os", 1, STRONG)]


def test_unicode_text_and_identifiers_parse() -> None:
    source = "# -*- coding: utf-8 -*-\nimport os\nnamé = 'héllo ☃'\nfrom café import thé\n"
    assert find_imports(source, "m") == [
        ImportSite("os", 2, STRONG),
        ImportSite("café", 4, STRONG, (("thé", "thé"),)),
    ]


def test_text_nested_too_deeply_falls_back_to_the_text_scan() -> None:
    source = "import os\nx = 1" + " + 1" * 100_000 + "\n"
    assert find_imports(source, "m") == [ImportSite("os", 1, STRONG)]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("import from as . ( ) , \\ \n\t'\"abcé_#:0")))
def test_find_imports_never_crashes_on_import_like_text(source: str) -> None:
    sites = find_imports(source, "pkg.mod", string_prefixes=("pkg",))
    assert all(isinstance(s, ImportSite) for s in sites)
    assert [s.line for s in sites] == sorted(s.line for s in sites)
    assert all(1 <= s.line <= source.count("\n") + 1 for s in sites)


@pytest.mark.parametrize(
    ("level", "target", "package", "expected"),
    [
        (0, "os.path", "a.b", "os.path"),
        (0, None, "a.b", ""),
        (1, None, "a.b", "a.b"),
        (1, "c", "a.b", "a.b.c"),
        (2, "c", "a.b", "a.c"),
        (3, None, "a.b", ""),
        (4, "c", "a.b", "c"),  # beyond the top: the target alone
        (1, "c", "", "c"),
    ],
)
def test_resolve_relative(level: int, target: str | None, package: str, expected: str) -> None:
    assert resolve_relative(level, target, package) == expected


def test_expand_from_import_lists_the_module_and_each_name() -> None:
    site = ImportSite("openstack.common", 1, STRONG, (("log", "logging"), ("gettextutils", "g")))
    assert expand_from_import(site) == [
        "openstack.common",
        "openstack.common.log",
        "openstack.common.gettextutils",
    ]
    assert expand_from_import(ImportSite("os", 1, STRONG)) == ["os"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/b/__init__.py", ("a.b", True)),
        ("a/b/c.py", ("a.b.c", False)),
        ("mod.py", ("mod", False)),
        ("__init__.py", ("", True)),
    ],
)
def test_dotted_module_of(path: str, expected: tuple[str, bool]) -> None:
    assert dotted_module_of(path) == expected


def test_innermost_module_is_the_longest_known_prefix() -> None:
    known = {"a", "a.b", "a.b.c.d"}
    assert innermost_module("a.b.c", known) == "a.b"
    assert innermost_module("a.b.c.d.e", known) == "a.b.c.d"
    assert innermost_module("a", known) == "a"
    assert innermost_module("ab.c", known) is None
    assert innermost_module("x", set()) is None
