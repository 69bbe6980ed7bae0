"""The texts of a graduation: packaging files, shims, and the records and edits."""

from __future__ import annotations

import ast
import configparser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis.packaging import (
    LibraryMetadata,
    add_requirement,
    incubator_metadata,
    leading_comments,
    library_files,
    package_name,
    public_names,
    requirements_text,
    shim_text,
)
from oslo_incubator.analysis.records import (
    OBSOLETE_HEADER,
    parse_maintainers,
    parse_obsolete_list,
    record_in_maintainers,
    record_in_obsolete_list,
    record_of,
)
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.workspace.config import remove_conf_modules

META = LibraryMetadata(
    name="oslo.serialization",
    package="oslo_serialization",
    summary="JSON helpers",
    author="OpenStack",
    author_email="openstack-dev@lists.openstack.org",
    home_page="http://www.openstack.org/",
    classifiers=("Environment :: OpenStack",),
    modules=("jsonutils", "timeutils"),
    requirements=("six>=1.6.0", "iso8601>=0.1.9", "Babel>=1.3", "anyjson>=0.3.3"),
    test_requirements=("mock>=1.0",),
    source="the incubator at commit c8b3dc04de9e",
    license="Apache-2.0",
)


def test_package_name_of_a_dotted_library() -> None:
    assert package_name("oslo.serialization") == "oslo_serialization"
    assert package_name("oslo-foo.bar") == "oslo_foo_bar"


def test_setup_cfg_names_the_library_its_metadata_and_its_one_package() -> None:
    parser = configparser.ConfigParser()
    parser.read_string(library_files(META)["setup.cfg"])
    assert parser["metadata"]["name"] == "oslo.serialization"
    assert parser["metadata"]["summary"] == "JSON helpers"
    assert parser["metadata"]["author"] == "OpenStack"
    assert parser["metadata"]["author_email"] == "openstack-dev@lists.openstack.org"
    assert parser["metadata"]["license"] == "Apache-2.0"
    assert parser["metadata"]["classifier"].split("\n")[1:] == [
        "Environment :: OpenStack",
        "Intended Audience :: Developers",
        "Programming Language :: Python",
        "Programming Language :: Python :: 3",
    ]
    assert parser["files"]["packages"].strip() == "oslo_serialization"


def test_setup_py_hands_over_to_pbr() -> None:
    text = library_files(META)["setup.py"]
    assert "pbr=True" in text
    ast.parse(text)


def test_requirements_put_pbr_first_and_sort_the_rest() -> None:
    assert library_files(META)["requirements.txt"].splitlines()[2:] == [
        "pbr",
        "anyjson>=0.3.3",
        "Babel>=1.3",
        "iso8601>=0.1.9",
        "six>=1.6.0",
    ]
    assert requirements_text(["pbr>=2.0", "six"]).splitlines()[2:] == ["pbr>=2.0", "six"]


def test_test_requirements_list_what_the_tests_import() -> None:
    assert library_files(META)["test-requirements.txt"].splitlines()[1:] == ["mock>=1.0"]


def test_every_packaging_file_is_there() -> None:
    assert sorted(library_files(META)) == [
        ".gitignore",
        "README.rst",
        "doc/source/conf.py",
        "doc/source/index.rst",
        "requirements.txt",
        "setup.cfg",
        "setup.py",
        "test-requirements.txt",
        "tox.ini",
    ]
    files = library_files(META)
    ast.parse(files["doc/source/conf.py"])
    assert "AUTHORS" in files[".gitignore"] and "ChangeLog" in files[".gitignore"]
    tox = configparser.ConfigParser(interpolation=None)
    tox.read_string(files["tox.ini"])
    assert tox["testenv"]["commands"].startswith(
        "python -m unittest discover -s oslo_serialization/tests"
    )
    assert "from oslo_serialization import jsonutils" in files["README.rst"]
    assert "- ``oslo_serialization.timeutils``" in files["doc/source/index.rst"]


