"""Scan and drift of a fleet: this machine's process pool against a Dask LocalCluster.

Usage::

    python benchmarks/fleet.py                                  # generated fleets only
    python benchmarks/fleet.py --real DIR --incubator INC   # DIR: real checkouts

Both run ``oslo-incubator`` as a user does, in a subprocess, cold (a new, empty cache
directory) and then warm (the same cache again: a re-scan of an unchanged fleet), with
the same number of processes: ``-j N`` for the local pool, a
LocalCluster of N worker processes of one thread each for ``--scheduler`` (started
before the timed run and stopped after it, as an operator's cluster would already be
running). Every figure is the best wall time of ``--rounds`` rounds, each round
running both commands, so that the load others put on a shared machine falls on both.

Memory: the client is the ``oslo-incubator`` process (its peak resident set, from
``wait4``); the workers are the local pool's processes or the cluster's worker
processes, each sampled every 20 ms (peak resident set of each; their largest is
shown, with how many there were). The scheduler and nannies of the LocalCluster are
one more process, shown apart.

Generated fleets (``--sizes``, default 100 and 1000 projects) are git repositories of
about 16 files of 80 lines each: shared modules copied whole or changed a little, and
code of each project's own; they are built once under ``--work`` and reused. The real
fleet is every directory of ``--real``; drift runs on those of them with an
``openstack-common.conf``, against ``--incubator``.

The outputs of the two runs are compared (md5): the cluster must print the same report.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OI = str(BIN / "oslo-incubator")

CLUSTER = """
import sys, time
from distributed import LocalCluster
cluster = LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True,
                       dashboard_address=":0")
print(cluster.scheduler_address, flush=True)
while True:
    time.sleep(3600)
"""


@dataclass(frozen=True)
class Run:
    """One measured command."""

    wall: float  # seconds
    cpu: float  # seconds of CPU of the oslo-incubator process (and what it waited for)
    client: float  # MB, peak RSS of the oslo-incubator process
    workers: tuple[float, ...]  # MB, peak RSS of each worker process
    scheduler: float | None  # MB, the LocalCluster's own process (scheduler, nannies)
    digest: str  # md5 of the output


def main() -> None:
    """Parse the arguments, build the fleets, run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="generated fleet sizes")
    parser.add_argument("--real", type=Path, help="a directory of real checkouts")
    parser.add_argument("--incubator", type=Path, help="the incubator, for drift and scan")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "fleet-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs; {args.workers} processes each way; best of {args.rounds} "
          f"rounds; cold (an empty cache), then warm (the same cache)\n")  # fmt: skip
    rows: list[tuple[str, str, Run, Run]] = []
    args.caches = args.work / "caches"
    for size in [int(s) for s in args.sizes.split(",") if s]:
        fleet = generated_fleet(args.work / f"generated-{size}", size)
        rows += compare(f"generated {size}", "scan", fleet, args)
    if args.real is not None:
        real = sorted(p for p in args.real.iterdir() if (p / ".git").exists())
        inc = ["--incubator", str(args.incubator)] if args.incubator else []
        rows += compare(f"real {len(real)}", "scan", fleet_file(args.work, real), args, inc)
        if args.incubator:
            conf = [p for p in real if (p / "openstack-common.conf").exists()]
            rows += compare(f"real {len(conf)}", "drift", fleet_file(args.work, conf), args, inc)
    print_table(rows)


# Fleets


def fleet_file(work: Path, projects: list[Path]) -> Path:
    """A fleet file listing ``projects``."""
    path = work / f"fleet-{hashlib.md5(str(projects).encode()).hexdigest()[:8]}.txt"
    path.write_text("".join(f"{p}\n" for p in projects))
    return path


SHARED = 8  # shared modules a fleet's projects copy from
OWN = 12  # modules of each project's own


def generated_fleet(root: Path, size: int) -> Path:
    """``size`` git repositories under ``root`` (built once), and their fleet file."""
    listing = root / "fleet.txt"
    if listing.exists():
        return listing
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    rng = random.Random(size)
    shared = [_module(rng, f"shared{n}") for n in range(SHARED)]
    paths = []
    for n in range(size):
        base = f"proj{n:05d}"
        files = {f"{base}/__init__.py": "", f"{base}/common/__init__.py": ""}
        for m in rng.sample(range(SHARED), 4):
            text = shared[m].replace("shared", base)
            if rng.random() < 0.2:  # a near copy: one line changed
                text = text.replace("return total", "return total + 1", 1)
            files[f"{base}/common/shared{m}.py"] = text
        for m in range(OWN):
            files[f"{base}/own{m}.py"] = _module(rng, f"{base}_{m}")
        project = root / base
        for rel, text in files.items():
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_text(text)
        _git(project, "init", "-q")
        _git(project, "add", "-A")
        _git(project, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "import")
        paths.append(project)
    listing.write_text("".join(f"{p}\n" for p in paths))
    return listing


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _module(rng: random.Random, prefix: str) -> str:
    """About 80 lines of functions with names and constants of their own."""
    out = [f'"""Module {prefix}."""\n\nimport os\n']
    for f in range(6):
        name = f"{prefix}_{''.join(rng.choices('abcdefghij', k=6))}_{f}"
        a, b = rng.randint(1, 99), rng.randint(1, 99)
        out.append(
            f"\n\ndef {name}(items, limit={a}):\n"
            f'    """Sum what passes in items, up to {b}."""\n'
            f"    total = {rng.randint(0, 9)}\n"
            f"    for item in items:\n"
            f"        if item > limit or item == {b}:\n"
            f"            continue\n"
            f"        total += item * {rng.randint(2, 9)}\n"
            f"        if total > {a * b}:\n"
            f"            break\n"
            f"    os.environ.get('{name.upper()}')\n"
            f"    return total\n"
        )
    return "".join(out)


