"""Texts of a graduation: a new pbr library's files, shims, and the edits that record it.

Everything here is pure (text in, text out), so each piece is tested on strings:

* the files of a new pbr-packaged library: :func:`library_files` (``setup.cfg``,
  ``setup.py``, ``requirements.txt``, ``test-requirements.txt``, ``README.rst``,
  ``tox.ini``, ``doc/source/conf.py`` and ``index.rst``, ``.gitignore``);
* the shim left at a graduated module's old path: :func:`public_names` (what it
  re-exports, found statically) and :func:`shim_text`;
* the messages of the commits a graduation makes;
* what a new requirement does to a ``requirements.txt``: :func:`add_requirement`
  (keeping its format).

What the incubator records (MAINTAINERS, ``obsolete.txt``) is written where it is
read, in :mod:`oslo_incubator.analysis.records`; ``openstack-common.conf`` in
:mod:`oslo_incubator.workspace.config`.
"""

from __future__ import annotations

import ast
import configparser
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from oslo_incubator.analysis.syntax import parse_python
from oslo_incubator.model.graduate import GraduationResult
from oslo_incubator.model.packageroot import PackageRoot

#: Classifier families taken over from the incubator's ``setup.cfg`` (the Python
#: versions are not: the library is built and tested with today's Python 3; licence
#: classifiers become a ``license`` expression, as setuptools now wants).
INHERITED_CLASSIFIERS = ("Environment ::", "Intended Audience ::", "Operating System ::")
#: Licence classifiers whose SPDX expression is known.
LICENSE_EXPRESSIONS = {
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: BSD License": "BSD-3-Clause",
}
DEFAULT_CLASSIFIERS = (
    "Intended Audience :: Developers",
    "Programming Language :: Python",
    "Programming Language :: Python :: 3",
)
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class LibraryMetadata:
    """What a new library's packaging files say.

    ``requirements`` and ``test_requirements`` are requirement lines
    (``six>=1.6.0``); ``modules`` the graduated modules as the incubator named them;
    ``source`` names where they came from (``oslo-incubator at c8b3dc0``).
    """

    name: str
    package: str
    summary: str
    author: str
    author_email: str
    home_page: str
    classifiers: tuple[str, ...]
    modules: tuple[str, ...]
    requirements: tuple[str, ...]
    test_requirements: tuple[str, ...]
    source: str
    license: str = ""
    consumer_base: str = "project"
    python_requires: str = ">=3.8"


def testr_environment(testr_conf: str) -> dict[str, str]:
    """The environment variables a ``.testr.conf``'s ``test_command`` sets before the
    command (``OS_TEST_TIMEOUT=${OS_TEST_TIMEOUT:-60}`` gives ``60``), so tests run
    elsewhere run as the repository's own runner ran them."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(testr_conf)
        command = parser.get("DEFAULT", "test_command", fallback="")
    except configparser.Error:
        return {}
    found: dict[str, str] = {}
    for token in command.replace("\\\n", " ").split():
        match = _ASSIGNMENT.match(token)
        if match is None:
            break  # the command itself
        name, value = match.group(1), match.group(2)
        default = re.fullmatch(r"\$\{\w+:-(.*)\}", value)
        found[name] = default.group(1) if default else value
    return found


_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$")


def package_name(library: str) -> str:
    """The import package of a library name: ``oslo.serialization`` → ``oslo_serialization``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", library).lower()


