"""A small, realistic sample workspace: an incubator with history and three projects.

Between them the projects show every drift status: current, behind, diverged (with a
local patch and with a backport), obsolete, unknown and missing, plus a renamed master
module, a Python 2 copy, a nested base package and both configuration file forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.analysis.normalise import rewrite_import_prefix
from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT

_LICENSE = '# Licensed under the Apache License, Version 2.0 (the "License").\n\n'

_LOG_V1 = (
    _LICENSE
    + '''"""Logging helpers shared by OpenStack projects."""

import logging

from openstack.common.gettextutils import _


def getLogger(name="unknown"):
    return logging.getLogger(name)


def setup(product_name):
    logging.basicConfig(level=logging.INFO)
    getLogger(product_name).info(_("Logging enabled"))
'''
)

_LOG_V2 = (
    _LOG_V1
    + '''

def set_defaults(logging_context_format_string=None):
    """Set default values for the logging options."""
    return logging_context_format_string
'''
)


def _log_version_fix(text: str) -> str:
    return text.replace(
        "def setup(product_name):\n",
        'def setup(product_name, version="unknown"):\n',
    ).replace('_("Logging enabled"))', '_("Logging enabled for %s") % version)')


_LOG_V3 = _log_version_fix(_LOG_V2)

_JSON_V1 = (
    _LICENSE
    + '''"""JSON related utilities."""

import json

from openstack.common import timeutils


def to_primitive(value):
    if hasattr(value, "isoformat"):
        return timeutils.strtime(value)
    return value


def dumps(value, default=to_primitive, **kwargs):
    return json.dumps(value, default=default, **kwargs)


def loads(s):
    return json.loads(s)
'''
)

_JSON_V2 = _JSON_V1.replace(
    "def loads(s):\n    return json.loads(s)\n",
    'def loads(s, encoding="utf-8"):\n'
    "    return json.loads(s.decode(encoding) if isinstance(s, bytes) else s)\n",
)

_TIME_V1 = (
    _LICENSE
    + '''"""Time related utilities."""

import datetime

PERFECT_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def utcnow():
    return datetime.datetime.utcnow()


def strtime(at=None, fmt=PERFECT_TIME_FORMAT):
    return (at or utcnow()).strftime(fmt)
'''
)

_GETTEXT = (
    _LICENSE
    + '''"""gettext for openstack-common modules."""

import gettext

_t = gettext.translation("oslo", fallback=True)


def _(msg):
    return _t.gettext(msg)
'''
)

_NETWORK = (
    _LICENSE
    + '''"""Network-related utilities."""


def parse_host_port(address, default_port=None):
    host, _sep, port = address.rpartition(":")
    return host or address, int(port) if port else default_port
'''
)

_CONTEXT = (
    _LICENSE
    + '''"""Simple class that stores security context information."""


class RequestContext(object):
    def __init__(self, user=None, tenant=None):
        self.user = user
        self.tenant = tenant
'''
)

_MAINTAINERS = """= List of API Maintainers =

== context ==

M:
S: Graduating (oslo.context)
F: context.py

== log ==