# Measuring


def compare(
    label: str, command: str, fleet: Path, args: argparse.Namespace, extra: list[str] = ()
) -> list[tuple[str, str, Run, Run]]:
    """The local pool's best runs and the cluster's, cold and warm, of ``command`` on
    ``fleet``."""
    base = [OI, command, "--format", "json", *extra, "--fleet", str(fleet)]
    jobs = ["-j", str(args.workers)] if command == "scan" else []
    runs: dict[str, list[Run]] = {}
    for _ in range(args.rounds):
        for way in ("local", "cluster"):
            shutil.rmtree(args.caches, ignore_errors=True)
            cache = ["--cache-dir", str(args.caches)]
            for temperature in ("cold", "warm"):
                if way == "local":
                    run = measure([*base[:2], *jobs, *base[2:], *cache], None)
                else:
                    with local_cluster(args.workers) as (address, cluster):
                        run = measure([*base, *cache, "--scheduler", address], cluster)
                runs.setdefault(f"{way} {temperature}", []).append(run)
                print(f"  {label} {command} {way} {temperature}: {run.wall:.1f} s",
                      file=sys.stderr)  # fmt: skip
    shutil.rmtree(args.caches, ignore_errors=True)
    best = {name: min(found, key=lambda r: r.wall) for name, found in runs.items()}
    rows = []
    for temperature in ("cold", "warm"):
        local, remote = best[f"local {temperature}"], best[f"cluster {temperature}"]
        if local.digest != remote.digest:
            print(f"{label} {command}: the cluster's report differs!", file=sys.stderr)
        rows.append((label, f"{command} {temperature}", local, remote))
    return rows


class local_cluster:  # noqa: N801 - a context manager, used as a function
    """A LocalCluster of ``workers`` processes in a process of its own."""

    def __init__(self, workers: int):
        self.workers = workers

    def __enter__(self) -> tuple[str, psutil.Process]:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CLUSTER, str(self.workers)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        address = self.proc.stdout.readline().strip()
        cluster = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + 60
        while len(_workers(cluster)) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        return address, cluster

    def __exit__(self, *exc: object) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _workers(cluster: psutil.Process) -> list[psutil.Process]:
    """The cluster's worker processes (spawned children running a worker)."""
    try:
        return [c for c in cluster.children() if "spawn" in " ".join(c.cmdline())]
    except psutil.Error:
        return []


def _is_git(proc: psutil.Process) -> bool:
    try:
        return proc.name().startswith("git")
    except psutil.Error:
        return True


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children(recursive=True)
    except psutil.Error:
        return []


def measure(command: list[str], cluster: psutil.Process | None) -> Run:
    """Run ``command``; its wall time, peak memories and output digest."""
    peaks: dict[int, float] = {}
    stop = threading.Event()

    def sample(proc: psutil.Process) -> None:
        while not stop.is_set():
            if cluster is not None:
                watched = _workers(cluster)
            else:  # the pool's processes, not git's
                watched = [c for c in _children(proc) if not _is_git(c)]
            if cluster is not None:
                watched.append(cluster)
            for p in watched:
                try:
                    rss = p.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
            stop.wait(0.02)

    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = threading.Thread(target=sample, args=(psutil.Process(child.pid),), daemon=True)
    sampler.start()
    out = child.stdout.read() if child.stdout else b""
    err = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n{err.decode()}")
    scheduler = peaks.pop(cluster.pid, None) if cluster is not None else None
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024, tuple(sorted(peaks.values(), reverse=True)),
               scheduler, hashlib.md5(out).hexdigest())  # fmt: skip


def print_table(rows: list[tuple[str, str, Run, Run]]) -> None:
    """One line per fleet and command: time, client and worker memory, each way."""
    head = (f"{'fleet':<15} {'cmd':<10} | {'local s':>7} {'cluster s':>9} {'ratio':>5} "
            f"{'client cpu s':>12} | "
            f"{'client MB local':>15} {'cluster':>7} | {'worker MB local':>15} "
            f"{'cluster':>7} | {'sched MB':>8} | same")  # fmt: skip
    print(head)
    print("-" * len(head))
    for label, command, local, remote in rows:
        lw = max(local.workers, default=0.0)
        rw = max(remote.workers, default=0.0)
        print(f"{label:<15} {command:<10} | {local.wall:7.1f} {remote.wall:9.1f} "
              f"{remote.wall / local.wall:5.2f} {remote.cpu:12.1f} | "
              f"{local.client:15.0f} {remote.client:7.0f} | "
              f"{lw:15.0f} {rw:7.0f} | {remote.scheduler or 0:8.0f} | "
              f"{'yes' if local.digest == remote.digest else 'NO'}")  # fmt: skip
    print(
        "\nclient cpu s: CPU time of the oslo-incubator process in the cluster run (what "
        "does not spread over workers);\nworker MB: the largest worker process's peak "
        "resident set (local pool: 0 when the scan ran in one process)"
    )


if __name__ == "__main__":
    main()
