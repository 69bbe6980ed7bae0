"""Folding undoes what any era of update.py did to master text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis.normalise import (
    fold,
    fold_quirks,
    is_trivial,
    quirk_equal,
    rewrite_import_prefix,
)

MASTER = """# oslo-incubator: shared code
import logging

from oslo.config import cfg
from openstack.common.gettextutils import _
from openstack.common import log as logging
import openstack.common.jsonutils

_t = gettext.translation('oslo', fallback=True)
lock_path = os.environ.get("OSLO_LOCK_PATH")
CONF.import_opt('host', 'openstack.common.rpc.impl_kombu')
"""


def update_py_2013(text: str, base: str) -> str:
    """update.py as of late 2013: every oslo to base, then restore oslo.config."""
    out = []
    for line in text.splitlines(keepends=True):
        line = re.sub("oslo", base, line)
        line = re.sub("OSLO", base.upper(), line)
        line = re.sub(base + ".config", "oslo.config", line)  # the unescaped dot
        line = re.sub(r"^( *)from openstack.common", rf"\1from {base}.openstack.common", line)
        line = re.sub(r"^( *)import openstack.common", rf"\1import {base}.openstack.common", line)
        line = re.sub(r"'openstack\.common", f"'{base}.openstack.common", line)
        out.append(line)
    return "".join(out)


def test_fold_undoes_update_py_of_2013() -> None:
    assert fold(update_py_2013(MASTER, "nova"), "nova") == fold(MASTER, "nova")


def test_fold_undoes_the_plain_import_rewrite() -> None:
    assert fold(rewrite_import_prefix(MASTER, "glance"), "glance") == fold(MASTER, "glance")


def test_quirk_comparison_undoes_the_unescaped_dot_mangling() -> None:
    master = "from oslo_config import cfg  # see nova/utils.py\n"
    copy = "from oslo.config import cfg  # see oslo.utils.py\n"
    assert fold(copy, "nova") != fold(master, "nova")
    assert quirk_equal(fold(copy, "nova"), fold(master, "nova"))


def test_quirk_comparison_goes_one_way_only() -> None:
    # A copy that spells oslo_config where master spells oslo.config was edited
    # locally: update.py's mangling only ever turned "_" into ".".
    master = "from oslo.config import cfg\n"
    copy = "from oslo_config import cfg\n"
    assert fold_quirks(fold(copy, "nova")) == fold_quirks(fold(master, "nova"))
    assert not quirk_equal(fold(copy, "nova"), fold(master, "nova"))


@given(st.text(alphabet="ab_.-/\n", max_size=30), st.text(alphabet="ab_.-/\n", max_size=30))
def test_quirk_comparison_is_never_symmetric_on_a_difference(left: str, right: str) -> None:
    a, b = fold(f"oslo{left}", "nova"), fold(f"oslo{right}", "nova")
    if a != b:
        assert not (quirk_equal(a, b) and quirk_equal(b, a))


def test_fold_keeps_line_structure_and_crlf_is_not_a_change() -> None:
    folded = fold("a\r\nb\r\n", "nova")
    assert folded == "a\nb\n"
    assert len(fold(MASTER, "nova").splitlines()) == len(MASTER.splitlines())


def test_trivial_files() -> None:
    assert is_trivial("")
    assert is_trivial("# Copyright 2012\n\n# All rights reserved.\n")
    assert is_trivial('"""Package docstring."""\n')
    assert not is_trivial("import six\n\nsix.add_move(x)\n")


identifiers = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(
    lambda s: "oslo" not in s and "nova" not in s
)
lines = st.one_of(
    st.builds(lambda m: f"from openstack.common import {m}", identifiers),
    st.builds(lambda m, n: f"from openstack.common.{m} import {n}", identifiers, identifiers),
    st.builds(lambda m: f"    import openstack.common.{m}", identifiers),
    st.builds(lambda m: f"x = '{m}' + 'oslo' + \"OSLO_{m.upper()}\"", identifiers),
    st.builds(lambda m: f"# {m} comment", identifiers),
    st.just("from oslo.config import cfg"),
    st.just(""),
)


@given(st.lists(lines, max_size=30), st.sampled_from(["nova", "glance", "heat", "foo.bar"]))
def test_rewriting_then_folding_gives_back_the_master_fold(body: list[str], base: str) -> None:
    master = "\n".join(body) + "\n"
    assert fold(rewrite_import_prefix(master, base), base) == fold(master, base)
    if "." not in base:
        assert fold(update_py_2013(master, base), base) == fold(master, base)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_fold_never_changes_the_number_of_lines(text: str) -> None:
    text = text.replace("\r", "")
    assert fold(text, "nova").count("\n") == text.count("\n")
