"""What one module states about types, for the other modules of a scan: its classes,
the names its imports bind, what its functions return and its names hold
(:class:`ModuleOutline`), collected by :class:`Outliner` during the walk."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from oslo_incubator.analysis import receivers
from oslo_incubator.analysis.deprecations.nodes import (
    GETTER_DECORATORS,
    is_accessor_of_any,
    last_name,
    pairs_up,
)
from oslo_incubator.analysis.deprecations.scopes import Bindings, Scope, ScopeChain
from oslo_incubator.analysis.deprecations.terms import BUILTIN_NAMES, Terms
from oslo_incubator.analysis.receivers import ClassFacts, Term


@dataclass(frozen=True)
class Signature:
    """What calls a function accepts (``self``/``cls`` of a method left out): at least
    ``required`` positional arguments, at most ``maximum`` (``-1``: any, ``*args``),
    keywords ``names`` (any with ``**kwargs``: ``any_keyword``)."""

    required: int
    maximum: int
    names: tuple[str, ...]
    any_keyword: bool

    def refuses(self, positional: int, keywords: Sequence[str], unpacks: bool) -> bool:
        """Whether a call with these arguments would raise :class:`TypeError`
        (``positional`` is ``-1`` when the call unpacks ``*args``; ``unpacks`` when it
        unpacks ``**kwargs``)."""
        if positional < 0 or unpacks:
            return positional >= 0 and 0 <= self.maximum < positional
        if 0 <= self.maximum < positional:
            return True
        if not self.any_keyword and any(k not in self.names for k in keywords):
            return True
        filled = positional + sum(1 for k in keywords if k in self.names[positional:])
        return filled < self.required


@dataclass(frozen=True)
class ModuleOutline:
    """What other modules need to resolve names and types through this one: its
    classes, the names its module-level imports bind (``nova.objects.Instance`` →
    ``nova.objects.instance.Instance``), what its functions and methods return, and
    what its module- and class-level names hold (as :mod:`receivers` terms)."""

    classes: tuple[ClassFacts, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    returns: tuple[tuple[str, Term], ...] = ()
    variables: tuple[tuple[str, Term], ...] = ()
    module: str = ""
    signatures: tuple[tuple[str, Signature], ...] = ()  # of decorated functions and methods
    stars: tuple[str, ...] = ()  # modules it re-exports with ``from module import *``


class Outliner:
    """Collects a module's :class:`ModuleOutline` as the walk meets its statements."""

    def __init__(self, chain: ScopeChain, terms: Terms):
        self.chain = chain
        self.terms = terms
        self._returns: dict[str, Term] = {}
        self._signatures: dict[str, Signature] = {}
        self._variables: dict[str, list[Term]] = {}
        self._attributes: dict[str, dict[str, list[Term]]] = {}
        self._properties: dict[str, set[str]] = {}
        self._classes: list[tuple[str, tuple[str, ...], bool, Bindings]] = []

    def outline(self) -> ModuleOutline:
        """The module's classes, aliases and type facts, once the walk is over."""
        module = self.chain.module
        bindings = self.chain.module_bindings or Bindings(module, self.chain.package)
        aliases = tuple(
            (f"{module}.{name}", bound.dotted)
            for name, bound in bindings.imported.items()
            if f"{module}.{name}" != bound.dotted
        )
        classes = tuple(
            ClassFacts(
                name=dotted,
                bases=bases,
                members=frozenset(members.names),
                properties=frozenset(self._properties.get(dotted, ())),
                attributes=tuple(
                    (attr, receivers.union(terms))
                    for attr, terms in sorted(self._attributes.get(dotted, {}).items())
                ),
                dynamic=bool({"__getattr__", "__getattribute__"} & set(members.names)),
                unresolved_bases=unresolved,
            )
            for dotted, bases, unresolved, members in self._classes
        )
        variables = tuple(
            (name, receivers.union(terms)) for name, terms in sorted(self._variables.items())
        )
        return ModuleOutline(
            classes,
            aliases,
            tuple(sorted(self._returns.items())),
            variables,
            module,
            tuple(sorted(self._signatures.items())),
            tuple(bindings.stars),
        )

    def function_entered(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, dotted: str, decorators: set[str]
    ) -> None:
        """A definition's decorators: a property of its class, and (when decorated, so
        perhaps deprecated) the calls it accepts."""
        parent = self.chain.innermost
        if parent.kind == "class" and decorators & GETTER_DECORATORS:
            self._properties.setdefault(parent.dotted, set()).add(node.name)
        if node.decorator_list:
            self._signatures[dotted] = _signature(node, parent.kind == "class", decorators)

    def function_left(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, dotted: str, decorators: set[str],
        annotated: Term | None, scope: Scope,
    ) -> None:  # fmt: skip
        """What a function returns: its annotation, else what its ``return`` statements
        gave (``scope.returns``)."""
        if is_accessor_of_any(node):
            return
        returns = annotated
        if "contextmanager" in decorators:
            returns = receivers.unknown(f"{dotted} is a generator-based context manager")
        elif returns is None:
            found = scope.returns or [receivers.builtin("NoneType")]
            returns = receivers.builtin("generator") if scope.generator else receivers.union(found)
        self._returns[dotted] = returns

    def returned(self, node: ast.Return) -> None:
        scope = self.chain.function_scope()
        if scope is not None and scope.returns is not None:
            value = node.value
            scope.returns.append(
                receivers.builtin("NoneType") if value is None else self.terms.term(value)
            )

    def class_entered(self, node: ast.ClassDef, dotted: str) -> None:
        """A class whose scope was just opened: its bases, as the enclosing scope sees
        them, and its members."""
        bases, unresolved = self._class_bases(node, len(self.chain.scopes) - 2)
        self._classes.append((dotted, bases, unresolved, self.chain.innermost.bindings))

    def annotated(self, node: ast.AnnAssign) -> None:
        term = (
            self.terms.term(node.value)
            if node.value is not None
            else self.terms.annotation(node.annotation, len(self.chain.scopes) - 1)
        )
        self._note(node.target, term)

    def assigned(self, target: ast.expr, value: ast.expr) -> None:
        """What ``target = value`` states, pairing ``a, b = x, y``."""
        if isinstance(value, (ast.Tuple, ast.List)) and pairs_up(target, value):
            assert isinstance(target, (ast.Tuple, ast.List))
            for element, item in zip(target.elts, value.elts, strict=True):
                self.assigned(element, item)
        else:
            self._note(target, self.terms.term(value))

    # Private

    def _note(self, target: ast.expr, term: Term) -> None:
        """Record what an assignment states: a module or class name's value, or an
        attribute of an instance (``self.client = Client()``)."""
        scope = self.chain.innermost
        if isinstance(target, ast.Name) and scope.kind in ("module", "class"):
            self._variables.setdefault(f"{scope.dotted}.{target.id}", []).append(term)
        elif isinstance(target, ast.Attribute):
            bound = self.chain.resolve(target.value)
            if bound is not None and bound.instance:
                attributes = self._attributes.setdefault(bound.dotted, {})
                attributes.setdefault(target.attr, []).append(term)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._note(element, receivers.unknown("unpacked from a sequence"))

    def _class_bases(self, node: ast.ClassDef, upto: int) -> tuple[tuple[str, ...], bool]:
        """The dotted bases of a class (``six.with_metaclass(M, Base)`` gives ``Base``),
        and whether some base could not be resolved."""
        found: list[str] = []
        unresolved = False
        todo = list(node.bases)
        while todo:
            base = todo.pop(0)
            if isinstance(base, ast.Call) and last_name(base.func) == "with_metaclass":
                todo[:0] = base.args[1:]
                continue
            bound = (
                self.chain.resolve(base, upto)
                if isinstance(base, (ast.Name, ast.Attribute))
                else None
            )
            if bound is not None and not bound.instance and not bound.via_instance:
                found.append(bound.dotted)
            elif not (isinstance(base, ast.Name) and base.id in BUILTIN_NAMES):
                unresolved = True
        return tuple(found), unresolved


def _signature(
    node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool, decorators: set[str]
) -> Signature:
    """The calls ``node`` accepts (its first parameter is bound in a class unless it is
    a static method)."""
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    if in_class and "staticmethod" not in decorators and positional:
        positional = positional[1:]
    required = len(positional) - len(args.defaults)
    names = [a.arg for a in positional[len(args.posonlyargs) :]] if positional else []
    names += [a.arg for a in args.kwonlyargs]
    return Signature(
        max(required, 0),
        -1 if args.vararg is not None else len(positional),
        tuple(names),
        args.kwarg is not None,
    )
