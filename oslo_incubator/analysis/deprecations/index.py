"""Matching references against deprecations, across modules and projects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from oslo_incubator.analysis import receivers
from oslo_incubator.analysis.deprecations.outline import ModuleOutline, Signature
from oslo_incubator.analysis.deprecations.references import Interest, Reference
from oslo_incubator.analysis.receivers import ClassFacts, Term, TypeFacts
from oslo_incubator.model.debt import Confidence, DeprecatedKind, Deprecation, UseKind


@dataclass(frozen=True)
class Match:
    """A reference that uses deprecation number ``index``."""

    index: int
    kind: UseKind
    confidence: Confidence
    reason: str | None = None  # for a possible use: why the object is not known


class DeprecationIndex:
    """Matches references against deprecations, across modules and projects.

    Built from every deprecation and every module outline of a scan: the outlines
    give class hierarchies (``Sub.method`` and ``self.method`` in a subclass reach a
    deprecated ``Base.method`` unless ``Sub`` overrides it) and import aliases (a
    name re-exported by a package ``__init__`` resolves to where it is defined).
    """

    def __init__(self, deprecations: Sequence[Deprecation], outlines: Iterable[ModuleOutline]):
        self.deprecations = deprecations
        self._by_target: dict[str, list[int]] = {}
        for i, dep in enumerate(deprecations):
            if dep.kind is not DeprecatedKind.FEATURE:
                self._by_target.setdefault(dep.target, []).append(i)
        self._classes: dict[str, ClassFacts] = {}
        self._aliases: dict[str, str] = {}
        returns: dict[str, Term] = {}
        variables: dict[str, Term] = {}
        self._signatures: dict[str, Signature] = {}
        self._stars: dict[str, tuple[str, ...]] = {}
        self._returns, self._variables = returns, variables
        modules = set()
        for outline in outlines:
            self._signatures.update(outline.signatures)
            if outline.stars:
                self._stars[outline.module] = outline.stars
            for cls in outline.classes:
                self._classes.setdefault(cls.name, cls)
            for name, dotted in outline.aliases:
                self._aliases.setdefault(name, dotted)
            for name, term in outline.returns:
                returns.setdefault(name, term)
            for name, term in outline.variables:
                variables.setdefault(name, term)
            if outline.module:
                modules.add(outline.module)
        self._modules = frozenset(modules)
        self.facts = TypeFacts(self._classes, returns, variables, self._modules, self._canonical)
        self._members: dict[str, list[int]] = {}
        for i, dep in enumerate(deprecations):
            parent, _, last = dep.target.rpartition(".")
            if dep.kind is not DeprecatedKind.FEATURE and parent in self._classes:
                self._members.setdefault(last, []).append(i)
        self.member_names = frozenset(self._members)
        self._children: dict[str, list[str]] | None = None

    def interest(self) -> Interest:
        """What a reference scan must keep to match these deprecations."""
        words = {dep.target.rpartition(".")[2] for dep in self.deprecations}
        members = {
            dep.target.rpartition(".")[2]
            for dep in self.deprecations
            if dep.kind in (DeprecatedKind.METHOD, DeprecatedKind.PROPERTY, DeprecatedKind.KWARG)
        }
        return Interest(frozenset(words | members | self.member_names), frozenset(members))

    def words(self) -> frozenset[str]:
        """The last names of every tracked deprecation's target (for text mentions)."""
        return frozenset(
            d.target.rpartition(".")[2]
            for d in self.deprecations
            if d.kind is not DeprecatedKind.FEATURE
        )

    def match(self, ref: Reference) -> list[Match]:
        """The deprecations ``ref`` uses (none when it is inside their own definition)."""
        if ref.kind is UseKind.TEXT:
            return self._match_text(ref)
        if ref.target is None:
            if ref.receiver is None:
                return self._match_unresolved(ref, "the object of the attribute is not known")
            return self._match_receiver(ref, ref.receiver)
        for target in dict.fromkeys([ref.target, self._canonical(ref.target)]):
            # Reached through an instance (``thing = Old(); thing.run()``, ``a =
            # deprecated_func(); a.name``), only the member itself can be deprecated:
            # the call or instantiation that made the object is its use, counted there.
            found = [
                match
                for index, exact in self._candidates(target)
                if exact or not ref.via_instance
                if (match := self._accept(index, ref, exact, Confidence.CERTAIN)) is not None
            ]
            if found:
                return _unique(found)
        owner, _, attr = self._canonical(ref.target).rpartition(".")
        if ref.via_instance:
            cls = ref.target.rpartition(".")[0]
            if cls not in self._classes and self._canonical(cls) not in self._classes:
                receiver = receivers.call(receivers.name(cls))
                return self._match_receiver(replace(ref, attr=attr), receiver)
        elif owner in self.facts.variables:  # ``client = Client()`` at module level
            return self._match_receiver(replace(ref, attr=attr), receivers.name(owner))
        return []

    # Private

    def _canonical(self, target: str) -> str:
        for _ in range(8):  # re-exports chain rarely, and cycles must end
            parts = target.split(".")
            for end in range(len(parts), 0, -1):
                alias = self._aliases.get(".".join(parts[:end])) or self._starred(parts, end)
                if alias is not None:
                    target = ".".join([alias, *parts[end:]])
                    break
            else:
                return target
        return target

    def _starred(self, parts: list[str], end: int) -> str | None:
        """Where ``package.name`` comes from when ``package`` re-exports it with
        ``from package.module import *`` (the first such module that defines it)."""
        name = ".".join(parts[:end])
        if end < 2 or name in self._modules or self._defined(name):
            return None  # a module or name of its own, not a re-export
        for source in self._stars.get(".".join(parts[: end - 1]), ()):
            candidate = f"{source}.{parts[end - 1]}"
            if self._defined(candidate) or candidate in self._aliases:
                return candidate
        return None

    def _defined(self, name: str) -> bool:
        return (
            name in self._by_target
            or name in self._classes
            or name in self._returns
            or name in self._variables
        )

    def _candidates(self, target: str) -> Iterator[tuple[int, bool]]:
        """Deprecations whose target is ``target`` or a prefix of it (with whether it is
        exact), then those reached through the class hierarchy."""
        parts = target.split(".")
        direct = False
        for end in range(len(parts), 0, -1):
            for index in self._by_target.get(".".join(parts[:end]), ()):
                direct = True
                yield index, end == len(parts)
        if direct:
            return
        for i in range(1, len(parts)):
            if parts[i] not in self._members:
                continue
            owner = self._canonical(".".join(parts[:i]))
            inherited = self._inherited(owner, parts[i])
            for index in self._by_target.get(f"{inherited}.{parts[i]}", ()) if inherited else ():
                yield index, i == len(parts) - 1

    def _inherited(self, cls: str, member: str) -> str | None:
        """The ancestor of ``cls`` whose ``member`` ``cls`` inherits, if a deprecated one."""
        todo = [cls]
        seen = set()
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            if f"{name}.{member}" in self._by_target:
                return name
            outline = self._classes.get(name)
            if outline is None or (name != cls and member in outline.members):
                continue
            if name == cls and member in outline.members:
                return None  # overridden by the class itself
            todo.extend(self._canonical(base) for base in outline.bases)
        return None

    def _accept(
        self, index: int, ref: Reference, exact: bool, confidence: Confidence
    ) -> Match | None:
        dep = self.deprecations[index]
        if ref.scope == dep.owner or ref.scope.startswith(dep.owner + "."):
            return None
        if dep.kind is DeprecatedKind.KWARG:
            if not exact or ref.kind is not UseKind.CALL or dep.kwarg not in ref.keywords:
                return None
        elif dep.kind is DeprecatedKind.KWARG_DEFAULT:
            if not exact or ref.kind is not UseKind.CALL or dep.kwarg in ref.keywords:
                return None
            if ref.star_kwargs:
                return None
        kind = ref.kind
        if kind is UseKind.CALL and dep.kind is DeprecatedKind.CLASS and exact:
            kind = UseKind.INSTANTIATION
        return Match(index, kind, confidence)

    def _match_receiver(self, ref: Reference, receiver: Term) -> list[Match]:
        """Match an attribute by what its object evaluates to: certain through an
        instance, class or module that reaches a deprecation, possible (with the
        reason) where the object stays unknown, nothing where it is known and
        unrelated (a dict, an object of an outside library, an unrelated class)."""
        certain: list[Match] = []
        reasons: list[str] = []
        for value in sorted(self.facts.evaluate(receiver), key=lambda v: (v.kind, v.name)):
            if value.kind == "unknown":
                reasons.append(value.name)
            elif value.kind in ("instance", "object"):
                target = f"{value.name}.{ref.attr}"
                for index, exact in self._candidates(target):
                    if value.kind == "instance" and not exact:
                        continue  # a method call on an instance is no use of its class
                    match = self._accept(index, ref, exact, Confidence.CERTAIN)
                    if match is not None:
                        certain.append(match)
        if certain:
            return _unique(certain)
        if reasons:
            return self._match_unresolved(ref, reasons[0])
        return []

    def _impossible(self, dep: Deprecation, ref: Reference) -> bool:
        """Whether ``ref`` cannot be a use of the member ``dep`` whatever its object:
        a call the member's signature refuses, or a local name also used in ways no
        class that inherits the member supports (``client.get(k, default)`` is no
        ``HTTPClient.get(url)``; nor is ``options.get(k)`` where ``options[k]`` is read
        too and no such class has ``__getitem__``). A type checker would reject the
        line or the function if the object were one of those classes."""
        signature = self._signatures.get(dep.target)
        if signature is not None and ref.kind is UseKind.CALL:
            if signature.refuses(ref.positional, ref.keywords, ref.star_kwargs):
                return True
        if not ref.receiver_uses:
            return False
        owner, _, member = dep.target.rpartition(".")
        return not any(
            self._supports(cls, ref.receiver_uses) for cls in self._heirs(owner, member)
        )

    def _heirs(self, owner: str, member: str) -> list[str]:
        """``owner`` and the scanned classes that inherit its ``member`` from it."""
        if self._children is None:
            self._children = {}
            for facts in self._classes.values():
                for base in facts.bases:
                    self._children.setdefault(self._canonical(base), []).append(facts.name)
        found: list[str] = []
        todo = [owner]
        while todo:
            name = todo.pop()
            if name in found:
                continue
            found.append(name)
            todo += [
                c for c in self._children.get(name, ()) if member not in self._classes[c].members
            ]
        return found

    def _supports(self, cls: str, uses: Sequence[str]) -> bool:
        """Whether instances of ``cls`` support every one of ``uses`` (true when the
        scan cannot tell: a base outside the scan, ``__getattr__``)."""
        names: set[str] = set()
        for current in self.facts.mro(cls):
            facts = self._classes.get(current)
            if facts is None or facts.dynamic or facts.unresolved_bases:
                return True
            names |= facts.members | {attr for attr, _ in facts.attributes}
        needs = {"[]": ("__getitem__",), "in": ("__contains__", "__iter__", "__getitem__"),
                 "iter": ("__iter__", "__getitem__")}  # fmt: skip
        return all(
            any(n in names for n in needs[use]) if use in needs else use in names for use in uses
        )

    def _match_unresolved(self, ref: Reference, reason: str) -> list[Match]:
        found = []
        for index in self._members.get(ref.attr, ()):
            dep = self.deprecations[index]
            if dep.kind not in (
                DeprecatedKind.METHOD,
                DeprecatedKind.PROPERTY,
                DeprecatedKind.KWARG,
            ):
                continue
            if self._impossible(dep, ref):
                continue
            match = self._accept(index, ref, True, Confidence.POSSIBLE)
            if match is not None:
                found.append(replace(match, reason=reason))
        return found

    def _match_text(self, ref: Reference) -> list[Match]:
        return [
            Match(i, UseKind.TEXT, Confidence.POSSIBLE, "the file does not parse")
            for i, dep in enumerate(self.deprecations)
            if dep.kind is not DeprecatedKind.FEATURE and dep.target.rpartition(".")[2] == ref.attr
        ]


def _unique(matches: list[Match]) -> list[Match]:
    seen: dict[int, Match] = {}
    for match in matches:
        seen.setdefault(match.index, match)
    return list(seen.values())
