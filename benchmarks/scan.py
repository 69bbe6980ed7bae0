"""Time ``oslo-incubator scan`` next to jscpd and pylint's duplicate-code check.

Usage::

    python benchmarks/scan.py                          # a synthetic fleet of 4 projects
    python benchmarks/scan.py [--incubator INC] TREE... # real trees

Every tool runs as its user runs it, in a subprocess, on the same Python files (the
files scan reads, hard-linked into one directory for the other tools):

* ``oslo-incubator scan``, cold (an empty cache) and warm (the same cache again);
* ``jscpd -f python`` (jscpd 5, the Rust release: ``pip install jscpd``), and again
  with ``--similarity``;
* ``pylint --disable=all --enable=duplicate-code`` on the smallest tree only (it is
  slow; the scan is timed on that tree too, for the ratio).

The tools run in rounds, each round running every command once, so that the load
other users put on a shared machine falls on all of them alike; each figure is the
run with the best wall time of ``--repeat`` rounds. CPU time is user plus system time
of the process and every child it waited for (scan's worker processes, git), which
load disturbs far less than wall time. Memory is the largest resident set of any
process of the run (``wait4``'s ``ru_maxrss``), and for scan also the peak of the
summed proportional set size of its process tree, sampled every 20 ms in a separate
run. Ratios are scan / jscpd: below 1 means scan is faster or smaller.

Then the whole-file duplicates jscpd reports (a clone covering at least 90 % of the
lines of both files) are checked against scan's module families, and scan's cost
is shown on synthetic fleets of 10, 20 and 40 projects (``--no-growth`` skips it).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oslo_incubator.analysis.fingerprint import top_level_symbols, unit_tokens  # noqa: E402
from oslo_incubator.analysis.syntax import parse_python  # noqa: E402
from oslo_incubator.history.builder import RepoBuilder  # noqa: E402
from oslo_incubator.model.scan import ScanOptions  # noqa: E402
from oslo_incubator.workspace.files import project_python_files  # noqa: E402

BIN = Path(sys.executable).parent
WHOLE_FILE = 0.9  # share of both files' lines a jscpd clone must cover


@dataclass(frozen=True)
class Run:
    """One measured command."""

    wall: float  # seconds, best of the repeats
    cpu: float  # seconds of CPU of that run, its children included
    max_rss: float  # MB, the largest process
    tree_pss: float | None  # MB, the peak of the process tree's summed PSS
    ok: bool


def main() -> None:
    """Parse the arguments, run the comparisons, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, help="project trees (default: synthetic)")
    parser.add_argument("--incubator", type=Path, help="also time scan with this incubator")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is shown)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-growth", action="store_true", help="skip the synthetic fleets")
    parser.add_argument("--no-pylint", action="store_true", help="skip pylint")
    args = parser.parse_args()
    # Byte-compiled as pip compiles an installed package: an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run.
    compileall.compile_dir(REPO / "oslo_incubator", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    try:
        trees = args.trees or synthetic_fleet(work / "fleet", 4)
        compare(trees, args, work)
        if not args.no_growth:
            growth(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(trees: list[Path], args: argparse.Namespace, work: Path) -> None:
    """Scan, jscpd and pylint on ``trees``, with ratios and the whole-file check."""
    mirror = work / "mirror"
    files, lines = mirror_files(trees, mirror)
    print(f"trees: {' '.join(str(t) for t in trees)}")
    print(f"{files:,} Python files, {lines:,} lines; {os.cpu_count()} CPUs; "
          f"best of {args.repeat} interleaved runs\n")  # fmt: skip
    jscpd = BIN / "jscpd"
    commands = {"scan, cold cache": scan_command(trees, args, work / "cache")}
    commands["scan, warm cache"] = commands["scan, cold cache"]
    if args.incubator:
        inc = scan_command(trees, args, work / "cache-inc", args.incubator)
        commands["scan --incubator, cold"] = commands["scan --incubator, warm"] = inc
    if jscpd.exists():
        commands["jscpd"] = [str(jscpd), "-f", "python", "-r", "silent", str(mirror)]
        commands["jscpd --similarity"] = [*commands["jscpd"][:3], "--similarity",
                                          *commands["jscpd"][3:]]  # fmt: skip
    else:
        print("jscpd is not installed (pip install jscpd): skipped")
    # Rounds, each running every command once, so that the load other users put on
    # the machine falls on every tool alike.
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            if name.endswith("cold") or name.endswith("cold cache"):
                shutil.rmtree(work / ("cache-inc" if "incubator" in name else "cache"),
                              ignore_errors=True)  # fmt: skip
            runs[name].append(measure(command, 1))
    best = {name: min(found, key=lambda r: r.wall) for name, found in runs.items()}
    for name in list(best):
        if name.startswith("scan"):  # memory of the process tree, in a separate run
            if "cold" in name:
                shutil.rmtree(work / ("cache-inc" if "incubator" in name else "cache"),
                              ignore_errors=True)  # fmt: skip
            pss = measure(commands[name], 1, sample=True).tree_pss
            best[name] = Run(best[name].wall, best[name].cpu, best[name].max_rss, pss,
                             best[name].ok)  # fmt: skip
    print_table(list(best.items()), best.get("jscpd"), best.get("jscpd --similarity"))
    symbol_agreement(trees)
    report_json = subprocess.run([*commands["scan, warm cache"], "--format", "json"],
                                 capture_output=True, check=True).stdout  # fmt: skip
    if jscpd.exists():
        subprocess.run([str(jscpd), "-f", "python", "-r", "json", "-o", str(work / "jscpd"),
                        str(mirror)], capture_output=True, check=False)  # fmt: skip
        whole_file_check(work / "jscpd" / "jscpd-report.json", json.loads(report_json), mirror)
    if not args.no_pylint:
        pylint_comparison(trees, mirror, args, work)


def scan_command(
    trees: list[Path], args: argparse.Namespace, cache: Path, incubator: Path | None = None
) -> list[str]:
    """``oslo-incubator scan`` as a user types it, with its own cache directory."""
    command = [str(BIN / "oslo-incubator"), "scan", "--jobs", str(args.jobs),
               "--cache-dir", str(cache)]  # fmt: skip
    if incubator is not None:
        command += ["--incubator", str(incubator)]
    return command + [str(t) for t in trees]


def time_scan(
    trees: list[Path], args: argparse.Namespace, cache: Path, incubator: Path | None = None
) -> tuple[Run, Run]:
    """The best cold (empty cache) and warm (same cache again) scans."""
    command = scan_command(trees, args, cache, incubator)
    colds, warms = [], []
    for _ in range(args.repeat):
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(measure(command, 1))
        warms.append(measure(command, 1))
    return min(colds, key=lambda r: r.wall), min(warms, key=lambda r: r.wall)


def measure(command: list[str], repeat: int, sample: bool = False, cwd: Path | None = None) -> Run:
    """Run ``command`` ``repeat`` times: the best wall time, its CPU time (user and
    system, the process and every child it waited for), the largest resident set of
    any of its processes, and, when ``sample``, the peak of the tree's summed PSS."""
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=cwd)  # fmt: skip
        sampler = _Sampler(proc.pid) if sample else None
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = sampler.stop() if sampler is not None else None
        found.append(
            Run(
                wall,
                usage.ru_utime + usage.ru_stime,
                usage.ru_maxrss / 1024,
                peak,
                proc.returncode in (0, 1),  # jscpd and pylint exit 1 on findings
            )
        )
    return min(found, key=lambda r: r.wall)


class _Sampler:
    """The peak summed PSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak

    def _run(self) -> None:
        while not self.done.is_set():
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.peak = max(self.peak, total / 1024)
            self.done.wait(0.02)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def print_table(rows: list[tuple[str, Run]], exact: Run | None, similar: Run | None) -> None:
    """The figures, with scan's ratios to jscpd."""
    print(f"{'':24} {'wall s':>7} {'cpu s':>6} {'max RSS MB':>10} {'tree PSS MB':>11}"
          "  scan / jscpd: wall, cpu, memory")  # fmt: skip
    for name, run in rows:
        pss = f"{run.tree_pss:11.0f}" if run.tree_pss is not None else f"{'':11}"
        ratio = ""
        if name.startswith("scan") and exact is not None:
            memory = max(run.max_rss, run.tree_pss or 0)
            ratio = (f"{run.wall / exact.wall:.2f}x, {run.cpu / exact.cpu:.2f}x, "
                     f"{memory / exact.max_rss:.2f}x")  # fmt: skip
            if similar is not None:
                ratio += (
                    f" (--similarity: {run.wall / similar.wall:.2f}x, "
                    f"{run.cpu / similar.cpu:.2f}x)"
                )
        flag = "" if run.ok else "  (failed)"
        print(f"{name:24} {run.wall:7.2f} {run.cpu:6.2f} {run.max_rss:10.0f} {pss}  "
              f"{ratio}{flag}")  # fmt: skip
    print()


def mirror_files(trees: list[Path], mirror: Path) -> tuple[int, int]:
    """Hard-link the files scan reads into ``mirror/<tree>/...`` for the other tools."""
    files = lines = 0
    for tree in trees:
        for rel in project_python_files(tree):
            target = mirror / tree.name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(tree / rel, target)
            except OSError:
                shutil.copyfile(tree / rel, target)
            files += 1
            lines += (tree / rel).read_bytes().count(b"\n")
    return files, lines


def symbol_agreement(trees: list[Path]) -> None:
    """How often scan's top-level symbol boundaries agree with ``ast``'s."""
    import ast

    total = agree = unparsed = 0
    for tree in trees:
        for rel in project_python_files(tree):
            text = (tree / rel).read_bytes().decode("utf-8", "surrogateescape")
            text = text.replace("\r\n", "\n")
            try:
                module = parse_python(text, rel)  # old code's warnings recorded, not printed
            except (SyntaxError, ValueError):
                unparsed += 1
                continue
            expected = {
                (min([n.lineno, *(d.lineno for d in n.decorator_list)]), n.end_lineno, n.name)
                for n in module.body
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            }
            found = {(a, b, name) for a, b, name, _ in top_level_symbols(text)}
            total += len(expected)
            agree += len(expected & found)
    print(f"symbol boundaries: {agree:,} of {total:,} top-level symbols as ast finds them "
          f"({unparsed} files ast cannot parse)")  # fmt: skip


MIN_TOKENS = ScanOptions().min_tokens


def whole_file_check(jscpd_report: Path, report: dict[str, object], mirror: Path) -> None:
    """Is every whole-file duplicate jscpd reports in one of scan's module families?"""
    data = json.loads(jscpd_report.read_text())
    family_of = {}
    for family in report["families"]:  # type: ignore[attr-defined]
        if family["grain"] == "module":
            for m in family["members"]:
                family_of[f"{m['project']}/{m['path']}"] = family["id"]
    line_counts: dict[str, int] = {}

    def lines_of(name: str) -> int:
        if name not in line_counts:
            path = mirror / name if not os.path.isabs(name) else Path(name)
            line_counts[name] = max(1, path.read_bytes().count(b"\n"))
        return line_counts[name]

    pairs = set()
    for clone in data["duplicates"]:
        first, second = clone["firstFile"], clone["secondFile"]
        names = []
        for side in (first, second):
            name = side["name"]
            if os.path.isabs(name):
                name = str(Path(name).relative_to(mirror))
            span = side["end"] - side["start"] + 1
            if span < WHOLE_FILE * lines_of(name):
                break
            names.append(name)
        if len(names) == 2 and names[0] != names[1]:
            pairs.add(tuple(sorted(names)))
    missed = [p for p in sorted(pairs) if not family_of.get(p[0]) or
              family_of.get(p[0]) != family_of.get(p[1])]  # fmt: skip
    print(
        f"whole-file duplicates jscpd reports: {len(pairs)} file pairs; "
        f"in one scan module family: {len(pairs) - len(missed)}; missed: {len(missed)}"
    )
    for a, b in missed[:20]:
        # Comments are not tokens: a licence header over a lone docstring is one.
        sizes = [len(unit_tokens((mirror / name).read_bytes(), ())) for name in (a, b)]
        print(f"  missed: {a}  {b}  ({family_of.get(a)}, {family_of.get(b)}); "
              f"{sizes[0]} and {sizes[1]} tokens, --min-tokens is {MIN_TOKENS}")  # fmt: skip
    print()


def pylint_comparison(
    trees: list[Path], mirror: Path, args: argparse.Namespace, work: Path
) -> None:
    """pylint's duplicate-code check and scan on the smallest tree."""
    pylint = BIN / "pylint"
    if not pylint.exists():
        print("pylint is not installed (pip install pylint): skipped")
        return
    smallest = min(trees, key=lambda t: sum(1 for _ in project_python_files(t)))
    lint = measure([str(pylint), "--disable=all", "--enable=duplicate-code", "--recursive=y",
                    "--score=n", str(mirror / smallest.name)], 1)  # fmt: skip
    cold, warm = time_scan([smallest], args, work / "scan-small")
    print(
        f"on {smallest.name} alone: pylint duplicate-code {lint.wall:.2f} s, "
        f"{lint.max_rss:.0f} MB; scan cold {cold.wall:.2f} s ({cold.wall / lint.wall:.2f}x), "
        f"warm {warm.wall:.2f} s ({warm.wall / lint.wall:.3f}x)\n"
    )


def growth(work: Path, args: argparse.Namespace) -> None:
    """Scan (and jscpd, when installed) on synthetic fleets of 10, 20 and 40 projects."""
    print("synthetic fleets: how cost grows")
    print(f"{'projects':>8} {'files':>7} {'lines':>9} {'cold s':>7} {'warm s':>7} "
          f"{'RSS MB':>7} {'jscpd s':>8} {'jscpd MB':>9}")  # fmt: skip
    for count in (10, 20, 40):
        root = work / f"growth-{count}"
        trees = synthetic_fleet(root, count)
        files, lines = mirror_files(trees, root / "mirror")
        runs = argparse.Namespace(**{**vars(args), "repeat": 1})
        cold, warm = time_scan(trees, runs, root / "cache")
        jscpd = BIN / "jscpd"
        other = ""
        if jscpd.exists():
            j = measure([str(jscpd), "-f", "python", "-r", "silent", str(root / "mirror")], 1)
            other = f"{j.wall:8.2f} {j.max_rss:9.0f}"
        print(f"{count:8} {files:7,} {lines:9,} {cold.wall:7.2f} {warm.wall:7.2f} "
              f"{cold.max_rss:7.0f} {other}")  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


# The synthetic fleet

_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "to", "vi", "zu", "pa", "se", "do", "fi", "gu")


