"""Scan: families of modules and functions copied across a fleet of projects.

Public use case: :func:`scan_projects`. The method (normalisation, similarity,
candidate generation, how families, masters and origins are chosen, the incubation
score) is described in doc/source/scan.rst; the pure parts live in
``analysis.fingerprint``.

Work is cached in two layers: the fingerprint of every file by its content (and the
exact similarity of every pair compared), and the whole report by the content keys of
every file, the projects' git heads and the incubator's head, so a second scan of
unchanged trees only reads and hashes files.
"""

from __future__ import annotations

import gc
import hashlib
import math
import os
import platform
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oslo_incubator.analysis.fingerprint import (
    candidate_pairs,
    content_key,
    jaccard,
)
from oslo_incubator.analysis.imports import innermost_module, resolve_relative
from oslo_incubator.history.added import AddedDates, project_heads
from oslo_incubator.history.git import resolve_commit
from oslo_incubator.history.workers import (
    Content,
    InRepo,
    Job,
    OnDisk,
    Progress,
    ShingleJob,
    Workers,
    check_unchanged,
    file_key,
)
from oslo_incubator.model.config import DEFAULT_PACKAGE_ROOT, ProjectConfig
from oslo_incubator.model.drift import CopyDrift, DriftStatus
from oslo_incubator.model.errors import UnreadableFileError
from oslo_incubator.model.history import Version
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.scan import (
    ANALYSIS_VERSION,
    Candidate,
    Family,
    FilePrint,
    FingerprintSettings,
    Grain,
    ImportLink,
    ImportStatement,
    IncubatorInfo,
    Master,
    Member,
    ProjectScan,
    ScanOptions,
    ScanReport,
    UnitKind,
    UnitPrint,
)
from oslo_incubator.model.scan_codec import (
    print_from_json,
    report_from_json,
    report_to_json,
)
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import find_config, load_project_config
from oslo_incubator.workspace.files import project_python_files

if TYPE_CHECKING:
    from oslo_incubator.analysis.fingerprint import Hashes
    from oslo_incubator.history.incubator import Incubator

# Top-level packages that are not the project's own code name.
NOT_BASES = frozenset({"tests", "test", "doc", "docs", "tools", "bin", "etc", "examples"})
MIN_BASE_LENGTH = 4  # folding every "one" or "api" substring would blur unrelated text
ESTIMATE_MARGIN = 0.15  # about three standard errors of a 64-value MinHash estimate
MASTER_CANDIDATES = 3  # masters verified per unit, best estimates first
GC_THRESHOLD = 100_000  # new containers between two collections while scanning


