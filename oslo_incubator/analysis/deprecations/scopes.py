"""The one model of Python scoping the scans share: what a name means at a point of a
module.

:class:`Bindings` are the names one scope binds, collected before the scope is walked
(Python decides what is local by looking at the whole body): imports and definitions
of the module, function locals (parameters and reassigned names shadow; a name
assigned once from ``Klass(...)`` holds an instance of ``Klass``), ``self``/``cls`` in
methods. :class:`ScopeChain` is the stack of scopes open during a walk and resolves
names and attribute chains through it (``Klass().method``, ``self.attr``). The
deprecation walk collects each body's bindings up front; the usage scan of
:mod:`oslo_incubator.analysis.usage` binds names as it meets them (an import binds,
an assignment hides it from there on) on the same chain.
"""

from __future__ import annotations

import ast
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field

from oslo_incubator.analysis import receivers
from oslo_incubator.analysis.deprecations.nodes import (
    decorator_names,
    direct_calls,
    pairs_up,
    walk_expressions,
)
from oslo_incubator.analysis.imports import resolve_relative
from oslo_incubator.analysis.receivers import Term


@dataclass(frozen=True)
class Bound:
    """What a name or expression stands for."""

    dotted: str
    instance: bool = False  # an instance of the class ``dotted``
    via_instance: bool = False  # ``dotted`` is ``<class>.<attr>`` reached from an instance


# A function-local name assigned exactly once keeps its value, resolved on demand.
Binding = Bound | ast.expr | None


@dataclass(frozen=True)
class Annotation:
    """A name declared with a type (``x: Klass``, a parameter's annotation)."""

    expr: ast.expr


@dataclass(frozen=True)
class Entered:
    """A ``with`` target: what ``__enter__`` of the context expression returns."""

    expr: ast.expr


@dataclass(frozen=True)
class Caught:
    """An ``except ... as name`` target: an instance of the handled types."""

    expr: ast.expr | None


# Where a function-local name gets its values, for its type: an assigned expression,
# one of the markers above, or a receivers term (an unknown with its reason).
Source = ast.expr | Annotation | Entered | Caught | Term


class Bindings:
    """The names one scope binds, collected before the scope is walked (Python decides
    what is local by looking at the whole body)."""

    __slots__ = (
        "module", "package", "walrus", "names", "imported", "stars", "declared_global",
        "sources", "_assigned",
    )  # fmt: skip

    def __init__(self, module: str, package: str, walrus: bool = True):
        self.module = module
        self.package = package
        self.walrus = walrus
        self.names: dict[str, Binding] = {}
        self.imported: dict[str, Bound] = {}
        self.stars: list[str] = []
        self.declared_global: set[str] = set()
        self.sources: dict[str, list[Source]] = {}
        self._assigned: dict[str, int] = {}

    def collect(self, body: Sequence[ast.stmt], dotted: str, in_function: bool) -> None:
        """Bind the names of ``body`` (a module, class or function body at ``dotted``)."""
        for stmt in body:
            self._statement(stmt, dotted, in_function, fallback=False)
        for name in self.declared_global:
            self.names.pop(name, None)

    def bind_parameter(
        self, name: str, bound: Bound | None = None, source: Source | None = None
    ) -> None:
        """A function parameter: unknown (or ``self``/``cls``), and any later assignment
        makes it unknown too. ``source`` is its annotation, or why its type is unknown."""
        self.names[name] = bound
        self._assigned[name] = 1
        if source is not None:
            self.sources[name] = [source]

    def _bind_import(self, name: str, bound: Bound, fallback: bool) -> None:
        if fallback and name in self.names:
            return  # ``except ImportError: import other as name`` keeps the first import
        self.names[name] = bound
        self.imported[name] = bound

    def _statement(self, stmt: ast.stmt, dotted: str, in_function: bool, fallback: bool) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self._bind_import(alias.asname, Bound(alias.name), fallback)
                else:
                    top = alias.name.split(".")[0]
                    self._bind_import(top, Bound(top), fallback)
        elif isinstance(stmt, ast.ImportFrom):
            source = resolve_relative(stmt.level, stmt.module, self.package)
            for alias in stmt.names:
                if alias.name == "*":
                    self.stars.append(source)
                    continue
                full = f"{source}.{alias.name}" if source else alias.name
                self._bind_import(alias.asname or alias.name, Bound(full), fallback)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.names[stmt.name] = Bound(f"{dotted}.{stmt.name}")
        elif isinstance(stmt, (ast.Global, ast.Nonlocal)):
            if in_function:
                self.declared_global.update(stmt.names)
        elif isinstance(stmt, ast.Assign):
            single = len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            for target in stmt.targets:
                self._targets(
                    target, dotted, in_function, stmt.value if single else None, stmt.value
                )
        elif isinstance(stmt, ast.AnnAssign):
            self._targets(stmt.target, dotted, in_function, None, Annotation(stmt.annotation))
        elif isinstance(stmt, ast.AugAssign):
            self._targets(stmt.target, dotted, in_function, None, None)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            loop = receivers.unknown("a loop variable")
            self._targets(stmt.target, dotted, in_function, None, loop)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    entered = Entered(item.context_expr)
                    self._targets(item.optional_vars, dotted, in_function, None, entered)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            stmt = typing.cast(ast.Try, stmt)  # ``try/except*`` has the same fields
            for inner in stmt.body:
                self._statement(inner, dotted, in_function, fallback)
            for handler in stmt.handlers:
                if handler.name:
                    self._local(handler.name, dotted, in_function, None, Caught(handler.type))
                for inner in handler.body:
                    self._statement(inner, dotted, in_function, True)
            for inner in [*stmt.orelse, *stmt.finalbody]:
                self._statement(inner, dotted, in_function, fallback)
            return
        for name in ("body", "orelse"):
            if isinstance(
                stmt, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)
            ):
                for inner in getattr(stmt, name, ()):
                    self._statement(inner, dotted, in_function, fallback)
        if isinstance(stmt, ast.Match):
            for case in stmt.cases:
                for inner in case.body:
                    self._statement(inner, dotted, in_function, fallback)
        if in_function and self.walrus:
            for node in walk_expressions(stmt):
                if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                    self._local(node.target.id, dotted, in_function, None, node.value)

    def _targets(
        self, target: ast.expr, dotted: str, in_function: bool, value: ast.expr | None,
        source: Source | None,
    ) -> None:  # fmt: skip
        if isinstance(target, ast.Name):
            self._local(target.id, dotted, in_function, value, source)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(source, (ast.Tuple, ast.List)) and pairs_up(target, source):
                for element, value in zip(target.elts, source.elts, strict=True):
                    self._targets(element, dotted, in_function, None, value)
                return
            unpacked = receivers.unknown("unpacked from a sequence")
            for element in target.elts:
                self._targets(element, dotted, in_function, None,
                              unpacked if source is not None else None)  # fmt: skip
        elif isinstance(target, ast.Starred):
            self._targets(target.value, dotted, in_function, None, receivers.builtin("list"))

    def _local(
        self, name: str, dotted: str, in_function: bool, value: ast.expr | None,
        source: Source | None = None,
    ) -> None:  # fmt: skip
        if not in_function:
            self.names[name] = Bound(f"{dotted}.{name}")
            return
        if source is not None:
            self.sources.setdefault(name, []).append(source)
        count = self._assigned.get(name, 0) + 1
        self._assigned[name] = count
        keep = count == 1 and isinstance(value, (ast.Call, ast.Name, ast.Attribute))
        self.names[name] = value if keep else None


