"""Time ``graduate program`` (and, with ``--python``, ``graduate verify``) on a plan.

Usage::

    python benchmarks/program.py INCUBATOR PLAN [--python PY] [--constraint FILE]

``benchmarks/plan-inc-2014-06.toml`` is a hand-made plan of fifteen libraries for the
incubator at its last commit before 2014-06-01, grouped as Oslo's maintainers cut
the code; ``benchmarks/era-constraints-2014-05.txt`` pins the requirements to the
versions of that time, for Python 2.7. Prints the wall and CPU time of the program
(cold: a fresh destination, no cache), of a resumed run (every library verified and
skipped), and of the proof, with its summary line.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from oslo_incubator.cli import main; main()"]


def timed(args: list[str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(done.stderr)
    return wall, cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("incubator", type=Path)
    parser.add_argument("plan", type=Path)
    parser.add_argument("--python", default=None)
    parser.add_argument("--constraint", default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oslo-incubator-program-") as scratch:
        dest = Path(scratch) / "program"
        base = [*CLI, "graduate", "program", str(options.plan), "--incubator",
                str(options.incubator), "--dest", str(dest), "--no-cache"]  # fmt: skip
        if options.python:
            base += ["--python", options.python]
        wall, cpu, out = timed(base)
        print(f"program (cold)    {wall:7.1f} s wall  {cpu:7.1f} s CPU  {out.splitlines()[-1]}")
        wall, cpu, out = timed(base)
        print(f"program (resumed) {wall:7.1f} s wall  {cpu:7.1f} s CPU  {out.splitlines()[-1]}")
        if options.python:
            verify = [*CLI, "graduate", "verify", str(dest), "--python", options.python]
            if options.constraint:
                verify += ["--constraint", options.constraint]
            wall, cpu, out = timed(verify)
            summary = next(line for line in out.splitlines() if line.startswith("of "))
            print(f"verify            {wall:7.1f} s wall  {cpu:7.1f} s CPU  {summary}")


if __name__ == "__main__":
    main()
