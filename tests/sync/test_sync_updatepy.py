"""update.py's rule sets: read from the text of update.py, and applied as it applied them."""

from __future__ import annotations

import textwrap

from oslo_incubator.analysis.updatepy import (
    ERAS,
    apply_rule_set,
    era_at,
    parse_rule_set,
    recognise_era,
    select_rule_set,
)

# Synthetic update.py texts shaped like the real ones of each era (Python 2, as they were).
UPDATE_PY_2012_01 = textwrap.dedent("""\
    import re
    print "Copying"

    def _replace(path, pattern, replacement):
        with open(path, "r+") as f:
            for line in lines:
                f.write(re.sub(pattern, replacement, line))


    def _copy_file(path, base, dest_dir):
        dest = _dest_path(path, base, dest_dir)
        shutil.copy2(path, dest)

        _replace(dest,
                 '^from openstack.common',
                 'from ' + base + '.openstack.common')


    def _copy_module(mod, base, dest_dir):
        print "Copying openstack.common.%s" % mod
    """)

UPDATE_PY_2013_10 = textwrap.dedent("""\
    def _copy_file(path, dest, base):
        _make_dirs(dest)
        if not os.path.isdir(os.path.dirname(dest)):
            os.makedirs(os.path.dirname(dest))

        shutil.copy2(path, dest)

        if 'rpc/' not in dest:
            _replace(dest, 'oslo', base)
            _replace(dest, 'OSLO', base.upper())

        for oslo_module in ['config']:
            _replace(dest, base + '.' + oslo_module,
                     'oslo.' + oslo_module)

        _replace(dest,
                 '^( *)from openstack.common',
                 r'\\1from ' + base + '.openstack.common')

        _replace(dest,
                 '\\'openstack\\.common',
                 '\\'' + base + '.openstack.common')

        _replace(dest,
                 '\\"openstack\\.common',
                 '\\"' + base + '.openstack.common')

        _replace(dest,
                 '=openstack\\.common',
                 '=' + base + '.openstack.common')

        _replace(dest,
                 'possible_topdir, "oslo",$',
                 'possible_topdir, "' + base + '",')


    def _copy_pyfile(path, base, dest_dir):
        _copy_file(path, _dest_path(path, base, dest_dir), base)
    """)

UPDATE_PY_2015_06 = textwrap.dedent("""\
    OSLO_LIBS = [
        'cache',
        'concurrency',
        'config',
        'context',
        'db',
        'i18n',
        'log',
        'messaging',
        'middleware',
        'policy',
        'reports',
        'rootwrap',
        'serialization',
        'service',
        'utils',
        'version',
        'vmware',
    ]


    def _copy_file(path, dest, base):
        _check_obsolete(path)
        shutil.copy2(path, dest)

        replacements = []

        replacements.append(('oslo(?!(test|-incubator))', base))
        replacements.append(('OSLO', base.upper()))

        for oslo_module in OSLO_LIBS:
            replacements.append((base + r'(.)' + oslo_module,
                                 r'oslo\\1' + oslo_module))

        replacements.append(('^( *)from openstack.common',
                             r'\\1from ' + base + '.openstack.common'))

        replacements.append(('^( *)import openstack.common',
                             r'\\1import ' + base + '.openstack.common'))

        replacements.append(('\\'openstack\\.common',
                             '\\'' + base + '.openstack.common'))

        replacements.append(('\\"openstack\\.common',
                             '\\"' + base + '.openstack.common'))

        replacements.append(('=openstack\\.common',
                             '=' + base + '.openstack.common'))

        replacements.append(('possible_topdir, "oslo",$',
                             'possible_topdir, "' + base + '",'))

        _replace(dest, replacements)
    """)


def era(since: str):  # type: ignore[no-untyped-def]
    (found,) = [e for e in ERAS if e.since == since]
    return found


def test_rule_set_of_first_update_py_is_read_from_its_text() -> None:
    assert select_rule_set(UPDATE_PY_2012_01) == era("9d5ac522")


def test_rule_set_of_late_2013_update_py_is_read_from_its_text() -> None:
    assert select_rule_set(UPDATE_PY_2013_10) == era("10362c2b")


def test_rule_set_of_2015_update_py_is_read_from_its_text() -> None:
    assert select_rule_set(UPDATE_PY_2015_06) == era("f4b14008")


