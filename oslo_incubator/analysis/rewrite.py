"""Master text to project text: libcst codemods, one small transformer per rewrite.

The default rewrite moves the package root (``openstack.common``) under the project's
base package (``nova.openstack.common``) wherever Python names it as a module, and
leaves every other byte alone:

* :class:`ImportStatements`: ``import``/``from ... import`` statements;
* :class:`ImportPathStrings`: string literals that are a dotted path under the root
  (``mock.patch('openstack.common.x.y')``, ``importutils.import_module(...)``,
  ``import_class``/``import_object`` arguments, option defaults naming a driver);
* :class:`QualifiedNames`: ``openstack.common.x.f()`` in code, when the module bound
  the name ``openstack`` with a plain ``import openstack.common.x``.

:func:`rewrite_imports` composes them. Text libcst cannot parse (Python 2) falls back
to ``normalise.rewrite_import_prefix``, a line-level regex rewrite, and says so.
:func:`rewrite_text` picks the rewrite for a file: the codemods for Python, the regex
for other text (shell scripts, ``.conf`` files), or ``update.py``'s rule set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node

from oslo_incubator.analysis.normalise import rewrite_import_prefix
from oslo_incubator.analysis.updatepy import RuleSet, apply_rule_set
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

#: Texts nested deeper, or with longer lines, are not given to libcst: its parser takes
#: seconds on them and its native code can overflow the stack; they get the text rewrite.
MAX_NESTING = 100
MAX_LINE = 5000


@dataclass(frozen=True)
class RewriteOutcome:
    """A rewritten text and how it was made; ``warning`` says why a fallback ran."""

    text: str
    method: str  # "libcst", "regex" or "update.py@<sha>"
    warning: str | None = None


class ImportStatements(cst.CSTTransformer):
    """Rewrite ``import R...`` and ``from R... import`` to ``<base>.R...``."""

    DESCRIPTION = "Move imports of the package root under the base package."

    def __init__(self, base: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT):
        super().__init__()
        self.base = base
        self.root = package_root.module

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Import statements never sit inside expressions: skip those subtrees, which
        # are most of a module (the names of an import are handled on leaving it).
        return not isinstance(node, cst.BaseExpression) and super().on_visit(node)

    def leave_ImportAlias(
        self, original_node: cst.ImportAlias, updated_node: cst.ImportAlias
    ) -> cst.ImportAlias:
        name = get_full_name_for_node(updated_node.name)
        if name is None or not _under(name, self.root):
            return updated_node
        return updated_node.with_changes(name=dotted_node(f"{self.base}.{name}"))

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        if updated_node.relative or updated_node.module is None:
            return updated_node
        name = get_full_name_for_node(updated_node.module)
        if name is None or not _under(name, self.root):
            return updated_node
        return updated_node.with_changes(module=dotted_node(f"{self.base}.{name}"))


class ImportPathStrings(cst.CSTTransformer):
    """Rewrite string literals whose whole value is a dotted path under the root.

    ``'openstack.common.log'`` and ``"openstack.common.rpc.impl_kombu:Connection"``
    change; prose such as ``'see openstack.common'`` does not. Quotes and string
    prefixes are kept; byte strings and f-strings are left alone.
    """

    DESCRIPTION = "Move import paths named in strings under the base package."

    def __init__(self, base: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT):
        super().__init__()
        self.base = base
        self.root = package_root.module
        self._path = re.compile(
            re.escape(self.root) + r"(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?::[A-Za-z_][A-Za-z0-9_.]*)?"
        )

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        prefix = updated_node.prefix.lower()
        if "b" in prefix:
            return updated_node
        quote = updated_node.quote
        body = updated_node.value[len(updated_node.prefix) + len(quote) : -len(quote)]
        if not self._path.fullmatch(body):
            return updated_node
        value = f"{updated_node.prefix}{quote}{self.base}.{body}{quote}"
        return updated_node.with_changes(value=value)


class QualifiedNames(cst.CSTTransformer):
    """Rewrite ``openstack.common`` at the head of attribute chains in code.

    Only for modules that bind the root's first name with a plain ``import
    openstack.common...``; once that import says ``<base>.openstack.common`` the code
    must too. Import statements themselves are left to :class:`ImportStatements`.
    """

    DESCRIPTION = "Move fully qualified uses of the package root under the base package."

    def __init__(self, base: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT):
        super().__init__()
        self.base = base
        self.root = package_root.module
        self.active = False

    def visit_Module(self, node: cst.Module) -> bool:
        finder = _PlainRootImport(self.root)
        node.visit(finder)
        self.active = finder.found
        return True

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if self.active and get_full_name_for_node(original_node) == self.root:
            return dotted_node(f"{self.base}.{self.root}")
        return updated_node


def rewrite_imports(
    text: str, base: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
) -> RewriteOutcome:
    """The default rewrite of Python ``text``: the three codemods, composed.

    Text that libcst cannot parse gets ``normalise.rewrite_import_prefix`` and a
    warning. Each codemod runs only when a cheap text search says it may apply, so a
    text that never names the root is returned unchanged without parsing.
    """
    needed = [t for t, applies in _applicable(text, base, package_root) if applies]
    if not needed:
        return RewriteOutcome(text, "libcst")
    try:
        module = parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return RewriteOutcome(
            rewrite_import_prefix(text, base, package_root),
            "regex",
            f"libcst cannot parse it ({reason}); rewrote import prefixes with regular expressions",
        )
    rewritten = module
    for transformer in needed:
        rewritten = rewritten.visit(transformer)
    if rewritten is module:
        return RewriteOutcome(text, "libcst")  # nothing matched: no need to print it
    return RewriteOutcome(rewritten.code, "libcst")


def rewrite_text(
    text: str,
    base: str,
    dest_path: str,
    rules: RuleSet | None = None,
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
) -> RewriteOutcome:
    """Turn one master file's text into project text.

    Args:
        text: the master text.
        base: the project's dotted base package.
        dest_path: the copy's path in the project (its suffix picks the method; for
            ``update.py`` rules, its ``rpc/`` part matters).
        rules: ``update.py``'s rule set to reproduce; ``None`` for the default rewrite.
        package_root: where the incubator keeps its modules.

    Returns:
        The project text and the method used.
    """
    if rules is not None:
        return RewriteOutcome(apply_rule_set(text, rules, base, dest_path), rules.name)
    if dest_path.endswith(".py"):
        return rewrite_imports(text, base, package_root)
    return RewriteOutcome(rewrite_import_prefix(text, base, package_root), "regex")


def parse_module(text: str) -> cst.Module:
    """``libcst.parse_module``, unless the text is nested or drawn out beyond what libcst
    can take (:data:`MAX_NESTING` brackets deep, a line of :data:`MAX_LINE` characters).

    Raises:
        libcst.ParserSyntaxError: the text does not parse.
        ValueError: it is too deep or too long to parse safely.
    """
    reason = _beyond_limits(text)
    if reason is not None:
        raise ValueError(reason)
    return cst.parse_module(text)


def _beyond_limits(text: str) -> str | None:
    # A cheap look at the text, not a parse: brackets counted alone (strings holding
    # brackets can only make it look deeper, which costs a fallback, never a crash).
    if text and max(map(len, text.splitlines())) > MAX_LINE:
        return f"a line longer than {MAX_LINE} characters"
    brackets = text.encode("utf-8", "surrogateescape").translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in _OPENING else -1
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        return f"nested more than {MAX_NESTING} brackets deep"
    return None


_OPENING = frozenset(b"([{")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")


def undo_rewrite(text: str, base: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT) -> str:
    """The exact inverse of the default rewrite for texts that never named
    ``<base>.<root>`` themselves."""
    root = package_root.module
    return re.sub(re.escape(f"{base}.{root}") + r"(?![A-Za-z0-9_])", root, text)


# Private


def _applicable(
    text: str, base: str, package_root: PackageRoot
) -> list[tuple[cst.CSTTransformer, bool]]:
    root = package_root.module
    escaped = re.escape(root)
    first = re.escape(root.split(".")[0])
    return [
        # A plain "import openstack..." binds the root's first name.
        (QualifiedNames(base, package_root),
         re.search(rf"\bimport[\s\\(]+{first}\b", text) is not None),
        (ImportStatements(base, package_root),
         re.search(rf"\b(?:from|import)[\s\\(]+{escaped}\b", text) is not None),
        (ImportPathStrings(base, package_root),
         re.search(rf"['\"]{escaped}\b", text) is not None),
    ]  # fmt: skip


def _under(name: str, root: str) -> bool:
    return name == root or name.startswith(root + ".")


def dotted_node(name: str) -> cst.Attribute | cst.Name:
    """``a.b.c`` as a libcst expression (a ``Name`` for one part)."""
    node: cst.Attribute | cst.Name = cst.Name(name.split(".")[0])
    for part in name.split(".")[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


class _PlainRootImport(cst.CSTVisitor):
    """Finds ``import <root>...`` without ``as``, which binds the root's first name."""

    def __init__(self, root: str):
        super().__init__()
        self.root = root
        self.found = False

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = get_full_name_for_node(alias.name)
            if alias.asname is None and name is not None and _under(name, self.root):
                self.found = True
        return False
