"""Read and write graduation plan files: TOML a maintainer can edit.

::

    # Graduation plan for the incubator at 1234abcd (openstack/common).
    schema = "oslo-incubator.graduation-plan/1"
    incubator_head = "1234abcd..."
    package_root = "openstack/common"

    [[library]]
    # changed together in 14 commits; imported together by 37 consumer files
    name = "acme.utils"
    package = "acme_utils"
    modules = ["excutils", "importutils", "strutils"]

Libraries come in graduation order. Comments are for people and are not read back;
``package`` may be left out (the name with ``_`` for every other character). Reading
checks the shape only (each module in one library, names that are module and package
names); whether the modules exist and the order holds is the reader's caller's business,
which knows the incubator.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.plan import PLAN_FILE_SCHEMA, PlanFile, PlannedLibrary

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TABLE_RE = re.compile(r"^\s*\[\[\s*library\s*\]\]\s*(#.*)?$")
_MODULE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_LIBRARY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# TOML comments may hold no control character but tab.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def render_plan_file(plan: PlanFile) -> str:
    """The TOML text of ``plan`` (every string JSON-quoted, which TOML reads alike)."""
    short = plan.incubator_head[:8] or "an unknown commit"
    out = [
        f"# Graduation plan for the incubator at {short} ({plan.package_root.path}).",
        "# Libraries graduate in this order; edit modules, names and order freely:",
        "# what reads the plan checks it against the incubator.",
        f"schema = {json.dumps(plan.schema)}",
        f"incubator_head = {json.dumps(plan.incubator_head)}",
        f"package_root = {json.dumps(plan.package_root.path)}",
    ]
    for library in plan.libraries:
        out += ["", "[[library]]"]
        out += [
            f"# {_CONTROL_RE.sub(' ', line)}" for why in library.why for line in why.splitlines()
        ]
        out.append(f"name = {json.dumps(library.name)}")
        out.append(f"package = {json.dumps(library.package)}")
        modules = ", ".join(json.dumps(m) for m in library.modules)
        out.append(f"modules = [{modules}]")
    return "\n".join(out) + "\n"


def read_plan_file(path: Path) -> PlanFile:
    """Read a plan file.

    Raises:
        ConfigError: the file is not TOML, has another schema, or a library is
            malformed (unnamed, no modules, a module in two libraries); the error names
            the file and, where it can, the line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the plan file: {exc.strerror or exc}", path) from None
    return parse_plan_file(text, path)


def parse_plan_file(text: str, path: Path = Path("plan.toml")) -> PlanFile:
    """Parse the text of a plan file (see :func:`read_plan_file`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_of_error(str(exc))
        raise ConfigError(
            f"not a TOML plan file: {str(exc).split(' (at')[0]}", path, line
        ) from None
    schema = data.get("schema", PLAN_FILE_SCHEMA)
    if schema != PLAN_FILE_SCHEMA:
        raise ConfigError(f"plan file schema {schema!r}; expected {PLAN_FILE_SCHEMA!r}", path)
    tables = data.get("library", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError("the plan names no [[library]]", path)
    starts = [n for n, raw in enumerate(text.splitlines(), start=1) if _TABLE_RE.match(raw)]
    libraries = []
    owner: dict[str, str] = {}
    for index, table in enumerate(tables):
        line = starts[index] if index < len(starts) else None
        library = _library(table, path, line)
        for module in library.modules:
            if module in owner:
                raise ConfigError(
                    f"module {module!r} is in both {owner[module]} and {library.name}", path, line
                )
            owner[module] = library.name
        libraries.append(library)
    names = [lib.name for lib in libraries]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"library {repeated[0]!r} is named twice", path)
    return PlanFile(
        tuple(libraries),
        str(data.get("incubator_head", "")),
        _package_root(data.get("package_root"), path),
    )


def default_package(library: str) -> str:
    """The import package of a library name: ``oslo.serialization`` → ``oslo_serialization``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", library).lower()


# Private


def _library(table: Any, path: Path, line: int | None) -> PlannedLibrary:
    if not isinstance(table, dict):
        raise ConfigError("a [[library]] must be a table", path, line)
    name = table.get("name")
    if not isinstance(name, str) or not _LIBRARY_RE.match(name):
        raise ConfigError(f"a library needs a name (got {name!r})", path, line)
    modules = table.get("modules")
    if (
        not isinstance(modules, list)
        or not modules
        or not all(isinstance(m, str) and _MODULE_RE.match(m) for m in modules)
    ):
        raise ConfigError(f"library {name}: modules must be a list of module names", path, line)
    package = table.get("package") or default_package(name)
    if not isinstance(package, str) or not all(p.isidentifier() for p in package.split(".")):
        raise ConfigError(f"library {name}: {package!r} is not a Python package name", path, line)
    unknown = sorted(set(table) - {"name", "package", "modules"})
    if unknown:
        raise ConfigError(f"library {name}: unknown key {unknown[0]!r}", path, line)
    return PlannedLibrary(name, package, tuple(dict.fromkeys(modules)), line=line or 0)


def _package_root(value: Any, path: Path) -> PackageRoot:
    if value is None:
        return DEFAULT_PACKAGE_ROOT
    try:
        return PackageRoot.parse(str(value))
    except ValueError as exc:
        raise ConfigError(str(exc), path) from None


def _line_of_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
