"""Scan: families of modules and functions copied across a fleet of projects.

Public use case: :func:`scan_projects`. The method (normalisation, similarity,
candidate generation, how families, masters and origins are chosen, the incubation
score) is described in doc/source/scan.rst. This module orchestrates the rooms that
hold it: the walk (``workspace.files``), the fingerprints (``analysis.fingerprint``),
the worker pool (``history.workers``), the projects' git (``history.added``), the
family algorithm (``analysis.families``) and the cache forms (``model.scan_codec``).

Work is cached in two layers: the fingerprint of every file by its content (and the
exact similarity of every pair compared), and the whole report by the content keys of
every file, the projects' git heads and the incubator's head, so a second scan of
unchanged trees only reads and hashes files.

On a cluster (an ``engine``, see ``workflows/cluster.py``) the same functions run as
its tasks: the projects are read and fingerprinted where they are, and their
fingerprints stay there; two reductions on the workers (unit keys counted, LSH
buckets) decide which files the client needs for the family algorithm ("Private: on a
cluster" below). The report is the same.
"""

from __future__ import annotations

import gc
import hashlib
import operator
import os
import platform
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from oslo_incubator.analysis import families as algorithm
from oslo_incubator.analysis.families import Added, Fleet, Source, Unit
from oslo_incubator.analysis.fingerprint import band_keys, bucket_pairs, jaccard
from oslo_incubator.analysis.imports import imported_files
from oslo_incubator.history.added import AddedDates, project_heads
from oslo_incubator.history.git import resolve_commit
from oslo_incubator.history.resident import worker_cache, worker_incubator
from oslo_incubator.history.workers import (
    Content,
    Engine,
    InRepo,
    Job,
    OnDisk,
    Pending,
    Progress,
    Record,
    ShingleJob,
    Workers,
    check_unchanged,
    file_key,
    fingerprint_records,
)
from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.drift import CopyDrift
from oslo_incubator.model.errors import UnreadableFileError
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.scan import (
    ANALYSIS_VERSION,
    Family,
    FilePrint,
    FingerprintSettings,
    Grain,
    ImportLink,
    IncubatorInfo,
    Master,
    ProjectScan,
    ScanOptions,
    ScanReport,
)
from oslo_incubator.model.scan_codec import print_from_json, report_from_json, report_to_json
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import find_config, load_project_config
from oslo_incubator.workspace.files import project_python_files

if TYPE_CHECKING:
    from oslo_incubator.analysis.fingerprint import Hashes
    from oslo_incubator.history.incubator import Incubator

# Top-level packages that are not the project's own code name.
NOT_BASES = frozenset({"tests", "test", "doc", "docs", "tools", "bin", "etc", "examples"})
MIN_BASE_LENGTH = 4  # folding every "one" or "api" substring would blur unrelated text
GC_THRESHOLD = 100_000  # new containers between two collections while scanning
# On a cluster, projects are read a few a task (a task's round trip costs about as much
# as reading a small project), in at least this many tasks per worker to share out.
MAX_PROJECTS_PER_TASK = 16
TASKS_PER_WORKER = 16
_UNREADABLE_RECORD = (ValueError, TypeError, KeyError, IndexError, AttributeError)
T = TypeVar("T")


def scan_projects(
    projects: Sequence[Path],
    options: ScanOptions | None = None,
    incubator: Path | None = None,
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
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
        engine: a cluster to run on (see ``workflows/cluster.py``): each project is read
            and fingerprinted by one task on a worker, drift's analysis of its copies
            by another, and the master versions and pairs compared go to its workers
            instead of this machine's processes. The report is the same.

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
        return _scan(
            projects, options or ScanOptions(), incubator, package_root, cache, progress, engine
        )


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
    repo: Path | None,
    package_root: PackageRoot,
    cache: Cache | None,
    progress: Progress | None,
    engine: Engine | None,
) -> ScanReport:
    """The report from the cache, else scanned anew."""
    paths = _unique(projects)
    if engine is not None:
        return _scan_on(engine, paths, options, repo, package_root, cache, progress)
    heads = project_heads(paths)
    # git log runs while the files are read: on a core that would otherwise idle.
    with AddedDates(paths, heads, cache) as dates:
        sources = [
            _read_project(path, head, options.fingerprint, package_root)
            for path, head in zip(paths, heads, strict=True)
        ]
        report = _cached_or_anew(sources, options, repo, package_root, cache, dates.result,
                                 progress)  # fmt: skip
    return report


def _cached_or_anew(
    sources: list[_ProjectSource],
    options: ScanOptions,
    repo: Path | None,
    package_root: PackageRoot,
    cache: Cache | None,
    dates: Callable[[Sequence[Iterable[str]]], Added],
    progress: Progress | None,
) -> ScanReport:
    """The report of the projects read, from the cache or scanned anew."""
    _name_uniquely(sources)
    repo_head = resolve_commit(repo) if repo is not None else None
    report_key = _report_key(sources, options, repo, repo_head, package_root)
    if cache is not None:
        cached = cache.get("scan-report", report_key)
        if cached is not None:
            try:
                return report_from_json(cached, options)
            except _UNREADABLE_RECORD:
                pass  # an unreadable entry is recomputed, never trusted
    report = _scan_anew(sources, options, repo, package_root, cache, dates, progress)
    if cache is not None:
        cache.put("scan-report", report_key, report_to_json(report))
    return report


