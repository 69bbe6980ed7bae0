"""Which names under a dotted prefix one file of a project uses, and where.

The usage scan ``graduate plan`` and ``impact`` share: for one file, its imports of
modules under a prefix (``nova.openstack.common``, ``oslo.concurrency``) and every
later use of the names they bind, with its line and, for a call, the shape of the call
(how many positional arguments, which keywords). Pure: text in, data out; the project
walk and the cache are in :mod:`oslo_incubator.graph.usage`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from oslo_incubator.analysis.deprecations.scopes import Bindings, Bound, ScopeChain
from oslo_incubator.analysis.imports import (
    ImportKind,
    expand_from_import,
    find_imports,
    resolve_relative,
)
from oslo_incubator.analysis.syntax import parse_python
from oslo_incubator.model.api import CallShape


@dataclass(frozen=True)
class NameUse:
    """One use of a dotted name under the prefix, at one line; ``call`` when the use
    calls it (a decorator without arguments is a call with one); ``imported`` when the
    use is a ``from`` import of the name."""

    dotted: str
    line: int
    call: CallShape | None = None
    imported: bool = False


@dataclass(frozen=True)
class ImportUse:
    """One import statement that may import modules under the prefix: the dotted names
    it can refer to (the module, and ``module.name`` for each name of a ``from``)."""

    line: int
    kind: ImportKind
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Export:
    """A module-level name of the file bound to a name under the prefix: an alias
    (``synchronized = lockutils.synchronized``) or, with ``called``, what calling it
    returns (``synchronized = lockutils.synchronized_with_prefix('nova-')``). Other
    files of the project that use it use the name under the prefix."""

    name: str
    dotted: str
    line: int
    called: bool = False


@dataclass(frozen=True)
class FileUsage:
    """One file's imports under the prefix, its uses of what they bind, and the names
    it binds to them at module level.

    ``parsed`` is false for text that is not valid Python 3: its imports and names
    were found by a text scan, which sees no calls and no exports.
    """

    parsed: bool
    imports: tuple[ImportUse, ...]
    uses: tuple[NameUse, ...]
    exports: tuple[Export, ...] = ()


NO_USAGE = FileUsage(True, (), ())


def root_markers(package: str) -> tuple[bytes, ...]:
    """Byte strings one of which any file that imports under ``package`` contains
    (``openstack.common``, or ``openstack import common``): a file without them is not
    parsed at all."""
    parent, _, last = package.rpartition(".")
    return (package.encode(), *([f"{parent} import {last}".encode()] if parent else []))


def scan_usage(source: str, module: str, is_package: bool, prefix: str) -> FileUsage:
    """The imports under ``prefix`` in ``source`` (the text of module ``module``) and
    every use of the names they bind.

    Module aliases are resolved (``from nova.openstack.common import log as logging``
    then ``logging.getLogger``), and so are names imported from a module and string
    paths to them. A name assigned in a scope hides the import in that scope from there
    on. Text that does not parse is scanned with regular expressions.
    """
    try:
        tree = parse_python(source)
        package = module if is_package else module.rpartition(".")[0]
        scanner = _UsageScanner(module, package, prefix)
        scanner.visit(tree)
    except (SyntaxError, ValueError, RecursionError):
        return _scan_text(source, module, is_package, prefix)
    return FileUsage(True, tuple(scanner.imports), tuple(scanner.uses), tuple(scanner.exports))


def under(dotted: str, prefix: str) -> bool:
    """Whether ``dotted`` names something inside ``prefix``."""
    return dotted.startswith(prefix + ".")


# Private


def _related(dotted: str, prefix: str) -> bool:
    """Under the prefix, or an ancestor of it (``nova`` binds ``nova.openstack.common``)."""
    return dotted == prefix or under(dotted, prefix) or prefix.startswith(dotted + ".")


_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


class _UsageScanner:
    """One pass over a syntax tree: imports under the prefix, the names they bind in
    each scope, and every later use of those names.

    Scopes are :mod:`oslo_incubator.analysis.deprecations.scopes`' (a class body's
    names are not seen from its methods), with names bound as the pass meets them: a
    name assigned in a scope (a local variable, an argument, a loop target) hides the
    import from there on, in that scope only: ``session = get_session()`` then
    ``session.query`` is not a use of the incubator's ``session`` module.
    """

    def __init__(self, module: str, package: str, prefix: str):
        self.package = package
        self.prefix = prefix
        self.chain = ScopeChain(module, package)
        self._lookup = self.chain.lookup
        self._open("module")
        self.imports: list[ImportUse] = []
        self.uses: list[NameUse] = []
        self.exports: list[Export] = []

    def lookup(self, name: str) -> str | None:
        bound = self._lookup(name)
        return bound.dotted if bound is not None else None

    def hide(self, name: str) -> None:
        if self._lookup(name) is not None:
            self.chain.bind(name, None)

    def _bind(self, name: str, dotted: str | None) -> None:
        self.chain.bind(name, Bound(dotted) if dotted is not None else None)

    def _open(self, kind: str) -> None:
        self.chain.open(kind, "", Bindings(self.chain.module, self.package), None)

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind is ast.Name:
            self._name(node)  # type: ignore[arg-type]
        elif kind is ast.Attribute:
            self._attribute(node)  # type: ignore[arg-type]
        elif kind is ast.Call:
            self._call(node)  # type: ignore[arg-type]
        elif kind is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, str) and under(value, self.prefix) and _DOTTED.fullmatch(value):
                self.uses.append(NameUse(value, node.lineno))  # type: ignore[attr-defined]
        elif kind is ast.Import or kind is ast.ImportFrom:
            self._import(node)  # type: ignore[arg-type]
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
            self._function(node)  # type: ignore[arg-type]
        elif kind is ast.ClassDef:
            self._class(node)  # type: ignore[arg-type]
        else:
            if kind is ast.Assign and len(self.chain.scopes) == 1:
                self._export(node)  # type: ignore[arg-type]
            if kind is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
                self.hide(node.name)  # type: ignore[attr-defined]
            for child in ast.iter_child_nodes(node):
                self.visit(child)

    def resolve(self, node: ast.expr) -> str | None:
        """The dotted name under the prefix a plain name or attribute chain stands for."""
        chain = []
        current = node
        while type(current) is ast.Attribute:
            chain.append(current.attr)
            current = current.value
        if type(current) is not ast.Name:
            return None
        target = self.lookup(current.id)
        if target is None:
            return None
        dotted = ".".join([target, *reversed(chain)])
        return dotted if under(dotted, self.prefix) else None

    def _export(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or type(node.targets[0]) is not ast.Name:
            return
        name = node.targets[0].id
        value = node.value
        called = type(value) is ast.Call
        dotted = self.resolve(value.func if called else value)  # type: ignore[attr-defined]
        if dotted is not None:
            self.exports.append(Export(name, dotted, node.lineno, called))

    def _name(self, node: ast.Name) -> None:
        if type(node.ctx) is not ast.Load:
            self.hide(node.id)
            return
        target = self.lookup(node.id)
        if target is not None and under(target, self.prefix):
            self.uses.append(NameUse(target, node.lineno))

    def _attribute(self, node: ast.Attribute) -> None:
        current: ast.expr = node
        while type(current) is ast.Attribute:
            current = current.value
        if type(current) is ast.Name:
            dotted = self.resolve(node)
            if dotted is not None:
                self.uses.append(NameUse(dotted, node.lineno))
        else:
            self.visit(current)

    def _call(self, node: ast.Call) -> None:
        dotted = self.resolve(node.func)
        if dotted is None:
            self.visit(node.func)
        else:
            self.uses.append(NameUse(dotted, node.lineno, _shape(node)))
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        lazy = any(scope.kind == "function" for scope in self.chain.scopes)
        kind = ImportKind.LAZY if lazy else ImportKind.STRONG
        names = self.chain.innermost.bindings.names
        if isinstance(node, ast.Import):
            for alias in node.names:
                if under(alias.name, self.prefix):
                    self.imports.append(ImportUse(node.lineno, kind, (alias.name,)))
                if alias.asname:
                    related = _related(alias.name, self.prefix)
                    self._bind(alias.asname, alias.name if related else None)
                elif _related(alias.name, self.prefix):
                    top = alias.name.split(".")[0]
                    self._bind(top, top)
                else:
                    names.setdefault(alias.name.split(".")[0], None)
            return
        base = resolve_relative(node.level, node.module, self.package)
        aliases = [a for a in node.names if a.name != "*"]
        candidates = (base, *(f"{base}.{a.name}" for a in aliases))
        if any(under(c, self.prefix) or c == self.prefix for c in candidates):
            self.imports.append(ImportUse(node.lineno, kind, candidates))
        for alias in aliases:
            target = f"{base}.{alias.name}"
            self._bind(
                alias.asname or alias.name, target if _related(target, self.prefix) else None
            )
            if under(target, self.prefix):
                self.uses.append(NameUse(target, node.lineno, imported=True))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        if not isinstance(node, ast.Lambda):
            for decorator in node.decorator_list:
                dotted = self.resolve(decorator)
                if dotted is not None:  # ``@periodic_task.periodic_task`` calls it
                    self.uses.append(NameUse(dotted, decorator.lineno, CallShape(1)))
                else:
                    self.visit(decorator)
            self.hide(node.name)
        self._open("function")
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for arg in every:
            if arg is not None:
                self.hide(arg.arg)
        body = node.body if isinstance(node.body, list) else [node.body]
        for stmt in body:
            self.visit(stmt)
        self.chain.close()

    def _class(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self.hide(node.name)
        self._open("class")
        for stmt in node.body:
            self.visit(stmt)
        self.chain.close()


def _shape(node: ast.Call) -> CallShape:
    positional = sum(1 for a in node.args if not isinstance(a, ast.Starred))
    star = any(isinstance(a, ast.Starred) for a in node.args)
    keywords = tuple(k.arg for k in node.keywords if k.arg is not None)
    double_star = any(k.arg is None for k in node.keywords)
    return CallShape(positional, keywords, star, double_star)


def _scan_text(source: str, module: str, is_package: bool, prefix: str) -> FileUsage:
    imports: list[ImportUse] = []
    bindings: dict[str, str] = {}
    uses: list[NameUse] = []
    for site in find_imports(source, module, is_package, [prefix]):
        if site.kind is ImportKind.WEAK:
            uses.append(NameUse(site.module, site.line))
            continue
        candidates = expand_from_import(site) if site.names else [site.module]
        if not any(_related(c, prefix) for c in candidates):
            continue
        if any(under(c, prefix) for c in candidates):
            imports.append(ImportUse(site.line, site.kind, tuple(candidates)))
        if site.names:
            for name, alias in site.names:
                bindings[alias] = f"{site.module}.{name}"
        elif site.alias:
            bindings[site.alias] = site.module
        else:
            top = site.module.split(".")[0]
            bindings[top] = top
    if bindings:
        names = "|".join(re.escape(n) for n in sorted(bindings, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w.])({names})(?!\w)((?:\.[A-Za-z_]\w*)*)")
        import_lines = {i.line for i in imports}
        line, last = 1, 0
        for match in pattern.finditer(source):
            dotted = bindings[match.group(1)] + match.group(2)
            if under(dotted, prefix):
                line += source.count("\n", last, match.start())
                last = match.start()
                # The import line itself included, as a from-import counts.
                uses.append(NameUse(dotted, line, imported=line in import_lines))
    return FileUsage(False, tuple(imports), tuple(uses))