def incubator_metadata(setup_cfg: str | None) -> dict[str, str | tuple[str, ...]]:
    """Author, e-mail, home page and classifiers from an incubator's ``setup.cfg``.

    Keys: ``author``, ``author_email``, ``home_page``, ``license``,
    ``python_requires`` (each present only when the file says it, dashed or
    underscored; ``license`` also from a licence classifier in
    :data:`LICENSE_EXPRESSIONS`, ``python_requires`` also ``>=`` the oldest
    ``Programming Language :: Python :: X.Y`` classifier) and ``classifiers`` (those of
    the :data:`INHERITED_CLASSIFIERS` families, in file order). A file that does not
    parse gives nothing.
    """
    found: dict[str, str | tuple[str, ...]] = {}
    if not setup_cfg:
        return found
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(setup_cfg)
    except configparser.Error:
        return found
    if not parser.has_section("metadata"):
        return found
    section = parser["metadata"]
    for key in ("author", "author_email", "home_page", "license", "python_requires"):
        value = section.get(key) or section.get(key.replace("_", "-"))
        if value and value.strip():
            found[key] = value.strip()
    raw = section.get("classifier") or section.get("classifiers") or ""
    inherited = tuple(
        line.strip() for line in raw.splitlines() if line.strip().startswith(INHERITED_CLASSIFIERS)
    )
    if inherited:
        found["classifiers"] = inherited
    for line in raw.splitlines():
        if line.strip() in LICENSE_EXPRESSIONS and "license" not in found:
            found["license"] = LICENSE_EXPRESSIONS[line.strip()]
    versions = [
        (int(m.group(1)), int(m.group(2)))
        for m in (_PYTHON_CLASSIFIER.fullmatch(line.strip()) for line in raw.splitlines())
        if m
    ]
    if versions and "python_requires" not in found:
        found["python_requires"] = ">={}.{}".format(*min(versions))
    return found


_PYTHON_CLASSIFIER = re.compile(r"Programming Language :: Python :: (\d+)\.(\d+)")


def library_files(meta: LibraryMetadata) -> dict[str, str]:
    """The packaging files of a new pbr library, path → text."""
    return {
        ".gitignore": gitignore_text(),
        "README.rst": readme_text(meta),
        "doc/source/conf.py": doc_conf_text(meta),
        "doc/source/index.rst": doc_index_text(meta),
        "requirements.txt": requirements_text(meta.requirements),
        "setup.cfg": setup_cfg_text(meta),
        "setup.py": setup_py_text(),
        "test-requirements.txt": test_requirements_text(meta.test_requirements),
        "tox.ini": tox_ini_text(meta),
    }


def setup_cfg_text(meta: LibraryMetadata) -> str:
    """``setup.cfg`` for pbr: metadata and the one package."""
    classifiers = "".join(f"    {c}\n" for c in _classifiers(meta.classifiers))
    return (
        "[metadata]\n"
        f"name = {meta.name}\n"
        f"summary = {meta.summary}\n"
        "description_file =\n"
        "    README.rst\n"
        f"author = {meta.author}\n"
        f"author_email = {meta.author_email}\n"
        f"home_page = {meta.home_page}\n"
        + (f"license = {meta.license}\n" if meta.license else "")
        + f"python_requires = {meta.python_requires}\n"
        "classifier =\n"
        f"{classifiers}"
        "\n"
        "[files]\n"
        "packages =\n"
        f"    {meta.package}\n"
        # A library for Python 2 as well gets a wheel tagged for both.
         + ("\n[bdist_wheel]\nuniversal = 1\n" if admits_python2(meta.python_requires) else "")
    )


def admits_python2(python_requires: str) -> bool:
    """Whether a ``Requires-Python`` specifier admits Python 2.7."""
    try:
        return SpecifierSet(python_requires).contains("2.7")
    except InvalidSpecifier:
        return False


def setup_py_text() -> str:
    """``setup.py`` handing everything to pbr."""
    return (
        "import setuptools\n\nsetuptools.setup(\n    setup_requires=['pbr'],\n    pbr=True,\n)\n"
    )


def requirements_text(requirements: Sequence[str]) -> str:
    """``requirements.txt``: pbr first (it builds the package), then the rest sorted."""
    lines = sorted((r for r in requirements if _name_of(r) != "pbr"), key=_sort_key)
    pbr = next((r for r in requirements if _name_of(r) == "pbr"), "pbr")
    return (
        "# The order of packages is significant, because pip processes them in the order\n"
        "# of appearance.\n"
        f"{pbr}\n" + "".join(f"{line}\n" for line in lines)
    )


