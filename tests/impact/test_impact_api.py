"""How two versions of a module's API differ, and whether a call still fits (pure)."""

from __future__ import annotations

from oslo_incubator.analysis.api import check_call, compare_api, read_api, relied_defaults
from oslo_incubator.model.api import CallShape, ChangeKind

BEFORE = '''\
"""Locks."""

import os

from openstack.common import log as logging

DEFAULT_DIR = "/tmp"
LOG = logging.getLogger(__name__)


def _lock_path(name, lock_path=None):
    return os.path.join(lock_path or DEFAULT_DIR, name)


def external_lock(name, lock_path=None):
    """Docs."""
    return _lock_path(name, lock_path)


def synchronized(name, external=False, lock_path=None):
    return name


def old_helper(a, b):
    total = a + b
    total *= 2
    return total


class Semaphores(object):
    def __init__(self, size):
        self.size = size

    def get(self, name):
        return name

    def _private(self):
        return 1
'''


def changes(before: str, after: str) -> dict[str, tuple[ChangeKind, tuple[str, ...]]]:
    return {c.name: (c.kind, c.reasons) for c in compare_api(read_api(before), read_api(after))}


def test_identical_texts_have_no_changes() -> None:
    assert changes(BEFORE, BEFORE) == {}


def test_docstring_and_comment_changes_are_no_changes() -> None:
    after = BEFORE.replace('"""Docs."""', '"""Other docs."""\n    # a comment')
    assert changes(BEFORE, after) == {}


def test_a_removed_function_is_removed() -> None:
    after = BEFORE.replace(
        "def synchronized(name, external=False, lock_path=None):\n    return name\n", ""
    )
    assert changes(BEFORE, after)["synchronized"][0] is ChangeKind.REMOVED


def test_a_function_under_a_new_name_with_the_same_body_is_a_rename() -> None:
    after = BEFORE.replace("def old_helper(a, b):", "def new_helper(a, b):")
    found = compare_api(read_api(BEFORE), read_api(after))
    renamed = [c for c in found if c.kind is ChangeKind.RENAMED]
    assert [(c.name, c.new_name) for c in renamed] == [("old_helper", "new_helper")]
    assert not [c for c in found if c.kind is ChangeKind.ADDED]


def test_a_rename_with_a_small_edit_is_still_a_rename() -> None:
    after = BEFORE.replace("def old_helper(a, b):", "def new_helper(a, b):").replace(
        "total *= 2", "total *= 3"
    )
    assert changes(BEFORE, after)["old_helper"][0] is ChangeKind.RENAMED


def test_a_required_parameter_added_is_incompatible() -> None:
    after = BEFORE.replace(
        "def synchronized(name, external=False", "def synchronized(name, prefix, external=False"
    )
    kind, reasons = changes(BEFORE, after)["synchronized"]
    assert kind is ChangeKind.INCOMPATIBLE
    assert "required parameter 'prefix' added" in reasons


def test_an_optional_parameter_added_at_the_end_extends_the_signature() -> None:
    after = BEFORE.replace(
        "def synchronized(name, external=False, lock_path=None):",
        "def synchronized(name, external=False, lock_path=None, fair=False):",
    )
    assert changes(BEFORE, after)["synchronized"] == (
        ChangeKind.EXTENDED,
        ("optional parameter 'fair=False' added",),
    )


def test_a_changed_default_a_removed_and_a_moved_parameter_are_incompatible() -> None:
    default = BEFORE.replace(
        "external=False, lock_path=None):\n    return name",
        "external=True, lock_path=None):\n    return name",
    )
    assert changes(BEFORE, default)["synchronized"][1] == (
        "default of 'external' changed from False to True",
    )
    removed = BEFORE.replace(
        "def synchronized(name, external=False, lock_path=None):",
        "def synchronized(name, external=False):",
    )
    assert changes(BEFORE, removed)["synchronized"][0] is ChangeKind.INCOMPATIBLE
    moved = BEFORE.replace(
        "def synchronized(name, external=False, lock_path=None):",
        "def synchronized(name, lock_path=None, external=False):",
    )
    assert any("moved" in r for r in changes(BEFORE, moved)["synchronized"][1])


def test_a_changed_private_helper_changes_the_public_functions_that_call_it() -> None:
    after = BEFORE.replace(
        "return os.path.join(lock_path or DEFAULT_DIR, name)",
        "return os.path.join(lock_path or '/var/lock', name)",
    )
    found = changes(BEFORE, after)
    assert found["_lock_path"][0] is ChangeKind.BODY
    assert found["external_lock"] == (ChangeKind.BODY, ("calls _lock_path, which changed",))
    assert "synchronized" not in found


def test_a_method_change_is_a_change_of_its_class() -> None:
    after = BEFORE.replace(
        "    def get(self, name):\n        return name",
        "    def get(self, name, default=None):\n        return name",
    )
    found = changes(BEFORE, after)
    assert found["Semaphores.get"][0] is ChangeKind.EXTENDED
    assert found["Semaphores"] == (ChangeKind.BODY, ("member get extended",))


