"""Move modules to new import paths: the codemod behind graduation and migration.

A *move* maps an old dotted module (or package) to a new one:
``openstack.common.jsonutils`` → ``oslo_serialization.jsonutils`` when a module
graduates, ``nova.openstack.common.jsonutils`` → ``oslo_serialization.jsonutils`` when
a consumer migrates. Submodules follow their package. :class:`MoveModules` rewrites:

* ``import old.mod [as x]`` → ``import new.mod [as x]``;
* ``from old.mod import name`` → ``from new.mod import name``;
* ``from old.pkg import mod [as x]`` → ``from new.parent import newmod as mod`` (the
  local name is kept, so the code that uses it does not change); a statement that
  imports moved and unmoved names is split in two;
* relative imports, resolved against the module being rewritten;
* ``old.mod.f()`` in code, where a plain ``import old.mod`` bound the name;
* strings whose whole value is a dotted path under a moved module
  (``mock.patch('nova.openstack.common.jsonutils.dumps')``, ``'old.mod:Class'``).

Every byte not named above is kept. :func:`move_modules` also reports the references
left to a *watched* prefix (the incubator modules a graduated library still needs).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from oslo_incubator.analysis.rewrite import dotted_node, parse_module

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


@dataclass(frozen=True)
class Reference:
    """A reference to a watched module left after the moves."""

    module: str
    line: int


@dataclass(frozen=True)
class MoveOutcome:
    """The rewritten text, how many references moved, what is left to watch, and the
    strings naming a moved module that were left as they are (configuration values and
    keys: only strings used as import paths are rewritten when asked so)."""

    text: str
    moved: int
    leftovers: tuple[Reference, ...]
    kept_strings: tuple[str, ...] = ()


#: Calls whose string arguments are import paths: ``mock.patch('a.b.f')``, importlib's
#: and the importutils-style loaders, by the name of the function called. Any other
#: string naming a module (a dictionary key, a value in a table, a default) is data a
#: configuration may hold, and is kept with ``strings="import-paths"``.
IMPORT_PATH_CALLS = frozenset(
    {"patch", "import_module", "import_class", "import_object", "import_object_ns",
     "try_import", "__import__", "import_string", "import_utils"}
)  # fmt: skip


def moved_name(name: str, moves: Mapping[str, str]) -> str | None:
    """Where ``name`` (a module or a name inside one) lives after ``moves``, or ``None``.

    The longest matching old prefix wins.
    """
    best = None
    for old in moves:
        if (name == old or name.startswith(old + ".")) and (best is None or len(old) > len(best)):
            best = old
    if best is None:
        return None
    return moves[best] + name[len(best) :]


def move_modules(
    text: str,
    moves: Mapping[str, str],
    module: str = "",
    is_package: bool = False,
    watch: Sequence[str] = (),
    strings: str = "all",
) -> MoveOutcome:
    """Apply ``moves`` to Python ``text``.

    Args:
        text: the source.
        moves: old dotted module → new dotted module.
        module: the dotted name of the module ``text`` is (resolves relative imports).
        is_package: whether ``text`` is a package's ``__init__.py``.
        watch: prefixes whose remaining references (after the moves) are reported.
        strings: ``all`` rewrites every string that is a dotted path under a moved
            module; ``import-paths`` only those passed to :data:`IMPORT_PATH_CALLS`,
            keeping (and reporting) the rest.

    Raises:
        libcst.ParserSyntaxError: the text does not parse.
        ValueError: it is nested too deeply to parse safely.
    """
    package = module if is_package else module.rpartition(".")[0]
    # Qualified names and strings can only name a moved module if the text spells its
    # dotted path; otherwise only import statements need visiting (most of the cost of
    # a visit is the expressions).
    spelled = any(old in text for old in moves)
    transformer = MoveModules(moves, package, expressions=spelled, strings=strings)
    result = parse_module(text).visit(transformer)
    leftovers: tuple[Reference, ...] = ()
    if watch:
        finder = _Leftovers(tuple(watch), package)
        MetadataWrapper(result).visit(finder)
        leftovers = tuple(finder.found)
    return MoveOutcome(result.code, transformer.moved, leftovers, tuple(transformer.kept))


class MoveModules(cst.CSTTransformer):
    """Rewrite imports, qualified names and import-path strings for module moves."""

    DESCRIPTION = "Rewrite references to moved modules to their new import paths."

    def __init__(
        self,
        moves: Mapping[str, str],
        package: str = "",
        expressions: bool = True,
        strings: str = "all",
    ):
        super().__init__()
        self.moves = dict(moves)
        self.package = package
        self.expressions = expressions  # False: no expression can name a moved module
        self.only_import_paths = strings == "import-paths"
        self.moved = 0
        self.kept: list[str] = []  # strings naming a moved module, left as data
        self._bound_roots: set[str] = set()  # first names bound by plain "import old.x"
        self._path_arguments: set[int] = set()  # ids of strings passed as import paths

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if name in IMPORT_PATH_CALLS:
            self._path_arguments.update(id(arg.value) for arg in node.args)
        return True

    def _may_rewrite_string(self, node: cst.CSTNode, value: str) -> bool:
        if not self.only_import_paths or id(node) in self._path_arguments:
            return True
        self.kept.append(value)
        return False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not self.expressions and isinstance(node, cst.BaseExpression):
            return False
        return super().on_visit(node)

    def visit_Module(self, node: cst.Module) -> bool:
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import):
                        for alias in small.names:
                            name = get_full_name_for_node(alias.name) or ""
                            if alias.asname is None and moved_name(name, self.moves):
                                self._bound_roots.add(name.split(".")[0])
        return True

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        names = []
        for alias in updated_node.names:
            name = get_full_name_for_node(alias.name) or ""
            new = moved_name(name, self.moves)
            if new is not None:
                self.moved += 1
                alias = alias.with_changes(name=dotted_node(new))
            names.append(alias)
        return updated_node.with_changes(names=names)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.ImportFrom):
            return updated_node
        statements = self._rewrite_from(updated_node.body[0])
        if statements is None:
            return updated_node
        lines = [updated_node.with_changes(body=[statements[0]])]
        lines += [cst.SimpleStatementLine(body=[s]) for s in statements[1:]]
        return cst.FlattenSentinel(lines) if len(lines) > 1 else lines[0]

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        name = get_full_name_for_node(original_node)
        if not name or name.split(".")[0] not in self._bound_roots:
            return updated_node
        new = moved_name(name, self.moves)
        if new is None:
            return updated_node
        # Rewrite only the outermost chain that still names a moved module.
        self.moved += 1
        return dotted_node(new)

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        value = updated_node.value
        prefix = value[: len(value) - len(value.lstrip("rRuU"))]
        if "b" in prefix.lower() or "f" in prefix.lower():
            return updated_node
        body = value[len(prefix) :]
        quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
        inner = body[len(quote) : -len(quote)]
        path, colon, attribute = inner.partition(":")
        if not _DOTTED.fullmatch(path):
            return updated_node
        new = moved_name(path, self.moves)
        if new is None or not self._may_rewrite_string(original_node, inner):
            return updated_node
        self.moved += 1
        return updated_node.with_changes(value=f"{prefix}{quote}{new}{colon}{attribute}{quote}")

    def leave_ConcatenatedString(
        self, original_node: cst.ConcatenatedString, updated_node: cst.ConcatenatedString
    ) -> cst.BaseExpression:
        # ('openstack.common.db.sqlalchemy.migration_cli.' 'ext_alembic.alembic.command'):
        # a dotted path split over implicitly concatenated literals. The moved prefix
        # must lie in the first literal, which is rewritten alone.
        try:
            value = original_node.evaluated_value
        except Exception:  # noqa: BLE001 - odd literals are simply not paths
            return updated_node
        if not isinstance(value, str) or not _DOTTED.fullmatch(value.partition(":")[0]):
            return updated_node
        old = _matching_move(value.partition(":")[0], self.moves)
        first = updated_node.left
        while isinstance(first, cst.ConcatenatedString):
            first = first.left
        if old is None or not isinstance(first, cst.SimpleString):
            return updated_node
        if not self._may_rewrite_string(original_node, value):
            return updated_node
        prefix = first.prefix
        quote = first.quote
        inner = first.raw_value
        if "b" in prefix.lower() or "f" in prefix.lower() or not inner.startswith(old):
            return updated_node
        self.moved += 1
        text = f"{prefix}{quote}{self.moves[old]}{inner[len(old) :]}{quote}"
        return _replace_first(updated_node, first.with_changes(value=text))

    def _rewrite_from(self, node: cst.ImportFrom) -> list[cst.BaseSmallStatement] | None:
        source = _absolute_module(node, self.package)
        if source is None:
            return None
        new_source = moved_name(source, self.moves)
        if new_source is not None:
            self.moved += 1
            return [node.with_changes(module=dotted_node(new_source), relative=[])]
        if isinstance(node.names, cst.ImportStar):
            return None
        kept: list[cst.ImportAlias] = []
        moved: list[cst.BaseSmallStatement] = []
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            new = moved_name(f"{source}.{name}" if source else name, self.moves)
            if new is None:
                kept.append(alias)
                continue
            self.moved += 1
            parent, _, last = new.rpartition(".")
            local = (
                alias.asname.name.value
                if alias.asname and isinstance(alias.asname.name, cst.Name)
                else name
            )
            asname = None if last == local else cst.AsName(name=cst.Name(local))
            if not parent:  # a package that became a top-level library
                as_local = cst.AsName(name=cst.Name(local))
                moved.append(
                    cst.Import(
                        names=[
                            cst.ImportAlias(
                                name=cst.Name(last), asname=as_local if last != local else None
                            )
                        ]
                    )
                )
                continue
            new_alias = cst.ImportAlias(name=cst.Name(last), asname=asname)
            moved.append(cst.ImportFrom(module=dotted_node(parent), names=[new_alias]))
        if not moved:
            return None
        if not kept:
            return moved
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return [node.with_changes(names=kept), *moved]


# Private


def _matching_move(name: str, moves: Mapping[str, str]) -> str | None:
    """The longest old prefix of ``moves`` that ``name`` is or lies under."""
    found = [old for old in moves if name == old or name.startswith(old + ".")]
    return max(found, key=len) if found else None


def _replace_first(
    node: cst.ConcatenatedString, first: cst.SimpleString
) -> cst.ConcatenatedString:
    if isinstance(node.left, cst.ConcatenatedString):
        return node.with_changes(left=_replace_first(node.left, first))
    return node.with_changes(left=first)


def _absolute_module(node: cst.ImportFrom, package: str) -> str | None:
    name = get_full_name_for_node(node.module) if node.module is not None else ""
    if name is None:
        return None
    level = len(node.relative)
    if level == 0:
        return name
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _under(name: str, prefixes: tuple[str, ...]) -> str | None:
    for prefix in prefixes:
        if name == prefix or name.startswith(prefix + "."):
            return name
    return None


class _Leftovers(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, watch: tuple[str, ...], package: str):
        super().__init__()
        self.watch = watch
        self.package = package
        self.found: list[Reference] = []

    def _add(self, name: str | None, node: cst.CSTNode) -> None:
        if name and _under(name, self.watch):
            line = self.get_metadata(PositionProvider, node).start.line
            self.found.append(Reference(name, line))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._add(get_full_name_for_node(alias.name), node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        source = _absolute_module(node, self.package)
        if source is None:
            return
        if (
            _under(source, self.watch)
            and source in self.watch
            and not isinstance(node.names, cst.ImportStar)
        ):
            for alias in node.names:
                self._add(f"{source}.{get_full_name_for_node(alias.name)}", node)
        else:
            self._add(source, node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd literals are simply not paths
            return
        if isinstance(value, str) and _DOTTED.fullmatch(value.partition(":")[0]):
            self._add(value.partition(":")[0], node)


_FROM_LINE = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+(?P<source>\.*[A-Za-z_][\w.]*|\.+)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^#\n;]*?)(?P<tail>[ \t]*(?:#[^\n]*)?)$",
    re.MULTILINE,
)


def move_modules_or_text(
    text: str,
    moves: Mapping[str, str],
    dotted: str,
    is_package: bool,
    watch: Sequence[str],
    path: str,
) -> tuple[MoveOutcome, str | None]:
    """:func:`move_modules`, or :func:`move_modules_text` when libcst cannot parse
    ``text`` (Python 2 code), with a warning that says so, naming ``path``."""
    try:
        return move_modules(text, moves, dotted, is_package, watch), None
    except (cst.ParserSyntaxError, RecursionError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        outcome = move_modules_text(text, moves, dotted, is_package, watch)
        warning = (
            f"{path}: libcst cannot parse it ({reason}); imports moved with regular expressions"
        )
        return outcome, warning


def move_modules_text(
    text: str,
    moves: Mapping[str, str],
    module: str = "",
    is_package: bool = False,
    watch: Sequence[str] = (),
) -> MoveOutcome:
    """The token-level fallback of :func:`move_modules`, for text libcst cannot parse
    (Python 2).

    ``from`` statements are rewritten as the codemod does (relative ones resolved, a
    statement importing moved and unmoved names split in two, local names kept);
    then every other dotted reference to a moved module (``import old.mod``, strings,
    qualified names, comments too: text cannot tell them apart) is replaced.
    Leftovers are every remaining dotted reference under a watched prefix.
    """
    package = module if is_package else module.rpartition(".")[0]
    moved = 0

    def from_line(match: re.Match[str]) -> str:
        nonlocal moved
        indent, source, names = match.group("indent"), match.group("source"), match.group("names")
        level = len(source) - len(source.lstrip("."))
        absolute = source if level == 0 else _resolve_text(level, source.lstrip("."), package)
        if absolute is None:
            return match.group(0)
        new_source = moved_name(absolute, moves)
        if new_source is not None:
            moved += 1
            return f"{indent}from {new_source} import {names}{match.group('tail')}"
        inner = names.strip()
        if inner.startswith("("):
            inner = inner[1:-1]
        aliases = [a.split() for a in inner.replace("\n", " ").split(",") if a.strip()]
        if not aliases or any(a == ["*"] or len(a) not in (1, 3) for a in aliases):
            return match.group(0)
        kept, lines = [], []
        for alias in aliases:
            name, local = alias[0], alias[-1]
            new = moved_name(f"{absolute}.{name}" if absolute else name, moves)
            if new is None:
                kept.append(" ".join(alias))
                continue
            moved += 1
            parent, _, last = new.rpartition(".")
            as_local = "" if last == local else f" as {local}"
            lines.append(f"{indent}from {parent} import {last}{as_local}" if parent
                         else f"{indent}import {last}{as_local}")  # fmt: skip
        if not lines:
            return match.group(0)
        if kept:
            lines.insert(0, f"{indent}from {source} import {', '.join(kept)}{match.group('tail')}")
        return "\n".join(lines)

    result = _FROM_LINE.sub(from_line, text)
    for old in sorted(moves, key=len, reverse=True):
        pattern = re.compile(r"(?<![\w.])" + re.escape(old) + r"(?![\w])")
        result, count = pattern.subn(moves[old], result)
        moved += count
    leftovers: list[Reference] = []
    expanded: set[int] = set()  # lines of "from <watched prefix> import a, b"
    for found in _FROM_LINE.finditer(result):
        source = found.group("source")
        level = len(source) - len(source.lstrip("."))
        absolute = source if level == 0 else _resolve_text(level, source.lstrip("."), package)
        if absolute is None or not _under(absolute, tuple(watch)):
            continue
        line = result.count("\n", 0, found.start()) + 1
        if absolute in watch:
            expanded.add(line)
            names = found.group("names").strip().strip("()").replace("\n", " ")
            for alias in (a.split() for a in names.split(",") if a.strip()):
                leftovers.append(Reference(f"{absolute}.{alias[0]}", line))
        elif level:
            leftovers.append(Reference(absolute, line))
    for prefix in watch:
        pattern = re.compile(r"(?<![\w.])" + re.escape(prefix) + r"(?:\.[A-Za-z_]\w*)*")
        for found in pattern.finditer(result):
            line = result.count("\n", 0, found.start()) + 1
            if line not in expanded:
                leftovers.append(Reference(found.group(0), line))
    return MoveOutcome(result, moved, tuple(sorted(leftovers, key=lambda r: r.line)))


def _resolve_text(level: int, name: str, package: str) -> str | None:
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base)


def regroup_imports(text: str, packages: Sequence[str], base: str) -> str:
    """Move top-level imports of ``packages`` (libraries that replaced copies) out of
    the project's import group into the third-party group, in hacking's order.

    OpenStack code groups its module-level imports as standard library, third party,
    project, each sorted (hacking's H306 compares ``import a.b`` and ``from a import b``
    alike, as ``a.b``, ignoring case). An import rewritten in place from
    ``<base>.openstack.common`` to a library still sits among the project's imports;
    here it moves to its sorted place among the third-party imports, or into a new
    group set off by blank lines before the project's. Only the first block of
    top-level imports is looked at (blank and comment lines may sit in it); an import
    that is not in the project's group stays where it is.
    """
    lines = text.splitlines(keepends=True)
    items = _import_block(lines)
    if not items:
        return text
    start, end = items[0].first, items[-1].last + 1
    libraries = set(packages)
    statements = [i for i in items if i.module is not None]
    first_project = min(
        (i.first for i in statements if _group(i.module or "", base) == 3), default=None
    )
    moving = [
        i for i in statements
        if (i.module or "").split(".")[0] in libraries
        and first_project is not None and i.first > first_project
    ]  # fmt: skip
    if not moving or first_project is None:
        return text
    rest = [i for i in items if i not in moving]
    third = [
        i for i in rest
        if i.module is not None and _group(i.module, base) == 2 and i.first < first_project
    ]  # fmt: skip
    for item in sorted(moving, key=lambda i: i.key):
        if third:
            before = [rest.index(i) for i in third if i.key <= item.key]
            at = max(before) + 1 if before else min(rest.index(i) for i in third)
            rest[at:at] = [item]
        else:
            project = next(i for i in rest if i.module and _group(i.module, base) == 3)
            at = rest.index(project)
            added: list[_BlockItem] = [item, _BlockItem(-1, -1, None, "", ["\n"])]
            if at > 0 and rest[at - 1].module is not None:
                added.insert(0, _BlockItem(-1, -1, None, "", ["\n"]))
            rest[at:at] = added
        third.append(item)
    body: list[str] = []
    for item in rest:
        if item.module is None and not "".join(item.text).strip():
            if not body or not body[-1].strip():
                continue  # no blank line first, nor two in a row
        body += item.text
    return "".join(lines[:start] + body + lines[end:])


@dataclass(frozen=True)
class _BlockItem:
    """A statement of the import block (``module`` its sort key's module), or a blank or
    comment line (``module`` None); ``first``/``last`` its lines in the text."""

    first: int
    last: int
    module: str | None
    key: str
    text: list[str]


_IMPORT_LINE = re.compile(r"^(?:import\s+([\w.]+)|from\s+([\w.]+)\s+import\s+(\(?)\s*([\w.*]+)?)")


def _import_block(lines: list[str]) -> list[_BlockItem]:
    """The first block of top-level imports, with the blank and comment lines inside."""
    items: list[_BlockItem] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _IMPORT_LINE.match(line)
        if match is None:
            if items and (not line.strip() or line.startswith("#")):
                items.append(_BlockItem(index, index, None, "", [line]))
                index += 1
                continue
            if items:
                break
            index += 1
            continue
        last = index
        if match.group(3) == "(":
            while last < len(lines) and ")" not in lines[last]:
                last += 1
        while lines[last].rstrip("\r\n").endswith("\\") and last + 1 < len(lines):
            last += 1
        if match.group(1):
            module, key = match.group(1), match.group(1)
        else:
            module = match.group(2)
            name = match.group(4) or ""
            key = f"{module}.{name}" if name else module
        items.append(_BlockItem(index, last, module, key.lower(), lines[index : last + 1]))
        index = last + 1
    while items and items[-1].module is None:
        items.pop()
    return items


def _group(module: str, base: str) -> int:
    top = module.split(".")[0]
    if top == "__future__":
        return 0
    if module == base or module.startswith(base + "."):
        return 3
    if top in sys.stdlib_module_names:
        return 1
    return 2