M: Jane Doe <jane@example.org>
S: Maintained
F: log.py
"""


@dataclass(frozen=True)
class SampleWorkspace:
    """Where the sample incubator and projects were written."""

    incubator: Path
    projects: tuple[Path, ...]


def build_sample_workspace(dest: Path) -> SampleWorkspace:
    """Write the sample incubator and projects under ``dest`` (which must be empty)."""
    inc = RepoBuilder(dest / "incubator")
    root = DEFAULT_PACKAGE_ROOT.path
    v1 = inc.commit(
        "Initial import of common code",
        {
            "MAINTAINERS": _MAINTAINERS,
            "requirements.txt": "oslo.config>=1.2.0\nsix>=1.6.0\n",
            "openstack/__init__.py": "",
            f"{root}/__init__.py": "",
            f"{root}/gettextutils.py": _GETTEXT,
            f"{root}/log.py": _LOG_V1,
            f"{root}/jsonutils.py": _JSON_V1,
            f"{root}/timeutils.py": _TIME_V1,
            f"{root}/network.py": _NETWORK,
            f"{root}/context.py": _CONTEXT,
        },
    )
    inc.commit("log: add set_defaults()", {f"{root}/log.py": _LOG_V2})
    inc.move(f"{root}/network.py", f"{root}/network_utils.py")
    inc.commit("Rename network to network_utils")
    inc.commit("jsonutils: accept bytes in loads()", {f"{root}/jsonutils.py": _JSON_V2})
    inc.commit("Remove context, it graduated to oslo.context", {f"{root}/context.py": None})
    inc.commit("log: report the version at setup", {f"{root}/log.py": _LOG_V3})
    del v1

    def copy(text: str, base: str) -> str:
        return rewrite_import_prefix(text.replace("oslo", base), base)

    # compute: a project that synced early and patched one copy (a backport).
    compute = RepoBuilder(dest / "compute")
    cbase = "compute/openstack/common"
    compute.commit(
        "Sync from oslo-incubator",
        {
            "openstack-common.conf": "[DEFAULT]\n\n# The list of modules to copy\n"
            "module=log\nmodule=jsonutils\nmodule=timeutils\nmodule=gettextutils\n"
            "module=context\nmodule=uuidutils\n\n# The base module\nbase=compute\n",
            "compute/__init__.py": "",
            f"{cbase}/__init__.py": "",
            # log: a fix from master's future cherry-picked onto an old version.
            f"{cbase}/log.py": copy(_log_version_fix(_LOG_V1), "compute"),
            # jsonutils: a local patch on an old version.
            f"{cbase}/jsonutils.py": copy(_JSON_V1, "compute").replace(
                "    return value\n", "    return str(value)  # compute: never fail\n"
            ),
            f"{cbase}/timeutils.py": copy(_TIME_V1, "compute"),
            f"{cbase}/gettextutils.py": copy(_GETTEXT, "compute"),
            f"{cbase}/context.py": copy(_CONTEXT, "compute"),
            f"{cbase}/sqlutils.py": "def paginate(query):\n    return query\n",
        },
    )

    # imaging: an older config form, a local patch, and a copy in Python 2 syntax.
    imaging = RepoBuilder(dest / "imaging")
    ibase = "imaging/openstack/common"
    imaging.commit(
        "Sync from oslo-incubator",
        {
            "openstack-common.conf": "[DEFAULT]\nmodules=log,jsonutils,network\nbase=imaging\n",
            "imaging/__init__.py": "",
            f"{ibase}/__init__.py": "",
            f"{ibase}/log.py": copy(_LOG_V2, "imaging"),
            f"{ibase}/jsonutils.py": copy(_JSON_V1, "imaging").replace(
                "def loads(s):\n", "def loads(s):\n    print >>sys.stderr, 'loads'\n"
            ),
            f"{ibase}/network.py": copy(_NETWORK, "imaging"),
            f"{ibase}/timeutils.py": copy(_TIME_V1, "imaging"),
            f"{ibase}/gettextutils.py": copy(_GETTEXT, "imaging"),
        },
    )

    # storage: a nested base package, configured in pyproject.toml, fully in step.
    storage = RepoBuilder(dest / "storage")
    sbase = "storage/lib/openstack/common"
    storage.commit(
        "Sync from oslo-incubator",
        {
            "pyproject.toml": '[project]\nname = "storage"\n\n[tool.oslo-incubator]\n'
            'base = "storage.lib"\nmodules = ["log", "timeutils", "network_utils"]\n',
            "storage/__init__.py": "",
            "storage/lib/__init__.py": "",
            f"{sbase}/__init__.py": "",
            f"{sbase}/log.py": copy(_LOG_V3, "storage.lib"),
            f"{sbase}/timeutils.py": copy(_TIME_V1, "storage.lib"),
            f"{sbase}/network_utils.py": copy(_NETWORK, "storage.lib"),
            f"{sbase}/gettextutils.py": copy(_GETTEXT, "storage.lib"),
        },
    )
    return SampleWorkspace(inc.path, (compute.path, imaging.path, storage.path))
