"""An incubator with history and a consumer, for the graduation tests.

The incubator has four modules: ``timeutils`` (born ``timeutil.py``, renamed),
``jsonutils`` (imports ``timeutils`` at module level and ``iso8601`` lazily),
``log`` (imports ``jsonutils``; it stays behind) and ``gettextutils``; tests in plain
unittest (``test_jsonutils.py`` uses the helper ``tests/unit/fakes.py``;
``test_log.py`` and ``test_gettextutils.py`` need ``log``), requirements files,
MAINTAINERS and setup.cfg. Nothing imports a third-party package at module level, so
the graduated library installs and its tests run in a bare virtualenv.
"""

from __future__ import annotations

from pathlib import Path

from builders import make_incubator, make_project

from oslo_incubator.history.builder import RepoBuilder

TIMEUTIL_V1 = '''\
# Copyright 2011 OpenStack Foundation.
# Licensed under the Apache License, Version 2.0.

"""Time helpers."""

import datetime


def utcnow():
    return datetime.datetime.utcnow()
'''

TIMEUTILS = '''\
# Copyright 2011 OpenStack Foundation.
# Licensed under the Apache License, Version 2.0.

"""Time helpers."""

import datetime

PERFECT_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def utcnow():
    return datetime.datetime(2014, 5, 13, 12, 0, 0)


def isotime(at=None):
    return (at or utcnow()).strftime(PERFECT_TIME_FORMAT)


def _private():
    return None
'''

JSONUTILS = '''\
# Copyright 2011 OpenStack Foundation.
# Licensed under the Apache License, Version 2.0.

"""JSON helpers."""

import datetime
import json

from openstack.common import timeutils


def to_primitive(value):
    if isinstance(value, datetime.datetime):
        return timeutils.isotime(value)
    return value


def dumps(value, **kwargs):
    return json.dumps(value, default=to_primitive, **kwargs)


def loads(text):
    return json.loads(text)


def parse_iso(text):
    import iso8601

    return iso8601.parse_date(text)
'''

LOG = '''\
"""Logging."""

import logging

from openstack.common import jsonutils


def getLogger(name):
    return logging.getLogger(name)


def format_record(record):
    return jsonutils.dumps(record)
'''

GETTEXTUTILS = '''\
"""Translation."""


def _(msg):
    return msg
'''

TEST_JSONUTILS = """\
import datetime
import unittest
from unittest import mock

from openstack.common import jsonutils
from tests.unit import fakes


class DumpsTest(unittest.TestCase):
    def test_dumps_datetime_with_timeutils(self):
        value = datetime.datetime(2014, 1, 2, 3, 4, 5)
        self.assertEqual(jsonutils.dumps(value), '"2014-01-02T03:04:05.000000"')

    def test_round_trip(self):
        self.assertEqual(jsonutils.loads(jsonutils.dumps(fakes.DATA)), fakes.DATA)

    @mock.patch('openstack.common.timeutils.utcnow')
    def test_patched_clock(self, utcnow):
        utcnow.return_value = datetime.datetime(2000, 1, 1)
        from openstack.common import timeutils

        self.assertEqual(timeutils.isotime(), "2000-01-01T00:00:00.000000")
"""

TEST_TIMEUTILS = """\
import unittest

from openstack.common import timeutils


class IsotimeTest(unittest.TestCase):
    def test_isotime(self):
        self.assertEqual(timeutils.isotime(), "2014-05-13T12:00:00.000000")
"""

TEST_GETTEXTUTILS = """\
import unittest

from openstack.common import gettextutils
from openstack.common import log


class TranslateTest(unittest.TestCase):
    def test_identity(self):
        self.assertEqual(gettextutils._(log.DEFAULT), "x")
"""

TEST_LOG = """\
import unittest

from openstack.common import log


class LogTest(unittest.TestCase):
    def test_logger(self):
        self.assertEqual(log.getLogger("x").name, "x")
"""

MAINTAINERS_TEXT = """\
= List of API Maintainers =

 S: Status, one of the following:
      Maintained:  Has an active maintainer

== jsonutils ==

M:
S: Orphan
F: jsonutils.py

== log ==

M: Someone <someone@example.org>
S: Maintained
F: log.py
"""

