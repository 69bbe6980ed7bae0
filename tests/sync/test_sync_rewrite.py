"""The libcst codemods of the default rewrite, each on before/after strings."""

from __future__ import annotations

import libcst as cst
from hypothesis import given
from hypothesis import strategies as st

from oslo_incubator.analysis.normalise import fold
from oslo_incubator.analysis.rewrite import (
    ImportPathStrings,
    ImportStatements,
    QualifiedNames,
    rewrite_imports,
    rewrite_text,
    undo_rewrite,
)
from oslo_incubator.analysis.updatepy import ERAS


def run(transformer: cst.CSTTransformer, source: str) -> str:
    return cst.parse_module(source).visit(transformer).code


def test_import_statements_codemod_moves_every_import_form_under_the_base() -> None:
    before = (
        "import os\n"
        "import openstack.common.log as logging\n"
        "from openstack.common import jsonutils  # keep this comment\n"
        "from  openstack.common.db.sqlalchemy import (\n"
        "    session,\n"
        "    utils)\n"
        "from . import local\n"
        "from openstacks.common import x\n"
        "def f():\n"
        "    from openstack.common.gettextutils import _\n"
    )
    assert run(ImportStatements("nova"), before) == (
        "import os\n"
        "import nova.openstack.common.log as logging\n"
        "from nova.openstack.common import jsonutils  # keep this comment\n"
        "from  nova.openstack.common.db.sqlalchemy import (\n"
        "    session,\n"
        "    utils)\n"
        "from . import local\n"
        "from openstacks.common import x\n"
        "def f():\n"
        "    from nova.openstack.common.gettextutils import _\n"
    )


def test_import_path_strings_codemod_moves_strings_that_are_module_paths() -> None:
    before = (
        "p = mock.patch('openstack.common.timeutils.utcnow')\n"
        'x = importutils.import_module("openstack.common.rpc.impl_kombu")\n'
        "y = importutils.import_class(r'openstack.common.x.Y')\n"
        "cfg.StrOpt('backend', default='openstack.common.db.api:Api')\n"
        "doc = 'see openstack.common for more'\n"
        "raw = b'openstack.common.log'\n"
        "other = 'openstack.commons.x'\n"
    )
    assert run(ImportPathStrings("nova"), before) == (
        "p = mock.patch('nova.openstack.common.timeutils.utcnow')\n"
        'x = importutils.import_module("nova.openstack.common.rpc.impl_kombu")\n'
        "y = importutils.import_class(r'nova.openstack.common.x.Y')\n"
        "cfg.StrOpt('backend', default='nova.openstack.common.db.api:Api')\n"
        "doc = 'see openstack.common for more'\n"
        "raw = b'openstack.common.log'\n"
        "other = 'openstack.commons.x'\n"
    )


def test_qualified_names_codemod_follows_a_plain_import_of_the_root() -> None:
    before = "import openstack.common.log\n\nLOG = openstack.common.log.getLogger(__name__)\n"
    assert run(QualifiedNames("nova"), before) == (
        "import openstack.common.log\n\nLOG = nova.openstack.common.log.getLogger(__name__)\n"
    )


def test_qualified_names_codemod_leaves_code_alone_without_a_plain_import() -> None:
    before = "import openstack.common.log as l\n\nx = openstack.common.log\n"
    assert run(QualifiedNames("nova"), before) == before


def test_composed_rewrite_changes_imports_and_leaves_every_other_byte() -> None:
    before = (
        "# Copyright oslo\r\n"
        "import openstack.common.log\r\n"
        "from openstack.common import lockutils\r\n"
        "gettextutils.install('oslo')\r\n"
        "LOG = openstack.common.log.getLogger('openstack.common.x')\r\n"
    )
    outcome = rewrite_imports(before, "nova")
    assert (outcome.method, outcome.warning) == ("libcst", None)
    assert outcome.text == (
        "# Copyright oslo\r\n"
        "import nova.openstack.common.log\r\n"
        "from nova.openstack.common import lockutils\r\n"
        "gettextutils.install('oslo')\r\n"
        "LOG = nova.openstack.common.log.getLogger('nova.openstack.common.x')\r\n"
    )


def test_python2_text_falls_back_to_the_regex_rewrite_with_a_warning() -> None:
    before = 'print "hello"\nfrom openstack.common import log\nx = "openstack.common.y"\n'
    outcome = rewrite_imports(before, "nova")
    assert outcome.method == "regex"
    assert outcome.warning is not None and "libcst cannot parse it" in outcome.warning
    assert outcome.text == (
        'print "hello"\nfrom nova.openstack.common import log\nx = "nova.openstack.common.y"\n'
    )


def test_text_without_the_root_is_returned_without_parsing() -> None:
    outcome = rewrite_imports("print 'py2 but irrelevant'\n", "nova")
    assert (outcome.text, outcome.warning) == ("print 'py2 but irrelevant'\n", None)


def test_non_python_files_get_the_regex_rewrite() -> None:
    script = "python -m openstack.common.config.generator\nMODULE=openstack.common.x\n"
    assert rewrite_text(script, "nova", "tools/config/generate_sample.sh").text == (
        "python -m openstack.common.config.generator\nMODULE=nova.openstack.common.x\n"
    )


def test_update_py_rules_are_used_when_given() -> None:
    outcome = rewrite_text("install('oslo')\n", "nova", "nova/openstack/common/x.py", ERAS[-1])
    assert (outcome.text, outcome.method) == ("install('nova')\n", "update.py@f4b14008")


NAMES = st.sampled_from(["log", "jsonutils", "db.sqlalchemy.session", "rpc", "fixture.config"])
SNIPPETS = st.one_of(
    NAMES.map(lambda n: f"from openstack.common import {n.split('.')[-1]}\n"),
    NAMES.map(lambda n: f"from openstack.common.{n} import thing\n"),
    NAMES.map(lambda n: f"import openstack.common.{n}\n"),
    NAMES.map(lambda n: f"import openstack.common.{n} as alias\n"),
    NAMES.map(lambda n: f"x = openstack.common.{n}.attr\n"),
    NAMES.map(lambda n: f"mock.patch('openstack.common.{n}.f')\n"),
    NAMES.map(lambda n: f'importutils.import_module("openstack.common.{n}")\n'),
    st.sampled_from(
        [
            "# a comment about openstack.common and oslo\n",
            "gettextutils.install('oslo')\n",
            "def f():\n    from openstack.common import log\n    return log\n",
            "s = 'openstack.common is great'\n",
            "\n",
        ]
    ),
)


@given(
    st.lists(SNIPPETS, max_size=12).map("".join), st.sampled_from(["nova", "glance", "foo.bar"])
)
def test_rewriting_then_normalising_gives_back_master(master: str, base: str) -> None:
    rewritten = rewrite_imports(master, base).text
    assert undo_rewrite(rewritten, base) == master
    assert fold(rewritten, base) == fold(master, base)
