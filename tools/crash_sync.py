#!/usr/bin/env python3
"""Kill a real sync at many points and check that the project ends as before or complete.

For each kill point: reset a clone of the project, start ``oslo-incubator sync`` (or
``migrate``), send SIGINT or SIGKILL at that point, then run ``oslo-incubator recover``
and compare the tree with the tree before and the tree a whole run leaves. Points are
spread over a whole run's duration, and, to land inside the short write itself, taken
relative to the moment the transaction's journal appears.

A maintainer tool: it writes only in its work directory and is never run by the tests.
Example::

    python tools/crash_sync.py --project /tmp/real/nova-2014.1 \\
        --incubator /tmp/real/inc-2014-06 --points 24
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".oslo-incubator.tmp"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True, help="a git work tree")
    parser.add_argument("--incubator", type=Path, required=True)
    parser.add_argument("--points", type=int, default=24)
    parser.add_argument("--migrate", default=None, help="run migrate --library this instead")
    parser.add_argument("--module", action="append", default=[], help="for --migrate")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="crash-sync-"))
    clone = workdir / "project"
    if not clone.exists():
        subprocess.run(["git", "clone", "-q", str(args.project), str(clone)], check=True)
    exe = shutil.which("oslo-incubator") or str(Path(sys.executable).parent / "oslo-incubator")
    cache = ["--cache-dir", str(workdir / "cache")]
    if args.migrate:
        command = [exe, "migrate", str(clone), "--library", args.migrate, "--force"]
        command += [a for m in args.module for a in ("--module", m)]
    else:
        command = [exe, "sync", str(clone), "--incubator", str(args.incubator), "--force",
                   "--allow-conflicts", *cache]  # fmt: skip

    reset(clone)
    before = snapshot(clone)
    duration, window = timed_run(command, clone)
    after = snapshot(clone)
    changed = sum(1 for p in set(before) | set(after) if before.get(p) != after.get(p))
    print(f"a whole run takes {duration:.2f} s, its write {window:.3f} s; {changed} files change")
    half = args.points // 2
    rest = args.points - half
    plans = [("time", duration * (n + 1) / (half + 1)) for n in range(half)]
    plans += [("journal", window * n / rest) for n in range(rest)]
    results = []
    for n, (anchor, delay) in enumerate(plans):
        sig = signal.SIGKILL if n % 2 else signal.SIGINT
        reset(clone)
        outcome = crash_once(command, clone, anchor, delay, sig)
        recovered = subprocess.run([exe, "recover", str(clone)], capture_output=True, text=True)
        tree = snapshot(clone)
        state = "before" if tree == before else "complete" if tree == after else "OTHER"
        stray = [p for p in tree if p.endswith(TEMP_SUFFIX) or p.startswith(".git/oslo-incubator")]
        ok = state != "OTHER" and not stray and recovered.returncode == 0
        results.append(ok)
        said = recovered.stdout.strip().splitlines()[0][:60] if recovered.stdout else "-"
        verdict = "ok" if ok else "FAIL " + ", ".join(stray[:3])
        print(f"{n + 1:3} {sig.name:7} at {anchor} +{delay:6.3f}s: {outcome:24} -> {state:8}"
              f" recover: {said:60} {verdict}")  # fmt: skip
    print(f"\n{sum(results)} of {len(results)} kill points ended as before or complete")
    return 0 if all(results) else 1


def timed_run(command: list[str], clone: Path) -> tuple[float, float]:
    """Run the command whole: its duration, and how long its journal existed."""
    journal = clone / ".git" / "oslo-incubator" / "journal.json"
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = None
    while proc.poll() is None:
        if seen is None and journal.exists():
            seen = time.monotonic()
        time.sleep(0.0005)
    end = time.monotonic()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode})")
    return end - start, (end - seen) if seen else 0.0


def crash_once(
    command: list[str], clone: Path, anchor: str, delay: float, sig: signal.Signals
) -> str:
    """Start the command, send ``sig`` ``delay`` seconds after the start or after its
    journal appears, and say when it stopped."""
    journal = clone / ".git" / "oslo-incubator" / "journal.json"
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.monotonic()
    if anchor == "journal":
        while proc.poll() is None and not journal.exists():
            time.sleep(0.0005)
        if proc.poll() is not None:
            return "ended before its journal"
    time.sleep(max(0.0, delay if anchor == "journal" else delay - (time.monotonic() - start)))
    if proc.poll() is not None:
        return "ended before the signal"
    proc.send_signal(sig)
    proc.wait()
    return f"stopped ({proc.returncode})"


def reset(clone: Path) -> None:
    subprocess.run(["git", "-C", str(clone), "reset", "-q", "--hard"], check=True)
    subprocess.run(["git", "-C", str(clone), "clean", "-q", "-f", "-d", "-x"], check=True)
    shutil.rmtree(clone / ".git" / "oslo-incubator", ignore_errors=True)


def snapshot(root: Path) -> dict[str, str]:
    """Every file's content hash, by path (git's own folder aside, ours included)."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root).as_posix()
        dirnames[:] = [d for d in dirnames if not (rel == "." and d == ".git")]
        for name in filenames:
            path = Path(dirpath) / name
            key = path.relative_to(root).as_posix()
            found[key] = hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else "?"
    oslo = root / ".git" / "oslo-incubator"
    if oslo.exists():
        for path in oslo.rglob("*"):
            found[f".git/oslo-incubator/{path.name}"] = "state"
    return found


if __name__ == "__main__":
    sys.exit(main())