def test_requirements_text(requirements: Sequence[str]) -> str:
    """``test-requirements.txt``: what the moved tests import, sorted."""
    lines = sorted(requirements, key=_sort_key)
    return "# What the library's tests import beyond requirements.txt.\n" + "".join(
        f"{line}\n" for line in lines
    )


def readme_text(meta: LibraryMetadata) -> str:
    """``README.rst``: what the library is, where it came from, how to move to it."""
    title = "=" * len(meta.name)
    modules = "".join(f"- ``{meta.package}.{m}`` (was ``openstack.common.{m}``)\n"
                      for m in meta.modules)  # fmt: skip
    first = meta.modules[0] if meta.modules else "module"
    return (
        f"{title}\n{meta.name}\n{title}\n\n"
        f"{meta.summary}\n\n"
        f"Graduated from {meta.source}, with the history of its modules:\n\n"
        f"{modules}\n"
        "Projects that copied these modules import the library instead::\n\n"
        f"    from {meta.consumer_base}.openstack.common import {first}  # before\n"
        f"    from {meta.package} import {first}  # after\n\n"
        f"``oslo-incubator migrate PROJECT --library {meta.name}`` makes that change.\n\n"
        "Tests::\n\n"
        f"    python -m unittest discover -s {meta.package}/tests -t .\n"
    )


def tox_ini_text(meta: LibraryMetadata) -> str:
    """``tox.ini`` running the moved tests with the standard library's runner."""
    return (
        "[tox]\n"
        "minversion = 3.18\n"
        "envlist = py3,pep8\n"
        "\n"
        "[testenv]\n"
        "deps =\n"
        "    -r{toxinidir}/requirements.txt\n"
        "    -r{toxinidir}/test-requirements.txt\n"
        f"commands = python -m unittest discover -s {meta.package}/tests -t . {{posargs}}\n"
        "\n"
        "[testenv:pep8]\n"
        "deps = flake8\n"
        f"commands = flake8 {meta.package}\n"
        "\n"
        "[testenv:docs]\n"
        "deps = sphinx\n"
        "commands = sphinx-build -W -b html doc/source doc/build/html\n"
        "\n"
        "[flake8]\n"
        "exclude = .venv,.tox,dist,doc,*.egg,build\n"
    )


def doc_conf_text(meta: LibraryMetadata) -> str:
    """``doc/source/conf.py``: a Sphinx configuration with no extensions."""
    return (
        f'"""Sphinx configuration of {meta.name}."""\n'
        "\n"
        f"project = {meta.name!r}\n"
        f"copyright = {meta.author!r}\n"
        "extensions = []\n"
        "source_suffix = '.rst'\n"
        "master_doc = 'index'\n"
        "exclude_patterns = []\n"
        "html_theme = 'alabaster'\n"
    )


def doc_index_text(meta: LibraryMetadata) -> str:
    """``doc/source/index.rst``: the README's facts as a documentation front page."""
    title = "=" * len(meta.name)
    modules = "".join(f"- ``{meta.package}.{m}``\n" for m in meta.modules)
    return f"{title}\n{meta.name}\n{title}\n\n{meta.summary}\n\nModules:\n\n{modules}"


def gitignore_text() -> str:
    """``.gitignore``: build output, and the files pbr generates from git."""
    return (
        "*.egg\n*.egg-info\n*.py[co]\n__pycache__/\n.eggs/\n.tox/\nbuild/\ndist/\n"
        "doc/build/\nAUTHORS\nChangeLog\n"
    )


def public_names(text: str) -> tuple[str, ...]:
    """The names a module offers: its literal ``__all__``, else every name its top level
    defines (``def``, ``class``, assignment, also inside top-level ``if``/``try``/
    ``with``) that does not start with ``_``, in source order.

    Text that does not parse (Python 2) is read line by line: ``def x``, ``class x``
    and ``x =`` at column 0.
    """
    try:
        tree = parse_python(text)
    except (SyntaxError, ValueError):
        return _public_names_text(text)
    declared = _literal_all(tree.body)
    if declared is not None:
        return declared
    names: dict[str, None] = {}
    for name in _top_level_names(tree.body):
        if not name.startswith("_"):
            names[name] = None
    return tuple(names)