@dataclass(slots=True)  # one per function and class walked: slots make them quicker
class Scope:
    """One open scope: its bindings, and what the walks note about it as they go."""

    kind: str  # "module", "class", "function", "comprehension" (also a lambda)
    dotted: str  # the module, class or function this scope belongs to
    bindings: Bindings
    node: ast.AST | None = None
    in_class: str | None = None  # for a method: its class
    direct_calls: set[int] = field(default_factory=set)  # ids of call statements of the body
    returns: list[Term] | None = None  # a function's returned terms (None: annotated)
    terms: dict[str, Term] = field(default_factory=dict)  # names' terms, once computed
    usage: dict[str, set[str]] | None = None  # what the body does with each name
    generator: bool = False  # a function that yields


class ScopeChain:
    """The scopes open at a point of a walk of module ``module``, innermost last."""

    __slots__ = ("module", "package", "walrus", "scopes", "module_bindings", "_resolving")

    def __init__(self, module: str, package: str, walrus: bool = True):
        self.module = module
        self.package = package
        self.walrus = walrus
        self.scopes: list[Scope] = []
        self.module_bindings: Bindings | None = None
        self._resolving: set[tuple[int, str]] = set()

    @property
    def innermost(self) -> Scope:
        return self.scopes[-1]

    @property
    def where(self) -> str:
        """The dotted name of the innermost definition (the module at top level)."""
        for scope in reversed(self.scopes):
            if scope.kind != "comprehension":
                return scope.dotted
        return self.module

    # Opening and closing scopes

    def open(self, kind: str, dotted: str, bindings: Bindings, node: ast.AST | None) -> Scope:
        scope = Scope(kind, dotted, bindings, node)
        self.scopes.append(scope)
        return scope

    def close(self) -> Scope:
        return self.scopes.pop()

    def open_module(self, tree: ast.Module) -> Scope:
        bindings = Bindings(self.module, self.package)
        bindings.collect(tree.body, self.module, in_function=False)
        self.module_bindings = bindings
        scope = self.open("module", self.module, bindings, tree)
        scope.direct_calls = direct_calls(tree.body)
        return scope

    def open_class(self, node: ast.ClassDef, dotted: str) -> Scope:
        bindings = Bindings(self.module, self.package)
        bindings.collect(node.body, dotted, in_function=False)
        scope = self.open("class", dotted, bindings, node)
        scope.direct_calls = direct_calls(node.body)
        return scope

    def open_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, dotted: str
    ) -> Scope:
        bindings = Bindings(self.module, self.package, self.walrus)
        args = node.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                params.append(extra)
        for param in params:
            if param.annotation is not None:
                source: Source = Annotation(param.annotation)
            elif param is args.vararg:
                source = receivers.builtin("tuple")
            elif param is args.kwarg:
                source = receivers.builtin("dict")
            else:
                source = receivers.unknown(f"parameter '{param.arg}' of {dotted} is not annotated")
            bindings.bind_parameter(param.arg, None, source)
        in_class = None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parent = self.scopes[-1]
            positional = [*args.posonlyargs, *args.args]
            if parent.kind == "class" and positional:
                in_class = parent.dotted
                decorators = decorator_names(node)
                first = positional[0].arg
                if "staticmethod" in decorators:
                    pass
                elif "classmethod" in decorators or node.name == "__new__":
                    bindings.bind_parameter(first, Bound(parent.dotted))
                else:
                    bindings.bind_parameter(first, Bound(parent.dotted, instance=True))
            bindings.collect(node.body, dotted, in_function=True)
        scope = self.open("function", dotted, bindings, node)
        scope.in_class = in_class
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope.direct_calls = direct_calls(node.body)
        return scope

    def open_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> Scope:
        bindings = Bindings(self.module, self.package)
        loop = receivers.unknown("a loop variable of a comprehension")
        for generator in node.generators:
            for name in ast.walk(generator.target):
                if isinstance(name, ast.Name):
                    bindings.names[name.id] = None
                    bindings.sources[name.id] = [loop]
        return self.open("comprehension", self.where, bindings, node)

    def bind(self, name: str, value: Binding) -> None:
        """Bind ``name`` in the innermost scope, for a walk that binds names as it meets
        them rather than up front (``None``: bound to something unknown, which hides
        what outer scopes bind)."""
        self.scopes[-1].bindings.names[name] = value

    # What names mean

    def lookup(self, name: str, upto: int | None = None) -> Bound | None:
        """What ``name`` is bound to as seen from scope ``upto`` (the innermost by
        default); ``None`` when it is unknown or not bound."""
        scopes = self.scopes
        if upto is None:
            upto = len(scopes) - 1
        # The hottest function of both scans (the usage scan asks it about every name it
        # stores): a while loop and the membership test first cut its time by a third.
        index = upto
        while index >= 0:
            scope = scopes[index]
            names = scope.bindings.names
            # A class body's names are not visible inside its methods.
            if name in names and (index == upto or scope.kind != "class"):
                value = names[name]
                if value is None or isinstance(value, Bound):
                    return value
                key = (id(scope), name)
                if key in self._resolving:
                    return None
                self._resolving.add(key)
                try:
                    return self.resolve(value, index)
                finally:
                    self._resolving.discard(key)
            index -= 1
        stars = scopes[0].bindings.stars
        if len(stars) == 1:
            return Bound(f"{stars[0]}.{name}")
        return None

    def resolve(self, expr: ast.expr, upto: int | None = None) -> Bound | None:
        """What a name, an attribute chain or a call of one stands for."""
        if upto is None:
            upto = len(self.scopes) - 1
        if isinstance(expr, ast.Name):
            if expr.id == "__name__":
                return None
            return self.lookup(expr.id, upto)
        if isinstance(expr, ast.Attribute):
            inner = self.resolve(expr.value, upto)
            if inner is None or inner.via_instance:
                return None  # an attribute of an attribute of an instance: type unknown
            return Bound(f"{inner.dotted}.{expr.attr}", via_instance=inner.instance)
        if isinstance(expr, ast.Call):
            callee = self.resolve(expr.func, upto)
            if callee is None or callee.instance or callee.via_instance:
                return None
            return Bound(callee.dotted, instance=True)
        return None

    def is_builtin(self, name: str, upto: int) -> bool:
        """Whether ``name`` seen from scope ``upto`` is the builtin (no scope binds it)."""
        return all(
            name not in scope.bindings.names
            for index, scope in enumerate(self.scopes[: upto + 1])
            if scope.kind != "class" or index == upto
        )

    def enclosing_class(self, upto: int) -> str | None:
        """The class of the innermost method around scope ``upto``."""
        for scope in reversed(self.scopes[: upto + 1]):
            if scope.in_class is not None:
                return scope.in_class
        return None

    def function_scope(self) -> Scope | None:
        """The innermost function, unless a class or the module is nearer."""
        for scope in reversed(self.scopes):
            if scope.kind == "function":
                return scope
            if scope.kind != "comprehension":
                return None
        return None
