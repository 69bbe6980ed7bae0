"""Check the names and lines that options put into files, before anything is written.

A library name goes into ``setup.cfg`` and requirements files, a package name into
imports and folder names, a requirement into ``requirements.txt``, a version into
shims: each must be what its file expects, on one line, or the file it lands in breaks.
"""

from __future__ import annotations

import keyword
import re
import sys

from packaging.requirements import InvalidRequirement, Requirement

# PEP 508's name: letters and digits, with '.', '_' and '-' inside.
_DISTRIBUTION = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
_VERSION_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+*?_ -]{0,63}$|^\?$")
_WEB_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def check_library_name(name: str) -> str:
    """A distribution name (``oslo.concurrency``).

    Raises:
        ValueError: not a PEP 508 name (a path, spaces, a newline ...).
    """
    if not _DISTRIBUTION.match(name):
        raise ValueError(f"{name!r} is not a library name (letters, digits, '.', '_', '-')")
    return name


def check_package_name(package: str) -> str:
    """An import package for a new library: dotted identifiers, none a keyword, and not
    a standard-library module (which it would shadow).

    Raises:
        ValueError: with the reason.
    """
    parts = package.split(".")
    if not package or not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
        raise ValueError(f"{package!r} is not a Python package name")
    if parts[0] in sys.stdlib_module_names:
        raise ValueError(f"{package!r} would shadow the standard library's {parts[0]!r}")
    return package


def check_requirement(line: str) -> str:
    """One requirements line (``oslo.log>=1.0``): a PEP 508 requirement on one line.

    Raises:
        ValueError: several lines, an option (``-e ...``), or not PEP 508.
    """
    if "\n" in line or "\r" in line:
        raise ValueError("a requirement is one line")
    if line.strip().startswith("-"):
        raise ValueError(f"{line!r} is an option, not a requirement")
    try:
        Requirement(line)
    except InvalidRequirement as exc:
        raise ValueError(f"{line!r} is not a requirement: {exc}") from None
    return line


def check_version_text(value: str) -> str:
    """A version as a shim or decorator states it (``2.0``, ``Kilo``, ``?``): short
    text of letters, digits and ``. + * ? _ -``, on one line.

    Raises:
        ValueError: anything else (quotes, backslashes, control characters).
    """
    if not _VERSION_TEXT.match(value):
        raise ValueError(f"{value!r} is not a version (letters, digits, '.+*?_-', one line)")
    return value


def check_base_package(base: str) -> str:
    """A project's base package (``nova``, ``foo.bar``; ``foo/bar`` as update.py took it).

    Raises:
        ValueError: not dotted identifiers.
    """
    parts = base.replace("/", ".").split(".")
    if not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
        raise ValueError(f"{base!r} is not a package name")
    return base


def commit_url_template(url: str) -> str:
    """The incubator's web address as a template for links to its commits: a template
    with ``{sha}`` is kept (``https://example.org/c/{sha}``); an address without one is
    a repository page, to which ``/commit/{sha}`` is added (how GitHub, GitLab, Gitea
    and opendev spell a commit's page).

    Raises:
        ValueError: not an http(s) address on one line, or braces other than ``{sha}``.
    """
    text = url.strip()
    if not _WEB_URL.match(text):
        raise ValueError(f"{url!r} is not an http:// or https:// address")
    if text.replace("{sha}", "").count("{") or text.replace("{sha}", "").count("}"):
        raise ValueError(f"{url!r}: the only placeholder is {{sha}}")
    if "{sha}" in text:
        return text
    return text.rstrip("/") + "/commit/{sha}"
