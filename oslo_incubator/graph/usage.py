"""Which incubator (or library) modules a project's own code uses, which of their
names, and on which lines.

Shared by ``graduate plan`` (which modules and names consumers use, to group and name
libraries) and ``impact`` (the call sites of a changed API). The per-file scan is
:func:`oslo_incubator.analysis.usage.scan_usage`; this module walks the project,
caches each file's scan by content, and maps dotted names to modules.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oslo_incubator.analysis.imports import ImportKind, dotted_module_of, innermost_module
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.usage import (
    NO_USAGE,
    Export,
    FileUsage,
    ImportUse,
    NameUse,
    root_markers,
    scan_usage,
    under,
)
from oslo_incubator.model.api import CallShape
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.plan import (
    ApiName,
    DependencyKind,
    ImportLine,
    ModuleUsage,
    ProjectUsage,
)
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.files import project_python_files

if TYPE_CHECKING:  # networkx costs a third of a second to import; impact needs none
    import networkx as nx

# Bump when the scan changes, so cached scans of an older analysis are not reused.
ANALYSIS_VERSION = "usage/2"
#: Files to parse before the parsing is shared among processes (a cold scan of a
#: large project: each process costs a fork, about 50 ms).
MIN_POOL_FILES = 40

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class UseSite:
    """One use, in a project's own code, of a name inside a module: ``path`` (relative
    to the project) and ``line``; ``name`` is the dotted path inside the module
    (``synchronized``, ``Semaphores.get``; for a package module qualified by its file,
    ``session.get_session``), empty for the module itself."""

    module: str
    name: str
    path: str
    line: int
    call: CallShape | None = None
    imported: bool = False  # a ``from`` import of the name
    # Used through a name of the project's own (``nova.utils.synchronized``) bound
    # to this one; ``through_call`` when that name holds what calling this returned.
    via: str = ""
    through_call: bool = False


@dataclass(frozen=True)
class ProjectScan:
    """A project's imports of the modules and every use of their names."""

    name: str
    path: str
    prefix: str
    imports: Mapping[str, tuple[ImportLine, ...]]  # module -> import statements
    uses: tuple[UseSite, ...]
    text_scanned: tuple[str, ...] = ()
    exports: tuple[ProjectExport, ...] = ()


@dataclass(frozen=True)
class ProjectExport:
    """A module-level name of the project's own module ``owner`` (dotted) bound to a
    name inside ``module`` (see :class:`oslo_incubator.analysis.usage.Export`)."""

    owner: str
    name: str
    module: str
    target: str
    path: str
    line: int
    called: bool = False


