"""What an expression is made of, as a :mod:`oslo_incubator.analysis.receivers` term,
read through the scopes open at that point of the walk."""

from __future__ import annotations

import ast
import builtins

from oslo_incubator.analysis import receivers
from oslo_incubator.analysis.deprecations.nodes import last_name
from oslo_incubator.analysis.deprecations.scopes import (
    Annotation,
    Bound,
    Caught,
    Entered,
    ScopeChain,
    Source,
)
from oslo_incubator.analysis.receivers import Term
from oslo_incubator.analysis.syntax import parse_expression

# Expressions whose value is of a builtin type, whatever they hold.
_DISPLAYS: dict[type[ast.AST], str] = {
    ast.Dict: "dict", ast.DictComp: "dict", ast.List: "list", ast.ListComp: "list",
    ast.Set: "set", ast.SetComp: "set", ast.Tuple: "tuple", ast.JoinedStr: "str",
    ast.GeneratorExp: "generator", ast.Lambda: "function", ast.Compare: "bool",
    ast.UnaryOp: "operator result",
}  # fmt: skip
BUILTIN_NAMES = frozenset(dir(builtins))


class Terms:
    """Terms of expressions as seen from the scopes of ``chain`` (a name's term is
    computed once per scope, from every value the scope gives it)."""

    def __init__(self, chain: ScopeChain):
        self.chain = chain
        self._terming: set[tuple[int, str]] = set()

    def term(self, expr: ast.expr, upto: int | None = None) -> Term:
        """What ``expr`` is made of, as a :mod:`receivers` term."""
        if upto is None:
            upto = len(self.chain.scopes) - 1
        if isinstance(expr, ast.Name):
            return self._name_term(expr.id, upto)
        if isinstance(expr, ast.Attribute):
            return receivers.attribute(self.term(expr.value, upto), expr.attr)
        if isinstance(expr, ast.Call):
            return self._call_term(expr, upto)
        if isinstance(expr, ast.Constant):
            return receivers.builtin(type(expr.value).__name__)
        builtin = _DISPLAYS.get(type(expr))
        if builtin is not None:
            return receivers.builtin(builtin)
        if isinstance(expr, ast.BoolOp):
            return receivers.union(self.term(value, upto) for value in expr.values)
        if isinstance(expr, ast.IfExp):
            return receivers.union([self.term(expr.body, upto), self.term(expr.orelse, upto)])
        if isinstance(expr, ast.NamedExpr):
            return self.term(expr.value, upto)
        if isinstance(expr, ast.BinOp):
            if any(
                isinstance(side, (ast.Constant, ast.JoinedStr)) for side in (expr.left, expr.right)
            ):
                return receivers.builtin("operator result")
            return receivers.unknown("the result of an operator")
        if isinstance(expr, ast.Subscript):
            return receivers.unknown("an item taken from a container")
        if isinstance(expr, ast.Await):
            return receivers.unknown("an awaited result")
        return receivers.unknown(f"a {type(expr).__name__} expression")

    def _call_term(self, call: ast.Call, upto: int) -> Term:
        func = call.func
        if isinstance(func, ast.Name) and func.id == "super" and len(call.args) in (0, 2):
            cls = self.chain.enclosing_class(upto)
            if cls is not None and self.chain.is_builtin("super", upto):
                return ("s", cls)
        if isinstance(func, (ast.Name, ast.Attribute)) and call.args:
            bound = self.chain.resolve(func, upto)
            if bound is not None and bound.dotted == "functools.partial":
                return ("p", self.term(call.args[0], upto))
        return receivers.call(self.term(func, upto))

    def _name_term(self, name: str, upto: int) -> Term:
        for index in range(upto, -1, -1):
            scope = self.chain.scopes[index]
            if scope.kind == "class" and index != upto:
                continue
            if name not in scope.bindings.names:
                continue
            value = scope.bindings.names[name]
            if isinstance(value, Bound):
                return bound_term(value)
            known = scope.terms.get(name)
            if known is not None:
                return known
            sources = scope.bindings.sources.get(name)
            if not sources:
                return receivers.unknown(f"'{name}' is bound in a way the scan does not model")
            key = (id(scope), name)
            if key in self._terming:
                return receivers.unknown(f"'{name}' depends on itself")
            self._terming.add(key)
            try:
                term = receivers.union(self._source_term(source, index) for source in sources)
            finally:
                self._terming.discard(key)
            scope.terms[name] = term
            return term
        stars = self.chain.scopes[0].bindings.stars
        if len(stars) == 1:
            return receivers.name(f"{stars[0]}.{name}")
        if name in BUILTIN_NAMES:
            return receivers.name(f"builtins.{name}")
        return receivers.unknown(f"'{name}' is not bound in {self.chain.module}")

    def _source_term(self, source: Source, upto: int) -> Term:
        if isinstance(source, ast.expr):
            return self.term(source, upto)
        if isinstance(source, Annotation):
            return self.annotation(source.expr, upto)
        if isinstance(source, Entered):
            entered = receivers.attribute(self.term(source.expr, upto), "__enter__")
            return receivers.call(entered)
        if isinstance(source, Caught):
            if source.expr is None:
                return receivers.builtin("BaseException")
            types = source.expr.elts if isinstance(source.expr, ast.Tuple) else [source.expr]
            return receivers.union(receivers.call(self.term(t, upto)) for t in types)
        return source

    def annotation(self, expr: ast.expr, upto: int) -> Term:
        """An instance of the type ``expr`` annotates (``Optional``, unions and string
        annotations read)."""
        if isinstance(expr, ast.Constant):
            if isinstance(expr.value, str):
                try:
                    parsed = parse_expression(expr.value.strip(), "annotation")
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    return receivers.unknown("an annotation that does not parse")
                return self.annotation(parsed, upto)
            return receivers.builtin("NoneType")
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            return receivers.union(
                [self.annotation(expr.left, upto), self.annotation(expr.right, upto)]
            )
        if isinstance(expr, ast.Subscript):
            outer = last_name(expr.value)
            inner = expr.slice
            if outer == "Optional":
                return self.annotation(inner, upto)
            if outer == "Union":
                members = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                return receivers.union(self.annotation(m, upto) for m in members)
            if outer in ("Type", "type"):
                return self.term(inner, upto)
            return receivers.builtin(outer or "generic")
        if isinstance(expr, (ast.Name, ast.Attribute)):
            return receivers.call(self.term(expr, upto))
        return receivers.unknown("an annotation the scan does not read")


def bound_term(bound: Bound) -> Term:
    """The term of what a name resolved to (an instance, an instance's attribute, or a
    named object)."""
    if bound.instance:
        return receivers.call(receivers.name(bound.dotted))
    if bound.via_instance:
        cls, _, attr = bound.dotted.rpartition(".")
        return receivers.attribute(receivers.call(receivers.name(cls)), attr)
    return receivers.name(bound.dotted)
