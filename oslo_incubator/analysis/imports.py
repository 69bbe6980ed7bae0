"""Find the imports of Python source, statically (``ast``; regexes for Python 2 text).

Three kinds of import are told apart, because they weigh differently when deciding
what must be copied or graduated together:

* ``strong``: a module-level ``import``/``from ... import`` (needed at import time);
* ``lazy``: the same inside a function or method (needed only when it runs);
* ``weak``: a string naming a module, as ``importutils.import_module('x.y')``,
  ``mock.patch('x.y.z')`` or a driver path in an option default.
"""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from oslo_incubator.analysis.syntax import parse_python
from oslo_incubator.model.scan import ImportStatement


class ImportKind(enum.Enum):
    """How an import is made (see the module docstring)."""

    STRONG = "strong"
    LAZY = "lazy"
    WEAK = "weak"


@dataclass(frozen=True)
class ImportSite:
    """One imported module at one line.

    ``module`` is absolute and dotted. ``names`` are the names taken from it with
    their local aliases (``from m import a as b`` gives ``(("a", "b"),)``); a plain
    ``import m as x`` gives ``names=()`` and ``alias="x"``.
    """

    module: str
    line: int
    kind: ImportKind
    names: tuple[tuple[str, str], ...] = ()
    alias: str | None = None


_DOTTED = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_PY2_FROM = re.compile(rf"^(\s*)from\s+(\.*{_DOTTED}|\.+)\s+import\s+\(?\s*([^#\n]+)", re.M)
_PY2_IMPORT = re.compile(
    rf"^(\s*)import\s+({_DOTTED}(?:\s+as\s+\w+)?(?:\s*,\s*{_DOTTED}(?:\s+as\s+\w+)?)*)", re.M
)
_STRING = re.compile(rf"""(['"])({_DOTTED})\1""")


def find_imports(
    source: str,
    module: str,
    is_package: bool = False,
    string_prefixes: Collection[str] = (),
) -> list[ImportSite]:
    """Every import in ``source``, the text of module ``module``.

    Args:
        source: the module's text.
        module: its dotted name, to resolve relative imports.
        is_package: whether the text is a package's ``__init__.py``.
        string_prefixes: dotted prefixes (``openstack.common``) whose appearance in a
            string literal counts as a weak import; none by default.

    Returns:
        Import sites in line order. Text that does not parse (Python 2) is scanned
        with regular expressions instead: module-level versus indented decides
        strong versus lazy.
    """
    package = module if is_package else module.rpartition(".")[0]
    sites: list[ImportSite] = []
    try:
        _Visitor(package, sites, tuple(string_prefixes)).visit(parse_python(source, module))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Python 2, or nested deeper than the parser or the visitor can follow.
        return _scan_text(source, package, string_prefixes)
    return sorted(sites, key=lambda s: s.line)


def resolve_relative(level: int, target: str | None, package: str) -> str:
    """The absolute module of ``from <level dots><target> import ...`` inside ``package``."""
    if level == 0:
        return target or ""
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return target or ""
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, target] if target else base)


def expand_from_import(site: ImportSite) -> list[str]:
    """The dotted names a ``from`` import may refer to: the module and each ``module.name``
    (``from openstack.common import log`` imports the module ``openstack.common.log``)."""
    return [site.module, *(f"{site.module}.{name}" for name, _ in site.names)]


