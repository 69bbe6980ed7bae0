"""The usage scan impact shares with graduate plan: lines, call shapes, exports (pure)."""

from __future__ import annotations

from oslo_incubator.analysis.usage import Export, NameUse, scan_usage
from oslo_incubator.model.api import CallShape

PREFIX = "nova.openstack.common"
SOURCE = """\
from nova.openstack.common import lockutils
from nova.openstack.common.jsonutils import dumps

synchronized = lockutils.synchronized_with_prefix('nova-')
alias = lockutils.lock


@lockutils.synchronized('x', external=True)
def f(*args, **kwargs):
    dumps(*args, **kwargs)
    return lockutils.lock
"""


def test_each_use_has_its_line_and_each_call_its_shape() -> None:
    usage = scan_usage(SOURCE, "nova.utils", False, PREFIX)
    assert usage.parsed
    assert NameUse(f"{PREFIX}.jsonutils.dumps", 2, imported=True) in usage.uses
    assert NameUse(f"{PREFIX}.lockutils.synchronized_with_prefix", 4, CallShape(1)) in usage.uses
    assert (
        NameUse(f"{PREFIX}.lockutils.synchronized", 8, CallShape(1, ("external",))) in usage.uses
    )
    assert NameUse(f"{PREFIX}.jsonutils.dumps", 10, CallShape(0, (), True, True)) in usage.uses
    assert NameUse(f"{PREFIX}.lockutils.lock", 11) in usage.uses


def test_module_level_names_bound_to_names_under_the_prefix_are_exports() -> None:
    usage = scan_usage(SOURCE, "nova.utils", False, PREFIX)
    assert usage.exports == (
        Export("synchronized", f"{PREFIX}.lockutils.synchronized_with_prefix", 4, True),
        Export("alias", f"{PREFIX}.lockutils.lock", 5, False),
    )


def test_python_2_text_gives_lines_without_calls() -> None:
    usage = scan_usage(
        "from nova.openstack.common import log\nprint 'x'\nlog.getLogger(__name__)\n",
        "nova.x",
        False,
        PREFIX,
    )
    assert not usage.parsed
    assert NameUse(f"{PREFIX}.log.getLogger", 3) in usage.uses


def test_a_class_body_binds_names_its_methods_do_not_see() -> None:
    # Python's rule, which the deprecation scan's scopes follow too: a method sees the
    # module's names, not its class body's.
    source = """\
from nova.openstack.common import log


class Driver(object):
    log = None
    from nova.openstack.common import lockutils

    def run(self):
        log.getLogger()
        lockutils.lock()
"""
    dotted = [use.dotted for use in scan_usage(source, "nova.driver", False, PREFIX).uses]
    assert f"{PREFIX}.log.getLogger" in dotted
    assert f"{PREFIX}.lockutils.lock" not in dotted
