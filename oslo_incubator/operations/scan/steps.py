"""The steps of a scan both its paths take, on this machine's worker pool or on a
cluster: reading the projects and their git, fingerprints from the cache or the
workers, the exact similarity of the pairs compared (with its cache), the imports of
copies by project code, and the family step.
"""

from __future__ import annotations

import gc
import hashlib
import os
import platform
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from oslo_incubator.analysis import families as algorithm
from oslo_incubator.analysis.families import Added, Fleet, Source, Unit
from oslo_incubator.analysis.fingerprint import jaccard
from oslo_incubator.analysis.imports import imported_files
from oslo_incubator.history.workers import (
    Content,
    InRepo,
    Job,
    OnDisk,
    Record,
    ShingleJob,
    Workers,
    check_unchanged,
    file_key,
)
from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.drift import CopyDrift
from oslo_incubator.model.errors import UnreadableFileError
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.scan import (
    ANALYSIS_VERSION,
    Family,
    FilePrint,
    FingerprintSettings,
    Grain,
    ImportLink,
    Master,
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
    from oslo_incubator.operations.scan.cluster import _Summary

# Top-level packages that are not the project's own code name.
NOT_BASES = frozenset({"tests", "test", "doc", "docs", "tools", "bin", "etc", "examples"})
MIN_BASE_LENGTH = 4  # folding every "one" or "api" substring would blur unrelated text
GC_THRESHOLD = 100_000  # new containers between two collections while scanning
_UNREADABLE_RECORD = (ValueError, TypeError, KeyError, IndexError, AttributeError)
T = TypeVar("T")


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


# reading projects


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


def _cached_report(cache: Cache | None, key: str, options: ScanOptions) -> ScanReport | None:
    """The report the cache holds under ``key``, if any (an unreadable entry is
    recomputed, never trusted)."""
    cached = cache.get("scan-report", key) if cache is not None else None
    if cached is None:
        return None
    try:
        return report_from_json(cached, options)
    except _UNREADABLE_RECORD:
        return None


def _keep_report(cache: Cache | None, key: str, report: ScanReport) -> ScanReport:
    """``report``, kept in the cache under ``key``."""
    if cache is not None:
        cache.put("scan-report", key, report_to_json(report))
    return report


# fingerprints, from the cache or the workers


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


# exact similarity, with its cache


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


# imports of copies by project code


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
