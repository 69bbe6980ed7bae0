"""oslo-incubator's ``update.py`` rewrite rules, as data, and how to pick the right ones.

``update.py`` copied a master file and then ran a list of ``re.sub(pattern,
replacement, line)`` over every line, in order. The list changed about twenty times
between January 2012 and June 2015 (see :data:`ERAS`). The rules in force for a sync
are those of the ``update.py`` *in the incubator checkout being synced from*, so
:func:`select_rule_set` reads them out of that file's text: it parses the
``_replace(dest, ...)`` / ``replacements.append((...))`` calls of ``_copy_file`` (and
the ``OSLO_LIBS`` list they loop over) without running anything, and falls back to
recognising the era by marker strings, then by date.

Patterns and replacements keep ``update.py``'s own text, with ``${base}`` (and
``${BASE}`` for ``base.upper()``) where it concatenated the base package. The base is
inserted *unescaped*, as ``update.py`` did, and lines are matched as bytes, as Python 2
did (``\\w`` is ASCII, ``$`` matches before the line's newline).
"""

from __future__ import annotations

import ast
import re
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

BASE_TOKEN = "${base}"
UPPER_BASE_TOKEN = "${BASE}"


@dataclass(frozen=True)
class Replacement:
    """One ``re.sub`` that ``update.py`` ran over every line of a copied file.

    ``unless_path_contains`` skips the rule for destination paths containing that
    text (``if 'rpc/' not in dest:`` from February 2013 to September 2014).
    """

    pattern: str
    replacement: str
    unless_path_contains: str | None = None


@dataclass(frozen=True)
class RuleSet:
    """The rewrite of one ``update.py`` version.

    ``since`` is the abbreviated sha of the ``update.py`` commit that introduced the
    behaviour (``"parsed"`` when read from a text that matches no known era).
    """

    since: str
    date: str
    summary: str
    replacements: tuple[Replacement, ...]
    oslo_libs: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()  # texts an update.py of this era contains
    absent: tuple[str, ...] = ()  # texts it does not contain

    @property
    def name(self) -> str:
        """How reports and the lock file name the rule set (``update.py@36b0e857``)."""
        return f"update.py@{self.since}"

    def same_rules(self, other: RuleSet) -> bool:
        """True when both rewrite every text alike."""
        return self.replacements == other.replacements


def apply_rule_set(text: str, rules: RuleSet, base: str, dest_path: str) -> str:
    """What ``update.py`` with ``rules`` wrote for master ``text``.

    Args:
        text: the master file's text (decoded with ``surrogateescape``).
        rules: from :func:`select_rule_set`.
        base: the project's dotted base package (``nova``).
        dest_path: where the copy goes, relative to the project (for path conditions).

    Returns:
        The project text, byte for byte what ``update.py`` produced.
    """
    compiled = [
        (pattern, replacement)
        for pattern, replacement, unless in _compile(rules.replacements, base)
        if unless is None or unless not in dest_path
    ]
    out: list[bytes] = []
    for line in _byte_lines(text.encode("utf-8", "surrogateescape")):
        for pattern, replacement in compiled:
            line = pattern.sub(replacement, line)
        out.append(line)
    return b"".join(out).decode("utf-8", "surrogateescape")


def select_rule_set(update_py: str | None, timestamp: int | None = None) -> RuleSet:
    """The rule set of the ``update.py`` whose text is ``update_py``.

    Args:
        update_py: the text of ``update.py`` at the master commit being synced, or
            ``None`` when that commit has none.
        timestamp: the commit's time (seconds), used when the text says nothing.

    Returns:
        The era the text belongs to, or the rules parsed from it when they match no
        known era; failing both, the era in force at ``timestamp``, else the last one.
    """
    if update_py is not None:
        parsed = parse_rule_set(update_py)
        if parsed is not None:
            for era in reversed(ERAS):
                if era.same_rules(parsed):
                    return era
            return parsed
        recognised = recognise_era(update_py)
        if recognised is not None:
            return recognised
    if timestamp is not None:
        return era_at(timestamp)
    return ERAS[-1]


