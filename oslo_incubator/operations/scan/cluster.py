"""A scan on a cluster (an ``engine``, see ``workflows/cluster.py``).

The projects' full fingerprints stay on the workers (``held``: one result per batch of
projects); the client receives what a report needs: a summary per project, the files
whose units can end up in a family, the candidate pairs, the import links. Which units
can end up in one is decided by two reductions on the workers: the units whose content
key occurs twice or more in the fleet (masters included), and the LSH buckets
(:func:`band_keys`, :func:`bucket_pairs`). A unit outside both, in a file drift does
not place, is an exact class of one with no master and no near neighbour: the family
algorithm would drop it, so the client never sees it.
"""

from __future__ import annotations

import hashlib
import operator
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oslo_incubator.analysis import families as algorithm
from oslo_incubator.analysis.families import Fleet, Source
from oslo_incubator.analysis.fingerprint import band_keys, bucket_pairs
from oslo_incubator.analysis.imports import imported_files
from oslo_incubator.history.added import AddedDates, project_heads
from oslo_incubator.history.git import resolve_commit
from oslo_incubator.history.resident import worker_cache, worker_incubator
from oslo_incubator.history.workers import (
    Engine,
    Pending,
    Progress,
    Workers,
    fingerprint_records,
)
from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.drift import CopyDrift
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.scan import (
    ANALYSIS_VERSION,
    FilePrint,
    FingerprintSettings,
    Grain,
    ImportLink,
    IncubatorInfo,
    ProjectScan,
    ScanOptions,
    ScanReport,
)
from oslo_incubator.operations.scan.steps import (
    T,
    _cached_report,
    _content,
    _families,
    _few_collections,
    _fleet,
    _keep_report,
    _master_files,
    _master_jobs,
    _name_uniquely,
    _project_jobs,
    _ProjectSource,
    _read_project,
    _Similarity,
    _store_prints,
)
from oslo_incubator.workspace.cache import Cache

if TYPE_CHECKING:
    from oslo_incubator.history.incubator import Incubator

# Projects are read a few a task (a task's round trip costs about as much as reading a
# small project), in at least this many tasks per worker to share out.
MAX_PROJECTS_PER_TASK = 16
TASKS_PER_WORKER = 16


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
        cached = _cached_report(cache, report_key, options)
        if cached is not None:
            return cached
        fleet = _Held(held, emitted, [len(batch) for batch in found], summaries)
        report = _scan_anew_on(engine, workers, fleet, incubator, masters, master_slots,
                               options, cache, progress)  # fmt: skip
    return _keep_report(cache, report_key, report)


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
