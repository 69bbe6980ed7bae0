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
buckets) decide which files the client needs for the family algorithm (``cluster``).
The report is the same. The steps both paths share are in ``steps``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from oslo_incubator.analysis import families as algorithm
from oslo_incubator.analysis.families import Added
from oslo_incubator.history.added import AddedDates, project_heads
from oslo_incubator.history.git import resolve_commit
from oslo_incubator.history.workers import Engine, Progress, Workers
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.scan import IncubatorInfo, ProjectScan, ScanOptions, ScanReport
from oslo_incubator.operations.scan.cluster import _scan_on
from oslo_incubator.operations.scan.steps import (
    _cached_report,
    _content,
    _drift,
    _families,
    _few_collections,
    _fleet,
    _import_links,
    _imported_files,
    _keep_report,
    _master_files,
    _master_jobs,
    _name_uniquely,
    _project_jobs,
    _ProjectSource,
    _read_project,
    _report_key,
    _Similarity,
    _store_prints,
    _unique,
)
from oslo_incubator.workspace.cache import Cache


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
    cached = _cached_report(cache, report_key, options)
    if cached is not None:
        return cached
    report = _scan_anew(sources, options, repo, package_root, cache, dates, progress)
    return _keep_report(cache, report_key, report)


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