def _scan_anew(
    sources: list[_ProjectSource],
    options: ScanOptions,
    repo: Path | None,
    package_root: PackageRoot,
    cache: Cache | None,
    dates: Callable[[Sequence[Iterable[str]]], Added],
    progress: Progress | None,
) -> ScanReport:
    """Fingerprints (from the cache or the workers), then families: the incubator's
    repository (``repo``) is opened once the workers have the projects' files."""
    project_jobs, project_slots = _project_jobs(sources, cache)
    with Workers(package_root, options.fingerprint, options.jobs) as workers:
        workers.add(project_jobs)
        incubator = None
        if repo is not None:
            # Imported here: drift's history machinery costs a warm scan a fifth of
            # its time.
            from oslo_incubator.history.incubator import open_incubator

            incubator = open_incubator(repo, package_root, cache)
        masters = _master_files(incubator)
        master_slots = _master_jobs(masters, options.fingerprint, package_root, cache)
        workers.add([(_content(m, incubator), (), m.newest) for m, _ in master_slots])
        drift = _drift(sources, incubator, cache)  # while the workers fingerprint
        # Each chunk is taken in as it comes, while the workers go on with the rest.
        for first, records in workers.completed(progress):
            _store_prints(first, records, project_slots, master_slots, cache)
        fleet, reads = _fleet(sources, drift, masters, incubator)
        similarity = _Similarity(fleet, reads, workers, options.fingerprint.shingle, cache)
        added = partial(dates, [s.paths for s in sources])
        meanwhile = partial(_imported_files, sources)
        found, imported = _families(fleet, similarity, options, incubator, added, meanwhile)
    similarity.save()
    info = None
    if incubator is not None:
        index = incubator.index
        info = IncubatorInfo(str(incubator.path), index.head, index.package_root)
    return ScanReport(
        projects=tuple(
            ProjectScan(s.name, str(s.path), s.bases, len(s.paths),
                        sum(p.lines for p in s.prints if p is not None), s.head)
            for s in sources
        ),
        families=tuple(found),
        candidates=tuple(algorithm.rank_candidates(found)),
        imports=tuple(_import_links(sources, found, imported)),
        incubator=info,
        options=options,
    )  # fmt: skip


def _families(
    fleet: Fleet,
    similarity: _Similarity,
    options: ScanOptions,
    incubator: Incubator | None,
    dates: Callable[[], Added],
    meanwhile: Callable[[], T],
    candidates: algorithm.Candidates | None = None,
) -> tuple[list[Family], T]:
    """The family algorithm, and what ``meanwhile`` returns: the workers tokenise one
    step's pairs while the next step is computed (``meanwhile`` runs while they
    tokenise the symbols'), and git log finds when files were added (``dates`` waits
    for it)."""
    proposed_modules = algorithm.propose(fleet, Grain.MODULE, options, candidates)
    module_shingles = similarity.request(proposed_modules.checks)
    proposed_symbols = algorithm.propose(fleet, Grain.SYMBOL, options, candidates)
    symbol_shingles = similarity.request(proposed_symbols.checks)
    module_shingles()
    modules = algorithm.settle(fleet, proposed_modules, similarity, options.min_similarity)
    result = meanwhile()
    symbol_shingles()
    symbols = algorithm.settle(fleet, proposed_symbols, similarity, options.min_similarity)
    added = dates()
    chosen = algorithm.choose(fleet, modules, symbols, added)
    # Every member is compared with its representative: look the pairs up in the cache,
    # and tokenise what is left on the worker processes, all at once.
    similarity.request((u, rep) for group, rep, _ in chosen for u in group.units)()

    def master_of(unit: Unit) -> Master:
        assert incubator is not None
        f = fleet.files[unit.source]
        assert f.lineage is not None and f.version is not None
        head_path = incubator.index.head_path(f.lineage, prefer=f.version.path)
        lifecycle = incubator.lifecycle(head_path or f.version.path)
        return Master(
            path=head_path or f.version.path,
            symbol=unit.print.name,
            lineage=f.lineage,
            commit=f.version.commit,
            obsolete=head_path is None,
            lifecycle=lifecycle.state if lifecycle else LifecycleState.ACTIVE,
        )

    return algorithm.families(fleet, chosen, added, similarity, master_of), result