def find_usage(
    project: Path,
    graph: nx.DiGraph,
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> ProjectUsage:
    """Which incubator modules ``project``'s own code imports, and which names it uses.

    Every ``.py`` file of the work tree is read except the copies under
    ``<base>/<package root>`` and virtualenvs, ``.tox``, ``.git``. Imports of
    ``<base>.openstack.common.x`` (absolute or relative, module-level or lazy) count as
    import sites; module aliases are resolved, and so are names imported from a module
    and string paths to them. A name re-bound in a function is not tracked (static,
    approximate).

    Raises:
        ConfigError: the project's configuration is malformed or names no base package.
    """
    modules = incubator_modules(graph)
    scan = scan_incubator_usage(project, modules, package_root, cache, progress)
    locator = Locator(modules, scan.prefix, package_root.module)
    api: Counter[tuple[str, str]] = Counter()
    for use in scan.uses:
        name = locator.api_name(use.module, use.name)
        if name:
            api[(use.module, name)] += 1
    usage = []
    for module in sorted(set(scan.imports) | {m for m, _ in api}):
        names = sorted(
            ((n, c) for (m, n), c in api.items() if m == module), key=lambda x: (-x[1], x[0])
        )
        usage.append(
            ModuleUsage(
                module,
                scan.imports.get(module, ()),
                tuple(ApiName(module, n, c, (scan.name,)) for n, c in names),
            )
        )
    config = load_project_config(project)
    return ProjectUsage(
        scan.name, str(project), config.base or "", tuple(usage), scan.text_scanned
    )


def incubator_modules(graph: nx.DiGraph) -> dict[str, tuple[str, ...]]:
    """Module → its master files, from the module graph of
    :func:`oslo_incubator.graph.incubator.incubator_graph`."""
    return {m: tuple(graph.nodes[m]["files"]) for m in graph}


def scan_incubator_usage(
    project: Path,
    modules: Mapping[str, Sequence[str]],
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
    only: Mapping[str, Collection[str] | None] | None = None,
) -> ProjectScan:
    """Every use of the incubator's ``modules`` (module → its master files) in the
    project's own code, the copies under ``<base>/<package root>`` left out (``only``:
    as :func:`scan_package_usage`).

    Raises:
        ConfigError: the project's configuration is malformed or names no base package.
    """
    config = load_project_config(project)
    if not config.base:
        raise ConfigError("no base package: set base= in openstack-common.conf", project)
    prefix = f"{config.base}.{package_root.module}"
    copy_dir = f"{config.base_path}/{package_root.path}"
    return scan_package_usage(
        project, prefix, package_root.module, modules, copy_dir, cache, progress, only
    )


def scan_package_usage(
    project: Path,
    prefix: str,
    package: str,
    modules: Mapping[str, Sequence[str]],
    exclude: str | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
    only: Mapping[str, Collection[str] | None] | None = None,
) -> ProjectScan:
    """Every use in ``project`` of the modules under the dotted ``prefix``.

    ``modules`` maps module names (relative to ``package``: ``log``,
    ``db.sqlalchemy``) to their files (whose names tell a package module's submodules);
    ``prefix`` is how the project spells ``package`` (``nova.openstack.common`` for
    ``openstack.common``; a library's own package for a library); ``exclude`` is a
    folder of the project not read (its copies). With ``only`` (module → names in it,
    or ``None`` for any), a file is read only when it spells one of those modules
    as an import would (``common.db.sqlalchemy``, or ``common.db import sqlalchemy``)
    and, when names
    are given, the last part of one of them as a word: a file that spells none cannot
    use them. What the files left unread use is not reported.
    """
    files = list(project_python_files(project, exclude=exclude))
    words = None
    if only is not None:
        words = [
            (_module_markers(module, package), _word_pattern(names))
            for module, names in only.items()
        ]
    scans = _scan_files(project, files, prefix, package, cache, progress, words)
    locator = Locator(modules, prefix, package)
    imports: dict[str, list[ImportLine]] = {}
    uses = []
    text_scanned = []
    exports = []
    for rel, scan in zip(files, scans, strict=True):
        for export in scan.exports:
            found = locator.name_of(export.dotted)
            if found is not None and found[1]:
                owner = dotted_module_of(rel)[0]
                exports.append(
                    ProjectExport(
                        owner, export.name, found[0], found[1], rel, export.line, export.called
                    )  # fmt: skip
                )
        if not scan.parsed:
            text_scanned.append(rel)
        for site in scan.imports:
            targets = {locator.module(c) for c in site.candidates} - {None}
            for module in sorted(t for t in targets if t is not None):
                kind = DependencyKind(site.kind.value)
                imports.setdefault(module, []).append(ImportLine(rel, site.line, kind))
        for use in scan.uses:
            found = locator.name_of(use.dotted)
            if found is not None:
                uses.append(UseSite(found[0], found[1], rel, use.line, use.call, use.imported))
    return ProjectScan(
        project.resolve().name,
        str(project),
        prefix,
        {m: tuple(lines) for m, lines in imports.items()},
        tuple(uses),
        tuple(text_scanned),
        tuple(exports),
    )


def scan_export_uses(
    project: Path,
    scan: ProjectScan,
    exclude: str | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> tuple[UseSite, ...]:
    """The uses, across the project, of its own modules' names that ``scan`` found
    bound to names under its prefix (``from nova import utils`` then
    ``utils.synchronized(...)``), as uses of those names, marked ``via``. One level:
    a name bound to such a name is not followed further."""
    # Per top-level package of the owners (one, as a rule): one walk and one parse per
    # file that spells an owner and one of its names, not one per owner.
    tops: dict[str, dict[tuple[str, str], ProjectExport]] = {}
    for export in scan.exports:
        if export.called and export.name.isupper():
            continue  # LOG = log.getLogger(__name__): an instance other modules rarely use
        top = export.owner.split(".")[0]
        tops.setdefault(top, {})[(_inside(export.owner, top), export.name)] = export
    found: list[UseSite] = []
    for top, exports in sorted(tops.items()):
        owners: dict[str, list[str]] = {}
        for owner, name in exports:
            owners.setdefault(owner, []).append(name)
        inner = scan_package_usage(
            project, top, top, {o: () for o in owners}, exclude, cache, progress,
            only=dict(owners.items()),
        )  # fmt: skip
        for use in inner.uses:
            bound = exports.get((use.module, use.name.split(".")[0]))
            if bound is None or use.imported:
                continue
            rest = use.name.split(".")[1:]
            name = bound.target if bound.called else ".".join([bound.target, *rest])
            via = f"{bound.owner}.{bound.name}"
            found.append(
                UseSite(
                    bound.module, name, use.path, use.line, use.call, False, via, bound.called
                )  # fmt: skip
            )
    return tuple(found)


def _inside(dotted: str, top: str) -> str:
    """``dotted`` relative to ``top`` (``nova.utils`` in ``nova``: ``utils``; ``nova``
    itself: ``""``)."""
    return dotted[len(top) + 1 :] if dotted != top else ""


class Locator:
    """Maps a project's dotted names under ``prefix`` to modules and names in them."""

    def __init__(self, modules: Mapping[str, Sequence[str]], prefix: str, package: str):
        self.prefix = prefix
        self.package = package
        # A library's own package is the module "" (its __init__'s names).
        self.known = {(f"{package}.{m}" if m else package): m for m in modules}
        self.submodules = {
            m: {p.rsplit("/", 1)[-1][:-3] for p in files} - {"__init__"}
            for m, files in modules.items()
            if any(p.endswith("/__init__.py") for p in files)
        }

    def split(self, dotted: str) -> tuple[str, list[str]] | None:
        """(module, the parts of the name after it) for ``dotted``, if under a module."""
        if not under(dotted, self.prefix):
            return None
        inner = self.package + dotted[len(self.prefix) :]
        full = innermost_module(inner, self.known)
        if full is None:
            return None
        rest = inner[len(full) + 1 :]
        return self.known[full], rest.split(".") if rest else []

    def module(self, dotted: str) -> str | None:
        """The module ``dotted`` is in, if any."""
        found = self.split(dotted)
        return found[0] if found else None

    def name_of(self, dotted: str) -> tuple[str, str] | None:
        """(module, dotted name inside it) for a use of ``dotted``; a name in a package
        module is qualified by its file (``session.get_session``); the module itself
        gives an empty name, as does a package module's file on its own."""
        found = self.split(dotted)
        if found is None:
            return None
        module, rest = found
        if rest and rest[0] in self.submodules.get(module, ()) and len(rest) < 2:
            return module, ""
        return module, ".".join(rest)

    def api_name(self, module: str, name: str) -> str:
        """The public name of ``module`` a use of ``name`` inside it counts for (its
        first part; with its file's for a package module: ``session.get_session``);
        empty for the module itself."""
        parts = name.split(".") if name else []
        if parts and parts[0] in self.submodules.get(module, ()):
            return ".".join(parts[:2]) if len(parts) >= 2 else ""
        return parts[0] if parts else ""


# Private


def _scan_files(
    project: Path,
    files: Sequence[str],
    prefix: str,
    package: str,
    cache: Cache | None,
    progress: Progress | None,
    words: Sequence[tuple[tuple[bytes, ...], re.Pattern[bytes] | None]] | None = None,
) -> list[FileUsage]:
    markers = root_markers(package)

    def mentions_root(data: bytes) -> bool:
        if not any(marker in data for marker in markers):
            return False
        return words is None or any(
            any(m in data for m in module) and (names is None or names.search(data) is not None)
            for module, names in words
        )

    contents = [(project / rel).read_bytes() for rel in files]
    keys = [_scan_key(rel, data, prefix) for rel, data in zip(files, contents, strict=True)]
    wanted = [k for k, data in zip(keys, contents, strict=True) if mentions_root(data)]
    cached = cache.get_many("usage", wanted) if cache is not None and wanted else {}
    fresh: dict[str, Any] = {}
    scans: list[FileUsage | None] = []
    todo = []
    for index, (rel, data, key) in enumerate(zip(files, contents, keys, strict=True)):
        scan = None
        if not mentions_root(data):
            scan = NO_USAGE
        elif key in cached:
            scan = _from_row(cached[key])
        if scan is None:
            todo.append((index, rel, data))
        scans.append(scan)
    name = project.resolve().name
    done = len(files) - len(todo)
    for index, scan in _scan_all(todo, prefix):
        scans[index] = scan
        fresh[keys[index]] = _to_row(scan)
        done += 1
        if progress is not None and (done % 50 == 0 or done == len(files)):
            progress(name, done, len(files))
    if progress is not None and not todo:
        progress(name, len(files), len(files))
    if cache is not None and fresh:
        cache.put_many("usage", fresh)
    return [s if s is not None else NO_USAGE for s in scans]


def _scan_all(
    todo: Sequence[tuple[int, str, bytes]], prefix: str
) -> Iterator[tuple[int, FileUsage]]:
    """Scan the files of ``todo`` (index, path, bytes), in processes when there are
    many (each file's scan is independent: a syntax tree per file)."""
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and len(todo) >= MIN_POOL_FILES:
        # Imported here: a warm or small scan starts no process and need not pay for it.
        from concurrent.futures import ProcessPoolExecutor

        try:
            pool = ProcessPoolExecutor(max_workers=workers)
        except (OSError, NotImplementedError):  # no processes here: work in this one
            pool = None
        if pool is not None:
            with pool:
                # Big files first, so that no worker ends long after the others.
                ordered = sorted(todo, key=lambda item: -len(item[2]))
                chunks = [ordered[i :: workers * 4] for i in range(workers * 4)]
                for result in pool.map(_scan_chunk, chunks, [prefix] * len(chunks)):
                    yield from result
            return
    yield from _scan_chunk(todo, prefix)


def _scan_chunk(
    todo: Sequence[tuple[int, str, bytes]], prefix: str
) -> list[tuple[int, FileUsage]]:
    found = []
    for index, rel, data in todo:
        dotted, is_package = dotted_module_of(rel)
        found.append((index, scan_usage(decode(data), dotted, is_package, prefix)))
    return found


def _module_markers(module: str, package: str) -> tuple[bytes, ...]:
    """What any import of ``module`` under ``package`` (or a string path into it)
    spells: ``common.db.sqlalchemy``, ``common.db import sqlalchemy`` or ``common import
    db`` for ``db.sqlalchemy`` under ``openstack.common``; the root's own markers for
    the root itself (module ``""``)."""
    if not module:
        return root_markers(package)
    last = package.rpartition(".")[2]
    parts = module.split(".")
    markers = [f"{last}.{module}"]
    for end in range(len(parts)):
        before = ".".join([last, *parts[:end]])
        markers.append(f"{before} import {parts[end]}")
    return tuple(m.encode() for m in markers)


def _word_pattern(names: Collection[str] | None) -> re.Pattern[bytes] | None:
    """A pattern finding the last part of any of ``names`` as a word; ``None`` for
    any name. No names: a pattern that finds nothing."""
    if names is None:
        return None
    words = sorted({n.rpartition(".")[2] for n in names})
    if not words:
        return re.compile(rb"(?!)")
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words) + rb")\b")


