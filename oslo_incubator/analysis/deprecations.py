"""Deprecations declared in Python source, and the references that may still use them.

Pure: an ``ast`` tree and its module name in, data out. Four families of helper are
recognised, however they are imported (``from debtcollector import removals as r``,
``import debtcollector.removals``, ``from oslo_log import versionutils``, ``from
warnings import deprecated as dep``):

* this toolkit's ``oslo_incubator.deprecation`` and ``debtcollector`` (the same API:
  ``removals``, ``moves``, ``renames``, ``updating`` and ``deprecate()``);
* PEP 702's ``warnings.deprecated`` and ``typing_extensions.deprecated``;
* oslo's ``versionutils.deprecated`` (incubator copies ``<base>.openstack.common.
  versionutils`` and ``oslo_log.versionutils``).

Names resolve through a small model of Python scoping: imports and definitions of the
module, function locals (parameters and reassigned names shadow; a name assigned once
from ``Klass(...)`` holds an instance of ``Klass``), ``self``/``cls`` in methods, and
``Klass().method``. There is no other type inference: an attribute whose object cannot
be resolved is kept as an *unresolved* reference, which may become a "possible" use
when its name is a deprecated method's or property's name.
"""

from __future__ import annotations

import ast
import builtins
import re
import typing
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from oslo_incubator.analysis import receivers
from oslo_incubator.analysis.imports import resolve_relative
from oslo_incubator.analysis.receivers import ClassFacts, Term, TypeFacts
from oslo_incubator.analysis.syntax import parse_expression
from oslo_incubator.analysis.versions import parse_release, versionutils_removal
from oslo_incubator.model.debt import (
    Confidence,
    DeprecatedKind,
    Deprecation,
    DeprecationSource,
    UseKind,
)

# The debtcollector API (and this toolkit's copy of it), relative to the package, with
# each helper's positional parameters in order (keyword arguments are read by name).
DEBT_APIS: dict[str, tuple[str, ...]] = {
    "removals.remove": ("f", "message", "version", "removal_version"),
    "removals.removed_kwarg": ("old_name", "message", "version", "removal_version"),
    "removals.removed_class": ("cls_name", "replacement", "message", "version", "removal_version"),
    "removals.removed_module": ("module", "replacement", "message", "version", "removal_version"),
    "removals.removed_property": ("fget", "fset", "fdel", "doc"),
    "moves.moved_function": (
        "new_func",
        "old_func_name",
        "old_module_name",
        "message",
        "version",
        "removal_version",
    ),  # fmt: skip
    "moves.moved_method": ("new_method_name", "message", "version", "removal_version"),
    "moves.moved_property": ("new_attribute_name", "message", "version", "removal_version"),
    "moves.moved_read_only_property": ("old_name", "new_name", "version", "removal_version"),
    "moves.moved_class": (
        "new_class",
        "old_class_name",
        "old_module_name",
        "message",
        "version",
        "removal_version",
    ),  # fmt: skip
    "renames.renamed_kwarg": ("old_name", "new_name", "message", "version", "removal_version"),
    "updating.updated_kwarg_default_value": (
        "name",
        "old_value",
        "new_value",
        "message",
        "version",
    ),  # fmt: skip
    "deprecate": ("prefix", "postfix", "message", "version", "removal_version"),
}
DEBT_PACKAGES = {
    "oslo_incubator.deprecation": DeprecationSource.OSLO_INCUBATOR,
    "debtcollector": DeprecationSource.DEBTCOLLECTOR,
}
PEP702_APIS = ("warnings.deprecated", "typing_extensions.deprecated")
VERSIONUTILS_PARAMS = ("as_of", "in_favor_of", "remove_in", "what")
VERSIONUTILS_DEFAULT_REMOVE_IN = 2

# Helpers used as a call statement or an assignment, not as a decorator.
_CALL_FORMS = frozenset(
    {"removals.removed_module", "moves.moved_function", "moves.moved_class",
     "moves.moved_read_only_property", "deprecate"}
)  # fmt: skip
_KWARG_FORMS = frozenset(
    {"removals.removed_kwarg", "renames.renamed_kwarg", "updating.updated_kwarg_default_value"}
)
_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "setter", "getter", "deleter"})
# Decorators that make a method's result an attribute's value (``obj.name`` is what the
# method returns).
_GETTER_DECORATORS = frozenset(
    {"property", "cached_property", "removed_property", "reify", "lazy_property"}
)
# Expressions whose value is of a builtin type, whatever they hold.
_DISPLAYS: dict[type[ast.AST], str] = {
    ast.Dict: "dict", ast.DictComp: "dict", ast.List: "list", ast.ListComp: "list",
    ast.Set: "set", ast.SetComp: "set", ast.Tuple: "tuple", ast.JoinedStr: "str",
    ast.GeneratorExp: "generator", ast.Lambda: "function", ast.Compare: "bool",
    ast.UnaryOp: "operator result",
}  # fmt: skip
_BUILTIN_NAMES = frozenset(dir(builtins))

# Only a text containing one of these can declare a deprecation ("moved_" is also in
# "removed_"); plain substring tests are several times faster than a regex alternation.
_DECLARATION_MARKERS = ("deprecat", "debtcollector", "moved_", "renamed_kwarg", "updated_kwarg")
_REPLACEMENT_RE = re.compile(
    r"(?:\buse|\bin favou?r of|\breplaced by|\bsuperseded by|\bmoved to)\s+"
    r"[`'\"]*([A-Za-z_][\w.]*(?:\(\))?)",
    re.IGNORECASE,
)


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


#: A class as far as one module tells (kept under its old name for callers).
ClassOutline = ClassFacts


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


@dataclass(frozen=True)
class Match:
    """A reference that uses deprecation number ``index``."""

    index: int
    kind: UseKind
    confidence: Confidence
    reason: str | None = None  # for a possible use: why the object is not known


def module_for_path(path: str, package_dirs: Collection[str]) -> tuple[str, bool]:
    """The dotted module of a project file, and whether it is a package.

    ``path`` is relative to the project root with ``/`` separators; ``package_dirs``
    are the directories holding an ``__init__.py``. The module is named from the
    outermost package of an unbroken chain of packages (``src/pkg/x.py`` is ``pkg.x``
    when ``src`` is not a package); a file outside any package is named by its whole
    path (``tools/hooks.py`` is ``tools.hooks``).
    """
    parts = path.removesuffix(".py").split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    directories = path.split("/")[:-1]
    start = len(directories)
    while start > 0 and "/".join(directories[:start]) in package_dirs:
        start -= 1
    if start == len(directories):  # not in a package: keep the whole path
        start = 0
    return ".".join(parts[start:]), is_package