def _settings_key(settings: FingerprintSettings, package_root: PackageRoot) -> str:
    """What every cached fingerprint key starts with: analysis, Python and settings."""
    python = ".".join(platform.python_version_tuple()[:2])
    return "\0".join(
        [
            ANALYSIS_VERSION,
            platform.python_implementation(),
            python,
            repr(settings),
            package_root.module,
        ]
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
    added: dict[str, int] | None = None  # on a cluster: when git added each file

    def on_disk(self, i: int) -> OnDisk:
        """Where file ``i`` is, to be read again."""
        return OnDisk(os.path.join(str(self.path), self.paths[i]), self.salt, self.sizes[i])


def _unique(projects: Sequence[Path]) -> list[Path]:
    seen: dict[Path, Path] = {}
    for project in projects:
        seen.setdefault(project.resolve(), project)
    return list(seen.values())


def _name_uniquely(sources: Sequence[_ProjectSource | _Summary]) -> None:
    counts: Counter[str] = Counter()
    for source in sources:
        counts[source.name] += 1
        if counts[source.name] > 1:
            source.name = f"{source.name}-{counts[source.name]}"


def _read_project(
    path: Path, head: str | None, settings: FingerprintSettings, package_root: PackageRoot
) -> _ProjectSource:
    config = load_project_config(path)
    bases = _bases(path, config)
    conf_file = find_config(path)
    config_digest = hashlib.sha1(conf_file.read_bytes()).hexdigest() if conf_file else ""
    paths = list(project_python_files(path))
    salt = "\0".join([_settings_key(settings, package_root), ",".join(bases), "file"]).encode()
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
    repo: Path | None,
    repo_head: str | None,
    package_root: PackageRoot,
) -> str:
    # Worker count changes how, not what: it is not part of the key.
    digest = hashlib.sha1(repr((ANALYSIS_VERSION, replace(options, jobs=0))).encode())
    if repo is not None:
        digest.update(f"\0{repo}\0{repo_head}\0{package_root.path}".encode())
    for source in sources:
        digest.update(
            f"\1{source.name}\0{source.path}\0{source.head}\0{source.config_digest}".encode()
        )
        for rel, key in zip(source.paths, source.keys, strict=True):
            digest.update(f"\2{rel}\0{key}".encode())
    return digest.hexdigest()


# Private: fingerprints, from the cache or the workers


def _project_jobs(
    sources: list[_ProjectSource], cache: Cache | None
) -> tuple[list[Job], list[list[tuple[_ProjectSource, int]]]]:
    """The files to fingerprint, one job per distinct key, and where each result goes
    (the others' fingerprints come from the cache)."""
    keys = [key for source in sources for key in source.keys]
    cached: dict[str, Any] = cache.get_many("scan-file", keys) if cache else {}
    jobs: list[Job] = []
    pending: dict[str, list[tuple[_ProjectSource, int]]] = {}
    for source in sources:
        source.prints = [None] * len(source.paths)
        for i, key in enumerate(source.keys):
            record = cached.get(key)
            if record is not None:
                try:
                    source.prints[i] = print_from_json(record)
                    continue
                except _UNREADABLE_RECORD:
                    pass  # recomputed below
            if key not in pending:
                jobs.append((source.on_disk(i), source.bases, True))
                pending[key] = []
            pending[key].append((source, i))
    return jobs, list(pending.values())


def _master_files(incubator: Incubator | None) -> list[Source]:
    """Every distinct content of every master Python file, newest first per lineage."""
    if incubator is None:
        return []
    index = incubator.index
    found = []
    for lineage in sorted(index.versions):
        seen: set[str] = set()
        for version in index.versions_of(lineage):
            if version.blob is None or not version.path.endswith(".py"):
                continue
            if version.blob not in seen:
                found.append(Source(None, version.path, None, lineage=lineage,
                                    version=version, newest=not seen))  # fmt: skip
                seen.add(version.blob)
    return found


def _master_jobs(
    masters: list[Source],
    settings: FingerprintSettings,
    package_root: PackageRoot,
    cache: Cache | None,
) -> list[tuple[Source, str]]:
    """Master versions whose fingerprint is not in the cache, with their cache keys
    (the others' fingerprints are set)."""
    if not masters:
        return []
    prefix = hashlib.sha1("\0".join([_settings_key(settings, package_root), "master"]).encode())
    keys = []
    for f in masters:
        assert f.version is not None
        digest = prefix.copy()
        # Older versions only matter as whole modules: no symbols, cheaper.
        digest.update(f"{f.version.blob}\0{f.newest}".encode())
        keys.append(digest.hexdigest())
    cached: dict[str, Any] = cache.get_many("scan-master", keys) if cache else {}
    todo = []
    for f, key in zip(masters, keys, strict=True):
        record = cached.get(key)
        if record is not None:
            try:
                f.print = print_from_json(record)
                continue
            except _UNREADABLE_RECORD:
                pass
        todo.append((f, key))
    return todo


