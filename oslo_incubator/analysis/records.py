"""Read what the incubator records of its modules: MAINTAINERS, obsolete.txt, and the
messages and texts that say a module left; and write a graduation into the two files.

Pure functions over texts. Which record wins, and which commit made it, is decided in
:mod:`oslo_incubator.history.incubator`, the one place that says what a module's life
cycle is.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from oslo_incubator.analysis.syntax import parse_python
from oslo_incubator.model.lifecycle import LifecycleState, RecordSource
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

#: MAINTAINERS ``S:`` words and the life-cycle state each means. ``Graduated`` is what
#: ``graduate run`` writes; the real incubator wrote ``Obsolete`` instead.
STATUS_WORDS = {
    "maintained": LifecycleState.ACTIVE,
    "orphan": LifecycleState.ORPHAN,
    "graduating": LifecycleState.GRADUATING,
    "deprecated": LifecycleState.DEPRECATED,
    "obsolete": LifecycleState.OBSOLETE,
    "graduated": LifecycleState.OBSOLETE,
}

#: The header oslo-incubator's own ``obsolete.txt`` starts with.
OBSOLETE_HEADER = (
    "# List of obsolete modules and files as glob patterns (since some\n"
    "# files in a module may still belong in the incubator).\n"
)
_ENTRY_HEADER = re.compile(r"^==\s*([^=\n]+?)\s*==\s*$")


@dataclass(frozen=True)
class ModuleRecord:
    """One rule of a record: master files matching ``pattern`` (relative to the
    incubator root) are in ``state``, replaced by ``library`` when one is named."""

    pattern: str
    source: RecordSource
    state: LifecycleState
    library: str | None


def parse_maintainers(
    text: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT, namespaces: Sequence[str] = ()
) -> list[ModuleRecord]:
    """A rule for every MAINTAINERS entry with a status.

    An entry is ``== name ==`` followed by ``S: Status [...]`` and ``F: pattern`` lines
    (patterns relative to the package root). A library named in the entry's other lines
    (``S: Graduated (oslo.log)``, ``L: oslo.log``) is its replacement; see
    :func:`library_in` for ``namespaces``.
    """
    records = []
    for block in re.split(r"^==\s*[^=\n]+==\s*$", text, flags=re.MULTILINE)[1:]:
        status = ""
        files: list[str] = []
        described: list[str] = []
        for line in block.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "S":
                status = value.strip()
                described.append(value)
            elif key.strip() == "F" and value.strip():
                files.append(value.strip())
            elif key.strip() != "M":
                described.append(line)
        word = status.split()[0].lower() if status else ""
        state = STATUS_WORDS.get(word)
        if state is None:
            continue
        library = library_in("\n".join(described), namespaces)
        for pattern in files:
            full = f"{package_root.path}/{pattern}"
            if full.endswith("/"):
                full += "*"
            records.append(ModuleRecord(full, RecordSource.MAINTAINERS, state, library))
    return records


def named_in_maintainers(text: str) -> list[str]:
    """Dotted names (``oslo.log``) that MAINTAINERS status and library lines mention, file
    names aside: the evidence for which library namespaces the incubator uses."""
    found = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("S", "L"):
            found += [n for n in _DOTTED_NAME.findall(value) if not n.endswith(".py")]
    return found


_DOTTED_NAME = re.compile(r"\b[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z][A-Za-z0-9_.-]*\b")


@dataclass(frozen=True)
class MaintainerEntry:
    """One MAINTAINERS entry as people wrote it: its name (``== log ==``), the people on
    its ``M:`` lines (empty lines dropped: an orphan has none), its ``S:`` status text
    and its ``F:`` patterns (relative to the incubator root, as :class:`ModuleRecord`
    patterns are)."""

    name: str
    maintainers: tuple[str, ...]
    status: str
    patterns: tuple[str, ...]


def parse_maintainer_entries(
    text: str, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
) -> list[MaintainerEntry]:
    """Every MAINTAINERS entry, with or without a status, in file order.

    A maintainer is named by the address on the line when there is one
    (``Flavio Percoco <flavio@redhat.com>`` is ``flavio@redhat.com``, lower case), so one
    person listed with two spellings of their name is still one person.
    """
    entries = []
    parts = re.split(r"^==\s*([^=\n]+?)\s*==\s*$", text, flags=re.MULTILINE)
    for name, block in zip(parts[1::2], parts[2::2], strict=True):
        people: list[str] = []
        status = ""
        patterns: list[str] = []
        for line in block.splitlines():
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "M" and value:
                person = _person(value)
                if person not in people:
                    people.append(person)
            elif key == "S":
                status = value
            elif key == "F" and value:
                full = f"{package_root.path}/{value}"
                patterns.append(full + "*" if full.endswith("/") else full)
        entries.append(MaintainerEntry(name, tuple(people), status, tuple(patterns)))
    return entries


def maintainers_of(path: str, entries: Iterable[MaintainerEntry]) -> tuple[str, ...]:
    """The people of every entry whose patterns match ``path``, in entry order."""
    found: list[str] = []
    for entry in entries:
        if any(fnmatch.fnmatch(path, p) for p in entry.patterns):
            found += [m for m in entry.maintainers if m not in found]
    return tuple(found)


def parse_obsolete_list(text: str) -> list[ModuleRecord]:
    """Rules from ``obsolete.txt``: ``<glob> <replacement>`` per line, ``#`` comments."""
    records = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) == 2:
            records.append(
                ModuleRecord(
                    parts[0], RecordSource.OBSOLETE_LIST, LifecycleState.OBSOLETE, parts[1]
                )
            )
    return records