def may_declare(text: str) -> bool:
    """Whether source ``text`` can declare a deprecation at all (a cheap pre-test)."""
    return any(marker in text for marker in _DECLARATION_MARKERS)


def find_deprecations(
    tree: ast.Module, module: str, is_package: bool = False, walrus: bool = True
) -> list[Deprecation]:
    """Every deprecation declared in ``tree``, the text of module ``module``.

    ``walrus=False`` says the text has no ``:=``, which spares the search for names
    that assignment expressions bind.

    Returns:
        Deprecations in source order; a definition deprecated twice (a property's
        getter and setter) is reported once per kind.
    """
    walker = _Walker(module, is_package, None, walrus)
    walker.run(tree)
    return _unique_deprecations(walker.deprecations)


def find_references(
    tree: ast.Module, module: str, is_package: bool, interest: Interest, walrus: bool = True
) -> list[Reference]:
    """The references in ``tree`` that ``interest`` wants, in source order (``walrus``
    as for :func:`find_deprecations`)."""
    walker = _Walker(module, is_package, interest, walrus)
    walker.run(tree)
    return sorted(walker.references, key=lambda r: r.line)


def outline_module(
    tree: ast.Module, module: str, is_package: bool = False, walrus: bool = True
) -> ModuleOutline:
    """The classes, import aliases and type facts of ``tree`` (see :class:`ModuleOutline`)."""
    return describe_module(tree, module, is_package, walrus)[1]


def describe_module(
    tree: ast.Module,
    module: str,
    is_package: bool = False,
    walrus: bool = True,
    declares: bool = True,
) -> tuple[list[Deprecation], ModuleOutline]:
    """:func:`find_deprecations` and :func:`outline_module` in one walk of ``tree``
    (``declares=False``, when :func:`may_declare` says the text cannot declare any,
    spares the search for declarations)."""
    walker = _Walker(module, is_package, None, walrus, facts=True, declare=declares)
    walker.run(tree)
    return _unique_deprecations(walker.deprecations), walker.outline()


def replacement_from_message(message: str | None) -> str | None:
    """The replacement a deprecation message names ("use X instead", "in favor of X",
    "replaced by X"), or ``None``."""
    if not message:
        return None
    match = _REPLACEMENT_RE.search(message)
    return match.group(1).rstrip(".") if match else None


def find_mentions(text: str, words: Collection[str]) -> list[tuple[str, int]]:
    """Each whole-word occurrence of ``words`` in ``text`` as ``(word, line)``: the
    fallback for files that do not parse."""
    if not words:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words)) + r")\b")
    found = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for word in dict.fromkeys(m.group(1) for m in pattern.finditer(line)):
            found.append((word, lineno))
    return found


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


# Private


def _unique_deprecations(deprecations: list[Deprecation]) -> list[Deprecation]:
    seen: set[tuple[str, DeprecatedKind, int | None]] = set()
    unique = []
    for found in sorted(deprecations, key=lambda d: d.line):
        key = (
            found.name,
            found.kind,
            found.line if found.kind is DeprecatedKind.FEATURE else None,
        )
        if key not in seen:
            seen.add(key)
            unique.append(found)
    return unique


def _unique(matches: list[Match]) -> list[Match]:
    seen: dict[int, Match] = {}
    for match in matches:
        seen.setdefault(match.index, match)
    return list(seen.values())


@dataclass(frozen=True)
class _Bound:
    """What a name or expression stands for."""

    dotted: str
    instance: bool = False  # an instance of the class ``dotted``
    via_instance: bool = False  # ``dotted`` is ``<class>.<attr>`` reached from an instance


# A function-local name assigned exactly once keeps its value, resolved on demand.
_Binding = _Bound | ast.expr | None


@dataclass(frozen=True)
class _Annotation:
    """A name declared with a type (``x: Klass``, a parameter's annotation)."""

    expr: ast.expr


@dataclass(frozen=True)
class _Entered:
    """A ``with`` target: what ``__enter__`` of the context expression returns."""

    expr: ast.expr


@dataclass(frozen=True)
class _Caught:
    """An ``except ... as name`` target: an instance of the handled types."""

    expr: ast.expr | None


# Where a function-local name gets its values, for its type: an assigned expression,
# one of the markers above, or a receivers term (an unknown with its reason).
_Source = ast.expr | _Annotation | _Entered | _Caught | Term


class _Bindings:
    """The names one scope binds, collected before the scope is walked (Python decides
    what is local by looking at the whole body)."""

    def __init__(self, module: str, package: str, walrus: bool = True):
        self.module = module
        self.package = package
        self.walrus = walrus
        self.names: dict[str, _Binding] = {}
        self.imported: dict[str, _Bound] = {}
        self.stars: list[str] = []
        self.declared_global: set[str] = set()
        self.sources: dict[str, list[_Source]] = {}
        self._assigned: dict[str, int] = {}

    def collect(self, body: Sequence[ast.stmt], dotted: str, in_function: bool) -> None:
        """Bind the names of ``body`` (a module, class or function body at ``dotted``)."""
        for stmt in body:
            self._statement(stmt, dotted, in_function, fallback=False)
        for name in self.declared_global:
            self.names.pop(name, None)

    def bind_parameter(
        self, name: str, bound: _Bound | None = None, source: _Source | None = None
    ) -> None:
        """A function parameter: unknown (or ``self``/``cls``), and any later assignment
        makes it unknown too. ``source`` is its annotation, or why its type is unknown."""
        self.names[name] = bound
        self._assigned[name] = 1
        if source is not None:
            self.sources[name] = [source]

    def _bind_import(self, name: str, bound: _Bound, fallback: bool) -> None:
        if fallback and name in self.names:
            return  # ``except ImportError: import other as name`` keeps the first import
        self.names[name] = bound
        self.imported[name] = bound

    def _statement(self, stmt: ast.stmt, dotted: str, in_function: bool, fallback: bool) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self._bind_import(alias.asname, _Bound(alias.name), fallback)
                else:
                    top = alias.name.split(".")[0]
                    self._bind_import(top, _Bound(top), fallback)
        elif isinstance(stmt, ast.ImportFrom):
            source = resolve_relative(stmt.level, stmt.module, self.package)
            for alias in stmt.names:
                if alias.name == "*":
                    self.stars.append(source)
                    continue
                full = f"{source}.{alias.name}" if source else alias.name
                self._bind_import(alias.asname or alias.name, _Bound(full), fallback)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.names[stmt.name] = _Bound(f"{dotted}.{stmt.name}")
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
            self._targets(stmt.target, dotted, in_function, None, _Annotation(stmt.annotation))
        elif isinstance(stmt, ast.AugAssign):
            self._targets(stmt.target, dotted, in_function, None, None)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            loop = receivers.unknown("a loop variable")
            self._targets(stmt.target, dotted, in_function, None, loop)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    entered = _Entered(item.context_expr)
                    self._targets(item.optional_vars, dotted, in_function, None, entered)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            stmt = typing.cast(ast.Try, stmt)  # ``try/except*`` has the same fields
            for inner in stmt.body:
                self._statement(inner, dotted, in_function, fallback)
            for handler in stmt.handlers:
                if handler.name:
                    self._local(handler.name, dotted, in_function, None, _Caught(handler.type))
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
            for node in _walk_expressions(stmt):
                if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                    self._local(node.target.id, dotted, in_function, None, node.value)

    def _targets(
        self, target: ast.expr, dotted: str, in_function: bool, value: ast.expr | None,
        source: _Source | None,
    ) -> None:  # fmt: skip
        if isinstance(target, ast.Name):
            self._local(target.id, dotted, in_function, value, source)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(source, (ast.Tuple, ast.List)) and _pairs_up(target, source):
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
        source: _Source | None = None,
    ) -> None:  # fmt: skip
        if not in_function:
            self.names[name] = _Bound(f"{dotted}.{name}")
            return
        if source is not None:
            self.sources.setdefault(name, []).append(source)
        count = self._assigned.get(name, 0) + 1
        self._assigned[name] = count
        keep = count == 1 and isinstance(value, (ast.Call, ast.Name, ast.Attribute))
        self.names[name] = value if keep else None