def synthetic_fleet(root: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` git repositories that share library modules and helper functions.

    Each project copies 15 of 40 library modules under its own package name (a
    quarter of them with a few lines changed), has 45 modules of its own (some
    embedding one of 60 shared helper functions), in four subpackages.
    """
    rng = random.Random(seed)
    library = [_module(rng, f"lib{i}") for i in range(40)]
    helpers = [_function(rng, f"helper_{i}", _vocabulary(rng)) for i in range(60)]
    trees = []
    for n in range(count):
        base = f"proj{n:02d}"
        files: dict[str, str | bytes | None] = {f"{base}/__init__.py": ""}
        for sub in ("api", "common", "engine", "db"):
            files[f"{base}/{sub}/__init__.py"] = ""
        for i in rng.sample(range(len(library)), 15):
            text = library[i].replace("{base}", base)
            if rng.random() < 0.25:
                lines = text.split("\n")
                for _ in range(3):
                    k = rng.randrange(len(lines))
                    lines[k] = lines[k].replace("+", "-").replace(" 1", " 2")
                text = "\n".join(lines)
            files[f"{base}/common/lib{i}.py"] = text
        for k in range(45):
            text = _module(rng, f"{base}_mod{k}").replace("{base}", base)
            if rng.random() < 0.3:
                text += "\n\n" + rng.choice(helpers)
            files[f"{base}/{('api', 'engine', 'db', 'common')[k % 4]}/mod{k}.py"] = text
        repo = RepoBuilder(root / base)
        repo.commit("Initial", files)
        trees.append(root / base)
    return trees


def _vocabulary(rng: random.Random) -> list[str]:
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(12)]


def _function(rng: random.Random, name: str, words: list[str]) -> str:
    args = rng.sample(words, 3)
    lines = [f"def {name}({', '.join(args)}):", f'    """{name.replace("_", " ")}."""']
    for _ in range(rng.randint(8, 20)):
        target, a, b = rng.sample(words, 3)
        choice = rng.random()
        if choice < 0.45:
            lines.append(f"    {target} = {a} {rng.choice('+-*%')} {b}")
        elif choice < 0.65:
            lines += [
                f"    if {a} > {rng.randint(0, 99)}:",
                f"        {target} = {b}.get('{rng.choice(words)}', {rng.randint(0, 9)})",
            ]
        elif choice < 0.85:
            lines += [f"    for {target} in {a}:",
                      f"        {b}.append({target} + {rng.randint(1, 9)})"]  # fmt: skip
        else:
            lines.append(f"    LOG.debug('{rng.choice(words)} %s', {a})")
    lines.append(f"    return {rng.choice(args)}")
    return "\n".join(lines) + "\n"


def _module(rng: random.Random, name: str) -> str:
    words = _vocabulary(rng)
    parts = [
        '# Licensed under the Apache License, Version 2.0 (the "License");',
        f'"""The {name} module."""\n',
        "import logging\n\nfrom {base} import exception\nfrom {base}.common import utils\n",
        "LOG = logging.getLogger(__name__)\n",
    ]
    for i in range(rng.randint(8, 14)):
        parts.append("\n" + _function(rng, f"{rng.choice(words)}_{i}", words))
    return "\n".join(parts)


if __name__ == "__main__":
    main()
