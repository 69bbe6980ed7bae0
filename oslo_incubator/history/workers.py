"""Scan's worker pool: files fingerprinted and tokenised again on worker processes.

In ``history`` because the workers read master versions from the incubator's
repository themselves (one ``git cat-file --batch`` per chunk, :func:`read_blobs`), and
this is the lowest layer that runs git; not in ``operations``, where only operations
live and none imports another. A worker reads a project file again from disk rather
than receive its text: holding a whole fleet's text in the scan and sending it costs
more than reading it twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from oslo_incubator.analysis.fingerprint import (
    fingerprint,
    folded_bytes,
    line_offsets,
    lines_tokens,
    shingle_set,
)
from oslo_incubator.history.git import read_blobs
from oslo_incubator.model.errors import FileChangedError
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.scan import FingerprintSettings
from oslo_incubator.model.scan_codec import print_to_json

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from oslo_incubator.analysis.fingerprint import Hashes

Progress = Callable[[str, int, int], None]
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

CHUNK_BYTES = 256 * 1024  # work handed to a worker process at once
MIN_POOL_FILES = 64  # below this, starting processes costs more than it saves
_BLOB_SIZE = 16 * 1024  # what a master version is taken to weigh when chunking


class OnDisk(NamedTuple):
    """A project file a worker reads, what its content key hashes first, and its size
    when the scan hashed it."""

    path: str
    salt: bytes
    size: int


class InRepo(NamedTuple):
    """A master version a worker reads from the incubator's repository."""

    repo: str
    blob: str


Content = OnDisk | InRepo
Job = tuple[Content, tuple[str, ...], bool]  # content, bases to fold, find symbols
# Content, bases, and the line ranges of the units wanted (None: the whole module).
ShingleJob = tuple[Content, tuple[str, ...], list[tuple[int, int] | None]]
Record = tuple[str, list[Any]]  # the content key read, the fingerprint's cache form


class Pending(Protocol[T_co]):
    """A task's result to come: a ``concurrent.futures.Future`` or a Dask future."""

    def result(self) -> T_co:
        """The result, once the task is done (its exception, if it raised)."""
        ...


class Engine(Protocol):
    """Where scan's and drift's tasks run when not on this machine's process pool: a
    cluster (``workflows/cluster.py`` adapts Dask to this). Tasks are plain functions
    of this package with picklable arguments, or the :class:`Pending` results of
    earlier tasks of the same engine, which the task receives as their values (their
    data need not pass through this process); the engine may run one twice (a worker
    lost), so each must give the same result however often it runs."""

    workers: int  # how many tasks run at once, for chunking

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Pending[T]:
        """Start ``fn(*args)`` somewhere."""
        ...

    def as_completed(self, pending: Sequence[Pending[Any]]) -> Iterator[Pending[Any]]:
        """``pending`` in the order their tasks finish."""
        ...

    def gather(self, pending: Sequence[Pending[T]]) -> list[T]:
        """The results of ``pending``, in order, fetched at once."""
        ...


def file_key(salt: bytes, content: bytes) -> str:
    """A project file's content key: what it was read with (``salt``) and its bytes."""
    digest = hashlib.sha1(salt)
    digest.update(content)
    return digest.hexdigest()


def check_unchanged(path: str, key: str, expected: str | None) -> None:
    """Fail when a worker read other content than the scan first hashed.

    Raises:
        FileChangedError: the file changed while the scan ran.
    """
    if key != expected:
        raise FileChangedError("changed while the scan read it; scan again", path)


def fingerprint_records(
    jobs: list[Job], package_root: PackageRoot, settings: FingerprintSettings
) -> list[Record]:
    """Fingerprint several files into their cache form, each with the content key
    of what was read from disk ("" for a master version; runs in a worker process)."""
    found = []
    for (data, key), (_, bases, symbols) in zip(_read_all(jobs), jobs, strict=True):
        found.append(
            (key, print_to_json(fingerprint(data, bases, package_root, settings, symbols)))
        )
    return found


def shingle_records(
    jobs: list[ShingleJob], package_root: PackageRoot, shingle: int
) -> list[tuple[str, list[Hashes]]]:
    """The shingle sets of units of files, each with the content key of what was read
    from disk ("" for a master version; runs in a worker process)."""
    results = []
    for (data, key), (_, bases, ranges) in zip(_read_all(jobs), jobs, strict=True):
        folded = folded_bytes(data, bases, package_root)
        offsets = line_offsets(folded)
        sets = [shingle_set(lines_tokens(folded, offsets, lines), shingle) for lines in ranges]
        results.append((key, sets))
    return results


