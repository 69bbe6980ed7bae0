"""A module's API read from its text, and how two versions of it differ.

:func:`read_api` lists what a module defines: functions, classes, their methods, module
constants and names it re-exports, each with its parameters (and their defaults), a
digest of its body and the names its body refers to. :func:`compare_api` classifies
every difference between two versions: removed, renamed (the same body under a new
name), signature changed incompatibly, signature extended (an optional parameter
added), added, or body only (behaviour may change; a body that calls a changed private
helper changes too). :func:`check_call` says whether one call still fits a signature.

Pure: text in, data out (``ast``; the incubator's modules of 2014 all parse as Python
3). Private names are read too: a project may use them, and a public function changes
when a helper it calls does. Docstrings and comments are no part of a body.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from oslo_incubator.analysis.syntax import parse_python
from oslo_incubator.model.api import (
    MODULE_CODE,
    ApiChange,
    CallShape,
    ChangeKind,
    ModuleApi,
    Parameter,
    ParameterKind,
    Symbol,
    SymbolKind,
)

#: How alike two bodies must be (difflib's ratio over their characters) to call a
#: removed name and an added one a rename.
RENAME_SIMILARITY = 0.8


def read_api(source: str) -> ModuleApi:
    """The names ``source`` defines (see :class:`Symbol`)."""
    try:
        tree = parse_python(source)
    except (SyntaxError, ValueError, RecursionError):
        return ModuleApi({}, None, parsed=False)
    symbols: dict[str, Symbol] = {}
    lines = source.splitlines()
    exported = _exported(tree)
    module_code: list[ast.stmt] = []
    for stmt in _flattened(tree.body, module_code):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            symbols.setdefault(
                stmt.name, _function(stmt, stmt.name, SymbolKind.FUNCTION, exported, lines)
            )
        elif isinstance(stmt, ast.ClassDef):
            for symbol in _class(stmt, exported, lines):
                symbols.setdefault(symbol.name, symbol)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for symbol in _aliases(stmt, exported):
                symbols.setdefault(symbol.name, symbol)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and _constant_names(stmt):
            for name in _constant_names(stmt):
                value = stmt.value
                text = ast.unparse(value) if value is not None else ""
                symbols.setdefault(name, Symbol(
                    name, SymbolKind.CONSTANT, stmt.lineno, _is_public(name, exported),
                    body=_digest(text), value=text, refers=_refers([stmt]), text=text,
                ))  # fmt: skip
        elif not _is_docstring(stmt):
            module_code.append(stmt)
    if module_code:
        dump = "\n".join(ast.dump(s, include_attributes=False) for s in module_code)
        symbols[MODULE_CODE] = Symbol(
            MODULE_CODE, SymbolKind.MODULE, module_code[0].lineno, False,
            body=_digest(dump), refers=_refers(module_code), text=_source(lines, module_code),
        )  # fmt: skip
    return ModuleApi(symbols, exported)


def compare_api(old: ModuleApi, new: ModuleApi) -> tuple[ApiChange, ...]:
    """Every change from ``old`` to ``new``, public and private, sorted by name.

    A name only in ``old`` is a rename when a name of the same kind only in ``new``
    has the same body, or one alike enough (:data:`RENAME_SIMILARITY`); else it is
    removed; a rename breaks every use of the old name all the same. A changed body of
    a helper reaches every symbol whose body refers to it (within the module), as a
    body change.
    """
    removed = [n for n in old.symbols if n not in new.symbols]
    added = [n for n in new.symbols if n not in old.symbols]
    changes: dict[str, ApiChange] = {}
    renamed_to = _renames(old, new, removed, added)
    for name in removed:
        symbol = old.symbols[name]
        target = renamed_to.get(name)
        if target is not None:
            moved = new.symbols[target]
            changes[name] = ApiChange(
                name, ChangeKind.RENAMED, (f"renamed to {target}",), symbol, moved, symbol.public
            )
        else:
            reason = f"{symbol.kind.value} removed"
            changes[name] = ApiChange(
                name, ChangeKind.REMOVED, (reason,), symbol, None, symbol.public
            )
    taken = set(renamed_to.values())
    for name in added:
        if name in taken or _inside(name, added):
            continue
        symbol = new.symbols[name]
        changes[name] = ApiChange(
            name, ChangeKind.ADDED, (f"{symbol.kind.value} added",), None, symbol, symbol.public
        )
    for name in old.symbols.keys() & new.symbols.keys():
        change = _changed(old.symbols[name], new.symbols[name])
        if change is not None:
            changes[name] = change
    for name in removed:
        # A removed class's methods go with it: one finding, not one per method.
        if _inside(name, removed) and changes[name].kind is ChangeKind.REMOVED:
            del changes[name]
    _propagate(changes, new)
    _classes_follow_methods(changes, old, new)
    return tuple(sorted(changes.values(), key=lambda c: c.name))


def check_call(call: CallShape, parameters: Sequence[Parameter]) -> str | None:
    """Why a call of this shape cannot bind to ``parameters``; ``None`` when it can (or
    when it unpacks ``*args``/``**kwargs``, and so may fit any)."""
    if call.star or call.double_star:
        return None
    positional = [
        p
        for p in parameters
        if p.kind in (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL)
    ]
    takes_var = any(p.kind is ParameterKind.VAR_POSITIONAL for p in parameters)
    takes_kw = any(p.kind is ParameterKind.VAR_KEYWORD for p in parameters)
    if call.positional > len(positional) and not takes_var:
        return f"passes {call.positional} positional arguments; it takes {len(positional)}"
    bound = {p.name for p in positional[: call.positional]}
    by_name = {
        p.name: p
        for p in parameters
        if p.kind in (ParameterKind.POSITIONAL, ParameterKind.KEYWORD_ONLY)
    }
    for keyword in call.keywords:
        if keyword in bound:
            return f"passes {keyword!r} twice"
        if keyword not in by_name and not takes_kw:
            return f"passes {keyword!r}, which it no longer takes"
        bound.add(keyword)
    missing = [p.name for p in parameters if p.required and p.name not in bound]
    if missing:
        return f"does not pass {', '.join(repr(m) for m in missing)}, now required"
    return None


def bound_parameters(
    parameters: Sequence[Parameter], positional: int, keywords: Sequence[str]
) -> tuple[Parameter, ...]:
    """The parameters left to a caller of ``functools.partial(f, <positional>
    arguments>, <keywords>=...)``: the first positional ones are taken, the keywords
    become optional and keyword-only."""
    left: list[Parameter] = []
    taken = 0
    for param in parameters:
        if taken < positional and param.kind in (
            ParameterKind.POSITIONAL_ONLY,
            ParameterKind.POSITIONAL,
        ):
            taken += 1
            continue
        if param.name in keywords:
            left.append(Parameter(param.name, ParameterKind.KEYWORD_ONLY, "<bound>"))
        else:
            left.append(param)
    return tuple(left)


def relied_defaults(call: CallShape, change: ApiChange) -> tuple[str, ...]:
    """The parameters whose default ``change`` changed and that the call leaves to
    the default (it relies on the old value)."""
    if change.old is None or change.new is None:
        return ()
    old = {p.name: p for p in change.old.parameters or ()}
    positional = [
        p.name
        for p in change.new.parameters or ()
        if p.kind in (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL)
    ]
    passed = set(positional[: call.positional]) | set(call.keywords)
    found = []
    for param in change.new.parameters or ():
        before = old.get(param.name)
        if (
            before is not None
            and before.default is not None
            and param.default is not None
            and before.default != param.default
            and param.name not in passed
        ):
            found.append(param.name)
    return tuple(found)


# Private: reading


def _flattened(body: Sequence[ast.stmt], module_code: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module (or class) body, with those inside an ``if``, ``try``
    or ``with`` at that level (``if os.name == 'nt': FileLock = _WindowsLock``) read as
    top-level ones: the first branch that binds a name gives it. The conditions count
    as code that runs at import."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            module_code.append(ast.Expr(stmt.test, lineno=stmt.lineno, col_offset=0))
            yield from _flattened([*stmt.body, *stmt.orelse], module_code)
        elif isinstance(stmt, ast.Try):
            yield from _flattened(stmt.body, module_code)
            for handler in stmt.handlers:
                yield from _flattened(handler.body, module_code)
            yield from _flattened([*stmt.orelse, *stmt.finalbody], module_code)
        elif isinstance(stmt, ast.With):
            yield from _flattened(stmt.body, module_code)
        else:
            yield stmt


def _exported(tree: ast.Module) -> tuple[str, ...] | None:
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets
        ):
            if isinstance(stmt.value, (ast.List, ast.Tuple)):
                return tuple(
                    e.value
                    for e in stmt.value.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                )
    return None


def _is_public(name: str, exported: tuple[str, ...] | None) -> bool:
    if exported is not None and "." not in name:
        return name in exported
    return all(not part.startswith("_") or _is_dunder(part) for part in name.split("."))


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _without_docstring(body: Sequence[ast.stmt]) -> list[ast.stmt]:
    return list(body[1:]) if body and _is_docstring(body[0]) else list(body)


def _source(lines: Sequence[str], nodes: Sequence[ast.stmt]) -> str:
    """The source lines of ``nodes`` (a body, in order), for matching renamed bodies."""
    if not nodes:
        return ""
    end = nodes[-1].end_lineno or nodes[-1].lineno
    return "\n".join(line.strip() for line in lines[nodes[0].lineno - 1 : end])


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _refers(nodes: Iterable[ast.AST]) -> tuple[str, ...]:
    """Names and attribute names a piece of code mentions (``self._lock`` gives
    ``_lock``): the module-level names and methods it may call."""
    found: set[str] = set()
    for node in nodes:
        for child in ast.walk(node):
            if isinstance(child, ast.Name):
                found.add(child.id)
            elif isinstance(child, ast.Attribute):
                found.add(child.attr)
    return tuple(sorted(found))


def _parameters(args: ast.arguments, drop_first: bool) -> tuple[Parameter, ...]:
    params: list[Parameter] = []
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = (
            ParameterKind.POSITIONAL_ONLY
            if index < len(args.posonlyargs)
            else ParameterKind.POSITIONAL
        )
        params.append(Parameter(arg.arg, kind, ast.unparse(default) if default else None))
    if args.vararg is not None:
        params.append(Parameter(args.vararg.arg, ParameterKind.VAR_POSITIONAL))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        text = ast.unparse(kw_default) if kw_default is not None else None
        params.append(Parameter(arg.arg, ParameterKind.KEYWORD_ONLY, text))
    if args.kwarg is not None:
        params.append(Parameter(args.kwarg.arg, ParameterKind.VAR_KEYWORD))
    if drop_first and params and params[0].kind is not ParameterKind.VAR_POSITIONAL:
        params = params[1:]
    return tuple(params)


def _decorators(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


def _function(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    name: str,
    kind: SymbolKind,
    exported: tuple[str, ...] | None,
    lines: Sequence[str],
) -> Symbol:
    decorators = _decorators(node)
    drop_first = kind is SymbolKind.METHOD and "staticmethod" not in decorators
    body = _without_docstring(node.body)
    dump = "\n".join(ast.dump(s, include_attributes=False) for s in body)
    dump += "".join(ast.dump(d, include_attributes=False) for d in node.decorator_list)
    text = _source(lines, body)
    parameters = None if "property" in decorators else _parameters(node.args, drop_first)
    return Symbol(
        name, kind, node.lineno, _is_public(name, exported), parameters, _digest(dump),
        refers=_refers([*body, *node.decorator_list]), text=text, partial=_partial(body),
    )  # fmt: skip


def _partial(body: Sequence[ast.stmt]) -> tuple[str, int, tuple[str, ...]] | None:
    """``return functools.partial(f, 'x', a=1)`` as the whole body: ``('f', 1, ('a',))``."""
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    call = body[0].value
    if not isinstance(call, ast.Call) or not call.args or not isinstance(call.args[0], ast.Name):
        return None
    func = call.func
    named = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if named != "partial":
        return None
    keywords = tuple(k.arg for k in call.keywords if k.arg is not None)
    return call.args[0].id, len(call.args) - 1, keywords


def _class(
    node: ast.ClassDef, exported: tuple[str, ...] | None, lines: Sequence[str]
) -> list[Symbol]:
    members: list[Symbol] = []
    init: Symbol | None = None
    for stmt in _flattened(node.body, []):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            member = _function(
                stmt, f"{node.name}.{stmt.name}", SymbolKind.METHOD, exported, lines
            )
            members.append(member)
            if stmt.name == "__init__":
                init = member
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            for name in _constant_names(stmt):
                value = stmt.value
                text = ast.unparse(value) if value is not None else ""
                qualified = f"{node.name}.{name}"
                members.append(
                    Symbol(
                        qualified,
                        SymbolKind.CONSTANT,
                        stmt.lineno,
                        _is_public(qualified, exported),
                        body=_digest(text),
                        value=text,
                        refers=_refers([stmt]),
                        text=text,
                    )  # fmt: skip
                )
    bases = tuple(ast.unparse(b) for b in node.bases)
    dump = "".join(ast.dump(d, include_attributes=False) for d in node.decorator_list)
    parameters = init.parameters if init is not None else None
    symbol = Symbol(
        node.name, SymbolKind.CLASS, node.lineno, _is_public(node.name, exported), parameters,
        _digest("|".join(bases) + dump), refers=(), bases=bases,
        text=_source(lines, _without_docstring(node.body)),
    )  # fmt: skip
    return [symbol, *members]


def _aliases(node: ast.Import | ast.ImportFrom, exported: tuple[str, ...] | None) -> list[Symbol]:
    found = []
    for alias in node.names:
        if alias.name == "*":
            continue
        if isinstance(node, ast.ImportFrom):
            target = "." * node.level + (f"{node.module}." if node.module else "") + alias.name
            name = alias.asname or alias.name
        else:
            target = alias.name
            name = alias.asname or alias.name.split(".")[0]
        # An import is API only when the module says so (``__all__``), or when it
        # re-exports under the same name on purpose (``from x import y as y``).
        public = (exported is not None and name in exported) or alias.asname == alias.name
        found.append(
            Symbol(name, SymbolKind.ALIAS, node.lineno, public, body=_digest(target), value=target)
        )
    return found


def _constant_names(stmt: ast.Assign | ast.AnnAssign) -> list[str]:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return [n for n in names if n != "__all__"]


# Private: comparing


def _inside(name: str, names: Iterable[str]) -> bool:
    """Whether ``name`` is a member of a class also in ``names``."""
    owner = name.rpartition(".")[0]
    return bool(owner) and owner in set(names)


def _renames(
    old: ModuleApi, new: ModuleApi, removed: Sequence[str], added: Sequence[str]
) -> dict[str, str]:
    found: dict[str, str] = {}
    free = [n for n in added if new.symbols[n].kind is not SymbolKind.MODULE]
    for name in removed:
        before = old.symbols[name]
        if before.kind in (SymbolKind.MODULE, SymbolKind.ALIAS):
            continue
        owner = name.rpartition(".")[0]
        best: tuple[float, str] | None = None
        for candidate in free:
            after = new.symbols[candidate]
            if after.kind is not before.kind or candidate.rpartition(".")[0] != owner:
                continue
            if after.kind is SymbolKind.CONSTANT:
                score = 1.0 if after.value == before.value else 0.0
            elif after.body == before.body or after.text == before.text:
                score = 1.0
            else:
                score = _similarity(before.text, after.text)
            if score >= RENAME_SIMILARITY and (best is None or score > best[0]):
                best = (score, candidate)
        if best is not None:
            found[name] = best[1]
            free.remove(best[1])
    return found


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < RENAME_SIMILARITY or matcher.quick_ratio() < RENAME_SIMILARITY:
        return 0.0
    return matcher.ratio()


def _changed(before: Symbol, after: Symbol) -> ApiChange | None:
    public = before.public or after.public
    if before.kind is not after.kind:
        if after.kind is SymbolKind.ALIAS:
            # Moved elsewhere and re-exported here: uses go on working.
            reason = f"now re-exported from {after.value}"
            return ApiChange(before.name, ChangeKind.BODY, (reason,), before, after, public)
        reason = f"was a {before.kind.value}, now a {after.kind.value}"
        return ApiChange(before.name, ChangeKind.INCOMPATIBLE, (reason,), before, after, public)
    reasons: list[str] = []
    compatible: list[str] = []
    if before.parameters is not None and after.parameters is not None:
        reasons, compatible = _signature_changes(before.parameters, after.parameters)
    elif before.kind is SymbolKind.CLASS and before.parameters != after.parameters:
        # A class without __init__ of its own takes what its base takes (unknown here).
        if after.parameters is None:
            compatible.append("its own __init__ removed (its base's applies)")
        elif any(p.required for p in after.parameters):
            required = ", ".join(repr(p.name) for p in after.parameters if p.required)
            reasons.append(f"__init__ added, requiring {required}")
        else:
            compatible.append("__init__ added, requiring no argument")
    elif before.parameters != after.parameters:
        reasons.append("became a property" if after.parameters is None else "no longer a property")
    # ``SplitResult`` and ``parse.SplitResult`` name the same base.
    after_bases = {b.rpartition(".")[2] for b in after.bases}
    removed_bases = [
        b for b in before.bases if b.rpartition(".")[2] not in after_bases and b != "object"
    ]
    if removed_bases:
        reasons.append(f"no longer derives from {', '.join(removed_bases)}")
    if reasons:
        return ApiChange(
            before.name, ChangeKind.INCOMPATIBLE, tuple(reasons), before, after, public
        )
    if compatible:
        return ApiChange(
            before.name, ChangeKind.EXTENDED, tuple(compatible), before, after, public
        )
    if before.body != after.body or before.bases != after.bases:
        if before.kind is SymbolKind.CONSTANT:
            reason = f"value changed from {before.value} to {after.value}"
        elif before.kind is SymbolKind.ALIAS:
            reason = f"now imported from {after.value} (was {before.value})"
        elif before.kind is SymbolKind.MODULE:
            reason = "module-level code changed (it runs at import)"
        else:
            reason = "body changed"
        return ApiChange(before.name, ChangeKind.BODY, (reason,), before, after, public)
    return None


def _signature_changes(
    old: Sequence[Parameter], new: Sequence[Parameter]
) -> tuple[list[str], list[str]]:
    """(incompatible reasons, compatible reasons) between two parameter lists."""
    bad: list[str] = []
    good: list[str] = []
    old_by = {p.name: p for p in old}
    new_by = {p.name: p for p in new}
    var = {ParameterKind.VAR_POSITIONAL, ParameterKind.VAR_KEYWORD}
    for param in old:
        if param.name not in new_by and not (
            param.kind in var and any(p.kind is param.kind for p in new)
        ):
            bad.append(f"parameter {str(param)!r} removed")
    for param in new:
        before = old_by.get(param.name)
        if before is None:
            if param.kind in var:
                if not any(p.kind is param.kind for p in old):
                    good.append(f"parameter {str(param)!r} added")
            elif param.required:
                bad.append(f"required parameter {param.name!r} added")
            else:
                good.append(f"optional parameter {str(param)!r} added")
            continue
        if param.required and not before.required:
            bad.append(f"parameter {param.name!r} no longer has a default")
        elif before.default is not None and param.default is not None:
            if before.default != param.default:
                bad.append(
                    f"default of {param.name!r} changed from {before.default} to {param.default}"
                )
        elif before.required and not param.required:
            good.append(f"parameter {param.name!r} now has a default ({param.default})")
        if before.kind is not param.kind and param.kind not in var:
            if param.kind is ParameterKind.POSITIONAL and before.kind in (
                ParameterKind.KEYWORD_ONLY,
                ParameterKind.POSITIONAL_ONLY,
            ):
                good.append(f"parameter {param.name!r} may now be passed either way")
            else:
                bad.append(f"parameter {param.name!r} is now {param.kind.value}")
    optional = [g for g in good if g.startswith("optional parameter ")]
    if len(optional) > 1:
        names = ", ".join(g.split("'")[1] for g in optional)
        good = [f"optional parameters added: {names}"] + [g for g in good if g not in optional]
    # Positions: every old positional parameter that survives must keep its place.
    positional = (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL)
    old_pos = [p.name for p in old if p.kind in positional]
    new_pos = [p.name for p in new if p.kind in positional]
    for index, name in enumerate(old_pos):
        if name in new_pos and new_pos.index(name) != index:
            bad.append(f"parameter {name!r} moved from position {index + 1} to "
                       f"{new_pos.index(name) + 1}")  # fmt: skip
            break
    return bad, good


def _propagate(changes: dict[str, ApiChange], new: ModuleApi) -> None:
    """A symbol whose body refers to a changed one changes too (body only), until
    nothing more changes. Only names of this module count: ``self.x`` finds the
    method ``x`` of the same class."""
    # An import that changed is the module's own affair; code that runs at import
    # is no helper anyone calls.
    quiet = (SymbolKind.ALIAS, SymbolKind.MODULE)
    changed_bodies = {
        n
        for n, c in changes.items()
        if c.kind is not ChangeKind.ADDED
        and (c.old or c.new) is not None
        and (c.old or c.new).kind not in quiet  # type: ignore[union-attr]
    }
    grew = True
    while grew:
        grew = False
        for name, symbol in new.symbols.items():
            if name in changes or symbol.kind in (SymbolKind.ALIAS, SymbolKind.MODULE):
                continue
            owner = name.rpartition(".")[0]
            reached = sorted(
                n
                for n in changed_bodies
                if n.rpartition(".")[2] in symbol.refers
                and (n.rpartition(".")[0] in ("", owner))
                and n != name
            )
            if reached:
                via = reached[0]
                changes[name] = ApiChange(
                    name, ChangeKind.BODY, (f"calls {via}, which changed",), symbol, symbol,
                    symbol.public,
                )  # fmt: skip
                changed_bodies.add(name)
                grew = True


def _classes_follow_methods(changes: dict[str, ApiChange], old: ModuleApi, new: ModuleApi) -> None:
    """A class whose members changed (and that did not change itself) changes in
    body: its users see different behaviour."""
    for name, change in list(changes.items()):
        owner = name.rpartition(".")[0]
        if not owner or owner in changes or owner not in old.symbols or owner not in new.symbols:
            continue
        if change.kind is ChangeKind.ADDED and not change.public:
            continue
        what = "member" if change.kind is not ChangeKind.ADDED else "new member"
        changes[owner] = ApiChange(
            owner, ChangeKind.BODY, (f"{what} {name.rpartition('.')[2]} {change.kind.value}",),
            old.symbols[owner], new.symbols[owner], old.symbols[owner].public,
        )  # fmt: skip


def with_reasons(change: ApiChange, *reasons: str) -> ApiChange:
    """``change`` with more reasons."""
    return replace(change, reasons=(*change.reasons, *reasons))