def parse_rule_set(update_py: str) -> RuleSet | None:
    """Read the replacements out of the text of an ``update.py``, without running it.

    Understands ``_copy_file`` (or the first version's nested ``copy_file``) made of
    ``_replace(dest, PATTERN, REPLACEMENT)`` or ``replacements.append((PATTERN,
    REPLACEMENT))`` calls, ``for`` loops over a list or ``OSLO_LIBS``, and ``if
    '<text>' not in dest:`` blocks. Returns ``None`` for anything else.
    """
    source = _function_source(update_py)
    if source is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes such as '\.' in old code
            tree = ast.parse(source)
    except SyntaxError:
        return None
    libs = _oslo_libs(update_py)
    function = tree.body[0]
    if not isinstance(function, ast.FunctionDef):
        return None
    try:
        found = _Interpreter(libs).run(function.body)
    except _Unsupported:
        return None
    if not found:
        return None
    return RuleSet(
        since="parsed",
        date="",
        summary="rules read from update.py",
        replacements=tuple(found),
        oslo_libs=libs,
    )


def recognise_era(update_py: str) -> RuleSet | None:
    """The newest era whose marker texts ``update_py`` contains (and whose absent texts
    it lacks); ``None`` when none fits."""
    for era in reversed(ERAS):
        if all(m in update_py for m in era.markers) and not any(
            a in update_py for a in era.absent
        ):
            return era
    return None


def copies_root_init(update_py: str | None, timestamp: int | None = None) -> bool:
    """Whether this ``update.py`` copied master's ``openstack/common/__init__.py``.

    Until a7c30058 (2014-02-18) it only created an empty one when missing. Read from
    the text (the ``else:`` branch of ``_copy_module`` that copies it), else by date.
    """
    if update_py is not None and "def _copy_module" in update_py:
        return _ROOT_INIT_RE.search(update_py) is not None
    if timestamp is not None:
        return timestamp >= _ROOT_INIT_SINCE
    return True


def with_restored(rules: RuleSet, libraries: Sequence[str]) -> RuleSet:
    """``rules`` for writing new master text: the restore step keeps the separator (as
    update.py did from d66caae7 on) and also covers ``libraries`` (``oslo.foo``:
    namespace, a dot, the name), placed where the rule set restores.

    update.py's maintainers added each library to the restore list as it graduated, and
    fixed the unescaped dot that turned ``oslo_config`` into ``oslo.config``; a rule set
    of an older era, applied to master text that imports ``oslo_foo``, would otherwise
    write ``nova_foo`` or ``oslo.foo``, neither of which imports.
    """
    restores = [i for i, r in enumerate(rules.replacements) if r.pattern.startswith(BASE_TOKEN)]
    names: dict[str, str] = {}  # name -> namespace, the rule set's own first
    for i in restores:
        replacement = rules.replacements[i].replacement
        namespace, _, name = re.sub(r"\\1|\.", ".", replacement, count=1).partition(".")
        names.setdefault(name, namespace)
    for library in libraries:
        namespace, _, name = library.partition(".")
        if name:
            names.setdefault(name, namespace)
    fixed = tuple(
        _r(f"{BASE_TOKEN}(.){re.escape(name)}", rf"{namespace}\1{name}")
        for name, namespace in names.items()
    )
    replacements = [r for i, r in enumerate(rules.replacements) if i not in restores]
    oslo = [i for i, r in enumerate(replacements) if r.replacement == BASE_TOKEN]
    at = restores[0] if restores else ((oslo[-1] + 1) if oslo else 0)
    replacements[at:at] = fixed
    return replace(rules, replacements=tuple(replacements))


def era_since(era: RuleSet) -> int:
    """When a known era came into force (seconds)."""
    return _era_timestamps()[era.since]


def era_at(timestamp: int) -> RuleSet:
    """The era in force at ``timestamp`` (the first one for earlier times)."""
    chosen = ERAS[0]
    for era in ERAS:
        if _era_timestamps()[era.since] <= timestamp:
            chosen = era
    return chosen


# The eras


def _r(pattern: str, replacement: str, unless: str | None = None) -> Replacement:
    return Replacement(pattern, replacement, unless)


_FROM_LINE_START = _r("^from openstack.common", "from ${base}.openstack.common")
_FROM = _r("^( *)from openstack.common", r"\1from ${base}.openstack.common")
_IMPORT = _r("^( *)import openstack.common", r"\1import ${base}.openstack.common")
_SINGLE_QUOTED = _r(r"'openstack\.common", "'${base}.openstack.common")
_DOUBLE_QUOTED = _r(r'"openstack\.common', '"${base}.openstack.common')
_EQUALS = _r(r"=openstack\.common", "=${base}.openstack.common")
_TOPDIR = _r('possible_topdir, "oslo",$', 'possible_topdir, "${base}",')
_RPC = "rpc/"
_LIBS_2014_09 = (
    "concurrency", "config", "db", "i18n", "log", "messaging", "middleware", "rootwrap",
    "serialization", "utils", "version", "vmware",
)  # fmt: skip
_LIBS_2014_11 = tuple(sorted((*_LIBS_2014_09, "context")))
_LIBS_2015_03 = tuple(sorted((*_LIBS_2014_11, "policy")))
_LIBS_2015_06 = tuple(sorted((*_LIBS_2015_03, "cache", "reports", "service")))