def _walk_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The expression nodes of ``stmt`` itself (not of nested statements or scopes)."""
    todo: list[ast.AST] = [
        child for child in ast.iter_child_nodes(stmt) if not isinstance(child, ast.stmt)
    ]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.Lambda, ast.comprehension)):
            continue
        todo.extend(ast.iter_child_nodes(node))


def _outline_classes(
    body: Sequence[ast.stmt], prefix: str, bindings: _Bindings, out: list[ClassOutline]
) -> None:
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            name = f"{prefix}.{stmt.name}"
            bases = []
            for base in stmt.bases:
                bound = _resolve_static(base, bindings)
                if bound is not None:
                    bases.append(bound)
            members = _Bindings(bindings.module, bindings.package)
            members.collect(stmt.body, name, in_function=False)
            out.append(ClassOutline(name, tuple(bases), frozenset(members.names)))
            _outline_classes(stmt.body, name, bindings, out)
        elif isinstance(stmt, (ast.If, ast.Try)):
            _outline_classes(stmt.body, prefix, bindings, out)
            _outline_classes(stmt.orelse, prefix, bindings, out)


def _resolve_static(expr: ast.expr, bindings: _Bindings) -> str | None:
    if isinstance(expr, ast.Name):
        bound = bindings.names.get(expr.id)
        return bound.dotted if isinstance(bound, _Bound) else None
    if isinstance(expr, ast.Attribute):
        inner = _resolve_static(expr.value, bindings)
        return f"{inner}.{expr.attr}" if inner else None
    return None


@dataclass
class _Scope:
    kind: str  # "module", "class", "function"
    dotted: str  # the module, class or function this scope belongs to
    bindings: _Bindings
    node: ast.AST | None = None
    in_class: str | None = None  # for a method: its class
    direct_calls: set[int] = field(default_factory=set)  # ids of call statements of the body
    returns: list[Term] | None = None  # a function's returned terms (None: annotated)
    terms: dict[str, Term] = field(default_factory=dict)  # names' terms, once computed
    usage: dict[str, set[str]] | None = None  # what the body does with each name
    generator: bool = False  # a function that yields


class _Walker(ast.NodeVisitor):
    """Walks a module with its scopes: declarations always, references when asked."""

    def __init__(
        self, module: str, is_package: bool, interest: Interest | None, walrus: bool = True,
        facts: bool = False, declare: bool = True,
    ):  # fmt: skip
        self.module = module
        self.declare = declare  # look for declarations (a text that cannot declare any: no)
        # Neither declarations nor references: only the facts, which needs no resolving
        # of every name and call.
        self._facts_only = facts and interest is None and not declare
        self.facts = facts  # collect what the module states about types (ModuleOutline)
        self._returns: dict[str, Term] = {}
        self._signatures: dict[str, Signature] = {}
        self._variables: dict[str, list[Term]] = {}
        self._attributes: dict[str, dict[str, list[Term]]] = {}
        self._properties: dict[str, set[str]] = {}
        self._classes: list[tuple[str, tuple[str, ...], bool, _Bindings]] = []
        self._module_bindings: _Bindings | None = None
        self._terming: set[tuple[int, str]] = set()
        self.walrus = walrus
        self.package = module if is_package else module.rpartition(".")[0]
        self.interest = interest
        self.scopes: list[_Scope] = []
        self.deprecations: list[Deprecation] = []
        self.references: list[Reference] = []
        self._resolving: set[tuple[int, str]] = set()
        self._assigned_to: dict[int, str] = {}  # id of a call -> the name it is assigned to

    def run(self, tree: ast.Module) -> None:
        bindings = _Bindings(self.module, self.package)
        bindings.collect(tree.body, self.module, in_function=False)
        self._module_bindings = bindings
        scope = _Scope("module", self.module, bindings, tree)
        scope.direct_calls = _direct_calls(tree.body)
        self.scopes.append(scope)
        for stmt in tree.body:
            self.visit(stmt)
        self.scopes.pop()

    # Scopes and resolution

    @property
    def where(self) -> str:
        """The dotted name of the innermost definition (the module at top level)."""
        for scope in reversed(self.scopes):
            if scope.kind != "comprehension":
                return scope.dotted
        return self.module

    def _lookup(self, name: str, upto: int) -> _Bound | None:
        for index in range(upto, -1, -1):
            scope = self.scopes[index]
            if scope.kind == "class" and index != upto:
                continue  # a class body's names are not visible inside its methods
            if name in scope.bindings.names:
                value = scope.bindings.names[name]
                if value is None or isinstance(value, _Bound):
                    return value
                key = (id(scope), name)
                if key in self._resolving:
                    return None
                self._resolving.add(key)
                try:
                    return self._resolve(value, index)
                finally:
                    self._resolving.discard(key)
        stars = self.scopes[0].bindings.stars
        if len(stars) == 1:
            return _Bound(f"{stars[0]}.{name}")
        return None

    def _resolve(self, expr: ast.expr, upto: int | None = None) -> _Bound | None:
        if upto is None:
            upto = len(self.scopes) - 1
        if isinstance(expr, ast.Name):
            if expr.id == "__name__":
                return None
            return self._lookup(expr.id, upto)
        if isinstance(expr, ast.Attribute):
            inner = self._resolve(expr.value, upto)
            if inner is None or inner.via_instance:
                return None  # an attribute of an attribute of an instance: type unknown
            return _Bound(f"{inner.dotted}.{expr.attr}", via_instance=inner.instance)
        if isinstance(expr, ast.Call):
            callee = self._resolve(expr.func, upto)
            if callee is None or callee.instance or callee.via_instance:
                return None
            return _Bound(callee.dotted, instance=True)
        return None

    def _push_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, dotted: str
    ) -> None:
        bindings = _Bindings(self.module, self.package, self.walrus)
        args = node.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                params.append(extra)
        for param in params:
            if param.annotation is not None:
                source: _Source = _Annotation(param.annotation)
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
                decorators = {_decorator_name(d) for d in node.decorator_list}
                first = positional[0].arg
                if "staticmethod" in decorators:
                    pass
                elif "classmethod" in decorators or node.name == "__new__":
                    bindings.bind_parameter(first, _Bound(parent.dotted))
                else:
                    bindings.bind_parameter(first, _Bound(parent.dotted, instance=True))
            bindings.collect(node.body, dotted, in_function=True)
        scope = _Scope("function", dotted, bindings, node, in_class)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope.direct_calls = _direct_calls(node.body)
        self.scopes.append(scope)

    # Types: terms of expressions, and the facts a module states

    def outline(self) -> ModuleOutline:
        """The module's classes, aliases and type facts (after :meth:`run` with facts)."""
        bindings = self._module_bindings or _Bindings(self.module, self.package)
        aliases = tuple(
            (f"{self.module}.{name}", bound.dotted)
            for name, bound in bindings.imported.items()
            if f"{self.module}.{name}" != bound.dotted
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
            self.module,
            tuple(sorted(self._signatures.items())),
            tuple(bindings.stars),
        )

    def _term(self, expr: ast.expr, upto: int | None = None) -> Term:
        """What ``expr`` is made of, as a :mod:`receivers` term."""
        if upto is None:
            upto = len(self.scopes) - 1
        if isinstance(expr, ast.Name):
            return self._name_term(expr.id, upto)
        if isinstance(expr, ast.Attribute):
            return receivers.attribute(self._term(expr.value, upto), expr.attr)
        if isinstance(expr, ast.Call):
            return self._call_term(expr, upto)
        if isinstance(expr, ast.Constant):
            return receivers.builtin(type(expr.value).__name__)
        builtin = _DISPLAYS.get(type(expr))
        if builtin is not None:
            return receivers.builtin(builtin)
        if isinstance(expr, ast.BoolOp):
            return receivers.union(self._term(value, upto) for value in expr.values)
        if isinstance(expr, ast.IfExp):
            return receivers.union([self._term(expr.body, upto), self._term(expr.orelse, upto)])
        if isinstance(expr, ast.NamedExpr):
            return self._term(expr.value, upto)
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
            cls = self._enclosing_class(upto)
            if cls is not None and self._lookup_is_builtin("super", upto):
                return ("s", cls)
        if isinstance(func, (ast.Name, ast.Attribute)) and call.args:
            bound = self._resolve(func, upto)
            if bound is not None and bound.dotted == "functools.partial":
                return ("p", self._term(call.args[0], upto))
        return receivers.call(self._term(func, upto))

    def _lookup_is_builtin(self, name: str, upto: int) -> bool:
        return all(
            name not in scope.bindings.names
            for index, scope in enumerate(self.scopes[: upto + 1])
            if scope.kind != "class" or index == upto
        )

    def _enclosing_class(self, upto: int) -> str | None:
        for scope in reversed(self.scopes[: upto + 1]):
            if scope.in_class is not None:
                return scope.in_class
        return None

    def _name_term(self, name: str, upto: int) -> Term:
        for index in range(upto, -1, -1):
            scope = self.scopes[index]
            if scope.kind == "class" and index != upto:
                continue
            if name not in scope.bindings.names:
                continue
            value = scope.bindings.names[name]
            if isinstance(value, _Bound):
                return _bound_term(value)
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
        stars = self.scopes[0].bindings.stars
        if len(stars) == 1:
            return receivers.name(f"{stars[0]}.{name}")
        if name in _BUILTIN_NAMES:
            return receivers.name(f"builtins.{name}")
        return receivers.unknown(f"'{name}' is not bound in {self.module}")

    def _source_term(self, source: _Source, upto: int) -> Term:
        if isinstance(source, ast.expr):
            return self._term(source, upto)
        if isinstance(source, _Annotation):
            return self._annotation_term(source.expr, upto)
        if isinstance(source, _Entered):
            entered = receivers.attribute(self._term(source.expr, upto), "__enter__")
            return receivers.call(entered)
        if isinstance(source, _Caught):
            if source.expr is None:
                return receivers.builtin("BaseException")
            types = source.expr.elts if isinstance(source.expr, ast.Tuple) else [source.expr]
            return receivers.union(receivers.call(self._term(t, upto)) for t in types)
        return source

    def _annotation_term(self, expr: ast.expr, upto: int) -> Term:
        """An instance of the type ``expr`` annotates (``Optional``, unions and string
        annotations read)."""
        if isinstance(expr, ast.Constant):
            if isinstance(expr.value, str):
                try:
                    parsed = parse_expression(expr.value.strip(), "annotation")
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    return receivers.unknown("an annotation that does not parse")
                return self._annotation_term(parsed, upto)
            return receivers.builtin("NoneType")
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            return receivers.union(
                [self._annotation_term(expr.left, upto), self._annotation_term(expr.right, upto)]
            )
        if isinstance(expr, ast.Subscript):
            outer = _last_name(expr.value)
            inner = expr.slice
            if outer == "Optional":
                return self._annotation_term(inner, upto)
            if outer == "Union":
                members = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                return receivers.union(self._annotation_term(m, upto) for m in members)
            if outer in ("Type", "type"):
                return self._term(inner, upto)
            return receivers.builtin(outer or "generic")
        if isinstance(expr, (ast.Name, ast.Attribute)):
            return receivers.call(self._term(expr, upto))
        return receivers.unknown("an annotation the scan does not read")

    def _note_assignment(self, target: ast.expr, term: Term) -> None:
        """Record what an assignment states: a module or class name's value, or an
        attribute of an instance (``self.client = Client()``)."""
        scope = self.scopes[-1]
        if isinstance(target, ast.Name) and scope.kind in ("module", "class"):
            self._variables.setdefault(f"{scope.dotted}.{target.id}", []).append(term)
        elif isinstance(target, ast.Attribute):
            bound = self._resolve(target.value)
            if bound is not None and bound.instance:
                attributes = self._attributes.setdefault(bound.dotted, {})
                attributes.setdefault(target.attr, []).append(term)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._note_assignment(element, receivers.unknown("unpacked from a sequence"))

    def _note_assignments(self, target: ast.expr, value: ast.expr) -> None:
        """:meth:`_note_assignment` of ``target = value``, pairing ``a, b = x, y``."""
        if isinstance(value, (ast.Tuple, ast.List)) and _pairs_up(target, value):
            assert isinstance(target, (ast.Tuple, ast.List))
            for element, item in zip(target.elts, value.elts, strict=True):
                self._note_assignments(element, item)
        else:
            self._note_assignment(target, self._term(value))

    def visit_Return(self, node: ast.Return) -> None:
        if self.facts:
            scope = self._function_scope()
            if scope is not None and scope.returns is not None:
                value = node.value
                scope.returns.append(
                    receivers.builtin("NoneType") if value is None else self._term(value)
                )
        self.generic_visit(node)

    def visit_Yield(self, node: ast.Yield) -> None:
        self._mark_generator()
        self.generic_visit(node)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self._mark_generator()
        self.generic_visit(node)

    def _mark_generator(self) -> None:
        scope = self._function_scope()
        if scope is not None:
            scope.generator = True

    def _uses_of(self, name: str) -> tuple[str, ...]:
        """What the innermost function does with its local ``name`` (see
        :attr:`Reference.receiver_uses`); nothing for names of outer scopes."""
        scope = self._function_scope()
        if scope is None or name not in scope.bindings.names or scope.node is None:
            return ()
        if scope.usage is None:
            scope.usage = _name_usage(scope.node)
        return tuple(sorted(scope.usage.get(name, ())))

    def _function_scope(self) -> _Scope | None:
        for scope in reversed(self.scopes):
            if scope.kind == "function":
                return scope
            if scope.kind != "comprehension":
                return None
        return None

    # Visitors

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        dotted = f"{self.where}.{node.name}"
        for decorator in node.decorator_list:
            if self.declare:
                self._declare_decorator(decorator, node, dotted)
            if not _is_accessor_of(decorator, node.name):
                self.visit(decorator)
        args = node.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)
        if node.returns is not None:
            self.visit(node.returns)
        decorators = {_decorator_name(d) for d in node.decorator_list}
        parent = self.scopes[-1]
        if self.facts and parent.kind == "class" and decorators & _GETTER_DECORATORS:
            self._properties.setdefault(parent.dotted, set()).add(node.name)
        returns = (
            None
            if node.returns is None
            else self._annotation_term(node.returns, len(self.scopes) - 1)
        )
        if self.facts and node.decorator_list:
            self._signatures[dotted] = _signature(node, parent.kind == "class", decorators)
        self._push_function(node, dotted)
        scope = self.scopes[-1]
        scope.returns = [] if returns is None else None
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()
        if self.facts and not _is_accessor_of_any(node):
            if "contextmanager" in decorators:
                returns = receivers.unknown(f"{dotted} is a generator-based context manager")
            elif returns is None:
                found = scope.returns or [receivers.builtin("NoneType")]
                returns = (
                    receivers.builtin("generator") if scope.generator else receivers.union(found)
                )
            self._returns[dotted] = returns

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.visit(default)
        self._push_function(node, self.where)
        self.scopes[-1].kind = "comprehension"  # no definition of its own: uses stay in the caller
        self.visit(node.body)
        self.scopes.pop()

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        bindings = _Bindings(self.module, self.package)
        loop = receivers.unknown("a loop variable of a comprehension")
        for generator in node.generators:
            for name in ast.walk(generator.target):
                if isinstance(name, ast.Name):
                    bindings.names[name.id] = None
                    bindings.sources[name.id] = [loop]
        self.scopes.append(_Scope("comprehension", self.where, bindings, node))
        self.generic_visit(node)
        self.scopes.pop()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        dotted = f"{self.where}.{node.name}"
        for decorator in node.decorator_list:
            if self.declare:
                self._declare_decorator(decorator, node, dotted)
            self.visit(decorator)
        for base in node.bases:
            bound = self._resolve(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
            if bound is not None:
                self._record(bound, base, UseKind.SUBCLASS)
            else:
                self.visit(base)
        for keyword in node.keywords:
            self.visit(keyword.value)
        bindings = _Bindings(self.module, self.package)
        bindings.collect(node.body, dotted, in_function=False)
        if self.facts:
            bases, unresolved = self._class_bases(node)
            self._classes.append((dotted, bases, unresolved, bindings))
        scope = _Scope("class", dotted, bindings, node)
        scope.direct_calls = _direct_calls(node.body)
        self.scopes.append(scope)
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()

    def _class_bases(self, node: ast.ClassDef) -> tuple[tuple[str, ...], bool]:
        """The dotted bases of a class (``six.with_metaclass(M, Base)`` gives ``Base``),
        and whether some base could not be resolved."""
        found: list[str] = []
        unresolved = False
        todo = list(node.bases)
        while todo:
            base = todo.pop(0)
            if isinstance(base, ast.Call) and _last_name(base.func) == "with_metaclass":
                todo[:0] = base.args[1:]
                continue
            bound = self._resolve(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
            if bound is not None and not bound.instance and not bound.via_instance:
                found.append(bound.dotted)
            elif not (isinstance(base, ast.Name) and base.id in _BUILTIN_NAMES):
                unresolved = True
        return tuple(found), unresolved

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self.facts:
            term = (
                self._term(node.value)
                if node.value is not None
                else self._annotation_term(node.annotation, len(self.scopes) - 1)
            )
            self._note_assignment(node.target, term)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._record(_Bound(alias.name), node, UseKind.IMPORT)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = resolve_relative(node.level, node.module, self.package)
        for alias in node.names:
            name = source if alias.name == "*" else f"{source}.{alias.name}".lstrip(".")
            self._record(_Bound(name), node, UseKind.IMPORT)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self._assigned_to[id(node.value)] = node.targets[0].id
            if self.declare:
                self._declare_assignment(node.targets[0].id, node.value, node)
        if self.facts:
            for target in node.targets:
                self._note_assignments(target, node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if self._facts_only:
            self.generic_visit(node)
            return
        self._declare_call(node)
        func = node.func
        bound = self._resolve(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        keywords = tuple(k.arg for k in node.keywords if k.arg is not None)
        star = any(k.arg is None for k in node.keywords)
        if bound is not None:
            self._record(bound, func, UseKind.CALL, keywords, star)
            self._visit_beneath(func)
        else:
            if isinstance(func, ast.Attribute):
                positional = (
                    -1 if any(isinstance(a, ast.Starred) for a in node.args) else len(node.args)
                )
                self._record_unresolved(func, UseKind.CALL, keywords, star, positional)
                self.visit(func.value)
            else:
                self.visit(func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self._facts_only:
            self.visit(node.value)
            return
        bound = self._resolve(node)
        if bound is not None:
            self._record(bound, node, UseKind.REFERENCE)
            self._visit_beneath(node)
        else:
            self._record_unresolved(node, UseKind.REFERENCE)
            self.visit(node.value)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and not self._facts_only:
            bound = self._resolve(node)
            if bound is not None:
                self._record(bound, node, UseKind.REFERENCE)

    def _visit_beneath(self, chain: ast.expr) -> None:
        """Visit what lies under a resolved ``a.b.c`` chain (a call, a subscript), not the
        chain's own names, which the chain's reference already covers."""
        while isinstance(chain, ast.Attribute):
            chain = chain.value
        if not isinstance(chain, ast.Name):
            self.visit(chain)

    # References

    def _record(
        self, bound: _Bound, node: ast.AST, kind: UseKind,
        keywords: tuple[str, ...] = (), star: bool = False,
    ) -> None:  # fmt: skip
        if self.interest is None or bound.instance or not self.interest.wants(bound.dotted):
            return  # an instance (``thing`` after ``thing = Klass()``) is not the class
        line = getattr(node, "lineno", 0)
        self.references.append(
            Reference(
                bound.dotted,
                bound.dotted.rpartition(".")[2],
                line,
                kind,
                self.where,
                keywords,
                star,
                bound.via_instance,
            )  # fmt: skip
        )

    def _record_unresolved(
        self,
        node: ast.Attribute,
        kind: UseKind,
        keywords: tuple[str, ...] = (),
        star: bool = False,
        positional: int = 0,
    ) -> None:
        if self.interest is None or node.attr not in self.interest.members:
            return
        receiver = self._term(node.value)
        uses = self._uses_of(node.value.id) if isinstance(node.value, ast.Name) else ()
        self.references.append(
            Reference(
                None,
                node.attr,
                node.lineno,
                kind,
                self.where,
                keywords,
                star,
                receiver=receiver,
                positional=positional,
                receiver_uses=uses,
            )  # fmt: skip
        )

    # Declarations

    def _api(self, expr: ast.expr) -> tuple[DeprecationSource, str] | None:
        bound = self._resolve(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
        if bound is None or bound.instance or bound.via_instance:
            return None
        return classify_api(bound.dotted)

    def _declare_decorator(
        self, decorator: ast.expr, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
        dotted: str,
    ) -> None:  # fmt: skip
        call = decorator if isinstance(decorator, ast.Call) else None
        found = self._api(call.func if call is not None else decorator)
        if found is None:
            return
        source, api = found
        if api in _CALL_FORMS:
            return
        line = decorator.lineno
        parent = self.scopes[-1]
        in_class = parent.kind == "class"
        if isinstance(node, ast.ClassDef):
            kind = DeprecatedKind.CLASS
        elif not in_class:
            kind = DeprecatedKind.FUNCTION
        elif {_decorator_name(d) for d in node.decorator_list} & _PROPERTY_DECORATORS:
            kind = DeprecatedKind.PROPERTY
        else:
            kind = DeprecatedKind.METHOD
        if source is DeprecationSource.VERSIONUTILS:
            self._declare_versionutils(call, node, dotted, kind, line)
            return
        if source is DeprecationSource.PEP702:
            message = _text(call.args[0]) if call is not None and call.args else None
            self._add(dotted, kind, source, "deprecated", line, message=message)
            return
        args = _arguments(call, DEBT_APIS[api]) if call is not None else {}
        message = _text(args.get("message"))
        version = _text(args.get("version"))
        removal, problem = _removal(args.get("removal_version"))
        common = dict(version=version, removal_version=removal, removal_problem=problem)
        if api in _KWARG_FORMS:
            self._declare_kwarg(api, args, node, dotted, source, line, message, common)
        elif api == "removals.remove":
            self._add(dotted, kind, source, api, line, message=message, **common)
        elif api == "removals.removed_class":
            self._add(dotted, DeprecatedKind.CLASS, source, api, line, message=message,
                      replacement=_text(args.get("replacement")), **common)  # fmt: skip
        elif api == "removals.removed_property":
            self._add(
                dotted, DeprecatedKind.PROPERTY, source, api, line, message=message, **common
            )
        elif api in ("moves.moved_method", "moves.moved_property"):
            new = _text(args.get("new_method_name", args.get("new_attribute_name")))
            kind = (
                DeprecatedKind.METHOD if api == "moves.moved_method" else DeprecatedKind.PROPERTY
            )
            replacement = f"{parent.dotted}.{new}" if new and in_class else new
            self._add(dotted, kind, source, api, line, message=message, replacement=replacement,
                      **common)  # fmt: skip

    def _declare_kwarg(
        self, api: str, args: dict[str, ast.expr], node: ast.AST, dotted: str,
        source: DeprecationSource, line: int, message: str | None, common: dict[str, str | None],
    ) -> None:  # fmt: skip
        kwarg = _text(args.get("name" if api.startswith("updating") else "old_name"))
        if kwarg is None:
            return
        target = dotted
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__init__":
            target = dotted.rpartition(".")[0]  # passing it is done by instantiating the class
        name = f"{target}({kwarg}=)"
        replacement = None
        kind = DeprecatedKind.KWARG
        if api == "renames.renamed_kwarg":
            new = _text(args.get("new_name"))
            replacement = f"{target}({new}=)" if new else None
        elif api == "updating.updated_kwarg_default_value":
            kind = DeprecatedKind.KWARG_DEFAULT
            new_value = args.get("new_value")
            replacement = f"{kwarg}={ast.unparse(new_value)}" if new_value is not None else None
        self._add(name, kind, source, api, line, target=target, owner=dotted, kwarg=kwarg,
                  message=message, replacement=replacement, **common)  # fmt: skip

    def _declare_versionutils(
        self, call: ast.Call | None, node: ast.AST, dotted: str, kind: DeprecatedKind, line: int
    ) -> None:
        args = _arguments(call, VERSIONUTILS_PARAMS) if call is not None else {}
        as_of_expr = args.get("as_of")
        as_of = _release_constant(as_of_expr)
        version = None
        removal: str | None = None
        problem: str | None = None
        start = parse_release(as_of) if as_of else None
        if start is None:
            version = ast.unparse(as_of_expr) if as_of_expr is not None else None
            problem = f"as_of {version or '(missing)'} is not a release name"
        else:
            version = start.name
            remove_in = _remove_in(args.get("remove_in"))
            if isinstance(remove_in, str):
                problem = remove_in
            else:
                try:
                    release = versionutils_removal(start.name, remove_in)
                except ValueError as exc:
                    problem = str(exc)
                else:
                    removal = release.name if release else None
        self._add(dotted, kind, DeprecationSource.VERSIONUTILS, "versionutils.deprecated", line,
                  replacement=_text(args.get("in_favor_of")), version=version,
                  removal_version=removal, removal_problem=problem)  # fmt: skip

    def _declare_call(self, node: ast.Call) -> None:
        found = self._api(node.func)
        if found is None:
            return
        source, api = found
        if api not in _CALL_FORMS:
            return
        args = _arguments(node, DEBT_APIS[api])
        message = _text(args.get("message"))
        version = _text(args.get("version"))
        removal, problem = _removal(args.get("removal_version"))
        common = dict(version=version, removal_version=removal, removal_problem=problem)
        scope = self.scopes[-1]
        if api == "removals.removed_module":
            module = _module_argument(args.get("module"), self.module)
            # Called by a function (a test, say) rather than on import: not the module's own.
            inside = self.where != self.module
            self._add(self.where if inside else module,
                      DeprecatedKind.FEATURE if inside else DeprecatedKind.MODULE, source, api,
                      node.lineno, message=message, replacement=_text(args.get("replacement")),
                      **common)  # fmt: skip
        elif api in ("moves.moved_function", "moves.moved_class"):
            old = _text(args.get("old_func_name", args.get("old_class_name")))
            if old is None:
                return
            module = _module_argument(args.get("old_module_name"), self.module)
            moved_to = args.get("new_func", args.get("new_class"))
            kind = DeprecatedKind.FUNCTION if api.endswith("function") else DeprecatedKind.CLASS
            # Callers reach the name the shim is bound to, which may differ from the name
            # its warning quotes (``OldHotness2 = moved_class(New, 'OldHotness', ...)``).
            assigned = self._assigned_to.get(id(node))
            name = f"{scope.dotted}.{assigned}" if assigned else f"{module}.{old}"
            self._add(name, kind, source, api, node.lineno, message=message,
                      replacement=self._name_of(moved_to), **common)  # fmt: skip
        elif api == "moves.moved_read_only_property":
            old, new = _text(args.get("old_name")), _text(args.get("new_name"))
            if old is None:
                return
            owner = scope.dotted if scope.kind == "class" else self.module
            self._add(f"{owner}.{old}", DeprecatedKind.PROPERTY, source, api, node.lineno,
                      replacement=f"{owner}.{new}" if new else None, **common)  # fmt: skip
        elif api == "deprecate":
            prefix, postfix = _text(args.get("prefix")), _text(args.get("postfix"))
            text = " ".join(t for t in (prefix, postfix) if t) or message
            name, kind, owner = self._deprecated_scope(node)
            self._add(name, kind, source, api, node.lineno, owner=owner, message=text, **common)

    def _deprecated_scope(self, call: ast.Call) -> tuple[str, DeprecatedKind, str]:
        """What a ``deprecate()`` call deprecates: the definition whose body it opens
        (a direct statement of the body), else a feature inside that definition."""
        scope = next(s for s in reversed(self.scopes) if s.kind != "comprehension")
        direct = id(call) in scope.direct_calls and scope is self.scopes[-1]
        if not direct:
            return scope.dotted, DeprecatedKind.FEATURE, scope.dotted
        if scope.kind == "module":
            return scope.dotted, DeprecatedKind.MODULE, scope.dotted
        if scope.kind == "class":
            return scope.dotted, DeprecatedKind.CLASS, scope.dotted
        node = scope.node
        if scope.in_class is not None and isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            if node.name in ("__init__", "__new__"):
                return scope.in_class, DeprecatedKind.CLASS, scope.in_class
            names = {_decorator_name(d) for d in node.decorator_list}
            kind = (
                DeprecatedKind.PROPERTY if names & _PROPERTY_DECORATORS else DeprecatedKind.METHOD
            )
            return scope.dotted, kind, scope.dotted
        return scope.dotted, DeprecatedKind.FUNCTION, scope.dotted

    def _declare_assignment(self, name: str, value: ast.expr, node: ast.Assign) -> None:
        """``old = removals.remove(func, ...)``, ``old = deprecated("...")(func)`` and
        ``old = versionutils.deprecated(...)(func)``: the assigned name is deprecated."""
        if not isinstance(value, ast.Call):
            return
        scope = self.scopes[-1]
        dotted = f"{scope.dotted}.{name}"
        in_class = scope.kind == "class"
        inner = value.func
        if isinstance(inner, ast.Call):  # deprecated("message")(func)
            found = self._api(inner.func)
            if found is None or found[0] not in (
                DeprecationSource.PEP702,
                DeprecationSource.VERSIONUTILS,
            ):
                return
            kind = self._kind_of(value.args[0] if value.args else None, in_class)
            if found[0] is DeprecationSource.PEP702:
                message = _text(inner.args[0]) if inner.args else None
                self._add(dotted, kind, found[0], "deprecated", node.lineno, message=message)
            else:
                self._declare_versionutils(inner, node, dotted, kind, node.lineno)
            return
        found = self._api(inner)
        if found is None or found[1] not in ("removals.remove", "removals.removed_property"):
            return
        source, api = found
        args = _arguments(value, DEBT_APIS[api])
        wrapped = args.get("f", args.get("fget"))
        if wrapped is None:
            return
        kind = (
            DeprecatedKind.PROPERTY
            if api.endswith("property")
            else self._kind_of(wrapped, in_class)
        )
        removal, problem = _removal(args.get("removal_version"))
        self._add(dotted, kind, source, api, node.lineno, message=_text(args.get("message")),
                  version=_text(args.get("version")), removal_version=removal,
                  removal_problem=problem)  # fmt: skip

    def _kind_of(self, wrapped: ast.expr | None, in_class: bool) -> DeprecatedKind:
        """The kind of an assignment's deprecated object, from what it wraps."""
        if isinstance(wrapped, ast.Name):
            for stmt in ast.iter_child_nodes(self.scopes[-1].node or ast.Module([], [])):
                if isinstance(stmt, ast.ClassDef) and stmt.name == wrapped.id:
                    return DeprecatedKind.CLASS
        return DeprecatedKind.METHOD if in_class else DeprecatedKind.FUNCTION

    def _name_of(self, expr: ast.expr | None) -> str | None:
        if expr is None:
            return None
        bound = self._resolve(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
        return bound.dotted if bound is not None else _text(expr) or ast.unparse(expr)

    def _add(
        self, name: str, kind: DeprecatedKind, source: DeprecationSource, api: str, line: int, *,
        target: str | None = None, owner: str | None = None, kwarg: str | None = None,
        replacement: str | None = None, message: str | None = None, version: str | None = None,
        removal_version: str | None = None, removal_problem: str | None = None,
    ) -> None:  # fmt: skip
        self.deprecations.append(
            Deprecation(
                name=name,
                kind=kind,
                source=source,
                api=api,
                line=line,
                target=target or name,
                owner=owner or name,
                kwarg=kwarg,
                replacement=replacement or replacement_from_message(message),
                message=message,
                version=version,
                removal_version=removal_version,
                removal_problem=removal_problem,
            )
        )


def classify_api(dotted: str) -> tuple[DeprecationSource, str] | None:
    """Which deprecation helper a resolved dotted name is, if any.

    >>> classify_api("debtcollector.removals.remove")
    (<DeprecationSource.DEBTCOLLECTOR: 'debtcollector'>, 'removals.remove')
    """
    for package, source in DEBT_PACKAGES.items():
        if dotted.startswith(package + "."):
            api = dotted[len(package) + 1 :]
            if api in DEBT_APIS:
                return source, api
    if dotted in PEP702_APIS:
        return DeprecationSource.PEP702, "deprecated"
    if dotted == "versionutils.deprecated" or dotted.endswith(".versionutils.deprecated"):
        return DeprecationSource.VERSIONUTILS, "versionutils.deprecated"
    return None


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


def _pairs_up(target: ast.expr, value: object) -> bool:
    """Whether ``target = value`` unpacks a display element by element (``a, b = x, y``)."""
    return (
        isinstance(target, (ast.Tuple, ast.List))
        and isinstance(value, (ast.Tuple, ast.List))
        and len(target.elts) == len(value.elts)
        and not any(isinstance(e, ast.Starred) for e in [*target.elts, *value.elts])
    )


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


def _bound_term(bound: _Bound) -> Term:
    """The term of what a name resolved to (an instance, an instance's attribute, or a
    named object)."""
    if bound.instance:
        return receivers.call(receivers.name(bound.dotted))
    if bound.via_instance:
        cls, _, attr = bound.dotted.rpartition(".")
        return receivers.attribute(receivers.call(receivers.name(cls)), attr)
    return receivers.name(bound.dotted)


def _last_name(expr: ast.expr) -> str:
    """``Optional`` of ``typing.Optional`` or ``Optional``; ``""`` for anything else."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    return ""


def _is_accessor_of_any(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@x.setter`` and friends: a property's setter or deleter, not its value."""
    return any(_is_accessor_of(d, node.name) for d in node.decorator_list)


def _is_accessor_of(decorator: ast.expr, name: str) -> bool:
    """``@name.setter`` (or getter, deleter) on ``def name``: the property's own part."""
    return (
        isinstance(decorator, ast.Attribute)
        and decorator.attr in ("setter", "getter", "deleter")
        and isinstance(decorator.value, ast.Name)
        and decorator.value.id == name
    )


def _direct_calls(body: Sequence[ast.stmt]) -> set[int]:
    return {id(s.value) for s in body if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)}


def _decorator_name(decorator: ast.expr) -> str:
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Attribute):
        return decorator.attr
    if isinstance(decorator, ast.Name):
        return decorator.id
    return ""


def _arguments(call: ast.Call | None, params: Sequence[str]) -> dict[str, ast.expr]:
    """The call's arguments by parameter name (positional ones mapped by ``params``)."""
    if call is None:
        return {}
    found: dict[str, ast.expr] = {}
    for name, value in zip(params, call.args, strict=False):
        if isinstance(value, ast.Starred):
            break
        found[name] = value
    for keyword in call.keywords:
        if keyword.arg is not None:
            found[keyword.arg] = keyword.value
    return found


def _text(expr: ast.expr | None) -> str | None:
    """A literal's text: strings, numbers, ``'a' 'b'``/``'a' + 'b'``, ``_('...')``
    (gettext), and the literal part of ``'...' % x``. ``None`` for anything else."""
    if expr is None:
        return None
    if isinstance(expr, ast.Constant):
        if isinstance(expr.value, str):
            return expr.value
        if isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
            return str(expr.value)
        return None
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords:
        if _decorator_name(expr.func).lstrip("_") in ("", "LW", "LE", "LI", "LC", "gettext"):
            return _text(expr.args[0])
    if isinstance(expr, ast.BinOp):
        left = _text(expr.left)
        if isinstance(expr.op, ast.Add):
            right = _text(expr.right)
            return left + right if left is not None and right is not None else None
        if isinstance(expr.op, ast.Mod):
            return left
    return None


def _removal(expr: ast.expr | None) -> tuple[str | None, str | None]:
    """``removal_version`` as text, and the problem when it is not a literal."""
    if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
        return None, None
    value = _text(expr)
    if value is not None:
        return value, None
    source = ast.unparse(expr)
    return source, f"removal_version is an expression ({source}), not a literal"


def _release_constant(expr: ast.expr | None) -> str | None:
    """versionutils' ``as_of``: ``deprecated.JUNO``, ``JUNO`` or ``'J'``."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    return _text(expr)


def _remove_in(expr: ast.expr | None) -> int | None | str:
    """versionutils' ``remove_in``: a number of releases (``+1`` included), ``None``
    for never, or the problem text when it is not a literal."""
    if expr is None:
        return VERSIONUTILS_DEFAULT_REMOVE_IN
    try:
        value = ast.literal_eval(expr)
    except ValueError:
        return f"remove_in is an expression ({ast.unparse(expr)}), not a literal"
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return f"remove_in {value!r} is not a number of releases"


def _module_argument(expr: ast.expr | None, module: str) -> str:
    """The module a ``module``/``old_module_name`` argument names (``__name__`` is this
    module)."""
    if expr is None or (isinstance(expr, ast.Name) and expr.id == "__name__"):
        return module
    return _text(expr) or module