def scan_projects(
    projects: Sequence[Path],
    options: ScanOptions | None = None,
    incubator: Path | None = None,
    package_root: str = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> ScanReport:
    """Find the families of copied modules and top-level symbols across ``projects``.

    Args:
        projects: project roots (directories); each is read whole.
        options: thresholds, sizes and the number of worker processes.
        incubator: the incubator's repository, to give families their master and
            members their drift status; ``None`` to scan without one.
        package_root: where master modules live in the incubator.
        cache: where fingerprints, pair similarities and reports are kept.
        progress: called with (stage, done, total) while files are fingerprinted.

    Returns:
        The families (masters first, then the others by size), the incubation
        candidates ranked by score, and the project files that import copies.

    Raises:
        ConfigError: a project's configuration file is malformed.
        GitError: ``incubator`` is not a git repository.
        FileChangedError: a file changed while the scan read it.
        UnreadableFileError: a project file cannot be read.
    """
    with _few_collections():
        return _scan(projects, options or ScanOptions(), incubator, package_root, cache, progress)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Collect garbage rarely while scanning.

    A scan builds a hundred thousand long-lived objects and no cycles; Python's
    default (a collection every 700 new containers) walks them again and again,
    which costs a cold scan a tenth of its time. mypy does the same for its build.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _scan(
    projects: Sequence[Path],
    options: ScanOptions,
    incubator: Path | None,
    package_root: str,
    cache: Cache | None,
    progress: Progress | None,
) -> ScanReport:
    root_module = package_root.strip("/").replace("/", ".")
    paths = _unique(projects)
    heads = project_heads(paths)
    # git log runs while the files are read: on a core that would otherwise idle.
    with AddedDates(paths, heads, cache) as dates:
        sources = [
            _read_project(path, head, options.fingerprint, root_module)
            for path, head in zip(paths, heads, strict=True)
        ]
        _name_uniquely(sources)
        incubator_head = resolve_commit(incubator) if incubator is not None else None
        report_key = _report_key(sources, options, incubator, incubator_head, package_root)
        if cache is not None:
            cached = cache.get("scan-report", report_key)
            if cached is not None:
                try:
                    return report_from_json(cached, options)
                except (ValueError, KeyError, TypeError, IndexError, AttributeError):
                    pass  # an unreadable entry is recomputed, never trusted
        scanner = _Scanner(sources, options, incubator, package_root, cache, dates, progress)
        report = scanner.run()
    if cache is not None:
        cache.put("scan-report", report_key, report_to_json(report))
    return report


def _settings_key(settings: FingerprintSettings, root_module: str) -> str:
    """What every cached fingerprint key starts with: analysis, Python and settings."""
    python = ".".join(platform.python_version_tuple()[:2])
    return "\0".join(
        [ANALYSIS_VERSION, platform.python_implementation(), python, repr(settings), root_module]
    )


# Private: reading projects


@dataclass
class _ProjectSource:
    """One project as read from disk."""

    path: Path
    name: str
    config: ProjectConfig
    bases: tuple[str, ...]
    head: str | None
    config_digest: str
    paths: list[str]
    salt: bytes  # what a content key hashes before the content
    keys: list[str]  # content keys, by path
    sizes: list[int]  # bytes, by path
    prints: list[FilePrint | None] = field(default_factory=list)

    def on_disk(self, i: int) -> OnDisk:
        """Where file ``i`` is, to be read again."""
        return OnDisk(os.path.join(str(self.path), self.paths[i]), self.salt, self.sizes[i])


def _unique(projects: Sequence[Path]) -> list[Path]:
    seen: dict[Path, Path] = {}
    for project in projects:
        seen.setdefault(project.resolve(), project)
    return list(seen.values())


def _name_uniquely(sources: list[_ProjectSource]) -> None:
    counts: Counter[str] = Counter()
    for source in sources:
        counts[source.name] += 1
        if counts[source.name] > 1:
            source.name = f"{source.name}-{counts[source.name]}"


def _read_project(
    path: Path, head: str | None, settings: FingerprintSettings, root_module: str
) -> _ProjectSource:
    config = load_project_config(path)
    bases = _bases(path, config)
    conf_file = find_config(path)
    config_digest = hashlib.sha1(conf_file.read_bytes()).hexdigest() if conf_file else ""
    paths = list(project_python_files(path))
    salt = "\0".join([_settings_key(settings, root_module), ",".join(bases), "file"]).encode()
    keys = []
    sizes = []
    root = str(path)
    # Contents are hashed and let go: workers read a file again when it needs work,
    # which costs less than holding a whole fleet's text here (and sending it there).
    for rel in paths:
        try:
            with open(os.path.join(root, rel), "rb") as file:  # a seventh cheaper than pathlib
                content = file.read()
        except OSError as error:
            reason = error.strerror or str(error)
            raise UnreadableFileError(f"cannot be read: {reason}", path / rel) from None
        keys.append(file_key(salt, content))
        sizes.append(len(content))
    name = path.resolve().name
    return _ProjectSource(path, name, config, bases, head, config_digest, paths, salt, keys,
                          sizes)  # fmt: skip


def _bases(project: Path, config: ProjectConfig) -> tuple[str, ...]:
    if config.base:
        return (config.base,)
    packages = []
    for child in sorted(project.iterdir()):
        if (
            child.is_dir()
            and child.name not in NOT_BASES
            and len(child.name) >= MIN_BASE_LENGTH
            and child.name.isidentifier()
            and (child / "__init__.py").is_file()
        ):
            packages.append(child.name)
    return tuple(packages)


def _report_key(
    sources: list[_ProjectSource],
    options: ScanOptions,
    incubator: Path | None,
    incubator_head: str | None,
    package_root: str,
) -> str:
    # Worker count changes how, not what: it is not part of the key.
    digest = hashlib.sha1(repr((ANALYSIS_VERSION, replace(options, jobs=0))).encode())
    if incubator is not None:
        digest.update(f"\0{incubator}\0{incubator_head}\0{package_root}".encode())
    for source in sources:
        digest.update(
            f"\1{source.name}\0{source.path}\0{source.head}\0{source.config_digest}".encode()
        )
        for rel, key in zip(source.paths, source.keys, strict=True):
            digest.update(f"\2{rel}\0{key}".encode())
    return digest.hexdigest()


# Private: the scan proper


@dataclass(slots=True)  # many of these: slots make them smaller and quicker to make
class _File:
    """A project file or a master version, with where to read its text.

    ``lineage`` is, for a project file, the master lineage drift located it as a copy
    of (``declared`` holds drift's finding); for a master version, its lineage.
    """

    project: int | None  # None for a master version
    path: str
    bases: tuple[str, ...]
    on_disk: OnDisk | None  # project files; master texts are read from the repository
    key: str | None  # project files: the content key of what the scan first read
    lineage: str | None = None
    declared: CopyDrift | None = None
    version: Version | None = None  # master versions
    newest: bool = False  # master versions: the lineage's newest content
    print: FilePrint | None = None


@dataclass(slots=True)
class _Unit:
    """One fingerprinted unit (module or top-level symbol) of a file."""

    grain: Grain
    source: int  # index into _Scanner.files
    print: UnitPrint
    master: bool = False


@dataclass(slots=True)
class _Class:
    """Units with equal normalised tokens (exact copies), compared as one."""

    key: str
    units: list[_Unit]
    anchor: str | None = None  # the master family the class belongs to
    eligible: bool = False  # large enough to be compared by similarity


@dataclass
class _Group:
    """A family being built: its units and, when it has one, its master unit."""

    grain: Grain
    anchor: str | None
    units: list[_Unit] = field(default_factory=list)
    master: _Unit | None = None


@dataclass
class _Grouping:
    """One grain on its way to groups (see :meth:`_Scanner._propose`)."""

    grain: Grain
    classes: dict[str, _Class]  # by content key
    groups: dict[str, _Group]  # by anchor: what position alone decided
    eligible: list[_Class]  # large enough to be compared by similarity
    checks: list[tuple[_Unit, _Unit]]  # the pairs to compare exactly
    uncached: list[tuple[_Unit, _Unit]]  # those whose similarity is not known yet

    def compared_units(self) -> list[_Unit]:
        """The units whose shingle sets the uncached pairs need."""
        return [unit for pair in self.uncached for unit in pair]


class _Scanner:
    """One scan: fingerprints, classes, candidate pairs, families, candidates."""

    def __init__(
        self,
        projects: list[_ProjectSource],
        options: ScanOptions,
        incubator: Path | None,
        package_root: str,
        cache: Cache | None,
        dates: AddedDates,
        progress: Progress | None,
    ):
        self.projects = projects
        self.options = options
        self.incubator = incubator
        self.package_root = package_root
        self.inc: Incubator | None = None  # opened once the workers have work
        self.root_module = package_root.strip("/").replace("/", ".")
        self.cache = cache
        self.dates = dates
        self.progress = progress
        self.settings = options.fingerprint
        self.files: list[_File] = []
        self.newest_master: dict[str, _File] = {}  # lineage -> its newest version
        self.master_keys: dict[str, set[str]] = {}  # lineage -> module keys of its versions
        self.shingles: dict[str, Hashes] = {}  # content key -> sorted shingle hashes
        self.pairs: dict[str, float] = {}  # pair key -> exact similarity
        self.fresh_pairs: dict[str, float] = {}
        self.workers: Workers | None = None

    # The steps, in order

    def run(self) -> ScanReport:
        """The scan, the incubator's part (when there is one) started once the workers
        have the projects' files."""
        project_jobs, project_slots = self._project_jobs()
        workers = Workers(self.root_module, self.settings, self.options.jobs)
        workers.add(project_jobs)
        try:
            if self.incubator is not None:
                # Imported here: drift's history machinery costs a warm scan a fifth of
                # its time.
                from oslo_incubator.history.incubator import open_incubator

                self.inc = open_incubator(self.incubator, self.package_root, self.cache)
            masters = self._master_files()
            master_slots = self._add_master_jobs(workers, masters)
            drift = self._drift()  # while the workers fingerprint
            # Each chunk is taken in as it comes, while the workers go on with the rest.
            for first, records in workers.completed(self.progress):
                self._store_prints(first, records, project_slots, master_slots)
            self._collect_files(drift, masters)
            self.workers = workers  # the same processes tokenise again to verify pairs
            # The workers tokenise the modules' candidates while the symbols' are found.
            proposed_modules = self._propose(Grain.MODULE)
            module_shingles = self._request_shingles(proposed_modules.compared_units())
            proposed_symbols = self._propose(Grain.SYMBOL)
            symbol_shingles = self._request_shingles(proposed_symbols.compared_units())
            module_shingles()
            modules = self._settle(proposed_modules)
            module_of_file = {
                u.source: group.anchor or f"cluster:{n}"
                for n, group in enumerate(modules)
                for u in group.units
            }
            imported = self._imported_files()  # while the workers tokenise
            symbol_shingles()
            symbols = self._settle(proposed_symbols)
            added = self.dates.result([s.paths for s in self.projects])
            families = self._families(modules, symbols, module_of_file, added)
        finally:
            workers.close()
            self.workers = None
        if self.cache is not None and self.fresh_pairs:
            self.cache.put_many("scan-pair", self.fresh_pairs)
        info = None
        if self.inc is not None:
            index = self.inc.index
            info = IncubatorInfo(str(self.inc.path), index.head, index.package_root)
        return ScanReport(
            projects=tuple(
                ProjectScan(
                    s.name,
                    str(s.path),
                    s.bases,
                    len(s.paths),
                    sum(p.lines for p in s.prints if p is not None),
                    s.head,
                )  # fmt: skip
                for s in self.projects
            ),
            families=tuple(families),
            candidates=tuple(_rank_candidates(families)),
            imports=tuple(self._import_links(families, imported)),
            incubator=info,
            options=self.options,
        )

    def _project_jobs(self) -> tuple[list[Job], list[list[tuple[_ProjectSource, int]]]]:
        """The files to fingerprint, one job per distinct key, and where each result goes."""
        keys = [key for source in self.projects for key in source.keys]
        cached: dict[str, Any] = self.cache.get_many("scan-file", keys) if self.cache else {}
        jobs: list[Job] = []
        pending: dict[str, list[tuple[_ProjectSource, int]]] = {}
        for source in self.projects:
            source.prints = [None] * len(source.paths)
            for i, key in enumerate(source.keys):
                record = cached.get(key)
                if record is not None:
                    try:
                        source.prints[i] = print_from_json(record)
                        continue
                    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                        pass  # recomputed below
                if key not in pending:
                    jobs.append((source.on_disk(i), source.bases, True))
                    pending[key] = []
                pending[key].append((source, i))
        return jobs, list(pending.values())

    def _master_files(self) -> list[_File]:
        """Every distinct content of every master Python file, newest first per lineage."""
        if self.inc is None:
            return []
        index = self.inc.index
        found = []
        for lineage in sorted(index.versions):
            seen: set[str] = set()
            for version in index.versions_of(lineage):
                if version.blob is None or not version.path.endswith(".py"):
                    continue
                if version.blob not in seen:
                    found.append(_File(None, version.path, (), on_disk=None, key=None,
                                       lineage=lineage, version=version,
                                       newest=not seen))  # fmt: skip
                    seen.add(version.blob)
        return found

    def _add_master_jobs(self, workers: Workers, masters: list[_File]) -> list[tuple[_File, str]]:
        """Give the workers the master versions not in the cache (they read the texts
        from the repository themselves); where each result goes."""
        jobs, slots = self._master_jobs(masters)
        workers.add(jobs)
        return slots

    def _master_jobs(self, masters: list[_File]) -> tuple[list[Job], list[tuple[_File, str]]]:
        if self.inc is None:
            return [], []
        prefix = hashlib.sha1(
            "\0".join([_settings_key(self.settings, self.root_module), "master"]).encode()
        )
        keys = []
        for f in masters:
            assert f.version is not None
            digest = prefix.copy()
            # Older versions only matter as whole modules: no symbols, cheaper.
            digest.update(f"{f.version.blob}\0{f.newest}".encode())
            keys.append(digest.hexdigest())
        cached: dict[str, Any] = self.cache.get_many("scan-master", keys) if self.cache else {}
        todo = []
        for f, key in zip(masters, keys, strict=True):
            record = cached.get(key)
            if record is not None:
                try:
                    f.print = print_from_json(record)
                    continue
                except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                    pass
            todo.append((f, key))
        jobs: list[Job] = [(self._content(f), (), f.newest) for f, _ in todo]
        return jobs, todo

    def _store_prints(
        self,
        first: int,
        records: list[tuple[str, list[Any]]],
        project_slots: list[list[tuple[_ProjectSource, int]]],
        master_slots: list[tuple[_File, str]],
    ) -> None:
        """Keep the fingerprints of jobs ``first`` on, where they belong and in the cache."""
        fresh: dict[str, dict[str, Any]] = {"scan-file": {}, "scan-master": {}}
        for job, (read, record) in enumerate(records, start=first):
            found = print_from_json(record)
            if job < len(project_slots):
                source, i = project_slots[job][0]  # the file the job read
                check_unchanged(source.on_disk(i).path, read, source.keys[i])
                for source, i in project_slots[job]:
                    source.prints[i] = found
                    fresh["scan-file"][source.keys[i]] = record
            else:
                master, key = master_slots[job - len(project_slots)]
                master.print = found
                fresh["scan-master"][key] = record
        for kind, entries in fresh.items():
            if self.cache is not None and entries:
                self.cache.put_many(kind, entries)

    def _drift(self) -> dict[int, list[CopyDrift]]:
        found: dict[int, list[CopyDrift]] = {}
        if self.inc is None:
            return found
        for i, source in enumerate(self.projects):
            if source.config.base:
                from oslo_incubator.history.provenance import analyse_project

                drift = analyse_project(self.inc, source.path, source.config, self.cache)
                found[i] = [c for c in drift.copies if c.copy_path.endswith(".py")]
        return found

    def _collect_files(self, drift: dict[int, list[CopyDrift]], masters: list[_File]) -> None:
        for i, source in enumerate(self.projects):
            declared = {c.copy_path: c for c in drift.get(i, ())}
            for n, (rel, found) in enumerate(zip(source.paths, source.prints, strict=True)):
                copy = declared.get(rel)
                lineage = None
                if copy is not None and copy.master_path is not None and self.inc is not None:
                    lineage = self.inc.index.lineage(copy.master_path)
                self.files.append(
                    _File(
                        i,
                        rel,
                        source.bases,
                        source.on_disk(n),
                        source.keys[n],
                        lineage,
                        copy if lineage else None,
                        print=found,
                    )  # fmt: skip
                )
        for master in masters:
            assert master.lineage is not None
            if master.newest:
                self.newest_master[master.lineage] = master
            if master.print is not None and master.print.module is not None:
                self.master_keys.setdefault(master.lineage, set()).add(master.print.module.key)
        self.files += masters

    # Grouping units into families

    def _units(self, grain: Grain) -> list[_Unit]:
        units = []
        for index, f in enumerate(self.files):
            found = f.print
            if found is None:
                continue
            is_master = f.project is None
            if found.trivial and not is_master:
                continue  # an empty __init__.py is no evidence of copying
            if grain is Grain.MODULE:
                prints: Iterable[UnitPrint] = () if found.module is None else (found.module,)
                if is_master and f.newest and found.module is None:
                    # An empty master (an emptied __init__.py) still heads its family.
                    prints = (UnitPrint(None, UnitKind.MODULE, 1, 1, 0, content_key([]), b""),)
            elif is_master and not f.newest:
                continue  # older master versions take part as whole modules only
            else:
                prints = found.symbols
            units += [_Unit(grain, index, p, is_master) for p in prints]
        return units

    def _eligible(self, unit: _Unit) -> bool:
        p = unit.print
        return (
            p.tokens >= self.options.min_tokens
            and p.end - p.start + 1 >= self.options.min_lines
            and bool(p.signature)
        )

    def _anchor(self, unit: _Unit) -> str | None:
        """The master family a unit belongs to by position: a master's own, a copy's."""
        f = self.files[unit.source]
        if f.lineage is None:
            return None
        if unit.grain is Grain.MODULE:
            return f.lineage
        if not unit.master:
            master = self.newest_master.get(f.lineage)
            names = {s.name for s in master.print.symbols} if master and master.print else set()
            if unit.print.name not in names:
                return None  # a symbol the copy added locally
        return f"{f.lineage}::{unit.print.name}"

    def _propose(self, grain: Grain) -> _Grouping:
        """Units of one grain in exact classes, the groups their position decides, and
        the pairs to compare exactly to place the rest (:meth:`_settle` does)."""
        classes: dict[str, _Class] = {}
        for unit in self._units(grain):
            found = classes.get(unit.print.key)
            if found is None:
                found = classes[unit.print.key] = _Class(unit.print.key, [])
            found.units.append(unit)
        for cls in classes.values():
            masters = sorted(
                (u for u in cls.units if u.master),
                key=lambda u: (self._version_order(u), self.files[u.source].path),
            )
            anchors = [self._anchor(u) for u in masters or cls.units]
            named = [a for a in anchors if a]
            if named:
                cls.anchor = named[0] if masters else Counter(named).most_common(1)[0][0]
            cls.eligible = any(self._eligible(u) for u in cls.units)
        groups: dict[str, _Group] = {}
        for cls in classes.values():
            for unit in cls.units:
                if unit.master:
                    if self.files[unit.source].newest:
                        anchor = self._anchor(unit)
                        assert anchor is not None
                        _group_for(groups, grain, anchor).master = unit
                    continue
                anchor = self._anchor(unit) or cls.anchor
                if anchor is not None:
                    _group_for(groups, grain, anchor).units.append(unit)
        eligible = [c for c in classes.values() if c.eligible]
        checks = self._candidate_pairs(eligible)
        uncached = [
            (left, right)
            for left, right in checks
            if self._pair_key(left.print.key, right.print.key) not in self.pairs
        ]
        return _Grouping(grain, classes, groups, eligible, checks, uncached)

    def _settle(self, grouping: _Grouping) -> list[_Group]:
        """Compare the proposed pairs exactly; a class joins the master family of its
        most similar neighbour, or a cluster of classes without one."""
        grain, classes, groups = grouping.grain, grouping.classes, grouping.groups
        edges = self._edges(grouping)
        loose = []
        for cls in grouping.eligible:
            if cls.anchor is not None:
                continue
            best = self._best_anchor(edges.get(cls.key, {}), classes)
            if best is None:
                loose.append(cls)
            else:
                _group_for(groups, grain, best).units.extend(cls.units)
        for n, members in enumerate(self._clusters(loose, edges, classes)):
            group = groups[f"\0cluster:{n}"] = _Group(grain, None)
            for cls in members:
                group.units.extend(cls.units)
        return [g for g in groups.values() if g.units]

    def _version_order(self, unit: _Unit) -> int:
        version = self.files[unit.source].version
        return version.order if version is not None else -1

    def _candidate_pairs(self, eligible: list[_Class]) -> list[tuple[_Unit, _Unit]]:
        """The class pairs LSH proposes and their signatures' estimate does not rule out.

        Only pairs with a class not yet in a master family are compared: those are
        the ones whose family is still open.
        """
        threshold = self.options.min_similarity
        found = candidate_pairs(
            [c.units[0].print.signature for c in eligible],
            [c.anchor is None for c in eligible],
            self.settings.bands,
            threshold - ESTIMATE_MARGIN,
        )
        by_key = {c.key: c for c in eligible}
        near: dict[str, list[tuple[float, str]]] = {}
        for i, j, guess in found:
            low, high = eligible[i].key, eligible[j].key
            near.setdefault(low, []).append((guess, high))
            near.setdefault(high, []).append((guess, low))
        self._load_pairs(near)
        checks = []
        for key in sorted(near):
            if by_key[key].anchor is not None:
                continue
            tried: set[str] = set()
            for _, other_key in sorted(near[key], key=lambda e: (-e[0], e[1])):
                other = by_key[other_key]
                if other.anchor is not None:
                    # Many versions of one master look alike: try the best few masters.
                    if other.anchor in tried or len(tried) >= MASTER_CANDIDATES:
                        continue
                    tried.add(other.anchor)
                checks.append((by_key[key].units[0], other.units[0]))
        return checks

    def _edges(self, grouping: _Grouping) -> dict[str, dict[str, float]]:
        """Exact similarities (at least the threshold) of the proposed pairs."""
        threshold = self.options.min_similarity
        edges: dict[str, dict[str, float]] = {}
        for left, right in grouping.checks:
            exact = self._similarity(left, right)
            if exact >= threshold:
                edges.setdefault(left.print.key, {})[right.print.key] = exact
                if grouping.classes[right.print.key].anchor is None:
                    edges.setdefault(right.print.key, {})[left.print.key] = exact
        return edges

    def _best_anchor(self, neighbours: dict[str, float], classes: dict[str, _Class]) -> str | None:
        """The master family of the most similar neighbour (a master before a copy)."""
        ranked = []
        for other_key, value in neighbours.items():
            other = classes[other_key]
            if other.anchor is not None:
                is_master = any(u.master for u in other.units)
                ranked.append((-value, not is_master, other.anchor))
        return min(ranked)[2] if ranked else None

    def _clusters(
        self, loose: list[_Class], edges: dict[str, dict[str, float]], classes: dict[str, _Class]
    ) -> list[list[_Class]]:
        """Greedy centres: the class with the most similar units takes its neighbours,
        so every member is at least ``min_similarity`` alike to its centre."""
        keys = {c.key for c in loose}

        def weight(cls: _Class) -> int:
            near = edges.get(cls.key, {})
            return len(cls.units) + sum(len(classes[k].units) for k in near if k in keys)

        order = sorted(loose, key=lambda c: (-weight(c), self._unit_order(c.units[0])))
        taken: set[str] = set()
        clusters = []
        for centre in order:
            if centre.key in taken:
                continue
            members = [centre]
            taken.add(centre.key)
            for other_key in sorted(edges.get(centre.key, {})):
                if other_key in keys and other_key not in taken:
                    members.append(classes[other_key])
                    taken.add(other_key)
            if sum(len(c.units) for c in members) >= 2:
                clusters.append(members)
        return clusters

    # Exact similarity, with its cache

    def _pair_key(self, a: str, b: str) -> str:
        low, high = (a, b) if a < b else (b, a)
        text = f"{ANALYSIS_VERSION}\0{self.settings.shingle}\0{low}\0{high}"
        return hashlib.sha1(text.encode()).hexdigest()

    def _load_pairs(self, near: dict[str, list[tuple[float, str]]]) -> None:
        self._load_pair_keys(self._pair_key(a, b) for a, found in near.items() for _, b in found)

    def _load_pair_keys(self, keys: Iterable[str]) -> None:
        """Read the cached similarities of these pairs, in one query."""
        if self.cache is None:
            return
        wanted = set(keys) - self.pairs.keys()
        for key, value in self.cache.get_many("scan-pair", wanted).items():
            if isinstance(value, (int, float)):
                self.pairs[key] = float(value)

    def _similarity(self, a: _Unit, b: _Unit) -> float:
        """Jaccard similarity of two units' shingles (rounded to 4 places)."""
        if a.print.key == b.print.key:
            return 1.0
        key = self._pair_key(a.print.key, b.print.key)
        found = self.pairs.get(key)
        if found is None:
            found = round(jaccard(self._shingles(a), self._shingles(b)), 4)
            self.fresh_pairs[key] = found
            self.pairs[key] = found
        return found

    def _shingles(self, unit: _Unit) -> Hashes:
        found = self.shingles.get(unit.print.key)
        if found is None:
            self._prefetch_shingles([unit])
            found = self.shingles[unit.print.key]
        return found

    def _prefetch_shingles(self, units: Iterable[_Unit]) -> None:
        """Shingle sets of many units at once, tokenised again by the worker processes."""
        self._request_shingles(units)()

    def _request_shingles(self, units: Iterable[_Unit]) -> Callable[[], None]:
        """Start tokenising units again for their shingle sets; the returned function
        waits for them and keeps them."""
        by_source: dict[int, dict[str, _Unit]] = {}
        for unit in units:
            if unit.print.key not in self.shingles:
                by_source.setdefault(unit.source, {})[unit.print.key] = unit
        jobs: list[ShingleJob] = []
        order: list[tuple[int, list[str]]] = []
        for source, wanted in sorted(by_source.items()):
            f = self.files[source]
            ranges = [None if u.grain is Grain.MODULE else (u.print.start, u.print.end)
                      for u in wanted.values()]  # fmt: skip
            jobs.append((self._content(f), f.bases, ranges))
            order.append((source, list(wanted)))
        if not jobs:
            return lambda: None
        assert self.workers is not None, "shingles are wanted while the scan runs"
        results = self.workers.shingles(jobs, self.settings.shingle)

        def keep() -> None:
            for (source, keys), (read, arrays) in zip(order, results(), strict=True):
                f = self.files[source]
                if f.on_disk is not None:
                    check_unchanged(f.on_disk.path, read, f.key)
                self.shingles.update(zip(keys, arrays, strict=True))

        return keep

    def _content(self, f: _File) -> Content:
        """Where a worker reads a file: on disk, or in the incubator's repository."""
        if f.on_disk is not None:
            return f.on_disk
        assert self.inc is not None and f.version is not None and f.version.blob
        return InRepo(str(self.inc.index.repo), f.version.blob)

    # From groups to families

    def _families(
        self,
        modules: list[_Group],
        symbols: list[_Group],
        module_of_file: dict[int, str],
        added: dict[int, dict[str, int]],
    ) -> list[Family]:
        kept = [g for g in modules if g.master is not None or len(g.units) >= 2]
        for group in symbols:
            if group.master is not None:
                lineage = self.files[group.master.source].lineage
                # Symbols inside copies of their own module are told by the module family.
                group.units = [u for u in group.units if module_of_file.get(u.source) != lineage]
                if not group.units:
                    continue
            elif len({module_of_file.get(u.source, f"file:{u.source}") for u in group.units}) < 2:
                continue  # all inside copies of one module: the module family tells it
            kept.append(group)
        chosen = [(group, *self._representative(group, added)) for group in kept]
        # Every member is compared with its representative: look the pairs up in the
        # cache, and tokenise what is left on the worker processes, all at once.
        pairs = [(u, rep) for group, rep, _ in chosen for u in group.units
                 if u.print.key != rep.print.key]  # fmt: skip
        self._load_pair_keys(self._pair_key(u.print.key, r.print.key) for u, r in pairs)
        self._prefetch_shingles(
            unit
            for u, r in pairs
            if self._pair_key(u.print.key, r.print.key) not in self.pairs
            for unit in (u, r)
        )
        built = [self._family(group, rep, origin, added) for group, rep, origin in chosen]
        built.sort(key=_family_order)
        counters = {Grain.MODULE: 0, Grain.SYMBOL: 0}
        families = []
        for family in built:
            counters[family.grain] += 1
            prefix = "M" if family.grain is Grain.MODULE else "S"
            families.append(replace(family, id=f"{prefix}{counters[family.grain]}"))
        return families

    def _representative(
        self, group: _Group, added: dict[int, dict[str, int]]
    ) -> tuple[_Unit, str]:
        """The unit members are compared with, and why: its master or its origin."""
        if group.master is not None:
            return group.master, "master"
        return self._origin(sorted(group.units, key=self._unit_order), added)

    def _family(
        self, group: _Group, representative: _Unit, origin: str, added: dict[int, dict[str, int]]
    ) -> Family:
        units = sorted(group.units, key=self._unit_order)
        master = self._master_of(group.master) if group.master is not None else None
        members = []
        for unit in units:
            f = self.files[unit.source]
            assert f.project is not None
            p = unit.print
            members.append(
                Member(
                    project=self.projects[f.project].name,
                    path=f.path,
                    symbol=p.name,
                    kind=p.kind,
                    start=p.start,
                    end=p.end,
                    tokens=p.tokens,
                    key=p.key,
                    similarity=self._similarity(unit, representative),
                    status=None if master is None else self._status(unit, group, master),
                    added=added.get(f.project, {}).get(f.path),
                    declared=f.declared is not None and unit.grain is Grain.MODULE,
                )
            )
        rep = representative.print
        return Family(
            id="",
            grain=group.grain,
            members=tuple(members),
            master=master,
            representative=None if master is not None else members[units.index(representative)],
            origin=origin,
            lines=rep.end - rep.start + 1,
            tokens=rep.tokens,
        )

    def _master_of(self, unit: _Unit) -> Master:
        assert self.inc is not None
        f = self.files[unit.source]
        assert f.lineage is not None and f.version is not None
        head_path = self.inc.index.head_path(f.lineage, prefer=f.version.path)
        lifecycle = self.inc.lifecycle(head_path or f.version.path)
        return Master(
            path=head_path or f.version.path,
            symbol=unit.print.name,
            lineage=f.lineage,
            commit=f.version.commit,
            obsolete=head_path is None,
            lifecycle=lifecycle.state if lifecycle else LifecycleState.ACTIVE,
        )

    def _status(self, unit: _Unit, group: _Group, master: Master) -> DriftStatus:
        f = self.files[unit.source]
        if f.declared is not None and unit.grain is Grain.MODULE:
            return f.declared.status
        if master.obsolete:
            return DriftStatus.OBSOLETE
        assert group.master is not None
        if unit.print.key == group.master.print.key:
            return DriftStatus.CURRENT
        if unit.grain is Grain.MODULE and unit.print.key in self.master_keys.get(
            master.lineage, ()
        ):
            return DriftStatus.BEHIND
        return DriftStatus.DIVERGED

    def _origin(self, units: list[_Unit], added: dict[int, dict[str, int]]) -> tuple[_Unit, str]:
        """The oldest member by git history, else the most common content."""
        dated = []
        for unit in units:
            f = self.files[unit.source]
            assert f.project is not None
            stamp = added.get(f.project, {}).get(f.path)
            if stamp is not None:
                dated.append((stamp, self._unit_order(unit), unit))
        if dated:
            return min(dated, key=lambda d: d[:2])[2], "oldest"
        counts = Counter(u.print.key for u in units)
        return min(units, key=lambda u: (-counts[u.print.key], self._unit_order(u))), "most-common"

    def _unit_order(self, unit: _Unit) -> tuple[int, str, int]:
        f = self.files[unit.source]
        project = f.project if f.project is not None else len(self.projects)
        return (project, f.path, unit.print.start)

    # Imports of copies by project code

    def _imported_files(self) -> list[list[tuple[str, int]]]:
        """For each file of each project, the project files it imports, each once
        with the line of its first import, in order (the families are not needed)."""
        found = []
        for source in self.projects:
            modules = {_module_name(rel): rel for rel in source.paths}
            resolved: dict[tuple[int, str, tuple[str, ...], str], list[str]] = {}
            for rel, printed in zip(source.paths, source.prints, strict=True):
                package = _module_name(rel)
                if not rel.endswith("__init__.py"):
                    package = package.rpartition(".")[0]
                imported: dict[str, int] = {}
                for statement in printed.imports if printed is not None else ():
                    # Files of one package import alike: resolve each statement once.
                    memo = (statement.level, statement.module, statement.names, package)
                    targets = resolved.get(memo)
                    if targets is None:
                        targets = resolved[memo] = _import_targets(statement, package, modules)
                    for target in targets:
                        imported.setdefault(modules[target], statement.line)
                found.append(list(imported.items()))
        return found

    def _import_links(
        self, families: list[Family], imported: list[list[tuple[str, int]]]
    ) -> list[ImportLink]:
        """Project code (not copies) importing copies, from :meth:`_imported_files`."""
        copied = {
            (m.project, m.path) for f in families if f.grain is Grain.MODULE for m in f.members
        }
        links = []
        files = iter(imported)
        for source in self.projects:
            for rel in source.paths:
                targets = next(files)
                if (source.name, rel) in copied:
                    continue  # project code only: not a copy itself
                links += [ImportLink(source.name, rel, path, line)
                          for path, line in targets if (source.name, path) in copied]  # fmt: skip
        return links


def _family_order(family: Family) -> tuple[Any, ...]:
    grain = 0 if family.grain is Grain.MODULE else 1
    if family.master is not None:
        return (grain, 0, family.master.path, family.master.symbol or "")
    first = family.members[0]
    return (grain, 1, -len(family.projects), -len(family.members), -family.lines,
            first.project, first.path, first.start)  # fmt: skip


def _group_for(groups: dict[str, _Group], grain: Grain, anchor: str) -> _Group:
    found = groups.get(anchor)
    if found is None:
        found = groups[anchor] = _Group(grain, anchor)
    return found


def _module_name(rel: str) -> str:
    dotted = rel[:-3].replace("/", ".")
    return dotted[: -len(".__init__")] if dotted.endswith(".__init__") else dotted


def _import_targets(
    statement: ImportStatement, package: str, modules: dict[str, str]
) -> list[str]:
    if statement.level:
        base = resolve_relative(statement.level, statement.module or None, package)
        names = [base]
    else:
        names = [statement.module]
        if package:
            # Python 2's implicit relative import: "import utils" beside utils.py.
            names.append(f"{package}.{statement.module}")
    found = []
    for name in names:
        for dotted in [name, *(f"{name}.{n}" for n in statement.names)]:
            target = innermost_module(dotted, modules)
            if target is not None and target not in found:
                found.append(target)
    return found


def _rank_candidates(families: list[Family]) -> list[Candidate]:
    """Families with no master in two or more projects, by score (see scan.rst)."""
    scored = []
    for family in families:
        if family.master is not None or len(family.projects) < 2:
            continue
        projects = len(family.projects)
        divergence = 1.0 - family.mean_similarity
        size = math.log2(1 + family.lines)
        score = projects * size * (1 + divergence)
        reason = (
            f"{projects} projects, {len(family.members)} copies of {family.lines} lines, "
            f"{family.mean_similarity:.2f} alike on average: "
            f"{projects} x log2(1+{family.lines}) x (1+{divergence:.2f}) = {score:.1f}"
        )
        scored.append((round(score, 3), family.id, reason))
    scored.sort(key=lambda s: (-s[0], _id_order(s[1])))
    return [
        Candidate(fid, rank, score, reason) for rank, (score, fid, reason) in enumerate(scored, 1)
    ]


def _id_order(family_id: str) -> tuple[str, int]:
    return family_id[0], int(family_id[1:])