def _restore(libs: Sequence[str]) -> tuple[Replacement, ...]:
    # base + '.' + lib: the '.' is a regex wildcard (fixed in d66caae7).
    return tuple(_r(f"{BASE_TOKEN}.{lib}", f"oslo.{lib}") for lib in libs)


def _restore_fixed(libs: Sequence[str]) -> tuple[Replacement, ...]:
    return tuple(_r(f"{BASE_TOKEN}(.){lib}", rf"oslo\1{lib}") for lib in libs)


def _oslo(pattern: str = "oslo", unless: str | None = None) -> tuple[Replacement, ...]:
    return (_r(pattern, BASE_TOKEN, unless),)


def _upper(unless: str | None = None) -> tuple[Replacement, ...]:
    return (_r("OSLO", UPPER_BASE_TOKEN, unless),)


_QUOTED = (_SINGLE_QUOTED, _DOUBLE_QUOTED)
_TAIL_2013 = (_FROM, *_QUOTED, _EQUALS, _TOPDIR)
_TAIL_2014 = (_FROM, _IMPORT, *_QUOTED, _EQUALS, _TOPDIR)
_RPC_EXEMPT = "'rpc/' not in dest"

#: Every distinct rewrite of update.py, oldest first. ``since`` is the update.py
#: commit that introduced it (``git log -- update.py`` in oslo-incubator).
ERAS: tuple[RuleSet, ...] = (
    RuleSet("9d5ac522", "2012-01-26", "from-imports at line start",
            (_FROM_LINE_START,), markers=("'^from openstack.common'",)),
    RuleSet("e7b5854f", "2012-06-27", "also quoted 'openstack.common and \"openstack.common",
            (_FROM_LINE_START, *_QUOTED),
            markers=("'^from openstack.common'", "\\'openstack\\.common")),
    RuleSet("6ce7b8ce", "2012-11-01", "indented from-imports too",
            (_FROM, *_QUOTED), markers=("'^( *)from openstack.common'",)),
    RuleSet("a3ff94b2", "2012-12-20", "every oslo to the base",
            (*_oslo(), _FROM, *_QUOTED), markers=("_replace(dest, 'oslo', base)",)),
    RuleSet("0662a1fd", "2013-02-05", "possible_topdir special case",
            (*_oslo(), _FROM, *_QUOTED, _TOPDIR),
            markers=("_replace(dest, 'oslo', base)", "possible_topdir, \"oslo\",$")),
    RuleSet("538721d3", "2013-02-18", "restore oslo.config",
            (*_oslo(), *_restore(["config"]), _FROM, *_QUOTED, _TOPDIR),
            markers=("for oslo_module in ['config']",)),
    RuleSet("2545e498", "2013-02-20", "files under rpc/ keep oslo",
            (*_oslo(unless=_RPC), *_restore(["config"]), _FROM, *_QUOTED, _TOPDIR),
            markers=("for oslo_module in ['config']", _RPC_EXEMPT)),
    RuleSet("4cd94cd7", "2013-07-22", "also =openstack.common",
            (*_oslo(unless=_RPC), *_restore(["config"]), *_TAIL_2013),
            markers=("for oslo_module in ['config']", _RPC_EXEMPT, "'=openstack")),
    RuleSet("10362c2b", "2013-10-25", "OSLO to the upper-case base",
            (*_oslo(unless=_RPC), *_upper(_RPC), *_restore(["config"]), *_TAIL_2013),
            markers=("for oslo_module in ['config']", "'OSLO'")),
    RuleSet("0d183813", "2014-03-24", "restore oslo.messaging too",
            (*_oslo(unless=_RPC), *_upper(_RPC), *_restore(["config", "messaging"]),
             *_TAIL_2013),
            markers=("'config', 'messaging']",), absent=("oslo(?!test)",)),
    RuleSet("94a132de", "2014-04-25", "spare oslotest",
            (*_oslo("oslo(?!test)", _RPC), *_upper(_RPC), *_restore(["config", "messaging"]),
             *_TAIL_2013),
            markers=("'config', 'messaging']", "oslo(?!test)")),
    RuleSet("b347c31c", "2014-04-27", "restore oslo.i18n too",
            (*_oslo("oslo(?!test)", _RPC), *_upper(_RPC),
             *_restore(["config", "i18n", "messaging"]), *_TAIL_2013),
            markers=("'config', 'i18n', 'messaging'",), absent=("import openstack.common'",)),
    RuleSet("b9edac56", "2014-05-21", "import openstack.common statements too",
            (*_oslo("oslo(?!test)", _RPC), *_upper(_RPC),
             *_restore(["config", "i18n", "messaging"]), *_TAIL_2014),
            markers=("'config', 'i18n', 'messaging'", "import openstack.common'")),
    RuleSet("44805994", "2014-09-01", "OSLO_LIBS lists twelve libraries",
            (*_oslo("oslo(?!test)", _RPC), *_upper(_RPC), *_restore(_LIBS_2014_09),
             *_TAIL_2014),
            _LIBS_2014_09, markers=("in OSLO_LIBS", _RPC_EXEMPT)),
    RuleSet("6ede600f", "2014-09-22", "rpc/ no longer exempt",
            (*_oslo("oslo(?!test)"), *_upper(), *_restore(_LIBS_2014_09), *_TAIL_2014),
            _LIBS_2014_09, markers=("in OSLO_LIBS",), absent=(_RPC_EXEMPT, "'context',")),
    RuleSet("a316eb8d", "2014-11-19", "restore oslo.context too",
            (*_oslo("oslo(?!test)"), *_upper(), *_restore(_LIBS_2014_11), *_TAIL_2014),
            _LIBS_2014_11, markers=("in OSLO_LIBS", "'context',"), absent=(_RPC_EXEMPT,)),
    RuleSet("36b0e857", "2014-12-11", "spare oslo-incubator",
            (*_oslo("oslo(?!(test|-incubator))"), *_upper(), *_restore(_LIBS_2014_11),
             *_TAIL_2014),
            _LIBS_2014_11, markers=("in OSLO_LIBS", "test|-incubator")),
    RuleSet("d66caae7", "2015-02-18", "restore keeps the separator (oslo_config)",
            (*_oslo("oslo(?!(test|-incubator))"), *_upper(), *_restore_fixed(_LIBS_2014_11),
             *_TAIL_2014),
            _LIBS_2014_11, markers=("in OSLO_LIBS", "r'(.)'")),
    RuleSet("0e334ad9", "2015-03-05", "restore oslo.policy too",
            (*_oslo("oslo(?!(test|-incubator))"), *_upper(), *_restore_fixed(_LIBS_2015_03),
             *_TAIL_2014),
            _LIBS_2015_03, markers=("in OSLO_LIBS", "r'(.)'", "'policy',")),
    RuleSet("f4b14008", "2015-06-22", "restore oslo.cache, reports, service too",
            (*_oslo("oslo(?!(test|-incubator))"), *_upper(), *_restore_fixed(_LIBS_2015_06),
             *_TAIL_2014),
            _LIBS_2015_06, markers=("in OSLO_LIBS", "r'(.)'", "'service',")),
)  # fmt: skip


