"""The references of a module that may use a deprecation: resolved names, and the
attributes whose object the walk cannot name (kept with a term of that object)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from oslo_incubator.analysis.deprecations.scopes import Bound, ScopeChain
from oslo_incubator.analysis.deprecations.terms import Terms
from oslo_incubator.analysis.receivers import Term
from oslo_incubator.model.debt import UseKind


@dataclass(frozen=True)
class Reference:
    """One mention of a (maybe) interesting name in a module.

    ``target`` is the resolved dotted name, or ``None`` when the object of an attribute
    could not be resolved by name (then ``attr`` is known, and ``receiver`` is the term
    of its object, for :class:`DeprecationIndex` to evaluate with every module's
    facts). ``via_instance`` marks a target reached through an instance (``self.x``,
    ``Klass().x``): its first part is a class only if the scan knows that class.
    ``receiver_uses`` (for an unresolved attribute of a function's local name) lists
    what else the function does with that name: attributes it reads, ``[]``
    (subscripts it), ``in`` (tests membership), ``iter`` (iterates it).
    """

    target: str | None
    attr: str
    line: int
    kind: UseKind
    scope: str
    keywords: tuple[str, ...] = ()
    star_kwargs: bool = False
    via_instance: bool = False
    receiver: Term | None = None  # for an unresolved attribute: what its object is made of
    positional: int = 0  # a call's positional arguments (-1: it unpacks *args)
    receiver_uses: tuple[str, ...] = ()  # how the same local name is used around it


@dataclass(frozen=True)
class Interest:
    """Which references are worth keeping: those whose dotted target contains one of
    ``words``, and unresolved attributes named one of ``members``."""

    words: frozenset[str]
    members: frozenset[str] = frozenset()

    def wants(self, target: str) -> bool:
        """Whether a resolved ``target`` mentions an interesting name."""
        return any(part in self.words for part in target.split("."))


class References:
    """Collects the references ``interest`` wants as the walk meets them."""

    def __init__(self, chain: ScopeChain, terms: Terms, interest: Interest):
        self.chain = chain
        self.terms = terms
        self.interest = interest
        self.found: list[Reference] = []

    def record(
        self, bound: Bound, node: ast.AST, kind: UseKind,
        keywords: tuple[str, ...] = (), star: bool = False,
    ) -> None:  # fmt: skip
        if bound.instance or not self.interest.wants(bound.dotted):
            return  # an instance (``thing`` after ``thing = Klass()``) is not the class
        line = getattr(node, "lineno", 0)
        self.found.append(
            Reference(
                bound.dotted,
                bound.dotted.rpartition(".")[2],
                line,
                kind,
                self.chain.where,
                keywords,
                star,
                bound.via_instance,
            )  # fmt: skip
        )

    def record_unresolved(
        self,
        node: ast.Attribute,
        kind: UseKind,
        keywords: tuple[str, ...] = (),
        star: bool = False,
        positional: int = 0,
    ) -> None:
        if node.attr not in self.interest.members:
            return
        receiver = self.terms.term(node.value)
        uses = self._uses_of(node.value.id) if isinstance(node.value, ast.Name) else ()
        self.found.append(
            Reference(
                None,
                node.attr,
                node.lineno,
                kind,
                self.chain.where,
                keywords,
                star,
                receiver=receiver,
                positional=positional,
                receiver_uses=uses,
            )  # fmt: skip
        )

    def _uses_of(self, name: str) -> tuple[str, ...]:
        """What the innermost function does with its local ``name`` (see
        :attr:`Reference.receiver_uses`); nothing for names of outer scopes."""
        scope = self.chain.function_scope()
        if scope is None or name not in scope.bindings.names or scope.node is None:
            return ()
        if scope.usage is None:
            scope.usage = _name_usage(scope.node)
        return tuple(sorted(scope.usage.get(name, ())))


def _name_usage(function: ast.AST) -> dict[str, set[str]]:
    """For each name in a function's body: the attributes read from it, and ``[]``,
    ``in``, ``iter`` when it is subscripted, tested for membership or iterated."""
    usage: dict[str, set[str]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            usage.setdefault(node.value.id, set()).add(node.attr)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            usage.setdefault(node.value.id, set()).add("[]")
        elif isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Name):
                    usage.setdefault(right.id, set()).add("in")
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            if isinstance(node.iter, ast.Name):
                usage.setdefault(node.iter.id, set()).add("iter")
    return usage