def test_incubator_metadata_takes_author_and_some_classifier_families() -> None:
    found = incubator_metadata(
        "[metadata]\nname = openstack.common\nauthor = OpenStack\n"
        "author-email = dev@example.org\nhome-page = http://example.org/\n"
        "classifier =\n    Environment :: OpenStack\n"
        "    Programming Language :: Python :: 2.6\n"
        "    License :: OSI Approved :: Apache Software License\n"
    )
    assert found == {
        "author": "OpenStack",
        "author_email": "dev@example.org",
        "home_page": "http://example.org/",
        "classifiers": ("Environment :: OpenStack",),
        "license": "Apache-2.0",
        "python_requires": ">=2.6",
    }
    assert incubator_metadata(None) == {}
    assert incubator_metadata("not [ a config") == {}


def test_incubator_requires_python_is_its_own_else_its_oldest_python_classifier() -> None:
    classifiers = (
        "classifier =\n    Programming Language :: Python :: 3 :: Only\n"
        "    Programming Language :: Python :: 3.10\n    Programming Language :: Python :: 3.9\n"
    )
    assert incubator_metadata(f"[metadata]\n{classifiers}")["python_requires"] == ">=3.9"
    said = incubator_metadata(f"[metadata]\npython-requires = >=3.11\n{classifiers}")
    assert said["python_requires"] == ">=3.11"
    assert "python_requires" not in incubator_metadata(
        "[metadata]\nclassifier =\n    Programming Language :: Python :: 3\n"
    )


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("def a(): pass\nclass B: pass\nC = 1\n_d = 2\n", ("a", "B", "C")),
        ("__all__ = ['x', 'y']\nx = y = z = 1\n", ("x", "y")),
        ("__all__ = names()\nx = 1\n", ("x",)),
        ("try:\n    import json\nexcept ImportError:\n    json = None\n", ("json",)),
        ("if True:\n    def f(): pass\nelse:\n    g = 1\n", ("f", "g")),
        ("a, (b, _c) = 1, (2, 3)\nimport os\nfrom x import y\n", ("a", "b")),
        ("print 'py2'\ndef old(): pass\nVALUE = 1\n_hidden = 2\n", ("old", "VALUE")),
        ("def f():\n    inner = 1\n", ("f",)),
    ],
)
def test_public_names_are_found_statically(text: str, names: tuple[str, ...]) -> None:
    assert public_names(text) == names


def test_shim_reexports_names_explicitly_and_warns() -> None:
    text = shim_text(
        "oslo_serialization.jsonutils",
        "oslo.serialization",
        ("dumps", "loads"),
        header="# Copyright 2011 OpenStack Foundation.",
        version="2014.2",
    )
    assert text.startswith("# Copyright 2011 OpenStack Foundation.\n\n")
    assert (
        "from oslo_serialization.jsonutils import (  # noqa: F401\n    dumps,\n    loads,\n)"
        in text
    )
    assert "__all__ = [\n    'dumps',\n    'loads',\n]" in text
    assert (
        "removals.removed_module(\n    __name__,\n    replacement='oslo_serialization.jsonutils',\n"
        "    version='2014.2',\n    removal_version='?',\n    stacklevel=4,\n)"
    ) in text
    assert "from oslo_incubator.deprecation import removals" in text
    ast.parse(text)


def test_a_shim_of_a_module_without_public_names_imports_the_module() -> None:
    text = shim_text("oslo_reports.report", "oslo.reports", ())
    assert "import oslo_reports.report  # noqa: F401" in text
    assert "__all__" not in text
    ast.parse(text)


def test_leading_comments_are_the_licence_block() -> None:
    assert leading_comments('# a\n#\n# b\n\n"""Doc."""\n# c\n') == "# a\n#\n# b\n"
    assert leading_comments('"""Doc."""\n# c\n') == ""


MAINTAINERS = """\
= List of API Maintainers =

 S: Status, one of the following:

== db ==

M: Someone <a@example.org>
S: Graduating
F: db/

== jsonutils ==

M:
S: Orphan
F: jsonutils.py

== log ==

M:
F: log.py

= Other section =
"""

