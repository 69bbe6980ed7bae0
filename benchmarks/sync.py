#!/usr/bin/env python3
"""Time ``sync`` of every module of nova's 2014.2 openstack-common.conf (about 60 files).

By default it builds a synthetic incubator of realistic size (the 2014.2 module list,
files of a few hundred lines that import each other, a short history) and an empty
project, and prints the time of:

* a cold sync into the empty project (index built, every file rewritten with libcst
  and written), and the share of that spent rewriting;
* a warm re-sync after master changed some modules and the project patched some
  copies (lock-file bases, three-way merges).

With a real incubator (``--incubator PATH --rev REV``, or ``$SYNC_BENCH_INCUBATOR`` and
``$SYNC_BENCH_REV``) it syncs the same module list from it; with ``--project PATH`` (a
checkout of nova 2014.2) it also times a dry-run sync into that checkout, drift and
merges included, writing nothing there::

    python benchmarks/sync.py
    python benchmarks/sync.py --incubator /work/.mirror/openstack-archive+oslo-incubator/repo \\
        --rev 542310cbc4b5caaf116c856b5d7c9bcdbbf9132a --project /tmp/nova-2014.2
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from oslo_incubator.analysis import rewrite as rewrite_module
from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.config import RewriteMode
from oslo_incubator.model.sync import SyncOptions, SyncResult
from oslo_incubator.operations.sync import sync_project
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config

NOVA_2014_2 = (
    "cliutils config context eventlet_backdoor excutils fileutils fixture gettextutils "
    "imageutils importutils install_venv_common jsonutils local lockutils log loopingcall "
    "memorycache middleware network_utils periodic_task policy processutils report "
    "report.generators report.models report.views report.views.json report.views.text "
    "report.views.xml service sslutils strutils systemd threadgroup timeutils units "
    "uuidutils versionutils xmlutils"
).split()
PACKAGES = {
    "config": ["generator"],
    "fixture": ["config", "lockutils", "logging", "mockpatch", "moxstubout"],
    "middleware": ["base", "catch_errors", "request_id"],
    "report": ["guru_meditation_report", "report", "utils"],
    "report.generators": ["conf", "threading", "version"],
    "report.models": ["base", "conf", "threading", "version", "with_default_views"],
    "report.views": ["jinja_view"],
    "report.views.json": ["generic"],
    "report.views.text": ["generic", "header", "threading"],
    "report.views.xml": ["generic"],
}
BIG = {"log": 700, "policy": 900, "service": 500, "processutils": 300, "lockutils": 380,
       "cliutils": 330, "strutils": 260, "timeutils": 210}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incubator", type=Path, default=os.environ.get("SYNC_BENCH_INCUBATOR"))
    parser.add_argument("--rev", default=os.environ.get("SYNC_BENCH_REV", "HEAD"))
    parser.add_argument("--project", type=Path, default=os.environ.get("SYNC_BENCH_PROJECT"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        root = Path(tmp)
        if args.incubator:
            incubator, rev = Path(args.incubator), args.rev
            print(f"incubator: {incubator} at {rev}")
        else:
            incubator, rev = synthetic_incubator(root / "incubator"), "HEAD"
            print("incubator: synthetic (nova 2014.2 module list)")
        project = empty_project(root / "nova")
        cache_dir = root / "cache"
        options = SyncOptions(modules=tuple(NOVA_2014_2), command="benchmarks/sync.py")
        result, seconds, rewriting = timed_sync(incubator, rev, project, cache_dir, options)
        files = sum(1 for f in result.files if f.changes_project)
        print(
            f"cold sync into an empty project: {files} files written in {seconds:.2f} s "
            f"({rewriting:.2f} s of it rewriting with libcst)"
        )
        if not args.incubator:
            patch_and_advance(incubator, project)
            result, seconds, _ = timed_sync(incubator, rev, project, cache_dir, options)
            merged = sum(1 for f in result.files if f.local_changes)
            print(
                f"warm re-sync after master changes and local patches: "
                f"{len(result.changed)} files changed, {merged} merged, in {seconds:.2f} s"
            )
        if args.project:
            options = SyncOptions(dry_run=True, rewrite=RewriteMode.UPDATE_PY,
                                  command="benchmarks/sync.py")  # fmt: skip
            result, seconds, rewriting = timed_sync(
                incubator, rev, Path(args.project), cache_dir, options
            )
            print(
                f"dry-run sync into {args.project} (update.py rules {result.rewrite}): "
                f"{len(result.files)} files planned, {len(result.changed)} would change, "
                f"{len(result.conflicts)} conflict(s), in {seconds:.2f} s "
                f"({rewriting:.2f} s rewriting)"
            )


def timed_sync(
    incubator: Path, rev: str, project: Path, cache_dir: Path, options: SyncOptions
) -> tuple[SyncResult, float, float]:
    """Run one sync; return the result, the seconds it took and the seconds spent in
    the libcst rewrite."""
    spent = [0.0]
    original = rewrite_module.rewrite_imports

    def counting(*args: object, **kwargs: object) -> rewrite_module.RewriteOutcome:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            spent[0] += time.perf_counter() - started

    rewrite_module.rewrite_imports = counting  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        cache = Cache(cache_dir)
        inc = open_incubator(incubator, cache=cache, rev=rev)
        result = sync_project(inc, project, load_project_config(project), options, cache)
        cache.close()
        seconds = time.perf_counter() - started
    finally:
        rewrite_module.rewrite_imports = original
    return result, seconds, spent[0]


def synthetic_incubator(path: Path) -> Path:
    """An incubator with the 2014.2 module list, files of realistic size, and history."""
    rng = random.Random(2014)
    files: dict[str, str] = {}
    names = [m for m in NOVA_2014_2 if m != "install_venv_common"]
    file_modules = [m for m in names if m not in PACKAGES]
    for module in names:
        rel = module.replace(".", "/")
        if module in PACKAGES:
            files[f"openstack/common/{rel}/__init__.py"] = ""
            for sub in PACKAGES[module]:
                files[f"openstack/common/{rel}/{sub}.py"] = _module_text(rng, file_modules, 150)
        else:
            lines = BIG.get(module, rng.randint(60, 220))
            files[f"openstack/common/{rel}.py"] = _module_text(rng, file_modules, lines)
    files["tools/install_venv_common.py"] = _module_text(rng, [], 170)
    # As in the real incubator, a few modules name import paths in strings.
    for rel in ("openstack/common/log.py", "openstack/common/service.py"):
        files[rel] += "\nHANDLER = 'openstack.common.log_handler.PublishErrorsHandler'\n"
    repo = RepoBuilder(path)
    repo.commit("Add the modules", {**files, "openstack/__init__.py": "",
                                    "openstack/common/__init__.py": ""})  # fmt: skip
    for step in range(5):
        changed = {p: t + f"\n\ndef added_in_step_{step}():\n    return {step}\n"
                   for p, t in rng.sample(sorted(files.items()), 6)}  # fmt: skip
        files.update(changed)
        repo.commit(f"Change six modules ({step})", changed)
    return path


def patch_and_advance(incubator: Path, project: Path) -> None:
    """Patch three copies in the project (committed) and change ten master modules."""
    repo = RepoBuilder.__new__(RepoBuilder)
    repo.path, repo.author, repo._clock = incubator, ("Bench", "bench@example.org"), 1_500_000_000
    copies = sorted((project / "nova/openstack/common").glob("*.py"))[1:4]
    for copy in copies:
        copy.write_text(copy.read_text().replace('"""', '"""Patched locally. ', 1))
    RepoBuilder.commit(_project_repo(project), "Patch three copies")
    master = sorted((incubator / "openstack/common").glob("*.py"))[1:11]
    repo.commit("Change ten modules", {
        str(p.relative_to(incubator)): p.read_text() + "\n\ndef newer():\n    return 1\n"
        for p in master
    })  # fmt: skip


def empty_project(path: Path) -> Path:
    repo = RepoBuilder(path)
    repo.commit(
        "Start", {"nova/__init__.py": "", "openstack-common.conf": "[DEFAULT]\nbase=nova\n"}
    )
    return path


def _project_repo(path: Path) -> RepoBuilder:
    repo = RepoBuilder.__new__(RepoBuilder)
    repo.path, repo.author, repo._clock = path, ("Bench", "bench@example.org"), 1_500_000_000
    return repo


def _module_text(rng: random.Random, modules: list[str], lines: int) -> str:
    out = [
        "# Copyright 2014 OpenStack Foundation.",
        "#",
        '#    Licensed under the Apache License, Version 2.0 (the "License");',
        "",
        '"""A module of the oslo incubator."""',
        "",
        "import logging",
        "import os",
        "",
    ]
    for other in rng.sample(modules, min(len(modules), 3)):
        if "." not in other:
            out.append(f"from openstack.common import {other}")
    out += [
        "from openstack.common.gettextutils import _",
        "",
        "LOG = logging.getLogger(__name__)",
        "",
    ]
    n = 0
    while len(out) < lines:
        n += 1
        out += [
            "",
            f"def function_{n}(value, default=None):",
            f'    """Do step {n} for oslo projects."""',
            "    if value is None:",
            "        return default",
            f"    LOG.debug(_('step {n}: %s'), value)",
            "    return os.path.join(os.sep, str(value))",
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
