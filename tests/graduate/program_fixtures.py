"""An incubator of five modules that a program of three libraries graduates.

``strutils`` and ``timeutils`` import nothing of the incubator; ``jsonutils`` imports
both at module level; ``local`` imports nothing; ``log`` imports ``jsonutils`` and
``local``. The plan: ``oslo.utils`` (strutils, timeutils), ``oslo.serialization``
(jsonutils, requiring oslo.utils), ``oslo.log`` (log, requiring oslo.serialization,
with ``local`` as a private copy). Every module has a plain unittest test file; no
third-party package is imported, so everything installs offline.
"""

from __future__ import annotations

from pathlib import Path

from builders import make_incubator

from oslo_incubator.history.builder import RepoBuilder

STRUTILS = '''\
"""String helpers."""


def bool_from_string(text):
    return str(text).strip().lower() in ("1", "true", "yes", "on")
'''

TIMEUTILS = '''\
"""Time helpers."""

import datetime


def isotime(at):
    return at.strftime("%Y-%m-%dT%H:%M:%S")
'''

JSONUTILS = '''\
"""JSON helpers."""

import datetime
import json

from openstack.common import strutils
from openstack.common import timeutils


def to_primitive(value):
    if isinstance(value, datetime.datetime):
        return timeutils.isotime(value)
    return value


def dumps(value):
    return json.dumps(value, default=to_primitive, sort_keys=True)


def flag(text):
    return strutils.bool_from_string(text)
'''

LOCAL = '''\
"""Thread-local storage."""

import threading

store = threading.local()
'''

LOG = '''\
"""Logging with context."""

from openstack.common import jsonutils
from openstack.common import local


def format_context(**values):
    values["request_id"] = getattr(local.store, "request_id", None)
    return jsonutils.dumps(values)
'''

TEST_STRUTILS = """\
import unittest

from openstack.common import strutils


class BoolTest(unittest.TestCase):
    def test_true(self):
        self.assertTrue(strutils.bool_from_string("Yes"))

    def test_false(self):
        self.assertFalse(strutils.bool_from_string("no"))
"""

TEST_TIMEUTILS = """\
import datetime
import unittest

from openstack.common import timeutils


class IsotimeTest(unittest.TestCase):
    def test_isotime(self):
        at = datetime.datetime(2014, 5, 13, 12, 0, 0)
        self.assertEqual(timeutils.isotime(at), "2014-05-13T12:00:00")
"""

TEST_JSONUTILS = """\
import datetime
import unittest

from openstack.common import jsonutils
from openstack.common import strutils


class DumpsTest(unittest.TestCase):
    def test_datetime(self):
        value = {"at": datetime.datetime(2014, 1, 2, 3, 4, 5)}
        self.assertEqual(jsonutils.dumps(value), '{"at": "2014-01-02T03:04:05"}')

    def test_flag(self):
        self.assertEqual(jsonutils.flag("on"), strutils.bool_from_string("on"))
"""

TEST_LOG = """\
import unittest

from openstack.common import local
from openstack.common import log


class ContextTest(unittest.TestCase):
    def test_request_id(self):
        local.store.request_id = "req-1"
        self.assertEqual(log.format_context(a=1), '{"a": 1, "request_id": "req-1"}')

    def test_fails_in_the_incubator_too(self):
        self.assertEqual(1, 2)
"""

PLAN = """\
schema = "oslo-incubator.graduation-plan/1"
package_root = "openstack/common"

[[library]]
name = "oslo.utils"
modules = ["strutils", "timeutils"]

[[library]]
name = "oslo.serialization"
modules = ["jsonutils"]

[[library]]
# log's helper, local, is not planned: a private copy
name = "oslo.log"
modules = ["log"]
"""

CONSUMER = '''\
"""The consumer's own code."""

from nova.openstack.common import jsonutils
from nova.openstack.common import log
from nova.openstack.common import strutils


def render(value):
    return log.format_context(value=jsonutils.dumps(value), on=strutils.bool_from_string("1"))
'''


def build_program_incubator(path: Path) -> RepoBuilder:
    """The incubator described in the module docstring."""
    return make_incubator(
        path,
        [
            (
                "Add string and time helpers",
                {
                    "openstack/common/strutils.py": STRUTILS,
                    "openstack/common/timeutils.py": TIMEUTILS,
                    "tests/__init__.py": "",
                    "tests/unit/__init__.py": "",
                    "tests/unit/test_strutils.py": TEST_STRUTILS,
                    "tests/unit/test_timeutils.py": TEST_TIMEUTILS,
                    "requirements.txt": "pbr>=0.6,<1.0\n",
                },
            ),
            (
                "Add json helpers",
                {
                    "openstack/common/jsonutils.py": JSONUTILS,
                    "tests/unit/test_jsonutils.py": TEST_JSONUTILS,
                },
            ),
            (
                "Add logging with context",
                {
                    "openstack/common/local.py": LOCAL,
                    "openstack/common/log.py": LOG,
                    "tests/unit/test_log.py": TEST_LOG,
                },
            ),
        ],
    )


def wheel_of_installed(name: str, out: Path) -> Path:
    """A wheel of the installed distribution ``name``, made from its installed files,
    so that a fresh virtualenv can install it offline (``--no-index``)."""
    import importlib.metadata
    import zipfile

    dist = importlib.metadata.distribution(name)
    info = f"{dist.metadata['Name'].replace('-', '_')}-{dist.version}.dist-info"
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{dist.metadata['Name'].replace('-', '_')}-{dist.version}-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(wheel, "w") as archive:
        for file in dist.files or ():
            posix = file.as_posix()
            skipped = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")
            if posix.startswith("..") or "__pycache__" in posix or file.name in skipped:
                continue
            archive.write(file.locate(), posix)
            records.append(f"{posix},,")
        archive.writestr(f"{info}/RECORD", "\n".join([*records, f"{info}/RECORD,,"]) + "\n")
    return wheel