SETUP_CFG = """\
[metadata]
name = openstack.common
author = OpenStack
author-email = openstack-dev@lists.openstack.org
home-page = http://www.openstack.org/
classifier =
    Environment :: OpenStack
    License :: OSI Approved :: Apache Software License
    Programming Language :: Python :: 2.7
"""

API = '''\
"""The consumer's own code."""

from nova.openstack.common import jsonutils
from nova.openstack.common import timeutils as clock
import nova.openstack.common.log as logging

LOG = logging.getLogger(__name__)


def render(value):
    return jsonutils.dumps({"value": value, "at": clock.isotime()})
'''

TEST_API = """\
import datetime
import unittest
from unittest import mock

from nova import api


class RenderTest(unittest.TestCase):
    @mock.patch('nova.openstack.common.timeutils.utcnow')
    def test_render(self, utcnow):
        utcnow.return_value = datetime.datetime(2001, 2, 3)
        self.assertEqual(
            api.render(1), '{"value": 1, "at": "2001-02-03T00:00:00.000000"}'
        )
"""

CONSUMER_CONF = """\
[DEFAULT]

# The list of modules to copy from oslo-incubator
module=jsonutils
module=log
modules=gettextutils,timeutils

# The base module to hold the copy of openstack.common
base=nova
"""


def build_incubator(path: Path) -> RepoBuilder:
    """The incubator described in the module docstring."""
    repo = make_incubator(
        path,
        [
            (
                "Add time helpers",
                {
                    "openstack/common/timeutil.py": TIMEUTIL_V1,
                    "openstack/common/gettextutils.py": GETTEXTUTILS,
                    "setup.cfg": SETUP_CFG,
                    "requirements.txt": "pbr>=0.6,<1.0\nsix>=1.6.0\niso8601>=0.1.9\n",
                    "test-requirements.txt": "mock>=1.0\n",
                    "MAINTAINERS": MAINTAINERS_TEXT,
                },
            ),
            (
                "Add json helpers",
                {"openstack/common/jsonutils.py": JSONUTILS.replace("timeutils", "timeutil")},
            ),
            (
                "Add logging",
                {
                    "openstack/common/log.py": LOG,
                    "tests/__init__.py": "",
                    "tests/unit/__init__.py": "",
                    "tests/unit/test_log.py": TEST_LOG,
                },
            ),
            (
                "Touch logging only",
                {
                    "openstack/common/log.py": LOG + "\nDEFAULT = 'x'\n",
                    "tests/unit/test_gettextutils.py": TEST_GETTEXTUTILS,
                },
            ),
        ],
    )
    repo.move("openstack/common/timeutil.py", "openstack/common/timeutils.py")
    repo.commit("Rename timeutil to timeutils")
    repo.commit(
        "Add isotime and tests",
        {
            "openstack/common/timeutils.py": TIMEUTILS,
            "openstack/common/jsonutils.py": JSONUTILS,
            "tests/unit/test_timeutils.py": TEST_TIMEUTILS,
            "tests/unit/test_jsonutils.py": TEST_JSONUTILS,
            "tests/unit/fakes.py": 'DATA = {"a": [1, 2]}\n',
        },
    )
    return repo


def build_consumer(path: Path, incubator: Path) -> RepoBuilder:
    """A project ``nova`` with copies of the incubator's modules at HEAD and own code."""
    from oslo_incubator.history.git import git_text

    def master(name: str) -> str:
        return git_text(incubator, "show", f"HEAD:openstack/common/{name}")

    return make_project(
        path,
        "nova",
        {m: master(m) for m in ("jsonutils.py", "timeutils.py", "log.py", "gettextutils.py")},
        conf=CONSUMER_CONF,
        extra={
            "nova/api.py": API,
            "nova/tests/__init__.py": "",
            "nova/tests/test_api.py": TEST_API,
            "requirements.txt": "pbr>=0.6\nSQLAlchemy>=0.7.8\nsix>=1.6.0\nWebOb>=1.2.3\n",
        },
    )