def record_of(path: str, records: Iterable[ModuleRecord]) -> ModuleRecord | None:
    """The rule that decides a master path: an ``obsolete.txt`` line first (update.py
    read only that file), else the most specific MAINTAINERS pattern that matches
    (``db/sqlalchemy/*`` over ``db/*``: entries overlap), the first of equals."""
    best: tuple[int, int] | None = None
    found = None
    for record in records:
        if not fnmatch.fnmatch(path, record.pattern):
            continue
        literal = len(re.split(r"[*?\[]", record.pattern, maxsplit=1)[0])
        rank = (int(record.source is RecordSource.OBSOLETE_LIST), literal)
        if best is None or rank > best:
            best, found = rank, record
    return found


def namespaces_of(names: Iterable[str]) -> tuple[str, ...]:
    """The library namespaces that ``names`` (distributions a record or requirements
    file names, ``oslo.config``) show: the part before the first ``.``, sorted."""
    return tuple(sorted({n.split(".")[0].lower() for n in names if "." in n.strip(".")}))


_GRADUATED_AREA_RE = re.compile(
    r"\bgraduated\s+([a-z][a-z0-9_]*)\s+(?:files|modules|code)\b", re.I
)


def library_in(text: str, namespaces: Sequence[str]) -> str | None:
    """The first library ``text`` names: a word in one of ``namespaces`` (``oslo.log``,
    ``oslo_log``, ``oslo-log`` all read as ``oslo.log`` for the namespace ``oslo``)."""
    if not namespaces:
        return None
    alternatives = "|".join(re.escape(n) for n in namespaces)
    pattern = re.compile(rf"\b(?:{alternatives})[._-][a-z][a-z0-9_]*", re.I)
    for match in pattern.finditer(text):
        name = re.sub(r"[_-]", ".", match.group(0).lower(), count=1)
        if name.split(".", 1)[1] != "incubator":  # the incubator itself is no library
            return name
    return None


def library_in_message(message: str, namespaces: Sequence[str]) -> str | None:
    """The library a deleting commit names.

    Either literally (``... as oslo.reports is graduating``) or, failing that, as the
    incubator's deletion commits phrased it: "Delete graduated serialization files"
    names ``<namespace>.serialization`` when there is one namespace.
    """
    named = library_in(message, namespaces)
    if named is not None:
        return named
    match = _GRADUATED_AREA_RE.search(message)
    if match and len(namespaces) == 1:
        return f"{namespaces[0]}.{match.group(1).lower()}"
    return None


