"""Compare impact's API comparison with griffe's breaking-change check on real history.

For every ``.py`` file a non-merge commit modified under the package root in a date
range, both tools compare the file before and after: griffe's
``find_breaking_changes`` on ``griffe.visit`` models, and
:func:`oslo_incubator.analysis.api.compare_api` (public names whose change is
removed, renamed or incompatible). Prints where they agree and where not.

griffe is not a dependency of this package: run this with an interpreter that has
it, e.g. ``python -m venv /tmp/g && /tmp/g/bin/pip install griffe`` then
``PYTHONPATH=. /tmp/g/bin/python tools/compare_griffe.py INCUBATOR``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import griffe  # noqa: E402

from oslo_incubator.analysis.api import compare_api, read_api  # noqa: E402


def git(repo: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, *args], capture_output=True, text=True, check=False
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("incubator")
    parser.add_argument("--since", default="2014-01-01")
    parser.add_argument("--until", default="2014-12-31")
    parser.add_argument("--root", default="openstack/common")
    args = parser.parse_args()
    commits = git(args.incubator, "log", "--no-merges", "--format=%h", f"--since={args.since}",
                  f"--until={args.until}", "--", args.root).split()  # fmt: skip
    files = both = only_griffe = only_ours = griffe_errors = 0
    ours_time = griffe_time = 0.0
    samples: list[str] = []
    for sha in commits:
        changed = git(args.incubator, "diff", "--name-status", f"{sha}^", sha, "--", args.root)
        for line in changed.splitlines():
            status, path = line.split("\t")[0], line.split("\t")[-1]
            if status != "M" or not path.endswith(".py"):
                continue
            files += 1
            old = git(args.incubator, "show", f"{sha}^:{path}")
            new = git(args.incubator, "show", f"{sha}:{path}")
            start = time.perf_counter()
            ours = {
                c.name
                for c in compare_api(read_api(old), read_api(new))
                if c.public and c.kind.breaking
            }
            ours_time += time.perf_counter() - start
            start = time.perf_counter()
            name = Path(path).stem
            try:
                found = griffe.find_breaking_changes(
                    griffe.visit(name, filepath=Path(path), code=old),
                    griffe.visit(name, filepath=Path(path), code=new),
                )
                theirs = {b.obj.path.partition(".")[2] for b in found}
            except Exception as exc:  # griffe raises many kinds; count them
                griffe_errors += 1
                samples.append(f"{sha} {path}: griffe failed: {type(exc).__name__}")
                continue
            finally:
                griffe_time += time.perf_counter() - start
            # griffe names a parameter's breakage by its function; so do we.
            theirs = {t for t in theirs if t}
            if ours == theirs:
                both += bool(ours)
                continue
            only_griffe += bool(theirs - ours)
            only_ours += bool(ours - theirs)
            samples.append(f"{sha} {path}: only griffe {sorted(theirs - ours)}, "
                           f"only ours {sorted(ours - theirs)}")  # fmt: skip
    print(f"{len(commits)} commits, {files} modified files")
    print(f"files with breaking changes found by both alike: {both}")
    print(f"files where griffe finds a breaking name we do not: {only_griffe}")
    print(f"files where we find a breaking name griffe does not: {only_ours}")
    print(f"files griffe could not compare: {griffe_errors}")
    print(f"time: ours {ours_time:.2f} s, griffe {griffe_time:.2f} s")
    for sample in samples:
        print("  " + sample)


if __name__ == "__main__":
    main()