def _read_all(jobs: Sequence[tuple[Any, ...]]) -> list[tuple[bytes, str]]:
    """The text of each job's content (its first item), and its content key when it
    was read from disk (else ""). Master versions are read with one git process."""
    blobs: dict[str, list[str]] = {}
    for content, *_ in jobs:
        if isinstance(content, InRepo):
            blobs.setdefault(content.repo, []).append(content.blob)
    texts = {repo: read_blobs(Path(repo), wanted) for repo, wanted in blobs.items()}
    found = []
    for content, *_ in jobs:
        if isinstance(content, InRepo):
            found.append((texts[content.repo].get(content.blob, b""), ""))
        else:
            try:
                with open(content.path, "rb") as file:
                    data = file.read()
            except OSError:  # gone since the scan hashed it: the key check fails
                found.append((b"", ""))
                continue
            found.append((data, file_key(content.salt, data)))
    return found


def _chunks(jobs: Sequence[Any]) -> list[list[Any]]:
    """Jobs (content first) cut into chunks of about ``CHUNK_BYTES`` of content."""
    chunks: list[list[Any]] = [[]]
    size = 0
    for job in jobs:
        if size > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(job)
        content = job[0]
        size += _BLOB_SIZE if isinstance(content, InRepo) else content.size
    return chunks if chunks[0] else []


class Workers:
    """Fingerprint jobs on worker processes, or here when there are few of them; a
    context manager that stops the processes on leaving.

    Jobs come in batches (:meth:`add`): the project files first, so that the workers
    start on them while the incubator's history is read. The processes start (fork)
    with the first large batch, before any thread of the scan exists.
    """

    def __init__(
        self,
        package_root: PackageRoot,
        settings: FingerprintSettings,
        workers: int,
        engine: Engine | None = None,
    ):
        self.package_root = package_root
        self.settings = settings
        self.workers = workers
        self.engine = engine  # a cluster's, used as it is and never stopped here
        self.pool: ProcessPoolExecutor | None = None
        self.count = 0  # jobs added so far
        self.here: list[tuple[int, Job]] = []  # jobs for this process, by job index
        # A chunk's results, and the index of its first job and how many it holds.
        self.futures: dict[Pending[list[Record]], tuple[int, int]] = {}

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def add(self, jobs: list[Job]) -> None:
        """Start fingerprinting ``jobs``; their indexes follow those of earlier batches."""
        first = self.count
        self.count += len(jobs)
        if self.engine is not None:
            self._submit(jobs, first)
            return
        if self.pool is None and self.workers > 1 and len(jobs) >= MIN_POOL_FILES:
            # Imported here: a warm scan starts no process and need not pay for it.
            from concurrent.futures import ProcessPoolExecutor

            # Loaded before the processes fork, which then share it instead of each
            # loading it (fingerprints load it on first use).
            import numpy  # noqa: F401

            try:
                self.pool = ProcessPoolExecutor(max_workers=self.workers)
                self._submit(jobs, first)
                return
            except (OSError, NotImplementedError):  # no processes here: work in this one
                self.close()
        if self.pool is None:
            self.here += enumerate(jobs, start=first)
        else:
            self._submit(jobs, first)

    def _submit(self, jobs: list[Job], first: int) -> None:
        submit = self._submitter()
        for chunk in _chunks(jobs):
            future = submit(fingerprint_records, chunk, self.package_root, self.settings)
            self.futures[future] = (first, len(chunk))
            first += len(chunk)

    def _submitter(self) -> Callable[..., Pending[Any]]:
        if self.engine is not None:
            return self.engine.submit
        assert self.pool is not None
        return self.pool.submit

    def completed(self, progress: Progress | None) -> Iterator[tuple[int, list[Record]]]:
        """The content key read and the record of every job, a chunk at a time as the
        workers finish them: (index of the chunk's first job, its results)."""
        done = 0
        for index, job in self.here:
            yield index, fingerprint_records([job], self.package_root, self.settings)
            done += 1
            if progress is not None:
                progress("fingerprints", done, self.count)
        self.here = []
        if self.futures:
            if self.engine is not None:
                finished: Iterator[Pending[list[Record]]] = self.engine.as_completed(
                    list(self.futures)
                )
            else:
                from concurrent.futures import as_completed

                finished = as_completed(self.futures)  # type: ignore[arg-type]
            for future in finished:
                first, size = self.futures[future]
                yield first, future.result()
                done += size
                if progress is not None:
                    progress("fingerprints", done, self.count)

    def shingles(self, jobs: list[ShingleJob], shingle: int) -> Callable[[], list[Any]]:
        """Start :func:`shingle_records` over chunks of ``jobs``; the returned function
        waits for the results, in job order."""
        if self.pool is None and self.engine is None:
            results = shingle_records(jobs, self.package_root, shingle)
            return lambda: results
        submit = self._submitter()
        futures = [
            submit(shingle_records, chunk, self.package_root, shingle) for chunk in _chunks(jobs)
        ]
        return lambda: [result for future in futures for result in future.result()]

    def close(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
            self.futures = {}
        elif self.engine is not None:
            self.futures = {}
