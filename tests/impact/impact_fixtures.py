"""An incubator whose commits each make one kind of API change, and projects that
copy its modules and call them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import make_incubator, make_project

from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT

ROOT = DEFAULT_PACKAGE_ROOT

LOCKUTILS = '''\
"""Locks."""


def _lock_path(name):
    return "/tmp/" + name


def synchronized(name, external=False):
    def wrap(f):
        return f
    return wrap


def remove_me():
    return _lock_path("gone")


def old_helper(a, b):
    total = a + b
    total *= 2
    return total
'''

JSONUTILS = '''\
"""JSON."""

import json


def dumps(value):
    return json.dumps(value)


def loads(text):
    return json.loads(text)
'''

STRUTILS = '''\
"""Strings."""


def bool_from_string(text):
    return text.lower() in ("1", "true", "yes")
'''

NOVA_CODE = """\
from nova.openstack.common import jsonutils
from nova.openstack.common import lockutils


@lockutils.synchronized('compute')
def run():
    lockutils.remove_me()
    total = lockutils.old_helper(1, 2)
    return jsonutils.dumps({"total": total})
"""

GLANCE_CODE = """\
from glance.openstack.common import jsonutils


def show(value):
    return jsonutils.dumps(value)
"""


@dataclass(frozen=True)
class History:
    """The incubator and the sha of each kind of change."""

    path: Path
    first: str
    loads_changed: str  # jsonutils.loads changed: the projects' copies fall behind
    removed: str  # lockutils.remove_me removed
    renamed: str  # lockutils.old_helper renamed to new_helper
    required: str  # lockutils.synchronized gains a required parameter
    body: str  # jsonutils.dumps changes its body
    elsewhere: str  # strutils changes: nobody uses it


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    path = tmp_path_factory.mktemp("incubator")
    lock = LOCKUTILS
    repo = make_incubator(
        path,
        [
            (
                "Add lockutils, jsonutils and strutils",
                {
                    f"{ROOT}/lockutils.py": lock,
                    f"{ROOT}/jsonutils.py": JSONUTILS,
                    f"{ROOT}/strutils.py": STRUTILS,
                },
            )
        ],
    )
    first = repo.head()
    json2 = JSONUTILS.replace("return json.loads(text)", "return json.loads(text, strict=False)")
    loads_changed = repo.commit(
        "Let loads read control characters", {f"{ROOT}/jsonutils.py": json2}
    )
    lock = lock.replace('def remove_me():\n    return _lock_path("gone")\n\n\n', "")
    removed = repo.commit("Remove remove_me", {f"{ROOT}/lockutils.py": lock})
    lock = lock.replace("def old_helper(a, b):", "def new_helper(a, b):")
    renamed = repo.commit("Rename old_helper to new_helper", {f"{ROOT}/lockutils.py": lock})
    lock = lock.replace(
        "def synchronized(name, external=False):",
        "def synchronized(name, prefix, external=False):",
    )
    required = repo.commit("Lock names take a prefix", {f"{ROOT}/lockutils.py": lock})
    json3 = json2.replace("return json.dumps(value)", "return json.dumps(value, sort_keys=True)")
    body = repo.commit("Sort keys in dumps", {f"{ROOT}/jsonutils.py": json3})
    strs = STRUTILS.replace('("1", "true", "yes")', '("1", "true", "yes", "on")')
    elsewhere = repo.commit("Accept 'on' as true", {f"{ROOT}/strutils.py": strs})
    return History(path, first, loads_changed, removed, renamed, required, body, elsewhere)


@pytest.fixture(scope="module")
def nova(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies lockutils and jsonutils as of the first commit; calls both."""
    path = tmp_path_factory.mktemp("nova") / "nova"
    make_project(
        path,
        "nova",
        {"lockutils.py": LOCKUTILS, "jsonutils.py": JSONUTILS},
        extra={"nova/compute.py": NOVA_CODE},
    )
    return path


@pytest.fixture(scope="module")
def glance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies jsonutils as of the first commit; calls dumps."""
    path = tmp_path_factory.mktemp("glance") / "glance"
    make_project(path, "glance", {"jsonutils.py": JSONUTILS}, extra={"glance/api.py": GLANCE_CODE})
    return path