def test_a_class_signature_is_its_init() -> None:
    after = BEFORE.replace("def __init__(self, size):", "def __init__(self, size, fair):")
    assert changes(BEFORE, after)["Semaphores.__init__"][0] is ChangeKind.INCOMPATIBLE
    assert changes(BEFORE, after)["Semaphores"][0] is ChangeKind.INCOMPATIBLE


def test_a_constant_value_change_is_a_body_change() -> None:
    after = BEFORE.replace('DEFAULT_DIR = "/tmp"', 'DEFAULT_DIR = "/var/tmp"')
    assert changes(BEFORE, after)["DEFAULT_DIR"] == (
        ChangeKind.BODY,
        ("value changed from '/tmp' to '/var/tmp'",),
    )


def test_only_names_a_module_exports_are_public_when_it_has_all() -> None:
    api = read_api("__all__ = ['a']\n\ndef a():\n    pass\n\ndef b():\n    pass\n")
    assert api.symbols["a"].public and not api.symbols["b"].public


def test_a_text_that_is_not_python_3_is_not_read() -> None:
    assert not read_api("print 'hello'\n").parsed


def test_a_call_fits_a_signature_or_says_why_not() -> None:
    params = read_api("def f(a, b=1, *, c=2):\n    pass\n").symbols["f"].parameters
    assert params is not None
    assert check_call(CallShape(1), params) is None
    assert check_call(CallShape(2, ("c",)), params) is None
    assert check_call(CallShape(0), params) == "does not pass 'a', now required"
    assert check_call(CallShape(3), params) == "passes 3 positional arguments; it takes 2"
    assert check_call(CallShape(1, ("d",)), params) == "passes 'd', which it no longer takes"
    assert check_call(CallShape(0, (), star=True), params) is None


def test_a_call_that_leaves_a_changed_default_alone_relies_on_it() -> None:
    after = BEFORE.replace(
        "external=False, lock_path=None):\n    return name",
        "external=True, lock_path=None):\n    return name",
    )
    (change,) = [
        c for c in compare_api(read_api(BEFORE), read_api(after)) if c.name == "synchronized"
    ]
    assert relied_defaults(CallShape(1), change) == ("external",)
    assert relied_defaults(CallShape(1, ("external",)), change) == ()
    assert relied_defaults(CallShape(2), change) == ()


def test_a_class_that_gains_an_init_with_no_required_argument_is_extended() -> None:
    before = "class Tasks(object):\n    pass\n"
    after = "class Tasks(object):\n    def __init__(self):\n        self.tasks = []\n"
    assert changes(before, after)["Tasks"] == (
        ChangeKind.EXTENDED,
        ("__init__ added, requiring no argument",),
    )


def test_a_function_moved_elsewhere_and_re_exported_still_works() -> None:
    before = "def mask_password(text):\n    return text\n"
    after = "from openstack.common.strutils import mask_password  # noqa\n"
    assert changes(before, after)["mask_password"] == (
        ChangeKind.BODY,
        ("now re-exported from openstack.common.strutils.mask_password",),
    )


def test_names_bound_under_a_module_level_if_or_try_are_api() -> None:
    before = "import os\n\nif os.name == 'nt':\n    FileLock = 1\nelse:\n    FileLock = 2\n\ntry:\n    import json\nexcept ImportError:\n    json = None\n"
    after = "import os\n\ntry:\n    import json\nexcept ImportError:\n    json = None\n"
    found = changes(before, after)
    assert found["FileLock"][0] is ChangeKind.REMOVED
    assert "json" not in found


def test_a_base_named_through_its_module_is_the_same_base() -> None:
    before = "from urlparse import SplitResult\n\nclass R(SplitResult):\n    pass\n"
    after = "from six.moves.urllib import parse\n\nclass R(parse.SplitResult):\n    pass\n"
    assert "R" not in changes(before, after) or changes(before, after)["R"][0] is ChangeKind.BODY


def test_a_method_moved_under_an_if_in_its_class_is_still_there() -> None:
    before = "class M(object):\n    def __str__(self):\n        return 'm'\n"
    after = "import six\n\nclass M(object):\n    if six.PY2:\n        def __str__(self):\n            return 'm'\n"
    assert "M.__str__" not in changes(before, after)


def test_object_given_up_for_a_metaclass_helper_is_no_lost_base() -> None:
    before = "import abc\n\nclass W(object):\n    __metaclass__ = abc.ABCMeta\n"
    after = (
        "import abc\nimport six\n\nclass W(six.with_metaclass(abc.ABCMeta, object)):\n    pass\n"
    )
    assert changes(before, after).get("W", (ChangeKind.BODY,))[0] is not ChangeKind.INCOMPATIBLE
