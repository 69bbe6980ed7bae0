"""A keystone-like workspace for check tests: an incubator that graduated ``log`` and
``rpc``, and a project whose own code imports one and names both in strings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builders import make_incubator, make_project
from click.testing import CliRunner

from oslo_incubator.cli import main
from oslo_incubator.history.builder import RepoBuilder

LOG = "import logging\n\n\ndef getLogger(name):\n    return logging.getLogger(name)\n"
JSON = "import json\n\n\ndef dumps(v):\n    return json.dumps(v)\n"
KOMBU = "class Connection(object):\n    pass\n"
OBSOLETE = "openstack/common/log.py oslo.log\nopenstack/common/rpc/* oslo.messaging\n"

# What keystone 2015.1 carried: a logger list and a messaging driver-alias table whose
# keys are configuration values, and one real import of the old path.
CONFIG_PY = """\
from keystone.openstack.common import log

LOG_MODULES = ('logging', 'keystone.openstack.common.log')

_ALIASES = {
    'keystone.openstack.common.rpc.impl_kombu': 'rabbit',
}
"""
SERVICE_PY = "import keystone.openstack.common.log\n"


@dataclass
class Workspace:
    incubator: Path
    project: RepoBuilder

    @property
    def path(self) -> Path:
        return self.project.path

    def check(self, *args: str) -> tuple[int, str]:
        result = CliRunner().invoke(
            main, ["check", "--incubator", str(self.incubator), *args, str(self.path)]
        )
        return result.exit_code, result.output

    def check_json(self, *args: str) -> tuple[int, dict[str, Any]]:
        code, out = self.check("--format", "json", *args)
        return code, json.loads(out)


def build_keystone(root: Path, incubator: str = "inc", project: str = "keystone") -> Workspace:
    """An incubator that graduated log and rpc, and keystone with its copies, in the
    directories ``incubator`` and ``project`` under ``root``."""
    inc = make_incubator(
        root / incubator,
        [
            (
                "Add modules",
                {
                    "openstack/common/log.py": LOG,
                    "openstack/common/jsonutils.py": JSON,
                    "openstack/common/rpc/__init__.py": "",
                    "openstack/common/rpc/impl_kombu.py": KOMBU,
                },
            ),
            ("Graduate log and rpc", {"obsolete.txt": OBSOLETE}),
        ],
    )
    repo = make_project(
        root / project,
        "keystone",
        {
            "log.py": LOG,
            "jsonutils.py": JSON,
            "rpc/__init__.py": "",
            "rpc/impl_kombu.py": KOMBU,
        },
        extra={"keystone/common/__init__.py": "", "keystone/common/config.py": CONFIG_PY},
    )
    return Workspace(inc.path, repo)


Row = tuple[str, str | None, int | None, str, str | None]


def findings_of(doc: dict[str, Any]) -> list[Row]:
    """Each finding of a check/3 document as (rule, path, line, level, waiver)."""
    return [(f["rule"], f["path"], f["line"], f["level"], f["waiver"]) for f in doc["findings"]]
