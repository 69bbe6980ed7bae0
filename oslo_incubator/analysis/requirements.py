"""Third-party requirements: ``requirements.txt`` parsing and import name → distribution.

A module's third-party requirements are found from what it imports. An imported name is
one of:

* *standard library*: :data:`sys.stdlib_module_names` of the running Python, plus
  :data:`PYTHON2_STDLIB`, the Python 2 names that real incubator code imports
  (``urlparse``, ``cPickle`` ...), which Python 3 no longer has;
* *a distribution*: first through :data:`IMPORT_TO_DISTRIBUTION`, the names whose
  distribution is spelled differently (``yaml`` → ``PyYAML``; the ``oslo`` namespace
  packages by their first two parts, ``oslo.config`` and ``oslo_config`` →
  ``oslo.config``), else the imported top-level name itself when a requirements file
  lists it (compared as :func:`packaging.utils.canonicalize_name` does, so
  ``sqlalchemy`` finds ``SQLAlchemy`` and ``posix_ipc`` finds ``posix-ipc``);
* *unmapped*: anything else, reported by name and never silently dropped.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

#: Python 2 standard-library modules that Python 3 renamed or removed, as real
#: incubator and consumer code imports them.
PYTHON2_STDLIB = frozenset(
    {
        "__builtin__",
        "anydbm",
        "BaseHTTPServer",
        "CGIHTTPServer",
        "commands",
        "compiler",
        "ConfigParser",
        "Cookie",
        "cookielib",
        "copy_reg",
        "cPickle",
        "cStringIO",
        "dircache",
        "DocXMLRPCServer",
        "dummy_thread",
        "exceptions",
        "future_builtins",
        "htmlentitydefs",
        "HTMLParser",
        "httplib",
        "md5",
        "mimetools",
        "mutex",
        "new",
        "popen2",
        "Queue",
        "repr",
        "rfc822",
        "robotparser",
        "sets",
        "sha",
        "SimpleHTTPServer",
        "SimpleXMLRPCServer",
        "SocketServer",
        "StringIO",
        "thread",
        "Tkinter",
        "urllib2",
        "urlparse",
        "UserDict",
        "UserList",
        "UserString",
        "xmlrpclib",
    }
)

#: Imported names (a top-level name, or a dotted prefix for namespace packages) whose
#: distribution has another name. Longest dotted prefix wins.
IMPORT_TO_DISTRIBUTION: Mapping[str, str] = types.MappingProxyType(
    {
        "babel": "Babel",
        "bson": "pymongo",
        "Crypto": "pycrypto",
        "cinderclient": "python-cinderclient",
        "dateutil": "python-dateutil",
        "glanceclient": "python-glanceclient",
        "jinja2": "Jinja2",
        "keystoneclient": "python-keystoneclient",
        "ldap": "python-ldap",
        "memcache": "python-memcached",
        "migrate": "sqlalchemy-migrate",
        "msgpack": "msgpack-python",
        "MySQLdb": "MySQL-python",
        "neutronclient": "python-neutronclient",
        "novaclient": "python-novaclient",
        "paste": "Paste",
        "paste.deploy": "PasteDeploy",
        "pkg_resources": "setuptools",
        "prettytable": "PrettyTable",
        "qpid": "qpid-python",
        "routes": "Routes",
        "sqlalchemy": "SQLAlchemy",
        "swiftclient": "python-swiftclient",
        "webob": "WebOb",
        "yaml": "PyYAML",
        "zmq": "pyzmq",
        # The oslo namespace: ``oslo.config`` and, after the namespace was dropped,
        # ``oslo_config``; any other ``oslo.x`` / ``oslo_x`` follows the same rule.
        "oslo.config": "oslo.config",
        "oslo_config": "oslo.config",
        "oslo.i18n": "oslo.i18n",
        "oslo_i18n": "oslo.i18n",
        "oslo.messaging": "oslo.messaging",
        "oslo_messaging": "oslo.messaging",
        "oslo.rootwrap": "oslo.rootwrap",
        "oslo_rootwrap": "oslo.rootwrap",
        "oslo.vmware": "oslo.vmware",
        "oslo_vmware": "oslo.vmware",
        # Same name on both sides, listed so that they resolve even when no
        # requirements file names them.
        "eventlet": "eventlet",
        "fixtures": "fixtures",
        "greenlet": "greenlet",
        "iso8601": "iso8601",
        "kombu": "kombu",
        "lxml": "lxml",
        "mock": "mock",
        "mox": "mox",
        "netaddr": "netaddr",
        "oslotest": "oslotest",
        "six": "six",
        "stevedore": "stevedore",
        "testtools": "testtools",
    }
)

_OSLO_NAMESPACE = re.compile(r"^oslo(?:\.|_)([a-z][a-z0-9]*)")


@dataclass(frozen=True)
class RequirementLine:
    """One requirement of a requirements file.

    ``name`` is spelled as the file spells it; ``specifier`` and ``marker`` are
    packaging's normal forms (``"<=0.9.99,>=0.7.8"``, ``'python_version < "3"'``), empty
    when absent.
    """

    name: str
    specifier: str
    marker: str
    source: str
    line: int

    @property
    def key(self) -> str:
        """The canonical name (``sqlalchemy-migrate``) used for lookups."""
        return canonicalize_name(self.name)


@dataclass(frozen=True)
class InvalidLine:
    """A requirements line that ``packaging`` cannot read (a URL, a typo)."""

    source: str
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Requirements:
    """What the requirements files of a repository say, in file order."""

    lines: tuple[RequirementLine, ...] = ()
    invalid: tuple[InvalidLine, ...] = ()

    def find(self, distribution: str) -> RequirementLine | None:
        """The first line naming ``distribution`` (compared canonically), if any."""
        key = canonicalize_name(distribution)
        return next((r for r in self.lines if r.key == key), None)


@dataclass(frozen=True)
class Resolution:
    """What an imported name is: standard library, a distribution, or unmapped.

    ``distribution`` is set for a third-party name; ``requirement`` is the line that
    lists it, ``None`` when no requirements file does.
    """

    name: str
    stdlib: bool = False
    distribution: str | None = None
    requirement: RequirementLine | None = None

    @property
    def unmapped(self) -> bool:
        """Neither standard library nor any known distribution."""
        return not self.stdlib and self.distribution is None


def parse_requirements(text: str, source: str) -> Requirements:
    """Read a pip requirements file.

    Comments (whole-line and trailing), blank lines, options (``-e``, ``-r``,
    ``--index-url`` ...) are skipped; backslash continuations are joined. A line that
    :class:`packaging.requirements.Requirement` rejects is kept in ``invalid`` with the
    reason, so the caller can say so.

    Args:
        text: the file's text.
        source: its name, recorded on every line (``requirements.txt``).
    """
    lines: list[RequirementLine] = []
    invalid: list[InvalidLine] = []
    for number, logical in _logical_lines(text):
        stripped = re.sub(r"(^|\s)#.*$", "", logical).strip()
        if not stripped or stripped.startswith("-"):
            continue
        try:
            req = Requirement(stripped)
        except InvalidRequirement as exc:
            invalid.append(InvalidLine(source, number, stripped, str(exc).splitlines()[0]))
            continue
        marker = str(req.marker) if req.marker is not None else ""
        lines.append(RequirementLine(req.name, str(req.specifier), marker, source, number))
    return Requirements(tuple(lines), tuple(invalid))


def merge_requirements(parsed: Iterable[Requirements]) -> Requirements:
    """Several files as one, in the given order (runtime first, then test)."""
    lines: list[RequirementLine] = []
    invalid: list[InvalidLine] = []
    for one in parsed:
        lines += one.lines
        invalid += one.invalid
    return Requirements(tuple(lines), tuple(invalid))


def is_stdlib(name: str) -> bool:
    """Whether the top-level package of dotted ``name`` is in the standard library
    (of Python 3, or of the Python 2 that incubator code was written for)."""
    top = name.split(".", 1)[0]
    return top in sys.stdlib_module_names or top in PYTHON2_STDLIB


def distribution_of(name: str, requirements: Requirements) -> Resolution:
    """Resolve the imported dotted ``name`` (see the module docstring).

    Args:
        name: an absolute imported module (``sqlalchemy.orm``, ``oslo.config.cfg``).
        requirements: the repository's requirements, to find the specifier.
    """
    if is_stdlib(name):
        return Resolution(name, stdlib=True)
    distribution = _mapped_distribution(name)
    if distribution is None:
        top = name.split(".", 1)[0]
        listed = requirements.find(top)
        if listed is None:
            return Resolution(name)
        return Resolution(name, distribution=listed.name, requirement=listed)
    return Resolution(name, distribution=distribution, requirement=requirements.find(distribution))


def unmapped_name(name: str) -> str:
    """The part of an unmapped dotted ``name`` worth reporting: its top-level package,
    or the first two parts of an ``oslo`` namespace name."""
    match = _OSLO_NAMESPACE.match(name)
    if match:
        return name[: match.end()]
    return name.split(".", 1)[0]


# Private


def _mapped_distribution(name: str) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        mapped = IMPORT_TO_DISTRIBUTION.get(".".join(parts[:end]))
        if mapped is not None:
            return mapped
    match = _OSLO_NAMESPACE.match(name)
    if match:
        return f"oslo.{match.group(1)}"
    return None


def _logical_lines(text: str) -> Sequence[tuple[int, str]]:
    result: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        result.append((start, " ".join(pending)))
        pending = []
    if pending:
        result.append((start, " ".join(pending)))
    return result