def shim_text(
    new_module: str,
    library: str,
    names: Sequence[str],
    header: str = "",
    version: str | None = None,
    removal_version: str | None = "?",
) -> str:
    """The text left at a graduated module's old path.

    It re-exports ``names`` from ``new_module`` explicitly, forwards any other
    attribute (private names, names added later) through a module ``__getattr__``,
    and warns on import with
    :func:`oslo_incubator.deprecation.removals.removed_module`.

    Args:
        new_module: where the code now lives.
        library: the library's distribution name.
        names: the public names to re-export (see :func:`public_names`).
        header: the original's leading comment block (licence), kept verbatim.
        version: the version the deprecation starts in, if any.
        removal_version: when the shim goes away (``"?"``: a future version).
    """
    parts = [header.rstrip("\n") + "\n\n"] if header.strip() else []
    parts.append(
        f'"""Deprecated: moved to ``{new_module}`` in the {library} library.\n\n'
        f"This module is a shim left by ``oslo-incubator graduate run``; import\n"
        f"``{new_module}`` instead.\n"
        '"""\n\n'
    )
    parts.append("import importlib\n\nfrom oslo_incubator.deprecation import removals\n\n")
    if names:
        listed = "".join(f"    {n},\n" for n in names)
        parts.append(f"from {new_module} import (  # noqa: F401\n{listed})\n\n")
        exported = "".join(f"    {n!r},\n" for n in names)
        parts.append(f"__all__ = [\n{exported}]\n\n")
    else:
        parts.append(f"import {new_module}  # noqa: F401\n\n")
    arguments = [f"    __name__,\n    replacement={new_module!r},\n"]
    if version is not None:
        arguments.append(f"    version={version!r},\n")
    if removal_version is not None:
        arguments.append(f"    removal_version={removal_version!r},\n")
    # stacklevel 4: past removed_module and this module's body (the import machinery's
    # frames are skipped by warnings), the warning names the line importing the shim.
    arguments.append("    stacklevel=4,\n")
    parts.append(f"removals.removed_module(\n{''.join(arguments)})\n\n\n")
    parts.append(
        "def __getattr__(name):\n"
        "    # Names not re-exported above (private ones, or added to the library later).\n"
        f"    return getattr(importlib.import_module({new_module!r}), name)\n"
    )
    return "".join(parts)


