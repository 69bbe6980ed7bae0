"""Scan and drift on a Dask distributed cluster: the one module that knows Dask.

``scan --scheduler`` and ``drift --scheduler`` connect here (:func:`connect`) and hand
the operations an engine (:class:`~oslo_incubator.history.workers.Engine`) whose tasks
run on the cluster's workers; the operations run the same functions on it as on this
machine's process pool, so their reports are the same. ``dask`` and ``distributed``
are an optional extra (``pip install 'oslo-incubator[cluster]'``), imported only
here and only when a scheduler is given.

A fleet file's repositories (:func:`fleet_paths`) are made readable by the workers
too: a path is read where it is (a shared filesystem on a cluster), a git URL or a
path at a revision is cloned by a worker into a directory of clones.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from oslo_incubator.history.clone import materialise_all
from oslo_incubator.history.workers import Engine, Pending
from oslo_incubator.model.errors import ClusterError
from oslo_incubator.model.fleet import FleetEntry

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
CONNECT_TIMEOUT = "20s"
# Tasks run one at a time in a worker process whatever its thread count: parsing is not
# thread-safe (CPython 3.11's ast constructor fails under threads, and the parse
# warnings are captured with the process-wide warnings filters).
_ONE_TASK_AT_A_TIME = threading.Lock()

# A fleet file streams: its entries are made ready a batch per task (a path is one
# stat, a task's round trip costs more), a bounded number of batches at once.
ENTRIES_PER_TASK = 64
BATCHES_IN_FLIGHT = 16


class DaskEngine:
    """An :class:`~oslo_incubator.history.workers.Engine` over a Dask client.

    Tasks are submitted impure (each runs, none is deduplicated by its arguments);
    a worker lost mid-task has its tasks run again elsewhere by the scheduler, which
    changes nothing: every task is a function of its arguments and of content-keyed
    caches.
    """

    def __init__(self, client: Client):
        self.client = client
        # Worker processes, not threads: each runs one task at a time (_run_alone).
        self.workers = max(1, len(client.nthreads()))

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Pending[T]:
        """Start ``fn(*args)`` on a worker, alone in its process."""
        # Named for the function it runs (what the cluster's dashboard shows).
        key = f"{getattr(fn, '__name__', 'task')}-{uuid.uuid4().hex}"
        future: Pending[T] = self.client.submit(_run_alone, fn, *args, key=key, pure=False)
        return future

    def as_completed(self, pending: Sequence[Pending[Any]]) -> Iterator[Pending[Any]]:
        """``pending`` as their tasks finish."""
        from distributed import as_completed

        found: Iterator[Pending[Any]] = iter(as_completed(pending, loop=self.client.loop))
        return found

    def gather(self, pending: Sequence[Pending[T]]) -> list[T]:
        """The results of ``pending``, in order, in one exchange with the cluster."""
        found: list[T] = self.client.gather(list(pending))
        return found


def _run_alone(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, while no other task of ours runs in this worker process."""
    with _ONE_TASK_AT_A_TIME:
        return fn(*args)


@contextmanager
def connect(address: str) -> Iterator[Engine]:
    """An engine on the cluster whose scheduler listens at ``address``; the client is
    closed on leaving (the cluster goes on).

    Raises:
        ClusterError: Dask is not installed, or the scheduler does not answer.
    """
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "--scheduler needs Dask: pip install 'oslo-incubator[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        yield DaskEngine(client)
    finally:
        client.close()


def fleet_paths(
    entries: Iterable[FleetEntry], clones: Path, engine: Engine | None = None
) -> list[Path]:
    """Where each repository of a fleet can be read, in the fleet's order: paths as
    they are, clones made under ``clones`` by ``engine``'s workers (by this process
    without one). The entries are consumed as they come, in batches of
    ``ENTRIES_PER_TASK``, a bounded number of batches at once.

    Raises:
        FleetFileError: an entry cannot be read or cloned (its file and line).
    """
    if engine is None:
        return materialise_all(list(entries), str(clones))
    found: list[Path] = []
    window: deque[Pending[list[Path]]] = deque()
    for batch in _batches(entries, ENTRIES_PER_TASK):
        window.append(engine.submit(materialise_all, batch, str(clones)))
        if len(window) >= BATCHES_IN_FLIGHT:
            found += window.popleft().result()
    for pending in window:
        found += pending.result()
    return found


def _batches(entries: Iterable[FleetEntry], size: int) -> Iterator[list[FleetEntry]]:
    batch: list[FleetEntry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
