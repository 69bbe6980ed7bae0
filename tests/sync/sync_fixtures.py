"""Fixtures for sync tests: a small incubator with history, and a way to run a sync."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import make_incubator

from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.config import RewriteMode
from oslo_incubator.model.sync import SyncOptions, SyncResult
from oslo_incubator.operations.sync import sync_project
from oslo_incubator.workspace.config import load_project_config

LOG_V1 = '''\
"""Logging for oslo projects."""

import logging

from openstack.common.gettextutils import _
from openstack.common import jsonutils


def getLogger(name):
    return logging.getLogger(name)


def log_json(logger, data):
    logger.info(jsonutils.dumps(data))


def warn(logger, message):
    logger.warning(_(message))
'''
LOG_V2 = LOG_V1.replace(
    "logger.info(jsonutils.dumps(data))", "logger.debug(jsonutils.dumps(data))"
).replace(
    "    return logging.getLogger(name)\n",
    "    return logging.getLogger(name)\n\n\ndef critical(logger, message):\n"
    "    # Always shown.\n    logger.critical(message)\n",
)
LOG_V3 = LOG_V2.replace('"""Logging for oslo projects."""', '"""Logging helpers."""')
GETTEXT = "import gettext\n\n\ndef _(msg):\n    return gettext.gettext(msg)\n"
JSON = "import json\n\nfrom openstack.common import timeutils\n\n\ndef dumps(x):\n    return json.dumps(x)\n"
TIME = "import datetime\n\n\ndef utcnow():\n    return datetime.datetime.utcnow()\n"
LOCKUTILS = (
    "import os\n\n\ndef lock_path():\n"
    "    return os.environ.get('OSLO_LOCK_PATH')\n\n\ndef gettext_domain():\n"
    "    return 'oslo'\n"
)
DB_INIT = ""
DB_API = "from openstack.common.db import options\n\n\ndef get_backend():\n    return options\n"
DB_OPTIONS = "BACKEND = 'sqlalchemy'\n"
DB_SESSION = "import openstack.common.db.api\n\n\ndef f():\n    return openstack.common.db.api\n"
REPORT_JSON = (
    "from openstack.common.report.views import base\n\n\nclass JsonView(base.View):\n    pass\n"
)
REPORT_BASE = "class View(object):\n    pass\n"
GENERATE = "#!/bin/sh\npython -m openstack.common.config.generator\n"
UPDATE_PY = """\
def _copy_file(path, dest, base):
    shutil.copy2(path, dest)
    replacements = []
    replacements.append(('oslo(?!test)', base))
    replacements.append(('OSLO', base.upper()))
    for oslo_module in ['config']:
        replacements.append((base + '.' + oslo_module, 'oslo.' + oslo_module))
    replacements.append(('^( *)from openstack.common',
                         r'\\1from ' + base + '.openstack.common'))
    replacements.append(('^( *)import openstack.common',
                         r'\\1import ' + base + '.openstack.common'))
    replacements.append(('\\'openstack\\.common', '\\'' + base + '.openstack.common'))
    _replace(dest, replacements)
"""

FIRST = {
    "update.py": UPDATE_PY,
    "openstack/common/log.py": LOG_V1,
    "openstack/common/gettextutils.py": GETTEXT,
    "openstack/common/jsonutils.py": JSON,
    "openstack/common/timeutils.py": TIME,
    "openstack/common/lockutils.py": LOCKUTILS,
    "openstack/common/db/__init__.py": DB_INIT,
    "openstack/common/db/api.py": DB_API,
    "openstack/common/db/options.py": DB_OPTIONS,
    "openstack/common/db/sqlalchemy/__init__.py": "",
    "openstack/common/db/sqlalchemy/session.py": DB_SESSION,
    "openstack/common/report/__init__.py": "",
    "openstack/common/report/views/__init__.py": "",
    "openstack/common/report/views/base.py": REPORT_BASE,
    "openstack/common/report/views/json/__init__.py": "",
    "openstack/common/report/views/json/generic.py": REPORT_JSON,
    "openstack/common/config/__init__.py": "",
    "openstack/common/config/generator.py": "import sys\n",
    "tools/config/generate_sample.sh": GENERATE,
    "tools/colorizer.py": "#!/usr/bin/env python\nprint('colour')\n",
    "etc/oslo/rootwrap.conf": "[DEFAULT]\nfilters_path=/etc/oslo/rootwrap.d\n",
    "openstack/common/rootwrap/__init__.py": "",
    "openstack/common/rootwrap/cmd.py": "import sys\n",
}


class Workspace:
    """An incubator (``log`` changes in commits 2 and 3) and helpers to sync into projects."""

    def __init__(self, root: Path):
        self.root = root
        self.incubator: RepoBuilder = make_incubator(root / "incubator", [("Add modules", FIRST)])
        self.v0 = self.incubator.head()
        os.chmod(self.incubator.path / "tools/config/generate_sample.sh", 0o755)
        self.incubator.commit("Make generate_sample.sh executable")
        self.v1 = self.incubator.head()
        self.v2 = self.incubator.commit(
            "Log JSON at debug level, add critical()", {"openstack/common/log.py": LOG_V2}
        )
        self.v3 = self.incubator.commit(
            "Shorten the log docstring", {"openstack/common/log.py": LOG_V3}
        )

    def sync(self, project: Path, rev: str = "HEAD", **options: object) -> SyncResult:
        options.setdefault("command", "oslo-incubator sync test")
        inc = open_incubator(self.incubator.path, rev=rev)
        config = load_project_config(project)
        return sync_project(inc, project, config, SyncOptions(**options))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("sync"))


@pytest.fixture
def files_of() -> Callable[[Path], dict[str, str]]:
    def read(project: Path) -> dict[str, str]:
        return {
            p.relative_to(project).as_posix(): p.read_text()
            for p in sorted(project.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(project).parts
        }

    return read


__all__ = ["RewriteMode"]