def test_parsed_rules_follow_the_oslo_libs_list_of_the_text() -> None:
    text = UPDATE_PY_2015_06.replace("    'cache',\n", "    'zzz',\n")
    rules = select_rule_set(text)
    assert rules.since == "parsed"
    assert "zzz" in rules.oslo_libs
    assert any(r.pattern == "${base}(.)zzz" for r in rules.replacements)
    assert apply_rule_set("import nova.zzz\n", rules, "nova", "nova/openstack/common/x.py") == (
        "import oslo.zzz\n"
    )


def test_rpc_exemption_is_a_path_condition_of_the_rule() -> None:
    rules = parse_rule_set(UPDATE_PY_2013_10)
    assert rules is not None
    oslo_rule = rules.replacements[0]
    assert (oslo_rule.pattern, oslo_rule.unless_path_contains) == ("oslo", "rpc/")


def test_unreadable_update_py_falls_back_to_its_era_markers() -> None:
    # A _copy_file the parser does not understand, but the era's texts are there.
    text = UPDATE_PY_2015_06.replace("    replacements = []\n", "    replacements = list()\n")
    assert parse_rule_set(text) is None
    assert recognise_era(text) == era("f4b14008")
    assert select_rule_set(text) == era("f4b14008")


def test_missing_update_py_takes_the_era_in_force_at_the_commit_date() -> None:
    december_2014 = 1418400000  # 2014-12-12
    assert select_rule_set(None, december_2014) == era("36b0e857")
    assert era_at(0) == ERAS[0]
    assert select_rule_set(None) == ERAS[-1]


def test_2013_rules_turn_every_oslo_into_the_base_outside_rpc() -> None:
    rules = era("10362c2b")
    text = (
        "from openstack.common.gettextutils import _\n"
        "    from openstack.common import log\n"
        "gettextutils.install('oslo')\n"
        "lock_path = os.environ.get('OSLO_LOCK_PATH')\n"
        "from oslo.config import cfg\n"
        "default='openstack.common.rpc.impl_kombu'\n"
        "x=openstack.common.y\n"
        'possible_topdir, "oslo",\n'
    )
    assert apply_rule_set(text, rules, "nova", "nova/openstack/common/log.py") == (
        "from nova.openstack.common.gettextutils import _\n"
        "    from nova.openstack.common import log\n"
        "gettextutils.install('nova')\n"
        "lock_path = os.environ.get('NOVA_LOCK_PATH')\n"
        "from oslo.config import cfg\n"
        "default='nova.openstack.common.rpc.impl_kombu'\n"
        "x=nova.openstack.common.y\n"
        'possible_topdir, "nova",\n'
    )
    assert apply_rule_set(
        "install('oslo')\n", rules, "nova", "nova/openstack/common/rpc/amqp.py"
    ) == ("install('oslo')\n")


def test_unescaped_dot_of_2014_restore_mangles_underscored_names() -> None:
    rules = era("36b0e857")
    text = "from oslo_config import cfg  # see oslo/utils.py and oslo-incubator, oslotest\n"
    assert apply_rule_set(text, rules, "nova", "nova/openstack/common/x.py") == (
        "from oslo.config import cfg  # see oslo.utils.py and oslo-incubator, oslotest\n"
    )


def test_fixed_restore_of_2015_keeps_the_separator() -> None:
    rules = era("d66caae7")
    text = "from oslo_config import cfg  # see oslo/utils.py\n"
    assert apply_rule_set(text, rules, "nova", "nova/openstack/common/x.py") == (
        "from oslo_config import cfg  # see oslo/utils.py\n"
    )


def test_update_py_rules_keep_bytes_that_are_not_utf8_and_lines_without_newline() -> None:
    text = b"# caf\xe9 oslo\nfrom openstack.common import x".decode("utf-8", "surrogateescape")
    out = apply_rule_set(text, era("f4b14008"), "glance", "glance/openstack/common/x.py")
    assert out.encode("utf-8", "surrogateescape") == (
        b"# caf\xe9 glance\nfrom glance.openstack.common import x"
    )


def test_every_era_is_newer_than_the_one_before() -> None:
    dates = [e.date for e in ERAS]
    assert dates == sorted(dates)
    assert len({e.since for e in ERAS}) == len(ERAS) == 20
