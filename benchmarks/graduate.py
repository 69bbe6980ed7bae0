"""Time ``graduate run``: the history extraction above all, and the whole run.

Usage::

    python benchmarks/graduate.py                         # a synthetic incubator
    python benchmarks/graduate.py INCUBATOR [MODULE...]   # a real one (default: jsonutils)

The modules graduate with their closure (``--with-closure``). Prints the size of the
history, then the wall time of the history extraction alone (every path the files ever
had, renames followed, into a new repository; best of ``--repeat``), of
``oslo-incubator graduate run --no-shims`` and of the same with the shim commit, in a
subprocess (interpreter start-up included), and where an in-process run spends its time.
"""

from __future__ import annotations

import argparse
import compileall
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oslo_incubator.history.extract import extract_history  # noqa: E402
from oslo_incubator.history.git import git_text, run_git  # noqa: E402
from oslo_incubator.model.graduate import GraduateOptions  # noqa: E402
from oslo_incubator.operations.graduate import graduate, prepare_graduation  # noqa: E402

ROOT = "openstack/common"


def synthetic_incubator(where: Path, commits: int = 3000, modules: int = 60) -> Path:
    """An incubator with ``commits`` commits (written with one ``git fast-import``), each
    changing one or two of ``modules`` modules or their tests; ``mod000`` imports
    ``mod001`` and ``mod002``; ``mod001`` was born ``old001.py`` and renamed halfway."""
    rng = random.Random(7)
    names = [f"mod{i:03d}" for i in range(modules)]
    stream: list[bytes] = []
    version = dict.fromkeys(names, 0)

    def blob(text: str) -> bytes:
        data = text.encode()
        return b"data %d\n%s\n" % (len(data), data)

    def module_text(name: str) -> str:
        imports = "from openstack.common import mod001\nfrom openstack.common import mod002\n"
        body = "".join(
            f"def f{j}(x):\n    return x + {version[name] + j}\n\n\n" for j in range(40)
        )
        return (imports if name == "mod000" else "") + body

    def path_of(name: str, n: int) -> str:
        return (
            f"{ROOT}/old001.py" if name == "mod001" and n < commits // 2 else f"{ROOT}/{name}.py"
        )

    for n in range(commits):
        ops: list[bytes] = []
        if n == 0:
            for init in ("openstack/__init__.py", f"{ROOT}/__init__.py", "tests/__init__.py",
                         "tests/unit/__init__.py"):  # fmt: skip
                ops.append(b"M 100644 inline " + init.encode() + b"\n" + blob(""))
        if n == commits // 2:
            ops.append(f"D {ROOT}/old001.py\n".encode())
            ops.append(
                f"M 100644 inline {ROOT}/mod001.py\n".encode() + blob(module_text("mod001"))
            )
        for name in rng.sample(names, rng.choice((1, 1, 2))):
            version[name] += 1
            path = path_of(name, n)
            ops.append(f"M 100644 inline {path}\n".encode() + blob(module_text(name)))
            if rng.random() < 0.3:
                test = (
                    f"import unittest\n\nfrom openstack.common import {name}\n# {version[name]}\n"
                )
                ops.append(f"M 100644 inline tests/unit/test_{name}.py\n".encode() + blob(test))
        message = f"Change {n}\n".encode()
        date = 1_300_000_000 + n * 3600
        stream.append(
            b"commit refs/heads/master\n"
            + b"author Dev <dev@example.org> %d +0000\n" % date
            + b"committer Dev <dev@example.org> %d +0000\n" % date
            + b"data %d\n%s" % (len(message), message)
            + b"".join(ops)
            + b"\n"
        )
    path = where / "incubator"
    path.mkdir()
    run_git(path, "init", "-q", "-b", "master")
    run_git(path, "fast-import", "--quiet", input=b"".join(stream))
    run_git(path, "reset", "-q", "--hard", "master")
    return path


def cli_seconds(incubator: Path, modules: list[str], dest: Path, shims: bool) -> float:
    exe = shutil.which("oslo-incubator") or str(Path(sys.executable).parent / "oslo-incubator")
    args = [exe, "graduate", "run", "--incubator", str(incubator), "--library", "oslo.bench",
            "--with-closure", "--dest", str(dest), "--no-cache", *modules]  # fmt: skip
    if shims:
        args += ["--branch", f"bench-{dest.name}"]
    else:
        args.append("--no-shims")
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True)
    seconds = time.perf_counter() - start
    if shims:
        run_git(incubator, "branch", "-q", "-D", f"bench-{dest.name}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="INCUBATOR [MODULE...]")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # Byte-compiled as pip compiles an installed package: an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run.
    compileall.compile_dir(REPO / "oslo_incubator", quiet=1)
    with tempfile.TemporaryDirectory(prefix="graduate-bench-") as tmp:
        scratch = Path(tmp)
        if args.paths:
            incubator = Path(args.paths[0])
            modules = args.paths[1:] or ["jsonutils"]
            label = "real"
        else:
            incubator = synthetic_incubator(scratch)
            modules = ["mod000"]
            label = "synthetic"
        total = len(git_text(incubator, "rev-list", "HEAD").split())
        options = GraduateOptions("oslo.bench", "oslo_bench", tuple(modules), scratch / "x",
                                  with_closure=True, shims=False)  # fmt: skip
        start = time.perf_counter()
        prepared = prepare_graduation(incubator, options)
        prepare = time.perf_counter() - start
        files = prepared.result.files
        paths = sorted({p for f in files for p in f.history})
        target = {p: f.path for f in files for p in f.history}
        print(
            f"{label} incubator {incubator} at {prepared.result.head[:8]}: {total} commits; "
            f"graduating {', '.join(prepared.result.modules)} ({len(files)} files, "
            f"{len(paths)} paths over time)"
        )
        seconds = []
        for n in range(args.repeat):
            start = time.perf_counter()
            extracted = extract_history(incubator, scratch / f"hist{n}", paths, target.get)
            seconds.append(time.perf_counter() - start)
        kept = f"{extracted.commits} commits kept"
        print(f"  history extraction   {min(seconds):6.2f} s   (best of {args.repeat}; {kept})")
        runs = [
            cli_seconds(incubator, modules, scratch / f"cli{n}", False) for n in range(args.repeat)
        ]
        print(f"  graduate run --no-shims {min(runs):5.2f} s   (CLI, no cache)")
        shim_runs = [cli_seconds(incubator, modules, scratch / f"shim{n}", True)
                     for n in range(args.repeat)]  # fmt: skip
        print(f"  graduate run, shims  {min(shim_runs):6.2f} s   (CLI, no cache, a new branch)")
        start = time.perf_counter()
        result = graduate(incubator, GraduateOptions(
            "oslo.bench", "oslo_bench", tuple(modules), scratch / "inproc", with_closure=True,
            branch="bench-inproc"))  # fmt: skip
        whole = time.perf_counter() - start
        run_git(incubator, "branch", "-q", "-D", "bench-inproc")
        history = result.history.seconds if result.history else 0.0
        print("  in process:")
        print(
            f"    {prepare:6.2f} s  prepare (read master, module graph, history indexes, rewrite)"
        )
        print(f"    {history:6.2f} s  history extraction")
        print(f"    {whole:6.2f} s  whole run with the shim commit")


if __name__ == "__main__":
    main()
