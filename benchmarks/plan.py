"""Time ``graduate plan`` as a user runs it, cold (empty cache) and warm.

Usage::

    python benchmarks/plan.py                        # a synthetic incubator and project
    python benchmarks/plan.py INCUBATOR [PROJECT...] # a real one

Prints the size of the plan, then the wall time of ``oslo-incubator graduate plan
--format json`` in a subprocess (interpreter start-up included), best of ``--repeat``
runs: cold (a fresh cache directory each time), warm (the same cache, already filled)
and with ``--no-cache``; then where the cold time goes, measured in process.
"""

from __future__ import annotations

import argparse
import compileall
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oslo_incubator.graph.evidence import Evidence, weigh_evidence  # noqa: E402
from oslo_incubator.graph.grouping import group_modules  # noqa: E402
from oslo_incubator.graph.incubator import incubator_graph  # noqa: E402
from oslo_incubator.history.builder import RepoBuilder  # noqa: E402
from oslo_incubator.history.incubator import open_incubator  # noqa: E402
from oslo_incubator.history.master import read_master  # noqa: E402
from oslo_incubator.operations.plan import (  # noqa: E402
    find_usage,
    plan_graduation,
)

ROOT = "openstack/common"


def run_plan(incubator: Path, projects: list[Path], cache: Path | None) -> tuple[float, str]:
    exe = shutil.which("oslo-incubator") or str(Path(sys.executable).parent / "oslo-incubator")
    caching = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    args = [exe, "graduate", "plan", "--format", "json", "--incubator", str(incubator), *caching]
    for project in projects:
        args += ["--project", str(project)]
    start = time.perf_counter()
    out = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    return time.perf_counter() - start, out


def synthetic_workspace(
    where: Path, modules: int = 120, consumer_files: int = 1500, history: int = 200
) -> tuple[Path, Path]:
    """An incubator of ``modules`` modules importing earlier ones (some lazily, a few
    back edges making cycles), with tests and ``history`` commits changing a few at a
    time; and a project whose own files import them."""
    rng = random.Random(5)
    names = [f"mod{i:03d}" for i in range(modules)]
    files: dict[str, str | bytes | None] = {f"{ROOT}/__init__.py": "", "openstack/__init__.py": ""}
    files["requirements.txt"] = "six>=1.6.0\nSQLAlchemy>=0.7.8,<=0.9.99\n"
    for i, name in enumerate(names):
        targets = rng.sample(names[:i], min(i, 3))
        lines = ["import os", "import six"]
        lines += [f"from openstack.common import {t}" for t in targets]
        if i > 10 and rng.random() < 0.1:
            lines.append(f"from openstack.common import {names[i + 1 if i + 1 < modules else 0]}")
        lines += ["", "", "def helper(value):"]
        if i > 5 and rng.random() < 0.2:
            lines.append(f"    from openstack.common import {rng.choice(names)}")
        lines += [f"    return value + {j}" for j in range(150)]
        files[f"{ROOT}/{name}.py"] = "\n".join(lines) + "\n"
        files[f"tests/unit/test_{name}.py"] = f"import mock\nfrom openstack.common import {name}\n"
    incubator = RepoBuilder(where / "incubator")
    incubator.commit("Add modules", files)
    # Some history to weigh: small changes to a few modules at a time.
    for n in range(history):
        touched = rng.sample(names, rng.choice([1, 2, 2, 3, 12]))
        incubator.commit(
            f"Change {n}",
            {f"{ROOT}/{m}.py": files[f"{ROOT}/{m}.py"] + f"# {n}\n" for m in touched},
        )
    project = RepoBuilder(where / "nova")
    own: dict[str, str | bytes | None] = {
        "openstack-common.conf": "[DEFAULT]\nmodule=mod000\nbase=nova\n",
        "nova/__init__.py": "",
        "nova/openstack/__init__.py": "",
        "nova/openstack/common/__init__.py": "",
        "nova/openstack/common/mod000.py": "x = 1\n",
    }
    for i in range(consumer_files):
        used = rng.sample(names, 4)
        body = [f"from nova.openstack.common import {m} as alias{n}" for n, m in enumerate(used)]
        body += ["", "", "def work(x):"]
        body += [f"    x = alias{n % 4}.call{n % 7}(x)" for n in range(60)]
        body += ["    return x"]
        own[f"nova/pkg{i // 100}/file{i}.py"] = "\n".join(body) + "\n"
        own[f"nova/pkg{i // 100}/__init__.py"] = ""
    project.commit("Own code", own)
    return incubator.path, project.path