# Private


class _Unsupported(Exception):
    """The text uses a construct the interpreter does not understand."""


_ROOT_INIT_RE = re.compile(r"else:\s*\n\s*copy_pyfile\(os\.path\.join\(path, '__init__\.py'\)\)")
_ROOT_INIT_SINCE = 1392774210  # a7c30058, 2014-02-18 20:43:30 -0500
_FUNCTION_RE = re.compile(r"^([ \t]*)def _?copy_file\(", re.MULTILINE)
_OSLO_LIBS_RE = re.compile(r"^_?OSLO_LIBS\s*=\s*(\[[^\]]*\])", re.MULTILINE)
_REPLACE_CALLS = ("_replace", "replace")


def _function_source(text: str) -> str | None:
    match = _FUNCTION_RE.search(text)
    if match is None:
        return None
    indent = len(match.group(1).expandtabs())
    lines = text[match.start() :].split("\n")
    body = [lines[0]]
    for line in lines[1:]:
        stripped = line.strip()
        if stripped and len(line) - len(line.lstrip()) <= indent:
            break
        body.append(line)
    return textwrap.dedent("\n".join(body)) + "\n"


def _oslo_libs(text: str) -> tuple[str, ...]:
    match = _OSLO_LIBS_RE.search(text)
    if match is None:
        return ()
    try:
        value = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return ()
    return tuple(v for v in value if isinstance(v, str))