def _scan_key(rel: str, data: bytes, prefix: str) -> str:
    digest = hashlib.sha1(data).hexdigest()
    return hashlib.sha1(f"{ANALYSIS_VERSION}:{prefix}:{rel}:{digest}".encode()).hexdigest()


# The cache keeps a file's scan as compact lists: rebuilding thousands of dataclasses
# through the generic codec would cost more than the cache saves.


def _to_row(scan: FileUsage) -> list[Any]:
    return [
        scan.parsed,
        [[i.line, i.kind.value, list(i.candidates)] for i in scan.imports],
        [[u.dotted, u.line, _shape_row(u.call), u.imported] for u in scan.uses],
        [[e.name, e.dotted, e.line, e.called] for e in scan.exports],
    ]


def _shape_row(call: CallShape | None) -> list[Any] | None:
    if call is None:
        return None
    return [call.positional, list(call.keywords), call.star, call.double_star]


def _from_row(row: Any) -> FileUsage | None:
    try:
        parsed, imports, uses, exports = row
        return FileUsage(
            bool(parsed),
            tuple(ImportUse(int(ln), ImportKind(k), tuple(c)) for ln, k, c in imports),
            tuple(
                NameUse(d, int(ln), CallShape(s[0], tuple(s[1]), s[2], s[3]) if s else None, i)
                for d, ln, s, i in uses
            ),
            tuple(Export(n, d, int(ln), bool(c)) for n, d, ln, c in exports),
        )
    except (TypeError, ValueError, IndexError):
        return None  # an older or damaged entry: scan again