def breakdown(incubator: Path, projects: list[Path]) -> list[tuple[str, float]]:
    """Where a cold run without cache spends its time, measured in process."""
    figures = []
    start = time.perf_counter()
    master = read_master(incubator)
    figures.append(("read master at HEAD (git ls-tree + cat-file)", time.perf_counter() - start))
    start = time.perf_counter()
    graph, _ = incubator_graph(master)
    figures.append(("module graph, tests, requirements", time.perf_counter() - start))
    usages = []
    for project in projects:
        start = time.perf_counter()
        usages.append(find_usage(project, graph))
        figures.append((f"consumer usage of {project.name}", time.perf_counter() - start))
    start = time.perf_counter()
    history = open_incubator(incubator)
    changes = history.module_changes()
    figures.append(("history index and each commit's modules", time.perf_counter() - start))
    start = time.perf_counter()
    files: dict[str, frozenset[str]] = {}
    for usage in usages:
        for used in usage.modules:
            files[used.module] = files.get(used.module, frozenset()) | {
                f"{usage.name}:{p}" for p in used.files
            }
    maintainers = {m: history.module_maintainers(m) for m in graph}
    bonds = weigh_evidence(graph, Evidence(changes, files if usages else None, maintainers))
    figures.append(("evidence weighed into bonds", time.perf_counter() - start))
    start = time.perf_counter()
    group_modules(graph, bonds)
    figures.append(("grouping (Louvain, constraints, refinement)", time.perf_counter() - start))
    start = time.perf_counter()
    plan_graduation(incubator, projects)
    figures.append(("whole plan in process (all of the above again)", time.perf_counter() - start))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="INCUBATOR [PROJECT...]")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # Byte-compiled as pip compiles an installed package: an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run.
    compileall.compile_dir(REPO / "oslo_incubator", quiet=1)
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as tmp:
        scratch = Path(tmp)
        if args.paths:
            incubator, projects = args.paths[0], list(args.paths[1:])
            label = "real"
        else:
            incubator, project = synthetic_workspace(scratch)
            projects = [project]
            label = "synthetic"
        _, out = run_plan(incubator, projects, None)
        doc = json.loads(out)
        print(
            f"{label} incubator {incubator} at {doc['incubator']['head'][:8]}: "
            f"{len(doc['modules'])} modules, {len(doc['edges'])} import edges, "
            f"{len(doc['libraries'])} libraries, {len(doc['cycles'])} cycles; "
            f"consumers: {', '.join(doc['projects']) or 'none'}"
        )
        cold = []
        for n in range(args.repeat):
            cold.append(run_plan(incubator, projects, scratch / f"cold{n}")[0])
        warm = [run_plan(incubator, projects, scratch / "cold0")[0] for _ in range(args.repeat)]
        uncached = [run_plan(incubator, projects, None)[0] for _ in range(args.repeat)]
        print(f"  cold (empty cache)  {min(cold):6.2f} s   (best of {args.repeat}, CLI)")
        print(f"  warm (filled cache) {min(warm):6.2f} s")
        print(f"  --no-cache          {min(uncached):6.2f} s")
        print("  cold, in process:")
        for name, seconds in breakdown(incubator, projects):
            print(f"    {seconds:6.2f} s  {name}")


if __name__ == "__main__":
    main()