class _Interpreter:
    """Walks ``_copy_file``'s statements, collecting the replacements in order."""

    def __init__(self, oslo_libs: tuple[str, ...]):
        self.oslo_libs = oslo_libs

    def run(self, body: Sequence[ast.stmt]) -> list[Replacement]:
        found: list[Replacement] = []
        self._block(body, {}, None, found)
        return found

    def _block(
        self, body: Sequence[ast.stmt], env: dict[str, str], unless: str | None,
        found: list[Replacement],
    ) -> None:  # fmt: skip
        for stmt in body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                rule = self._call(stmt.value, env)
                if rule is not None:
                    found.append(replace(rule, unless_path_contains=unless))
            elif isinstance(stmt, ast.For):
                if not isinstance(stmt.target, ast.Name):
                    raise _Unsupported("for loop target")
                for value in self._iterable(stmt.iter):
                    self._block(stmt.body, {**env, stmt.target.id: value}, unless, found)
            elif isinstance(stmt, ast.If):
                if not _mentions_replace(stmt):
                    continue
                self._block(stmt.body, env, self._path_condition(stmt.test), found)
                if stmt.orelse:
                    raise _Unsupported("else branch with replacements")
            elif _is_list_reset(stmt):
                continue  # replacements = []
            elif _mentions_replace(stmt):
                raise _Unsupported(type(stmt).__name__)

    def _call(self, call: ast.Call, env: dict[str, str]) -> Replacement | None:
        func = call.func
        if isinstance(func, ast.Name) and func.id in _REPLACE_CALLS:
            if len(call.args) == 2:
                return None  # _replace(dest, replacements): applies the list
            if len(call.args) != 3:
                raise _Unsupported("replace call arity")
            return Replacement(_eval(call.args[1], env), _eval(call.args[2], env))
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "append"
            and _is_name(func.value, "replacements")
        ):
            (arg,) = call.args
            if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                raise _Unsupported("append argument")
            return Replacement(_eval(arg.elts[0], env), _eval(arg.elts[1], env))
        return None

    def _iterable(self, node: ast.expr) -> tuple[str, ...]:
        if isinstance(node, ast.Name) and node.id.lstrip("_") == "OSLO_LIBS":
            return self.oslo_libs
        if isinstance(node, (ast.List, ast.Tuple)):
            return tuple(_eval(e, {}) for e in node.elts)
        raise _Unsupported("loop iterable")

    def _path_condition(self, test: ast.expr) -> str:
        if (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Constant)
            and isinstance(test.left.value, str)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.NotIn)
            and _is_name(test.comparators[0], "dest")
        ):
            return test.left.value
        raise _Unsupported("condition")


def _mentions_replace(node: ast.AST) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id in (*_REPLACE_CALLS, "replacements"):
            return True
    return False


def _is_list_reset(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and _is_name(stmt.targets[0], "replacements")
        and isinstance(stmt.value, ast.List)
        and not stmt.value.elts
    )


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _eval(node: ast.expr, env: dict[str, str]) -> str:
    """Evaluate a string expression of ``_copy_file`` with the base left symbolic."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _eval(node.left, env) + _eval(node.right, env)
    if isinstance(node, ast.Name):
        if node.id == "base":
            return BASE_TOKEN
        if node.id in env:
            return env[node.id]
    if isinstance(node, ast.Attribute) and node.attr == "base" and _is_name(node.value, "conf"):
        return BASE_TOKEN
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "upper"
        and not node.args
    ):
        value = _eval(node.func.value, env)
        return UPPER_BASE_TOKEN if value == BASE_TOKEN else value.upper()
    raise _Unsupported(ast.dump(node))


@lru_cache(maxsize=256)
def _compile(
    replacements: tuple[Replacement, ...], base: str
) -> tuple[tuple[re.Pattern[bytes], bytes, str | None], ...]:
    def fill(template: str) -> bytes:
        text = template.replace(UPPER_BASE_TOKEN, base.upper()).replace(BASE_TOKEN, base)
        return text.encode("utf-8", "surrogateescape")

    return tuple(
        (re.compile(fill(r.pattern)), fill(r.replacement), r.unless_path_contains)
        for r in replacements
    )


def _byte_lines(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


@lru_cache(maxsize=1)
def _era_timestamps() -> dict[str, int]:
    import datetime

    return {
        era.since: int(
            datetime.datetime.fromisoformat(era.date)
            .replace(tzinfo=datetime.timezone.utc)
            .timestamp()
        )
        for era in ERAS
    }
