"""A module's API as :mod:`oslo_incubator.analysis.api` reads it, how a name changed
between two versions, and how a call passes its arguments."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CallShape:
    """How a call passes its arguments: ``positional`` plain positional arguments, the
    ``keywords`` it names, and whether it unpacks ``*args`` or ``**kwargs`` (then any
    signature may fit it)."""

    positional: int
    keywords: tuple[str, ...] = ()
    star: bool = False
    double_star: bool = False


class ParameterKind(enum.Enum):
    """How a parameter may be passed (as :class:`inspect.Parameter` names them)."""

    POSITIONAL_ONLY = "positional-only"
    POSITIONAL = "positional"  # positional or keyword
    VAR_POSITIONAL = "var-positional"  # *args
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "var-keyword"  # **kwargs


@dataclass(frozen=True)
class Parameter:
    """One parameter; ``default`` is the source text of its default, ``None`` for none."""

    name: str
    kind: ParameterKind
    default: str | None = None

    @property
    def required(self) -> bool:
        """Whether a call must pass it."""
        return self.default is None and self.kind in (
            ParameterKind.POSITIONAL_ONLY,
            ParameterKind.POSITIONAL,
            ParameterKind.KEYWORD_ONLY,
        )

    def __str__(self) -> str:
        prefix = {ParameterKind.VAR_POSITIONAL: "*", ParameterKind.VAR_KEYWORD: "**"}
        text = prefix.get(self.kind, "") + self.name
        return f"{text}={self.default}" if self.default is not None else text


class SymbolKind(enum.Enum):
    """What a name of a module is."""

    FUNCTION = "function"
    CLASS = "class"
    METHOD = "method"
    CONSTANT = "constant"  # a module or class attribute assigned a value
    ALIAS = "alias"  # a name imported into the module (a re-export when public)
    MODULE = "module"  # the module's own statements: what runs at import time


#: The name of the symbol that stands for a module's own top-level statements.
MODULE_CODE = "<module>"


@dataclass(frozen=True)
class Symbol:
    """One name of a module: ``name`` is its dotted path inside the module
    (``synchronized``, ``Semaphores.get``).

    ``parameters`` is the call signature (a class's is its ``__init__``'s; a method's
    leaves out ``self`` or ``cls``), ``None`` for what is not called. ``body`` digests
    the code (docstrings left out); ``value`` is a constant's source text or an alias's
    target; ``refers`` the names its body mentions (for changes that reach it through a
    helper); ``bases`` a class's bases as written.
    """

    name: str
    kind: SymbolKind
    line: int
    public: bool
    parameters: tuple[Parameter, ...] | None = None
    body: str = ""
    value: str | None = None
    # Working data of the comparison, left out of reports (and of equality).
    refers: tuple[str, ...] = field(default=(), compare=False, repr=False)
    bases: tuple[str, ...] = ()
    text: str = field(default="", compare=False, repr=False)  # to match renamed bodies
    # A function whose body only returns ``functools.partial(target, *args, **kw)``:
    # (target, how many positional arguments it binds, which keywords).
    partial: tuple[str, int, tuple[str, ...]] | None = None

    def signature(self) -> str:
        """``name(a, b=1, *args)``, or the bare name when it is not called."""
        if self.parameters is None:
            return self.name
        return f"{self.name}({', '.join(str(p) for p in self.parameters)})"


@dataclass(frozen=True)
class ModuleApi:
    """Every name one module text defines, by name; ``parsed`` false when the text is
    not valid Python 3 (then nothing is known of it)."""

    symbols: Mapping[str, Symbol]
    exported: tuple[str, ...] | None = None  # ``__all__``, when the module sets one
    parsed: bool = True


class ChangeKind(enum.Enum):
    """How one name changed between two versions of a module."""

    REMOVED = "removed"
    RENAMED = "renamed"
    INCOMPATIBLE = "incompatible"  # a call or use that fitted before may not now
    EXTENDED = "extended"  # compatible signature change: an optional parameter added
    ADDED = "added"
    BODY = "body"  # same signature, different code or value

    @property
    def breaking(self) -> bool:
        """Whether a use of the old name may no longer work."""
        return self in (ChangeKind.REMOVED, ChangeKind.RENAMED, ChangeKind.INCOMPATIBLE)


@dataclass(frozen=True)
class ApiChange:
    """One name's change: its kind, the reasons in words, and the two symbols (``old``
    ``None`` for an addition, ``new`` ``None`` for a removal; a rename's ``new`` is the
    symbol under its new name)."""

    name: str
    kind: ChangeKind
    reasons: tuple[str, ...]
    old: Symbol | None
    new: Symbol | None
    public: bool = True

    @property
    def new_name(self) -> str | None:
        """A renamed symbol's new name."""
        return self.new.name if self.kind is ChangeKind.RENAMED and self.new else None