def shim_library(text: str, package_root: PackageRoot) -> str | None:
    """The module a master file re-exports when it is a deprecation shim, else ``None``.

    A shim (what ``graduate run`` leaves, or the incubator's own "compatibility shim"
    modules) has no code of its own. Besides imports, a docstring, ``__all__`` and
    other dunder assignments, it only binds names to what it imported, declares
    classes whose body is ``pass`` on top of them, calls what it imported (a warning,
    a deprecation helper), and may define a module ``__getattr__``/``__dir__``. It must
    import a package that is neither the standard library nor the incubator; of those,
    the one whose names it re-exports most (in ``__all__``, bindings and base classes,
    or by naming the module in a string) is returned, for the caller to read as a
    library name (``oslo.middleware``, ``oslo_log``).
    """
    try:
        tree = parse_python(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    root_top = package_root.module.split(".")[0]
    owner: dict[str, str] = {}  # bound name -> the third-party module it came from
    bound: set[str] = set()
    used: list[str] = []  # names the shim passes on
    strings: list[str] = []
    has_body = False
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in stmt.names)
            for module, alias in _imported(stmt):
                top = module.split(".")[0]
                if top in (root_top, "__future__") or top in sys.stdlib_module_names:
                    continue
                owner[alias] = module
        elif _is_docstring_or_warning(stmt) or _calls_import(stmt, bound):
            continue
        elif _is_dunder_assignment(stmt):
            strings += [n.value for n in ast.walk(stmt) if isinstance(n, ast.Constant)
                        and isinstance(n.value, str)]  # fmt: skip
        elif isinstance(stmt, ast.Assign) and _only_names(stmt.value, bound):
            has_body = True
            used += [n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)]
        elif isinstance(stmt, ast.ClassDef) and _empty_subclass(stmt, bound):
            has_body = True
            used += [n.id for b in stmt.bases for n in ast.walk(b) if isinstance(n, ast.Name)]
        elif isinstance(stmt, ast.FunctionDef) and stmt.name in ("__getattr__", "__dir__"):
            strings += [n.value for n in ast.walk(stmt) if isinstance(n, ast.Constant)
                        and isinstance(n.value, str)]  # fmt: skip
        else:
            return None
    if not owner or not (has_body or strings or any(_star_import(s) for s in tree.body)):
        return None
    modules = list(dict.fromkeys(owner.values()))

    def weight(module: str) -> int:
        names = [alias for alias, m in owner.items() if m == module]
        return (
            sum(used.count(n) + strings.count(n) for n in names)
            + len(names)
            + 2 * sum(module in s for s in strings)
        )

    return max(modules, key=lambda m: (weight(m), modules.index(m)))


def record_in_maintainers(
    text: str | None,
    graduated: Mapping[str, Sequence[str]],
    all_files: Collection[str],
    library: str,
) -> str:
    """Mark modules graduated in a MAINTAINERS file.

    An entry (``== name ==`` with ``F:`` patterns relative to the package root) whose
    patterns cover only graduated files gets ``S: Graduated (<library>)``. A module no
    such entry covers gets a new entry listing its files, placed in alphabetical order
    among the entries (or appended), so MAINTAINERS says what it graduated to even when
    its old entry also covers modules that stay.

    Args:
        text: the file's text, ``None`` when there is none.
        graduated: module → its files, relative to the package root.
        all_files: every file under the package root, relative to it.
        library: the library's name.
    """
    status = f"S: Graduated ({library})"
    lines = (text or "").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    entries = _maintainer_entries(lines)
    moved = {f for files in graduated.values() for f in files}
    covered: set[str] = set()
    for start, end, _ in reversed(entries):  # backwards: a new status line shifts lines
        patterns = [
            line.partition(":")[2].strip()
            for line in lines[start:end]
            if line.partition(":")[0].strip() == "F" and line.partition(":")[2].strip()
        ]
        matched = {f for f in all_files if any(_matches(f, p) for p in patterns)}
        if patterns and matched and matched <= moved:
            covered |= matched
            _set_status(lines, start, end, status)
    additions = []
    for module, files in sorted(graduated.items()):
        missing = [f for f in files if f not in covered]
        if missing:
            body = "".join(f"F: {f}\n" for f in missing)
            additions.append((module, f"== {module} ==\n\nM:\n{status}\n{body}\n"))
    for module, block in additions:
        entries = _maintainer_entries(lines)
        after = [e for e in entries if e[2].lower() > module.lower()]
        # Before the first entry that sorts after it, else right after the last entry.
        at = after[0][0] if after else (entries[-1][1] if entries else len(lines))
        if at > 0 and lines[at - 1].strip():
            block = "\n" + block
        lines[at:at] = block.splitlines(keepends=True)
    result = "".join(lines)
    return result.rstrip("\n") + "\n"