FILES = ["db/__init__.py", "db/api.py", "db/sqlalchemy/session.py", "jsonutils.py", "log.py",
         "timeutils.py"]  # fmt: skip


def test_maintainers_entry_of_a_graduated_module_gets_the_graduated_status() -> None:
    text = record_in_maintainers(MAINTAINERS, {"jsonutils": ["jsonutils.py"]}, FILES, "oslo.foo")
    assert "== jsonutils ==\n\nM:\nS: Graduated (oslo.foo)\nF: jsonutils.py\n" in text
    assert text.count("Graduated") == 1
    assert text.replace("S: Graduated (oslo.foo)", "S: Orphan") == MAINTAINERS


def test_an_entry_without_status_gets_one_before_its_files() -> None:
    text = record_in_maintainers(MAINTAINERS, {"log": ["log.py"]}, FILES, "oslo.log")
    assert "== log ==\n\nM:\nS: Graduated (oslo.log)\nF: log.py\n\n= Other section =" in text


def test_a_module_an_entry_shares_with_others_gets_its_own_entry_in_order() -> None:
    graduated = {"db": ["db/__init__.py", "db/api.py"], "timeutils": ["timeutils.py"]}
    text = record_in_maintainers(MAINTAINERS, graduated, FILES, "oslo.db")
    # db/ also covers db/sqlalchemy/, which stays: the old entry keeps its status.
    assert "S: Graduating\nF: db/\n" in text
    assert (
        "== db ==\n\nM:\nS: Graduated (oslo.db)\nF: db/__init__.py\nF: db/api.py\n\n== jsonutils =="
        in text
    )
    assert text.endswith(
        "F: log.py\n\n== timeutils ==\n\nM:\nS: Graduated (oslo.db)\nF: timeutils.py\n\n"
        "= Other section =\n"
    )
    records = parse_maintainers(text, namespaces=["oslo"])
    assert record_of("openstack/common/db/api.py", records).library == "oslo.db"  # type: ignore[union-attr]
    session = record_of("openstack/common/db/sqlalchemy/session.py", records)
    assert session is not None and session.state is LifecycleState.GRADUATING
    assert record_of("openstack/common/timeutils.py", records).library == "oslo.db"  # type: ignore[union-attr]


def test_no_maintainers_file_gets_the_entries_alone() -> None:
    text = record_in_maintainers(None, {"log": ["log.py"]}, ["log.py"], "oslo.log")
    assert text == "== log ==\n\nM:\nS: Graduated (oslo.log)\nF: log.py\n"


def test_obsolete_list_gains_lines_and_keeps_its_header() -> None:
    created = record_in_obsolete_list(None, ["openstack/common/log.py"], "oslo.log")
    assert created == OBSOLETE_HEADER + "openstack/common/log.py oslo.log\n"
    again = record_in_obsolete_list(
        created, ["openstack/common/log.py", "openstack/common/x.py"], "oslo.log"
    )
    assert again == created + "openstack/common/x.py oslo.log\n"
    records = parse_obsolete_list(again)
    assert record_of("openstack/common/x.py", records).library == "oslo.log"  # type: ignore[union-attr]
    assert record_in_obsolete_list("# head", ["a.py"], "lib") == "# head\na.py lib\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Sorted: the new line goes after the last name before it, not between a
        # comment and the line it is about.
        ("# c\nalpha>=1\n# about zeta\nzeta\n", "# c\nalpha>=1\noslo.foo\n# about zeta\nzeta\n"),
        ("beta\nzeta\n", "beta\noslo.foo\nzeta\n"),
        ("zeta\n", "oslo.foo\nzeta\n"),
        ("alpha\n", "alpha\noslo.foo\n"),
        # Not sorted (pbr first, as OpenStack's were): appended.
        ("pbr>=0.6\nalpha\nzeta\n", "pbr>=0.6\nalpha\nzeta\noslo.foo\n"),
        # No final newline; CRLF line ends; continuation lines.
        ("alpha", "alpha\noslo.foo\n"),
        ("alpha\r\nzeta\r\n", "alpha\r\noslo.foo\r\nzeta\r\n"),
        ("alpha>=1,\\\n    <2\nzeta\n", "alpha>=1,\\\n    <2\noslo.foo\nzeta\n"),
        ("-e git+https://x#egg=a\nzeta\n", "-e git+https://x#egg=a\noslo.foo\nzeta\n"),
    ],
)
def test_requirement_is_added_keeping_the_format(before: str, after: str) -> None:
    assert add_requirement(before, "oslo.foo") == (after, True)


