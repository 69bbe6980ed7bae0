"""A small fleet for scan tests: four projects and an incubator, each a git repository.

What the fleet holds, and what scan must make of it:

* ``helpers.py``: the same module in nova and cinder under their own package names (a
  renamed-package exact copy), and a near copy in glance (one operator changed);
  cinder's copy was committed first, so it is the family's origin.
* ``retry``: a function of ``helpers.py`` that heat copied into ``heat/engine/util.py``
  among code of its own, earliest of all (a function-level copy).
* ``strutils.py``: a master module in two versions. nova declares a copy of the old
  one (behind), glance of the new one with a local change (diverged), cinder carries an
  undeclared copy of the new one as ``cinder/common/text.py`` (current), and heat
  copied its ``bool_from_string`` into ``heat/common/utils.py``.
* unrelated ``manager.py`` files, tiny identical ``version.py`` files and empty
  ``__init__.py`` files, none of which may be grouped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import make_incubator, make_project, synced

HELPERS = '''\
"""Helpers shared by services."""

import time

from {base} import exception


def retry(func, attempts=3, delay=0.5, log=None):
    """Call func until it succeeds or attempts run out."""
    for attempt in range(attempts):
        try:
            return func()
        except exception.Retryable as exc:
            if log is not None:
                log.warning('attempt %d failed: %s', attempt, exc)
            if attempt == attempts - 1:
                raise
            time.sleep(delay * (attempt + 1))


def chunks(items, size):
    """Split items into lists of at most size elements."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
'''

STRUTILS_V1 = '''\
"""String utilities."""

import re

from openstack.common.gettextutils import _

TRUE_STRINGS = ('1', 't', 'true', 'on', 'y', 'yes')
FALSE_STRINGS = ('0', 'f', 'false', 'off', 'n', 'no')


def bool_from_string(subject, strict=False, default=False):
    """Interpret a string as a boolean."""
    if isinstance(subject, bool):
        return subject
    lowered = str(subject).strip().lower()
    if lowered in TRUE_STRINGS:
        return True
    elif lowered in FALSE_STRINGS:
        return False
    elif strict:
        raise ValueError(_('Unrecognized value %r, acceptable values are: %s')
                         % (subject, ', '.join(TRUE_STRINGS + FALSE_STRINGS)))
    return default


def to_slug(value):
    """Lower-case value and replace all but letters and digits with dashes."""
    value = re.sub(r'[^\\w\\s-]', '', value).strip().lower()
    return re.sub(r'[-\\s]+', '-', value)
'''

STRUTILS_V2 = (
    STRUTILS_V1
    + '''

def mask_password(message, secret='***'):
    """Replace the passwords in message with secret."""
    pattern = re.compile(r"(password\\s*[=:]\\s*)\\S+")
    return pattern.sub(lambda match: match.group(1) + secret, message)
'''
)

MANAGER = '''\
"""The {what} manager."""

from {base} import helpers
from {base}.openstack.common import strutils


class {name}Manager(object):
    def __init__(self, driver, host):
        self.driver = driver
        self.host = host
        self.{what}s = {{}}

    def {verb}(self, context, {what}_id, force=False):
        """{doc}"""
        if strutils.bool_from_string(force):
            return self.driver.{verb}_now({what}_id)
        return helpers.retry(lambda: self.driver.{verb}({what}_id))