def dotted_module_of(path: str) -> tuple[str, bool]:
    """The dotted module a ``.py`` path names, and whether it is a package's
    ``__init__.py`` (``a/b/__init__.py`` gives ``("a.b", True)``)."""
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def innermost_module(dotted: str, known: Collection[str]) -> str | None:
    """The longest prefix of ``dotted`` that is in ``known`` (a set of module names)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def imported_files(
    paths: Sequence[str], imports: Sequence[Iterable[ImportStatement]]
) -> list[list[tuple[str, int]]]:
    """For each file of a project (``paths``, the import statements of each), the
    project files it imports, each once with the line of its first import, in order.

    Absolute imports, relative ones and Python 2's implicit relative ones (``import
    utils`` beside ``utils.py``) are resolved to the innermost module of the project.
    """
    modules = {_module_name(rel): rel for rel in paths}
    resolved: dict[tuple[int, str, tuple[str, ...], str], list[str]] = {}
    found = []
    for rel, statements in zip(paths, imports, strict=True):
        package = _module_name(rel)
        if not rel.endswith("__init__.py"):
            package = package.rpartition(".")[0]
        imported: dict[str, int] = {}
        for statement in statements:
            # Files of one package import alike: resolve each statement once.
            memo = (statement.level, statement.module, statement.names, package)
            targets = resolved.get(memo)
            if targets is None:
                targets = resolved[memo] = _import_targets(statement, package, modules)
            for target in targets:
                imported.setdefault(modules[target], statement.line)
        found.append(list(imported.items()))
    return found


# Private


def _module_name(rel: str) -> str:
    dotted = rel[:-3].replace("/", ".")
    return dotted[: -len(".__init__")] if dotted.endswith(".__init__") else dotted


def _import_targets(
    statement: ImportStatement, package: str, modules: dict[str, str]
) -> list[str]:
    if statement.level:
        base = resolve_relative(statement.level, statement.module or None, package)
        names = [base]
    else:
        names = [statement.module]
        if package:
            # Python 2's implicit relative import: "import utils" beside utils.py.
            names.append(f"{package}.{statement.module}")
    found = []
    for name in names:
        for dotted in [name, *(f"{name}.{n}" for n in statement.names)]:
            target = innermost_module(dotted, modules)
            if target is not None and target not in found:
                found.append(target)
    return found


class _Visitor(ast.NodeVisitor):
    def __init__(self, package: str, sites: list[ImportSite], prefixes: tuple[str, ...]):
        self.package = package
        self.sites = sites
        self.prefixes = prefixes
        self.depth = 0  # > 0 inside a function

    def _kind(self) -> ImportKind:
        return ImportKind.LAZY if self.depth else ImportKind.STRONG

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._nested(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._nested(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._nested(node)

    def _nested(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.sites.append(ImportSite(alias.name, node.lineno, self._kind(), (), alias.asname))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = resolve_relative(node.level, node.module, self.package)
        names = tuple((a.name, a.asname or a.name) for a in node.names)
        self.sites.append(ImportSite(module, node.lineno, self._kind(), names))

    def visit_Constant(self, node: ast.Constant) -> None:
        if (
            self.prefixes
            and isinstance(node.value, str)
            and _is_module_string(node.value, self.prefixes)
        ):
            self.sites.append(ImportSite(node.value, node.lineno, ImportKind.WEAK))


def _is_module_string(value: str, prefixes: tuple[str, ...]) -> bool:
    return re.fullmatch(_DOTTED, value) is not None and any(
        value == p or value.startswith(p + ".") for p in prefixes
    )


def _scan_text(source: str, package: str, prefixes: Collection[str]) -> list[ImportSite]:
    sites = []
    for match in _PY2_FROM.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        kind = ImportKind.LAZY if match.group(1) else ImportKind.STRONG
        target = match.group(2)
        level = len(target) - len(target.lstrip("."))
        module = resolve_relative(level, target.lstrip(".") or None, package)
        names = []
        for part in match.group(3).replace(")", "").replace("\\", "").split(","):
            bits = part.split()
            if bits and re.fullmatch(r"\w+", bits[0]):
                names.append((bits[0], bits[2] if len(bits) == 3 and bits[1] == "as" else bits[0]))
        sites.append(ImportSite(module, line, kind, tuple(names)))
    for match in _PY2_IMPORT.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        kind = ImportKind.LAZY if match.group(1) else ImportKind.STRONG
        for part in match.group(2).split(","):
            bits = part.split()
            sites.append(ImportSite(bits[0], line, kind, (), bits[2] if len(bits) == 3 else None))
    if prefixes:
        for match in _STRING.finditer(source):
            if _is_module_string(match.group(2), tuple(prefixes)):
                line = source.count("\n", 0, match.start()) + 1
                sites.append(ImportSite(match.group(2), line, ImportKind.WEAK))
    return sorted(sites, key=lambda s: s.line)