def leading_comments(text: str) -> str:
    """The comment block a file starts with (its licence header), blank lines inside
    it included; empty when the file does not start with a comment."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    for line in lines:
        if line.startswith("#") or (kept and not line.strip()):
            kept.append(line)
            continue
        break
    while kept and not kept[-1].strip():
        kept.pop()
    # A shebang or coding line is no licence, but harmless to keep with it.
    return "".join(kept)


def missing_inits(texts: Mapping[str, str], package: str) -> list[str]:
    """The ``__init__.py`` files (``<package>/tests`` included) that the folders of
    ``texts`` (path → text, the library's files) lack."""
    folders = {package}
    for path in texts:
        parent = PurePosixPath(path).parent
        while str(parent) not in (".", "") and str(parent) != package:
            folders.add(str(parent))
            parent = parent.parent
    folders.add(f"{package}/tests")
    return sorted(f"{f}/__init__.py" for f in folders if f"{f}/__init__.py" not in texts)


def code_commit_message(result: GraduationResult, package_root: PackageRoot) -> str:
    """The message of the library's commit that moves the imports."""
    modules = ", ".join(result.modules)
    root_module = package_root.module
    return (
        f"Move {modules} into the {result.package} package\n\n"
        f"Imports of {root_module}.<module> now name {result.package}.<module>, in the\n"
        f"library's code and in its tests (moved to {result.package}/tests).\n\n"
        f"Graduated from the incubator at {result.head[:12]} by oslo-incubator graduate run.\n"
    )


def packaging_commit_message(result: GraduationResult) -> str:
    """The message of the library's packaging commit."""
    return (
        f"Add pbr packaging for {result.library}\n\n"
        "setup.cfg, setup.py, requirements.txt (what the modules import, with the\n"
        "incubator's specifiers), test-requirements.txt, README.rst, tox.ini, the\n"
        "doc/source skeleton and .gitignore.\n"
    )


def shim_commit_message(result: GraduationResult, library_head: str | None) -> str:
    """The message of the incubator's shim commit."""
    modules = ", ".join(result.modules)
    at = f" (library commit {library_head[:12]})" if library_head else ""
    return (
        f"Graduate {modules} to {result.library}\n\n"
        f"The code now lives in the {result.library} library, package {result.package}{at}.\n"
        "Each graduated file is left as a shim that re-exports the library's names and\n"
        "warns on import; the incubator's own modules and tests that imported them now\n"
        "import the library, and the tests that moved to the library are removed.\n"
        "MAINTAINERS and obsolete.txt record the graduation, so drift and sync report\n"
        f"these modules' life cycle as obsolete, replaced by {result.library}.\n"
    )


def add_requirement(text: str | None, requirement: str) -> tuple[str, bool]:
    """Add a requirement line to a ``requirements.txt``, keeping its format.

    Nothing changes when a line already names the distribution (compared
    canonically). In a file whose requirement lines are sorted by name (ignoring
    case, ``-``/``_``/``.``), the line goes to its sorted place, right after the last
    requirement that sorts before it (so the comments above the next one stay with
    it); otherwise it is appended. A missing file is created.

    Returns:
        The new text and whether it changed.
    """
    name = canonicalize_name(_name_of(requirement) or requirement)
    if text is None:
        return requirement + "\n", True
    lines = text.splitlines(keepends=True)
    requirement_lines = []  # (index of the line's last physical line, canonical name)
    index = 0
    while index < len(lines):
        first = index
        while lines[index].rstrip("\r\n").endswith("\\") and index + 1 < len(lines):
            index += 1
        found = _name_of(lines[first])
        if found and not lines[first].lstrip().startswith(("#", "-")):
            requirement_lines.append((first, index, canonicalize_name(found)))
        index += 1
    if any(key == name for _, _, key in requirement_lines):
        return text, False
    keys = [key for _, _, key in requirement_lines]
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    line = requirement + newline
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    if keys and keys == sorted(keys):
        before = [entry for entry in requirement_lines if entry[2] < name]
        at = before[-1][1] + 1 if before else requirement_lines[0][0]
        lines.insert(at, line)
    else:
        lines.append(line)
    return "".join(lines), True


# Private


def _sort_key(requirement: str) -> str:
    return canonicalize_name(_name_of(requirement) or requirement)


def _name_of(line: str) -> str | None:
    match = _REQUIREMENT_NAME.match(line)
    return match.group(1) if match else None


def _classifiers(inherited: Sequence[str]) -> list[str]:
    result = list(dict.fromkeys([*inherited, *DEFAULT_CLASSIFIERS]))
    return sorted(result)


def _literal_all(body: Sequence[ast.stmt]) -> tuple[str, ...] | None:
    for node in body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, ast.List | ast.Tuple) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
            ):
                return tuple(dict.fromkeys(e.value for e in value.elts))  # type: ignore[attr-defined]
            return None
    return None


def _top_level_names(body: Sequence[ast.stmt]) -> list[str]:
    names: list[str] = []
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names += _target_names(target)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            names += _target_names(node.target)
        elif isinstance(node, ast.If):
            names += _top_level_names(node.body) + _top_level_names(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                names += _top_level_names(block)
            for handler in node.handlers:
                names += _top_level_names(handler.body)
        elif isinstance(node, ast.With):
            names += _top_level_names(node.body)
    return names


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for element in target.elts for n in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


_TEXT_NAME = re.compile(r"^(?:def|class)\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*=(?!=)", re.M)


def _public_names_text(text: str) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for match in _TEXT_NAME.finditer(text):
        name = match.group(1) or match.group(2)
        if not name.startswith("_"):
            names[name] = None
    return tuple(names)
