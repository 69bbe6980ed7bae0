"""Time a full drift of a workspace next to the floor: git alone listing and reading
every master version.

Usage::

    python benchmarks/drift.py                       # a synthetic workspace
    python benchmarks/drift.py INCUBATOR PROJECT...  # a real one

Prints the floor, a cold run (empty cache) and a warm run (same cache), each as the
user runs it (``oslo-incubator drift --format json`` in a subprocess, interpreter
start-up included), best of ``--repeat`` runs, and the ratios to the floor.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oslo_incubator.history.builder import RepoBuilder  # noqa: E402


def git_floor(incubator: Path, root: str = "openstack/common") -> float:
    """List every version under the root with git log, then read them all with cat-file."""
    start = time.perf_counter()
    log = subprocess.run(
        ["git", "-C", str(incubator), "log", "--raw", "--no-abbrev", "-M", "-c",
         "--format=%H", "HEAD", "--", root],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    blobs = sorted(
        {line.split()[-2] for line in log.splitlines() if line.startswith(":")} - {"0" * 40}
    )
    subprocess.run(
        ["git", "-C", str(incubator), "cat-file", "--batch"],
        input="\n".join(blobs).encode() + b"\n", capture_output=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def run_drift(incubator: Path, projects: list[Path], cache: Path) -> float:
    exe = shutil.which("oslo-incubator") or str(Path(sys.executable).parent / "oslo-incubator")
    start = time.perf_counter()
    subprocess.run(
        [exe, "drift", "--format", "json", "--cache-dir", str(cache),
         "--incubator", str(incubator), *map(str, projects)],
        capture_output=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def synthetic_workspace(
    where: Path, modules: int = 60, commits: int = 600
) -> tuple[Path, list[Path]]:
    """An incubator with ``commits`` commits over ``modules`` modules of ~400 lines,
    and two projects copying every module at different points of history."""
    inc = RepoBuilder(where / "incubator")
    texts = {
        f"openstack/common/mod{m}.py": "".join(
            f"def f{m}_{i}(x):\n    return x + {i}  # from openstack.common.mod{m}\n\n"
            for i in range(130)
        )
        for m in range(modules)
    }
    inc.commit(
        "Initial import",
        {"openstack/__init__.py": "", "openstack/common/__init__.py": "", **texts},
    )
    snapshots = []
    for c in range(commits):
        path = f"openstack/common/mod{c % modules}.py"
        texts[path] = texts[path].replace(f"x + {c % 130}  #", f"x * {c} + {c % 130}  #", 1)
        inc.commit(f"Change {path}", {path: texts[path]})
        if c in (commits // 3, 2 * commits // 3):
            snapshots.append(dict(texts))
    projects = []
    for n, snapshot in enumerate(snapshots):
        base = f"proj{n}"
        project = RepoBuilder(where / base)
        files = {
            f"{base}/openstack/common/{Path(p).name}": t.replace(
                "openstack.common", f"{base}.openstack.common"
            )
            for p, t in snapshot.items()
        }
        files[f"{base}/openstack/common/mod0.py"] += "\n# a local patch\n"
        conf = (
            "[DEFAULT]\n" + "".join(f"module=mod{m}\n" for m in range(modules)) + f"base={base}\n"
        )
        project.commit("Sync", {"openstack-common.conf": conf, f"{base}/__init__.py": "",
                                f"{base}/openstack/__init__.py": "",
                                f"{base}/openstack/common/__init__.py": "", **files})  # fmt: skip
        projects.append(project.path)
    return inc.path, projects


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="INCUBATOR PROJECT...")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # Byte-compiled as pip compiles an installed package: an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run.
    compileall.compile_dir(REPO / "oslo_incubator", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        if args.paths:
            incubator, projects = args.paths[0], list(args.paths[1:])
            label = f"{incubator.name} vs {', '.join(p.name for p in projects)}"
        else:
            incubator, projects = synthetic_workspace(Path(tmp) / "ws")
            label = "synthetic: 60 modules, 600 commits, 2 projects"
        floor = min(git_floor(incubator) for _ in range(args.repeat))
        colds, warms = [], []
        for i in range(args.repeat):
            cache = Path(tmp) / f"cache{i}"
            colds.append(run_drift(incubator, projects, cache))
            warms.append(run_drift(incubator, projects, cache))
        cold, warm = min(colds), min(warms)
    print(f"drift benchmark: {label}")
    print(f"  {'git floor (log --raw + cat-file of every version)':52} {floor:7.3f} s")
    print(f"  {'oslo-incubator drift, cold cache':52} {cold:7.3f} s   ratio {cold / floor:5.2f}")
    print(f"  {'oslo-incubator drift, warm cache':52} {warm:7.3f} s   ratio {warm / floor:5.2f}")


if __name__ == "__main__":
    main()