'''

VERSION = "VERSION = '2014.2'\n"


@dataclass(frozen=True)
class Fleet:
    """Where the fleet's repositories are."""

    incubator: Path
    nova: Path
    glance: Path
    cinder: Path
    heat: Path

    @property
    def projects(self) -> list[Path]:
        """The projects in scan order."""
        return [self.nova, self.glance, self.cinder, self.heat]


def helpers(base: str) -> str:
    """``helpers.py`` as project ``base`` has it."""
    return HELPERS.format(base=base)


def near_helpers(base: str) -> str:
    """glance's near copy: one comparison changed in ``chunks``."""
    return helpers(base).replace("if len(batch) == size:", "if len(batch) >= size:")


def heat_util() -> str:
    """heat's engine utilities: its own functions around a copy of ``retry``."""
    retry = helpers("heat").split("\n\n\n")[1]
    return (
        '"""Engine utilities."""\n\nimport time\n\nfrom heat.common import exception\n\n\n'
        "def stack_name(stack):\n"
        '    """The physical name of a stack."""\n'
        "    return '%s-%s' % (stack.name, stack.id)\n\n\n"
        f"{retry}\n\n\n"
        "def resource_names(stack, types=None):\n"
        '    """Names of the resources of stack, of the given types only."""\n'
        "    return sorted(r.name for r in stack.resources\n"
        "                  if types is None or r.type in types)\n"
    )


def heat_utils() -> str:
    """heat's common utilities, with ``bool_from_string`` copied from master."""
    function = synced(STRUTILS_V2, "heat").split("\n\n\n")[1]
    return (
        '"""Common utilities."""\n\n'
        "from heat.openstack.common.gettextutils import _\n\n"
        "TRUE_STRINGS = ('1', 't', 'true', 'on', 'y', 'yes')\n"
        "FALSE_STRINGS = ('0', 'f', 'false', 'off', 'n', 'no')\n\n\n"
        f"{function}\n\n\n"
        "def template_version(template):\n"
        "    return template.get('heat_template_version', '2013-05-23')\n"
    )


def manager(base: str, what: str, verb: str, doc: str) -> str:
    """An unrelated manager module of project ``base``."""
    return MANAGER.format(base=base, what=what, name=what.title(), verb=verb, doc=doc)


@pytest.fixture(scope="session")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    """The fleet described in the module docstring (built once per test session)."""
    root = tmp_path_factory.mktemp("fleet")
    make_incubator(
        root / "incubator",
        [
            ("Add strutils", {"openstack/common/strutils.py": STRUTILS_V1}),
            ("Add mask_password to strutils", {"openstack/common/strutils.py": STRUTILS_V2}),
        ],
    )
    nova = make_project(
        root / "nova",
        "nova",
        {"strutils.py": STRUTILS_V1},
        extra={
            "nova/compute/__init__.py": "",
            "nova/compute/manager.py": manager("nova", "instance", "reboot",
                                               "Reboot an instance, retrying."),
            "nova/version.py": VERSION,
        },
    )  # fmt: skip
    nova.commit("Add exceptions", {"nova/exception.py": "class Retryable(Exception):\n    pass\n"})
    nova.commit("Add helpers", {"nova/helpers.py": helpers("nova")})
    glance_strutils = STRUTILS_V2.replace("'y', 'yes')", "'y', 'yes', 'enabled')")
    glance = make_project(root / "glance", "glance", {"strutils.py": glance_strutils})
    glance.commit("Add common", {"glance/common/__init__.py": ""})
    glance.commit("Add helpers", {"glance/common/helpers.py": near_helpers("glance")})
    cinder = make_project(
        root / "cinder",
        "cinder",
        {},
        extra={
            "cinder/volume/__init__.py": "",
            "cinder/volume/manager.py": manager("cinder", "volume", "detach",
                                                "Detach a volume from its attachments."),
            "cinder/version.py": VERSION,
        },
    )  # fmt: skip
    cinder.commit(
        "Add helpers and text utilities",
        {
            "cinder/helpers.py": helpers("cinder"),
            "cinder/common/__init__.py": "",
            "cinder/common/text.py": synced(STRUTILS_V2, "cinder"),
        },
    )
    make_project(
        root / "heat",
        "heat",
        {},
        extra={
            "heat/engine/__init__.py": "",
            "heat/engine/util.py": heat_util(),
            "heat/common/__init__.py": "",
            "heat/common/utils.py": heat_utils(),
        },
    )
    return Fleet(root / "incubator", root / "nova", root / "glance", root / "cinder",
                 root / "heat")  # fmt: skip