def test_a_requirement_already_there_is_not_added_again() -> None:
    assert add_requirement("Oslo_Foo>=1.0\n", "oslo.foo") == ("Oslo_Foo>=1.0\n", False)
    assert add_requirement(None, "oslo.foo>=1.0") == ("oslo.foo>=1.0\n", True)


@given(
    st.lists(
        st.sampled_from(["alpha", "beta", "gamma", "six", "zeta", "pbr", "# note", ""]),
        max_size=8,
    )
)
def test_adding_a_requirement_changes_nothing_but_one_line(lines: list[str]) -> None:
    before = "".join(f"{line}\n" for line in lines)
    after, changed = add_requirement(before, "oslo.foo")
    assert changed
    added = after.splitlines()
    added.remove("oslo.foo")
    assert added == before.splitlines()


CONF = """\
[DEFAULT]

# The list of modules to copy from oslo-incubator
module=jsonutils
module = log
module=db/sqlalchemy
modules=gettextutils, jsonutils, timeutils
modules=jsonutils

# The base module to hold the copy of openstack.common
base=nova
"""


def test_conf_loses_module_lines_and_list_items_and_keeps_comments() -> None:
    text, removed = remove_conf_modules(CONF, ["jsonutils", "db.sqlalchemy"])
    assert removed == ("jsonutils", "db.sqlalchemy")
    assert text == CONF.replace("module=jsonutils\n", "").replace(
        "module=db/sqlalchemy\n", ""
    ).replace("gettextutils, jsonutils, timeutils", "gettextutils, timeutils").replace(
        "modules=jsonutils\n", ""
    )


def test_conf_lists_continued_on_indented_lines() -> None:
    conf = "[DEFAULT]\nmodules=a,\n    jsonutils,\n    b\nbase=nova\n"
    assert remove_conf_modules(conf, ["jsonutils"]) == (
        "[DEFAULT]\nmodules=a,\n    b\nbase=nova\n",
        ("jsonutils",),
    )
    assert remove_conf_modules(conf, ["a", "jsonutils", "b"])[0] == "[DEFAULT]\nbase=nova\n"
    assert (
        remove_conf_modules(conf, ["a"])[0]
        == "[DEFAULT]\nmodules=\n    jsonutils,\n    b\nbase=nova\n"
    )


def test_conf_without_the_module_is_unchanged() -> None:
    assert remove_conf_modules(CONF, ["nothing"]) == (CONF, ())
    commented = "[DEFAULT]\n# module=jsonutils\n"
    assert remove_conf_modules(commented, ["jsonutils"]) == (commented, ())


def test_testr_environment_is_what_the_test_command_sets_before_the_command() -> None:
    from oslo_incubator.analysis.packaging import testr_environment

    conf = (
        "[DEFAULT]\n"
        "test_command=OS_STDOUT_CAPTURE=${OS_STDOUT_CAPTURE:-1} \\\n"
        "             OS_TEST_TIMEOUT=${OS_TEST_TIMEOUT:-60} \\\n"
        "             PLAIN=x \\\n"
        "             ${PYTHON:-python} -m subunit.run discover -t ./ $LISTOPT A=b\n"
        "test_id_option=--load-list $IDFILE\n"
    )
    assert testr_environment(conf) == {
        "OS_STDOUT_CAPTURE": "1",
        "OS_TEST_TIMEOUT": "60",
        "PLAIN": "x",
    }
    assert testr_environment("not ini") == {}
