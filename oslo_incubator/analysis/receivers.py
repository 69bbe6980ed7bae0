"""What the object of an attribute may be: small type terms, evaluated across a scan.

The deprecation walker (:mod:`oslo_incubator.analysis.deprecations`) reads one module
at a time, but the type of ``client`` in ``client.get(url)`` may come from another
module (``client = make_client()``, ``self.client = ...`` in a base class). So the
walker writes down *terms* (what an expression is made of, in names the whole scan
shares) and the facts each module states (what its functions return, what its
classes assign to ``self``, what its module-level names hold); :class:`TypeFacts`
evaluates terms once every module's facts are known, the way a type checker infers
types, within what static analysis can know:

* ``("n", dotted)`` the object named ``dotted`` (a module, class, function, variable);
* ``("c", term)`` the result of calling ``term`` (a class gives an instance);
* ``("a", term, name)`` attribute ``name`` of ``term``;
* ``("s", class)`` ``super()`` in a method of ``class``;
* ``("p", term)`` ``functools.partial(term, ...)``: calling it calls ``term``;
* ``("b", type)`` a value of a builtin type (a literal, a display, an f-string);
* ``("u", reason)`` unknown, and why (an unannotated parameter, a loop variable);
* ``("|", (term, ...))`` any of several (a name assigned in several places).

Terms are tuples of strings and terms, so they travel through the JSON cache as
lists; :func:`freeze` turns them back. Evaluation gives a set of values: an instance
of a class, a static object (module, class, function) by dotted name, ``OTHER``
(known, and not anything the scan tracks: builtins, objects of libraries outside the
scanned projects) or unknown with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

Term: TypeAlias = tuple[Any, ...]

#: Evaluation stops this deep (chains of calls and attributes through other modules).
MAX_DEPTH = 24


@dataclass(frozen=True)
class Value:
    """One thing a term may evaluate to.

    ``kind`` is ``"instance"`` (of class ``name``), ``"object"`` (the module, class or
    function ``name``), ``"partial"`` (a ``functools.partial``; ``name`` keys what it
    calls), ``"other"`` (known and untracked) or ``"unknown"`` (``name`` says why).
    """

    kind: str
    name: str = ""


OTHER = Value("other")


def name(dotted: str) -> Term:
    """The object named ``dotted``."""
    return ("n", dotted)


def call(term: Term) -> Term:
    """The result of calling ``term``."""
    return ("c", term)


def attribute(term: Term, attr: str) -> Term:
    """Attribute ``attr`` of ``term``."""
    return ("a", term, attr)


def builtin(type_name: str) -> Term:
    """A value of builtin type ``type_name``."""
    return ("b", type_name)


def unknown(reason: str) -> Term:
    """An unknown value, and why it is unknown."""
    return ("u", reason)


def union(terms: Iterable[Term]) -> Term:
    """Any of ``terms`` (flattened, duplicates dropped; one term stays itself)."""
    flat: dict[Term, None] = {}
    for term in terms:
        for member in term[1] if term[0] == "|" else (term,):
            flat[member] = None
    members = tuple(flat)
    return members[0] if len(members) == 1 else ("|", members)


def freeze(data: Any) -> Any:
    """A term read back from JSON (lists) as tuples again."""
    if isinstance(data, list):
        return tuple(freeze(item) for item in data)
    return data


@dataclass(frozen=True)
class ClassFacts:
    """What a class states: bases as far as they resolve (``unresolved_bases`` when
    some do not), the names its body defines, which of them are properties, what its
    methods assign to ``self`` attributes, and whether it answers any attribute
    (``__getattr__``)."""

    name: str
    bases: tuple[str, ...]
    members: frozenset[str]
    properties: frozenset[str] = frozenset()
    attributes: tuple[tuple[str, Term], ...] = ()
    dynamic: bool = False
    unresolved_bases: bool = False


class TypeFacts:
    """Evaluates terms against the facts of every module of a scan.

    ``canonical`` maps a dotted name through re-exports to where it is defined;
    ``modules`` are the scanned modules (a name under one of them that no fact
    explains is unknown; a name under none belongs to an outside library).
    """

    def __init__(
        self,
        classes: Mapping[str, ClassFacts],
        returns: Mapping[str, Term],
        variables: Mapping[str, Term],
        modules: frozenset[str],
        canonical: Any,
    ):
        self.classes = classes
        self.returns = returns
        self.variables = variables
        self.modules = modules
        self.canonical = canonical
        # By identity: terms are deep tuples whose hash is recomputed on every lookup.
        # Each entry keeps its term alive, so no other term can take its id.
        self._memo: dict[int, tuple[Term, frozenset[Value]]] = {}
        self._active: set[int] = set()
        self._partials: dict[str, Term] = {}  # what each partial object calls
        self._attributes = {
            cls.name: {attr: term for attr, term in cls.attributes} for cls in classes.values()
        }

    def evaluate(self, term: Term, depth: int = 0) -> frozenset[Value]:
        """The values ``term`` may have."""
        key = id(term)
        known = self._memo.get(key)
        if known is not None:
            return known[1]
        if depth > MAX_DEPTH:
            return frozenset({Value("unknown", "inference went too deep")})
        if key in self._active:
            return frozenset({Value("unknown", "its type depends on itself")})
        self._active.add(key)
        try:
            found = frozenset(self._evaluate(term, depth + 1))
        finally:
            self._active.discard(key)
        self._memo[key] = (term, found)
        return found

    def mro(self, cls: str) -> list[str]:
        """``cls`` and its ancestors the scan knows, nearest first (breadth first)."""
        order: list[str] = []
        todo = [cls]
        while todo:
            current = todo.pop(0)
            if current in order:
                continue
            order.append(current)
            facts = self.classes.get(current)
            if facts is not None:
                todo.extend(self.canonical(base) for base in facts.bases)
        return order

    # Private

    def _evaluate(self, term: Term, depth: int) -> Iterable[Value]:
        tag = term[0]
        if tag == "n":
            return self._named(term[1], depth)
        if tag == "c":
            return [
                v for value in self.evaluate(term[1], depth) for v in self._called(value, depth)
            ]
        if tag == "a":
            return [
                v
                for value in self.evaluate(term[1], depth)
                for v in self._attribute(value, term[2], depth)
            ]
        if tag == "s":
            facts = self.classes.get(self.canonical(term[1]))
            if facts is None:
                return [OTHER]
            return [Value("instance", self.canonical(base)) for base in facts.bases] or [OTHER]
        if tag == "p":
            key = str(id(term))
            self._partials[key] = term[1]
            return [Value("partial", key)]
        if tag == "b":
            return [OTHER]
        if tag == "u":
            return [Value("unknown", term[1])]
        if tag == "|":
            return [v for member in term[1] for v in self.evaluate(member, depth)]
        return [Value("unknown", "an expression the scan does not model")]

    def _named(self, dotted: str, depth: int) -> Iterable[Value]:
        canon = self.canonical(dotted)
        if canon in self.classes or canon in self.returns or canon in self.modules:
            return [Value("object", canon)]
        if canon in self.variables:
            return self.evaluate(self.variables[canon], depth)
        owner, _, attr = canon.rpartition(".")
        if owner in self.classes:
            return self._class_member(owner, attr, depth, instance=False)
        if not self._inside(canon):
            return [OTHER]
        return [Value("unknown", f"'{canon}' is not defined in the scanned code")]

    def _inside(self, dotted: str) -> bool:
        parts = dotted.split(".")
        return any(".".join(parts[:end]) in self.modules for end in range(len(parts), 0, -1))

    def _called(self, value: Value, depth: int) -> Iterable[Value]:
        if value.kind == "unknown":
            return [value]
        if value.kind == "other":
            return [OTHER]
        if value.kind == "instance":
            return self._attribute_then_call(value, "__call__", depth)
        if value.kind == "partial":
            return self.evaluate(call(self._partials[value.name]), depth)
        if value.name in self.classes:
            return [Value("instance", value.name)]
        if value.name in self.returns:
            return self.evaluate(self.returns[value.name], depth)
        return [OTHER]

    def _attribute_then_call(self, value: Value, attr: str, depth: int) -> list[Value]:
        return [
            v
            for member in self._attribute(value, attr, depth)
            for v in self._called(member, depth)
        ]

    def _attribute(self, value: Value, attr: str, depth: int) -> Iterable[Value]:
        if value.kind in ("unknown", "other"):
            return [value]
        if value.kind == "partial":
            return [OTHER]  # func, args, keywords of the partial object
        if value.kind == "instance":
            return self._class_member(value.name, attr, depth, instance=True)
        if value.name in self.classes:
            return self._class_member(value.name, attr, depth, instance=False)
        if value.name in self.modules:
            return self._named(f"{value.name}.{attr}", depth)
        return [OTHER]  # an attribute of a function

    def _class_member(self, cls: str, attr: str, depth: int, instance: bool) -> list[Value]:
        dynamic = False
        for current in self.mro(cls):
            facts = self.classes.get(current)
            if facts is None:
                return [OTHER]  # inherited from a class outside the scan: not tracked
            dotted = f"{current}.{attr}"
            if attr in facts.properties:
                if not instance:
                    return [OTHER]
                value = self.returns.get(dotted)
                if value is None:
                    return [Value("unknown", f"the value of property {dotted} is not known")]
                return list(self.evaluate(value, depth))
            if dotted in self.returns or dotted in self.classes:
                return [Value("object", dotted)]
            found: list[Value] = []
            if instance and attr in self._attributes[current]:
                found += self.evaluate(self._attributes[current][attr], depth)
            if dotted in self.variables:
                found += self.evaluate(self.variables[dotted], depth)
            if found:
                return found
            if attr in facts.members:
                return [Value("unknown", f"'{dotted}' is bound in a way the scan does not model")]
            dynamic = dynamic or facts.dynamic
            if facts.unresolved_bases:
                return [Value("unknown", f"{current} has a base the scan cannot resolve")]
        if dynamic:
            return [Value("unknown", f"{cls} answers any attribute (__getattr__)")]
        return [Value("unknown", f"'{attr}' is never assigned on {cls} in the scanned code")]