def record_in_obsolete_list(text: str | None, paths: Sequence[str], library: str) -> str:
    """``obsolete.txt`` with a ``<path> <library>`` line for each of ``paths`` it lacks.

    A missing file is created with the incubator's comment header.
    """
    current = text if text is not None else OBSOLETE_HEADER
    if current and not current.endswith("\n"):
        current += "\n"
    listed = {line.split()[0] for line in current.splitlines() if line.strip()
              and not line.lstrip().startswith("#")}  # fmt: skip
    added = "".join(f"{p} {library}\n" for p in paths if p not in listed)
    return current + added


# Private


def _imported(stmt: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
    """(module, bound name) of each name an import binds; relative imports name none."""
    if isinstance(stmt, ast.Import):
        return [(a.name, (a.asname or a.name).split(".")[0]) for a in stmt.names]
    if stmt.level or not stmt.module:
        return []
    return [(stmt.module, a.asname or a.name) for a in stmt.names if a.name != "*"] or [
        (stmt.module, "*")
    ]


def _calls_import(stmt: ast.stmt, bound: set[str]) -> bool:
    """A bare call of something imported (``removals.removed_module(__name__, ...)``)."""
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return False
    return _only_names(stmt.value.func, bound)


_ADDRESS_RE = re.compile(r"<([^<>\s]+@[^<>\s]+)>|(\S+@\S+)")


def _person(text: str) -> str:
    match = _ADDRESS_RE.search(text)
    if match:
        return (match.group(1) or match.group(2)).lower()
    return " ".join(text.split()).lower()


def _is_docstring_or_warning(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.Expr):
        return False
    if isinstance(stmt.value, ast.Constant):
        return True
    call = stmt.value
    return isinstance(call, ast.Call) and "warn" in ast.unparse(call.func).lower()


def _is_dunder_assignment(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Assign) and all(
        isinstance(t, ast.Name) and t.id.startswith("__") for t in stmt.targets
    )


def _only_names(value: ast.expr, bound: set[str]) -> bool:
    if isinstance(value, ast.Constant):
        return True
    node = value
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in bound


def _empty_subclass(stmt: ast.ClassDef, bound: set[str]) -> bool:
    body_ok = all(isinstance(s, ast.Pass) or _is_docstring_or_warning(s) for s in stmt.body)
    return body_ok and bool(stmt.bases) and all(_only_names(b, bound) for b in stmt.bases)


def _star_import(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names)


def _maintainer_entries(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first line, end line, name) of every ``== name ==`` entry."""
    starts: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        match = _ENTRY_HEADER.match(line.rstrip("\r\n"))
        if match:
            starts.append((number, match.group(1)))
    entries = []
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
        # A top-level "= Section =" heading also ends an entry.
        for number in range(start + 1, end):
            text = lines[number]
            if text.startswith("=") and not text.startswith("=="):
                end = number
                break
        entries.append((start, end, name))
    return entries


def _matches(path: str, pattern: str) -> bool:
    full = pattern + "*" if pattern.endswith("/") else pattern
    return fnmatch.fnmatch(path, full)


def _set_status(lines: list[str], start: int, end: int, status: str) -> None:
    for number in range(start + 1, end):
        if lines[number].partition(":")[0].strip() == "S":
            lines[number] = status + "\n"
            return
    # No status line: put one before the first file pattern.
    for number in range(start + 1, end):
        if lines[number].partition(":")[0].strip() == "F":
            lines.insert(number, status + "\n")
            return
    lines.insert(start + 1, status + "\n")