def _store_prints(
    first: int,
    records: list[Record],
    project_slots: list[list[tuple[_ProjectSource, int]]],
    master_slots: list[tuple[Source, str]],
    cache: Cache | None,
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
        if cache is not None and entries:
            cache.put_many(kind, entries)


def _drift(
    sources: list[_ProjectSource], incubator: Incubator | None, cache: Cache | None
) -> dict[int, list[CopyDrift]]:
    """The copies drift locates in each project with a configured base."""
    found: dict[int, list[CopyDrift]] = {}
    if incubator is None:
        return found
    for i, source in enumerate(sources):
        if source.config.base:
            from oslo_incubator.history.provenance import analyse_project

            drift = analyse_project(incubator, source.path, source.config, cache)
            found[i] = [c for c in drift.copies if c.copy_path.endswith(".py")]
    return found


def _content(f: Source, incubator: Incubator | None) -> InRepo:
    assert incubator is not None and f.version is not None and f.version.blob
    return InRepo(str(incubator.index.repo), f.version.blob)


_Read = tuple[Content, tuple[str, ...], str | None]  # where, bases, content key read


def _fleet(
    sources: list[_ProjectSource],
    drift: dict[int, list[CopyDrift]],
    masters: list[Source],
    incubator: Incubator | None,
) -> tuple[Fleet, list[_Read]]:
    """Every file of the scan, and how a worker reads each again (same order)."""
    files = []
    reads: list[_Read] = []
    for i, source in enumerate(sources):
        declared = {c.copy_path: c for c in drift.get(i, ())}
        for n, (rel, found) in enumerate(zip(source.paths, source.prints, strict=True)):
            copy = declared.get(rel)
            lineage = None
            if copy is not None and copy.master_path is not None and incubator is not None:
                lineage = incubator.index.lineage(copy.master_path)
            files.append(Source(i, rel, found, lineage, copy if lineage else None))
            reads.append((source.on_disk(n), source.bases, source.keys[n]))
    files += masters
    reads += [(_content(m, incubator), (), None) for m in masters]
    return Fleet(files, [s.name for s in sources]), reads


# Private: exact similarity, with its cache


class _Similarity:
    """The exact similarity of two units: from the cache, else from their shingle sets,
    which the workers tokenise again (:meth:`request` starts many at once)."""

    def __init__(
        self,
        fleet: Fleet,
        reads: list[_Read],
        workers: Workers,
        shingle: int,
        cache: Cache | None,
    ):
        self.fleet = fleet
        self.reads = reads
        self.workers = workers
        self.shingle = shingle
        self.cache = cache
        self.shingles: dict[str, Hashes] = {}  # content key -> sorted shingle hashes
        self.pairs: dict[str, float] = {}  # pair key -> exact similarity
        self.fresh: dict[str, float] = {}  # computed by this scan

    def __call__(self, a: Unit, b: Unit) -> float:
        """Jaccard similarity of two units' shingles (rounded to 4 places)."""
        if a.print.key == b.print.key:
            return 1.0
        key = self._pair_key(a.print.key, b.print.key)
        found = self.pairs.get(key)
        if found is None:
            found = round(jaccard(self._shingles(a), self._shingles(b)), 4)
            self.fresh[key] = found
            self.pairs[key] = found
        return found

    def request(self, pairs: Iterable[tuple[Unit, Unit]]) -> Callable[[], None]:
        """Read these pairs' similarities from the cache (one query) and start
        tokenising the units of the others; the returned function waits for them."""
        wanted = [(a, b, self._pair_key(a.print.key, b.print.key))
                  for a, b in pairs if a.print.key != b.print.key]  # fmt: skip
        if self.cache is not None:
            unknown = {key for _, _, key in wanted} - self.pairs.keys()
            for key, value in self.cache.get_many("scan-pair", unknown).items():
                if isinstance(value, (int, float)):
                    self.pairs[key] = float(value)
        return self._tokenise(u for a, b, key in wanted if key not in self.pairs for u in (a, b))

    def save(self) -> None:
        """Keep the similarities this scan computed in the cache."""
        if self.cache is not None and self.fresh:
            self.cache.put_many("scan-pair", self.fresh)

    def _pair_key(self, a: str, b: str) -> str:
        low, high = (a, b) if a < b else (b, a)
        text = f"{ANALYSIS_VERSION}\0{self.shingle}\0{low}\0{high}"
        return hashlib.sha1(text.encode()).hexdigest()

    def _shingles(self, unit: Unit) -> Hashes:
        found = self.shingles.get(unit.print.key)
        if found is None:
            self._tokenise([unit])()
            found = self.shingles[unit.print.key]
        return found

    def _tokenise(self, units: Iterable[Unit]) -> Callable[[], None]:
        by_source: dict[int, dict[str, Unit]] = {}
        for unit in units:
            if unit.print.key not in self.shingles:
                by_source.setdefault(unit.source, {})[unit.print.key] = unit
        jobs: list[ShingleJob] = []
        order: list[tuple[int, list[str]]] = []
        for source, wanted in sorted(by_source.items()):
            content, bases, _ = self.reads[source]
            ranges = [None if u.grain is Grain.MODULE else (u.print.start, u.print.end)
                      for u in wanted.values()]  # fmt: skip
            jobs.append((content, bases, ranges))
            order.append((source, list(wanted)))
        if not jobs:
            return lambda: None
        results = self.workers.shingles(jobs, self.shingle)

        def keep() -> None:
            for (source, keys), (read, arrays) in zip(order, results(), strict=True):
                content, _, expected = self.reads[source]
                if isinstance(content, OnDisk):
                    check_unchanged(content.path, read, expected)
                self.shingles.update(zip(keys, arrays, strict=True))

        return keep


# Private: imports of copies by project code


def _imported_files(sources: list[_ProjectSource]) -> list[list[tuple[str, int]]]:
    """For each file of each project, the project files it imports (the families are
    not needed)."""
    found = []
    for source in sources:
        imports = [p.imports if p is not None else () for p in source.prints]
        found += imported_files(source.paths, imports)
    return found


def _import_links(
    sources: list[_ProjectSource], found: list[Family], imported: list[list[tuple[str, int]]]
) -> list[ImportLink]:
    """Project code (not copies) importing copies, from :func:`_imported_files`."""
    copied = {(m.project, m.path) for f in found if f.grain is Grain.MODULE for m in f.members}
    links = []
    files = iter(imported)
    for source in sources:
        for rel in source.paths:
            targets = next(files)
            if (source.name, rel) in copied:
                continue  # project code only: not a copy itself
            links += [ImportLink(source.name, rel, path, line)
                      for path, line in targets if (source.name, path) in copied]  # fmt: skip
    return links


# Private: on a cluster
#
# The projects' full fingerprints stay on the workers (``held``: one result per batch
# of projects); the client receives what a report needs: a summary per project, the
# files whose units can end up in a family, the candidate pairs, the import links.
# Which units can end up in one is decided by two reductions on the workers: the
# units whose content key occurs twice or more in the fleet (masters included), and
# the LSH buckets (:func:`band_keys`, :func:`bucket_pairs`). A unit outside both, in
# a file drift does not place, is an exact class of one with no master and no near
# neighbour: the family algorithm would drop it, so the client never sees it.


@dataclass
class _Summary:
    """What the client keeps of a project read on a cluster: none of its files."""

    path: Path
    name: str
    config: ProjectConfig
    bases: tuple[str, ...]
    head: str | None
    config_digest: str
    salt: bytes
    digest: str  # of every file's path and content key, for the report's cache key
    files: int
    lines: int


# A file the client needs: its index in the walk, path, content key, size, its
# fingerprint with only the units that can matter, and when git added it.
_Kept = tuple[int, str, str, int, FilePrint, int | None]
# One grain's bucket entries for a reduction: the units' keys and signatures, and
# three equally long arrays: band, bucket and index of the unit in those keys.
_Buckets = tuple[list[str], bytes, Any, Any, Any]
# Unit counts by (grain, content key), and bucket entries by grain: one reduction's
# share of a batch.
_Part = tuple[dict[tuple[str, str], int], dict[str, _Buckets]]
# What a reduction finds: the keys seen twice or more, and the candidate pairs.
_Reduced = tuple[set[tuple[str, str]], list[tuple[str, str, str, float]]]


def _scan_on(
    engine: Engine,
    paths: list[Path],
    options: ScanOptions,
    repo: Path | None,
    package_root: PackageRoot,
    cache: Cache | None,
    progress: Progress | None,
) -> ScanReport:
    """The scan with the projects read, fingerprinted and dated by tasks on
    ``engine`` (:func:`_projects_on_worker`), a few projects a task; the report from
    the client's cache when it holds it. The master versions are fingerprinted and the
    batches' units counted and bucketed while the projects are read (a cold scan is
    what a cluster is for: a warm one opens the incubator for nothing)."""
    cache_dir = _cache_dir(cache)
    size = max(1, min(MAX_PROJECTS_PER_TASK, len(paths) // (TASKS_PER_WORKER * engine.workers)))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    with Workers(package_root, options.fingerprint, options.jobs, engine) as workers:
        held = [
            engine.submit(_projects_on_worker, batch, options.fingerprint, package_root,
                          cache_dir)
            for batch in batches
        ]  # fmt: skip
        summarised = [engine.submit(_summaries, batch) for batch in held]
        parts = max(1, engine.workers)
        emitted = [engine.submit(_emit_batch, batch, parts, options) for batch in held]
        incubator = None
        if repo is not None:
            from oslo_incubator.history.incubator import open_incubator

            incubator = open_incubator(repo, package_root, cache)
        masters = _master_files(incubator)
        master_slots = _master_jobs(masters, options.fingerprint, package_root, cache)
        workers.add([(_content(m, incubator), (), m.newest) for m, _ in master_slots])
        order = {id(future): i for i, future in enumerate(summarised)}
        found: list[list[_Summary]] = [[] for _ in batches]
        done = 0
        for future in engine.as_completed(summarised):
            found[order[id(future)]] = future.result()
            done += len(found[order[id(future)]])
            if progress is not None:
                progress("projects", done, len(paths))
        summaries = [summary for batch in found for summary in batch]
        _name_uniquely(summaries)
        repo_head = resolve_commit(repo) if repo is not None else None
        report_key = _summaries_key(summaries, options, repo, repo_head, package_root)
        if cache is not None:
            cached = cache.get("scan-report", report_key)
            if cached is not None:
                try:
                    return report_from_json(cached, options)
                except _UNREADABLE_RECORD:
                    pass  # an unreadable entry is recomputed, never trusted
        fleet = _Held(held, emitted, [len(batch) for batch in found], summaries)
        report = _scan_anew_on(engine, workers, fleet, incubator, masters, master_slots,
                               options, cache, progress)  # fmt: skip
    if cache is not None:
        cache.put("scan-report", report_key, report_to_json(report))
    return report


@dataclass
class _Held:
    """The projects as a cluster holds them: each batch's sources and its units
    counted and bucketed (on the workers), how many projects each batch holds, and
    their summaries (here)."""

    sources: list[Pending[list[_ProjectSource]]]
    emitted: list[Pending[list[_Part]]]
    sizes: list[int]
    summaries: list[_Summary]

    def shares(
        self, per_project: Sequence[T]
    ) -> Iterator[tuple[Pending[list[_ProjectSource]], list[T]]]:
        """Each batch's sources, with its projects' items of ``per_project``."""
        start = 0
        for batch, count in zip(self.sources, self.sizes, strict=True):
            yield batch, list(per_project[start : start + count])
            start += count


def _scan_anew_on(
    engine: Engine,
    workers: Workers,
    held: _Held,
    incubator: Incubator | None,
    masters: list[Source],
    master_slots: list[tuple[Source, str]],
    options: ScanOptions,
    cache: Cache | None,
    progress: Progress | None,
) -> ScanReport:
    """:func:`_scan_anew` over projects the workers hold: masters and drift as there,
    then the reductions, the files that matter, the same family algorithm, and the
    import links computed where the files' imports are."""
    summaries = held.summaries
    wait_drift = _drift_on(engine, summaries, incubator, cache)
    for first, records in workers.completed(progress):
        _store_prints(first, records, [], master_slots, cache)
    reduced = _reductions(engine, held.emitted, masters, options)
    pairs = _gathered_pairs(engine, reduced)
    drift = wait_drift()
    placed = _placed(summaries, drift, incubator)
    wanted = engine.submit(_wanted, *reduced)  # once, where the batches are
    kept_pending = [engine.submit(_keep, batch, files, wanted)
                    for batch, files in held.shares(placed)]  # fmt: skip
    kept = [records for batch in engine.gather(kept_pending) for records in batch]
    sources = [_kept_source(s, records) for s, records in zip(summaries, kept, strict=True)]
    added = {i: s.added for i, s in enumerate(sources) if s.added}
    fleet, reads = _fleet(sources, drift, masters, incubator)
    similarity = _Similarity(fleet, reads, workers, options.fingerprint.shingle, cache)
    found, _ = _families(fleet, similarity, options, incubator, lambda: added,
                         lambda: None, _bucketed(pairs))  # fmt: skip
    similarity.save()
    copied: dict[str, set[str]] = {}
    for family in found:
        if family.grain is Grain.MODULE:
            for member in family.members:
                copied.setdefault(member.project, set()).add(member.path)
    names = [s.name for s in summaries]
    linked = [engine.submit(_links_on_worker, batch, [copied.get(n, set()) for n in share])
              for batch, share in held.shares(names)]  # fmt: skip
    imports = [
        ImportLink(name, rel, path, line)
        for share, links in zip(held.shares(names), engine.gather(linked), strict=True)
        for name, project_links in zip(share[1], links, strict=True)
        for rel, path, line in project_links
    ]
    info = None
    if incubator is not None:
        index = incubator.index
        info = IncubatorInfo(str(incubator.path), index.head, index.package_root)
    return ScanReport(
        projects=tuple(ProjectScan(s.name, str(s.path), s.bases, s.files, s.lines, s.head)
                       for s in summaries),
        families=tuple(found),
        candidates=tuple(algorithm.rank_candidates(found)),
        imports=tuple(imports),
        incubator=info,
        options=options,
    )  # fmt: skip


def _summaries(sources: list[_ProjectSource]) -> list[_Summary]:
    """What the client keeps of projects read on a worker (a cluster's task)."""
    found = []
    for s in sources:
        digest = hashlib.sha1()
        for rel, key in zip(s.paths, s.keys, strict=True):
            digest.update(f"\2{rel}\0{key}".encode())
        lines = sum(p.lines for p in s.prints if p is not None)
        found.append(_Summary(s.path, s.name, s.config, s.bases, s.head, s.config_digest,
                              s.salt, digest.hexdigest(), len(s.paths), lines))  # fmt: skip
    return found


def _summaries_key(
    summaries: list[_Summary],
    options: ScanOptions,
    repo: Path | None,
    repo_head: str | None,
    package_root: PackageRoot,
) -> str:
    """:func:`_report_key` from the projects' digests (a key of its own: a cluster's
    report is the same, but its key is not made of the same text)."""
    digest = hashlib.sha1(repr(("cluster", ANALYSIS_VERSION, replace(options, jobs=0))).encode())
    if repo is not None:
        digest.update(f"\0{repo}\0{repo_head}\0{package_root.path}".encode())
    for s in summaries:
        digest.update(f"\1{s.name}\0{s.path}\0{s.head}\0{s.config_digest}\0{s.digest}".encode())
    return digest.hexdigest()


def _placed(
    summaries: list[_Summary], drift: dict[int, list[CopyDrift]], incubator: Incubator | None
) -> list[set[str]]:
    """For each project, the files drift places as copies of a master lineage: all
    their units take part in the families (:func:`_fleet` gives them their lineage)."""
    found: list[set[str]] = [set() for _ in summaries]
    if incubator is None:
        return found
    for i, copies in drift.items():
        for copy in copies:
            if copy.master_path is not None and incubator.index.lineage(copy.master_path):
                found[i].add(copy.copy_path)
    return found


def _reductions(
    engine: Engine,
    emitted: list[Pending[list[_Part]]],
    masters: list[Source],
    options: ScanOptions,
) -> list[Pending[_Reduced]]:
    """The reductions, one per share of ``emitted``: each counts the units of its
    share of the keys and compares the signatures of its share of the LSH buckets,
    from every batch's part and the masters' (which the client has)."""
    parts = max(1, engine.workers)
    mastered = _emit(Fleet(masters, []), parts, options)
    estimate = options.min_similarity - algorithm.ESTIMATE_MARGIN
    return [
        engine.submit(_reduce, estimate, mastered[r],
                      *[engine.submit(operator.getitem, e, r) for e in emitted])
        for r in range(parts)
    ]  # fmt: skip


def _emit_batch(sources: list[_ProjectSource], parts: int, options: ScanOptions) -> list[_Part]:
    """A batch's units, counted and bucketed by reduction (a cluster's task)."""
    files = [
        Source(i, rel, found)
        for i, source in enumerate(sources)
        for rel, found in zip(source.paths, source.prints, strict=True)
    ]
    return _emit(Fleet(files, [s.name for s in sources]), parts, options)


def _emit(fleet: Fleet, parts: int, options: ScanOptions) -> list[_Part]:
    """The units of ``fleet``, as :func:`algorithm.units` takes them: each counted
    by its key, and each eligible key's signature in its bucket of every band."""
    import numpy as np

    found: list[_Part] = [({}, {}) for _ in range(parts)]
    for grain in Grain:
        signed: dict[str, bytes] = {}
        for unit in algorithm.units(fleet, grain):
            key = unit.print.key
            counts = found[int(key[:8], 16) % parts][0]
            counts[grain.value, key] = counts.get((grain.value, key), 0) + 1
            if key not in signed and algorithm.eligible_print(unit.print, options):
                signed[key] = unit.print.signature
        if not signed:
            continue
        keys = list(signed)
        buckets = band_keys([signed[k] for k in keys], options.fingerprint.bands)
        bands = np.broadcast_to(np.arange(buckets.shape[1], dtype=np.uint64), buckets.shape)
        share = (buckets + bands) % np.uint64(parts)
        for r in range(parts):
            rows, columns = np.nonzero(share == r)
            units = np.unique(rows)
            index = np.searchsorted(units, rows)
            found[r][1][grain.value] = (
                [keys[u] for u in units.tolist()],
                b"".join(signed[keys[u]] for u in units.tolist()),
                columns.astype(np.int64),
                buckets[rows, columns],
                index.astype(np.int64),
            )
    return found


def _reduce(min_estimate: float, *parts: _Part) -> _Reduced:
    """One reduction: keys seen twice or more, and the pairs sharing a bucket whose
    estimate is at least ``min_estimate`` (a cluster's task)."""
    import numpy as np

    counts: Counter[tuple[str, str]] = Counter()
    by_grain: dict[str, list[_Buckets]] = {}
    for part_counts, part_buckets in parts:
        counts.update(part_counts)
        for grain, share in part_buckets.items():
            by_grain.setdefault(grain, []).append(share)
    shared = {key for key, count in counts.items() if count >= 2}
    pairs: list[tuple[str, str, str, float]] = []
    for grain, shares in sorted(by_grain.items()):
        ids: dict[str, int] = {}  # a key from several batches is one unit
        signatures: list[bytes] = []
        bands, buckets, units = [], [], []
        for keys, signed, band, bucket, unit in shares:
            width = len(signed) // len(keys) if keys else 0
            local = []
            for n, key in enumerate(keys):
                if key not in ids:
                    ids[key] = len(ids)
                    signatures.append(signed[n * width : (n + 1) * width])
                local.append(ids[key])
            bands.append(band)
            buckets.append(bucket)
            units.append(np.array(local, dtype=np.int64)[unit])
        matrix = np.frombuffer(b"".join(signatures), dtype="<u4").reshape(len(ids), -1)
        names = list(ids)
        found = bucket_pairs(np.concatenate(bands), np.concatenate(buckets),
                             np.concatenate(units), matrix, min_estimate)  # fmt: skip
        for i, j, estimate in found:
            low, high = sorted((names[i], names[j]))
            pairs.append((grain, low, high, estimate))
    return shared, pairs


def _gathered_pairs(
    engine: Engine, reduced: list[Pending[_Reduced]]
) -> dict[str, dict[tuple[str, str], float]]:
    """The candidate pairs of every reduction, by grain (a pair two bands propose
    comes from two reductions, with the same estimate)."""
    found: dict[str, dict[tuple[str, str], float]] = {}
    for pairs in engine.gather([engine.submit(operator.getitem, r, 1) for r in reduced]):
        for grain, a, b, estimate in pairs:
            found.setdefault(grain, {})[a, b] = estimate
    return found


def _bucketed(pairs: dict[str, dict[tuple[str, str], float]]) -> algorithm.Candidates:
    """The candidates of :func:`algorithm.propose` from the reductions' pairs: those
    with an open class, as indexes into the eligible classes (as
    :func:`candidate_pairs` gives them)."""

    def candidates(
        grain: Grain, eligible: list[algorithm.Class], is_open: list[bool]
    ) -> list[tuple[int, int, float]]:
        index = {c.key: n for n, c in enumerate(eligible)}
        found = []
        for (a, b), estimate in pairs.get(grain.value, {}).items():
            i, j = index.get(a), index.get(b)
            if i is not None and j is not None and (is_open[i] or is_open[j]):
                found.append((min(i, j), max(i, j), estimate))
        return sorted(found)

    return candidates


def _wanted(*reduced: _Reduced) -> set[tuple[str, str]]:
    """The units that can matter: their keys are seen twice or more, or are in a
    candidate pair (a cluster's task)."""
    found: set[tuple[str, str]] = set()
    for shared, pairs in reduced:
        found |= shared
        found.update((grain, key) for grain, a, b, _ in pairs for key in (a, b))
    return found


def _keep(
    sources: list[_ProjectSource], placed: list[set[str]], wanted: set[tuple[str, str]]
) -> list[list[_Kept]]:
    """The files of a batch the client needs, each with the units that can matter
    (:func:`_wanted`), and every unit of a file drift places (a cluster's task)."""
    module, symbol = Grain.MODULE.value, Grain.SYMBOL.value
    found = []
    for source, whole in zip(sources, placed, strict=True):
        records: list[_Kept] = []
        for n, (rel, printed) in enumerate(zip(source.paths, source.prints, strict=True)):
            if printed is None:
                continue
            if rel not in whole:
                kept = printed.module
                if kept is not None and (module, kept.key) not in wanted:
                    kept = None
                symbols = tuple(u for u in printed.symbols if (symbol, u.key) in wanted)
                if kept is None and not symbols:
                    continue
                printed = replace(printed, module=kept, symbols=symbols)
            added = source.added.get(rel) if source.added else None
            printed = replace(printed, imports=())  # the links are made on the worker
            records.append((n, rel, source.keys[n], source.sizes[n], printed, added))
        found.append(records)
    return found


def _kept_source(summary: _Summary, records: list[_Kept]) -> _ProjectSource:
    """A project as the client holds it: the files it needs, in walk order."""
    return _ProjectSource(
        summary.path, summary.name, summary.config, summary.bases, summary.head,
        summary.config_digest, [r[1] for r in records], summary.salt,
        [r[2] for r in records], [r[3] for r in records], [r[4] for r in records],
        {r[1]: r[5] for r in records if r[5] is not None},
    )  # fmt: skip


def _links_on_worker(
    sources: list[_ProjectSource], copied: list[set[str]]
) -> list[list[tuple[str, str, int]]]:
    """Each project's import links (see :func:`_import_links`), given the paths of
    its files that are members of module families (a cluster's task)."""
    found = []
    for source, members in zip(sources, copied, strict=True):
        imports = [p.imports if p is not None else () for p in source.prints]
        links = []
        for rel, targets in zip(source.paths, imported_files(source.paths, imports), strict=True):
            if rel not in members:
                links += [(rel, path, line) for path, line in targets if path in members]
        found.append(links)
    return found


def _projects_on_worker(
    paths: list[Path],
    settings: FingerprintSettings,
    package_root: PackageRoot,
    cache_dir: str | None,
) -> list[_ProjectSource]:
    """Projects read, hashed and fingerprinted, with their git heads and the dates git
    added their files: a cluster's task, with the worker's own cache (the steps
    :func:`_scan` and :func:`_scan_anew` take for the whole fleet on one machine)."""
    cache = worker_cache(cache_dir)
    heads = project_heads(paths)
    with _few_collections(), AddedDates(paths, heads, cache) as dates:
        sources = [
            _read_project(path, head, settings, package_root)
            for path, head in zip(paths, heads, strict=True)
        ]
        jobs, slots = _project_jobs(sources, cache)
        if jobs:
            _store_prints(0, fingerprint_records(jobs, package_root, settings), slots, [], cache)
        added = dates.result([source.paths for source in sources])
    for i, source in enumerate(sources):
        source.added = added.get(i)
    return sources


def _cache_dir(cache: Cache | None) -> str | None:
    """The cache's directory, which a cluster's workers open as their own cache (on
    one machine the same file, which many processes may share; on a cluster each
    machine's)."""
    return str(cache.path.parent) if cache is not None else None


def _drift_on(
    engine: Engine, sources: Sequence[_Summary], incubator: Incubator | None, cache: Cache | None
) -> Callable[[], dict[int, list[CopyDrift]]]:
    """:func:`_drift` as one task per project on ``engine``; the returned function
    waits for them."""
    pending = {}
    if incubator is not None:
        index = incubator.index
        for i, source in enumerate(sources):
            if source.config.base:
                pending[i] = engine.submit(
                    _copies_on_worker, str(incubator.path), index.package_root, index.head,
                    _cache_dir(cache), source.path, source.config,
                )  # fmt: skip
    return lambda: dict(zip(pending, engine.gather(list(pending.values())), strict=True))


def _copies_on_worker(
    repo: str,
    package_root: PackageRoot,
    commit: str,
    cache_dir: str | None,
    path: Path,
    config: ProjectConfig,
) -> list[CopyDrift]:
    """The copies drift locates in one project: a cluster's task (see :func:`_drift`)."""
    from oslo_incubator.history.provenance import analyse_project

    incubator = worker_incubator(repo, package_root, commit, cache_dir)
    drift = analyse_project(incubator, path, config, worker_cache(cache_dir))
    return [c for c in drift.copies if c.copy_path.endswith(".py")]
