"""The module-move codemod, on before/after source strings."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis.moves import Reference, move_modules, move_modules_text, moved_name

MOVES = {
    "nova.openstack.common.jsonutils": "oslo_serialization.jsonutils",
    "nova.openstack.common.report": "oslo_reports",
}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "from nova.openstack.common import jsonutils\n",
            "from oslo_serialization import jsonutils\n",
        ),
        (
            "from nova.openstack.common import jsonutils as json\n",
            "from oslo_serialization import jsonutils as json\n",
        ),
        (
            "from nova.openstack.common.jsonutils import dumps, loads\n",
            "from oslo_serialization.jsonutils import dumps, loads\n",
        ),
        (
            "import nova.openstack.common.jsonutils as ju\n",
            "import oslo_serialization.jsonutils as ju\n",
        ),
        (
            "import nova.openstack.common.jsonutils\n\nx = nova.openstack.common.jsonutils.dumps(1)\n",
            "import oslo_serialization.jsonutils\n\nx = oslo_serialization.jsonutils.dumps(1)\n",
        ),
        (
            "from nova.openstack.common import jsonutils, log  # keep\n",
            "from nova.openstack.common import log  # keep\nfrom oslo_serialization import jsonutils\n",
        ),
        (
            "from nova.openstack.common.report.views import json\n",
            "from oslo_reports.views import json\n",
        ),
        ("from nova.openstack.common import report\n", "import oslo_reports as report\n"),
        (
            "@mock.patch('nova.openstack.common.jsonutils.dumps')\ndef f(): pass\n",
            "@mock.patch('oslo_serialization.jsonutils.dumps')\ndef f(): pass\n",
        ),
        ('d = "nova.openstack.common.report.guru:Guru"\n', 'd = "oslo_reports.guru:Guru"\n'),
        (
            "x = 'see nova.openstack.common.jsonutils for details'\n",
            "x = 'see nova.openstack.common.jsonutils for details'\n",
        ),
        (
            "from nova.openstack.common import jsonutilsx\n",
            "from nova.openstack.common import jsonutilsx\n",
        ),
        ("from nova.openstack.common import *\n", "from nova.openstack.common import *\n"),
    ],
)
def test_moves(before: str, after: str) -> None:
    assert move_modules(before, MOVES).text == after


def test_relative_imports_are_resolved_against_the_module() -> None:
    out = move_modules(
        "from . import jsonutils\nfrom .jsonutils import dumps\n",
        {"openstack.common.jsonutils": "oslo_serialization.jsonutils"},
        module="openstack.common.log",
    )
    assert (
        out.text
        == "from oslo_serialization import jsonutils\nfrom oslo_serialization.jsonutils import dumps\n"
    )
    assert out.moved == 2


def test_leftover_references_to_watched_modules_are_reported() -> None:
    src = "from openstack.common import jsonutils\nfrom openstack.common.gettextutils import _\nimport openstack.common.log\nx = 'openstack.common.lockutils'\n"
    out = move_modules(
        src,
        {"openstack.common.jsonutils": "oslo_serialization.jsonutils"},
        module="openstack.common.x",
        watch=["openstack.common"],
    )
    assert out.leftovers == (
        Reference("openstack.common.gettextutils", 2),
        Reference("openstack.common.log", 3),
        Reference("openstack.common.lockutils", 4),
    )


def test_longest_move_wins() -> None:
    moves = {"a.b": "x", "a.b.c": "y.z"}
    assert moved_name("a.b.c.d", moves) == "y.z.d"
    assert moved_name("a.b.e", moves) == "x.e"
    assert moved_name("a.bc", moves) is None


names = st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True).filter(
    lambda n: n not in {"jsonutils", "report"} and not keyword.iskeyword(n)
)


@given(st.lists(names, min_size=1, max_size=4, unique=True))
def test_code_without_moved_names_is_left_byte_for_byte(modules: list[str]) -> None:
    src = "".join(f"from nova.openstack.common import {m}  # c\n" for m in modules) + "x = 1\n"
    assert move_modules(src, MOVES).text == src


@given(st.lists(names, max_size=3, unique=True))
def test_moving_there_and_back_gives_the_original(extra: list[str]) -> None:
    src = "from nova.openstack.common import " + ", ".join(["jsonutils", *extra]) + "\n"
    there = move_modules(src, {"nova.openstack.common.jsonutils": "lib.jsonutils"}).text
    assert "from lib import jsonutils\n" in there
    assert all(e in there for e in extra)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "from nova.openstack.common import jsonutils\nprint 'x'\n",
            "from oslo_serialization import jsonutils\nprint 'x'\n",
        ),
        (
            "from nova.openstack.common import jsonutils as json, log  # keep\nprint 1\n",
            "from nova.openstack.common import log  # keep\n"
            "from oslo_serialization import jsonutils as json\nprint 1\n",
        ),
        (
            "    from nova.openstack.common.jsonutils import dumps\nprint 1\n",
            "    from oslo_serialization.jsonutils import dumps\nprint 1\n",
        ),
        (
            "import nova.openstack.common.jsonutils as ju\nprint 1\n",
            "import oslo_serialization.jsonutils as ju\nprint 1\n",
        ),
        (
            "@mock.patch('nova.openstack.common.jsonutils.dumps')\nprint 1\n",
            "@mock.patch('oslo_serialization.jsonutils.dumps')\nprint 1\n",
        ),
        (
            "from nova.openstack.common import report\nprint 1\n",
            "import oslo_reports as report\nprint 1\n",
        ),
        (
            "from nova.openstack.common import (log,\n    jsonutils)\nprint 1\n",
            "from nova.openstack.common import log\nfrom oslo_serialization import jsonutils\nprint 1\n",
        ),
        (
            "x = mynova.openstack.common.jsonutils\nfrom nova.openstack.common import jsonutilsx\n",
            "x = mynova.openstack.common.jsonutils\nfrom nova.openstack.common import jsonutilsx\n",
        ),
    ],
)
def test_text_fallback_moves_python_2_text(before: str, after: str) -> None:
    assert move_modules_text(before, MOVES).text == after


def test_text_fallback_resolves_relative_imports_and_reports_leftovers() -> None:
    out = move_modules_text(
        "from . import jsonutils, log\nprint 'openstack.common.gettextutils'\n",
        {"openstack.common.jsonutils": "oslo_serialization.jsonutils"},
        module="openstack.common.strutils",
        watch=["openstack.common"],
    )
    assert out.text == (
        "from . import log\nfrom oslo_serialization import jsonutils\n"
        "print 'openstack.common.gettextutils'\n"
    )
    assert out.leftovers == (
        Reference("openstack.common.log", 1),
        Reference("openstack.common.gettextutils", 3),
    )


def test_a_path_split_over_concatenated_literals_moves_in_its_first_literal() -> None:
    before = (
        "@mock.patch(('openstack.common.db.sqlalchemy.migration_cli.'\n"
        "             'ext_alembic.alembic.command'))\n"
        "def f():\n"
        "    pass\n"
    )
    moves = {"openstack.common.db": "oslo_db.db"}
    outcome = move_modules(before, moves, "tests.unit.test_x", False, ["openstack.common"])
    assert outcome.text == before.replace("'openstack.common.db.", "'oslo_db.db.")
    assert outcome.moved == 1


STATEMENTS = st.sampled_from([
    "import os\n", "import sys\n", "import six\n", "import webob\n",
    "from nova import exception\n", "from nova.i18n import _\n",
    "from oslo_foo import jsonutils\n", "from oslo_foo import log as logging\n",
    "from oslo_foo import (\n    timeutils,\n)\n", "# a comment\n", "\n",
])  # fmt: skip


@given(st.lists(STATEMENTS, min_size=1, max_size=12))
def test_regrouping_keeps_every_statement_and_never_leaves_the_library_among_the_project(
    block: list[str],
) -> None:
    from oslo_incubator.analysis.moves import regroup_imports

    text = "".join(block) + "\nX = 1\n"
    out = regroup_imports(text, ["oslo_foo"], "nova")

    def statements(t: str) -> list[str]:
        return sorted(line for line in t.splitlines() if line.strip())

    assert statements(out) == statements(text)
    assert out.endswith("X = 1\n")
    lines = out.splitlines()
    project = [n for n, line in enumerate(lines) if line.startswith("from nova")]
    moved = [n for n, line in enumerate(lines) if line.startswith("from oslo_foo")]
    was_after = any(
        a.startswith("from nova") and text.index(a) < text.index(b)
        for a in block for b in block if b.startswith("from oslo_foo")
    )  # fmt: skip
    if project and moved and was_after:
        assert max(moved) < min(project)
