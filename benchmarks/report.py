"""Time ``oslo-incubator report``: what the site costs beside the drift it needs, its
size, and how long its pages take to load in headless chromium.

Usage::

    python benchmarks/report.py                       # the demo's sample workspace
    python benchmarks/report.py INCUBATOR PROJECT...  # a real one
    python benchmarks/report.py --screenshot doc/source/images/report-fleet.png ...

Prints, each best of ``--repeat`` runs with a warm cache (a first run fills it):

* ``drift --format json`` and ``report --skip families --skip plan --skip debt`` as
  the user runs them (subprocesses, interpreter start-up included): the difference is
  what the fleet and copy pages cost beside the drift they need;
* the full ``report`` (drift, scan, plan, debt and every page);
* rendering alone, in this process (``render_site`` over the gathered results), and
  writing the files;
* the site's size, and each main page's load time in chromium from file:// (the
  ``load`` event, network off), when Playwright and chromium are installed.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT  # noqa: E402
from oslo_incubator.operations.demo import build_sample_workspace  # noqa: E402
from oslo_incubator.report.html import render_site  # noqa: E402
from oslo_incubator.workflows.site import SiteOptions, gather_site  # noqa: E402
from oslo_incubator.workspace.cache import Cache  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip
PAGES = ("index.html", "families.html", "plan.html", "debt.html")


def best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def command(*args: str | Path) -> Callable[[], object]:
    exe = shutil.which("oslo-incubator") or str(Path(sys.executable).parent / "oslo-incubator")
    argv = [exe, *map(str, args)]
    return lambda: subprocess.run(argv, capture_output=True, check=True)


def load_times(site: Path, repeat: int, screenshot: Path | None) -> dict[str, float]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        return {}
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        pages = [*PAGES, next(p.relative_to(site).as_posix()
                              for p in sorted((site / "copies").rglob("*.html")))]  # fmt: skip
        for name in pages:
            if not (site / name).is_file():
                continue
            found[name] = best(repeat, lambda n=name: page.goto((site / n).as_uri()))
        if screenshot is not None:
            page.goto((site / "index.html").as_uri())
            page.evaluate("document.getElementById('matrix-h').scrollIntoView()")
            page.screenshot(path=str(screenshot))
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="INCUBATOR PROJECT...")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="write a PNG of the fleet page here")
    parser.add_argument("--cache-dir", type=Path, help="a cache to reuse (default: a new one)")
    args = parser.parse_args()
    compileall.compile_dir(REPO / "oslo_incubator", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        if args.paths:
            incubator, projects = args.paths[0], list(args.paths[1:])
            label = f"{incubator.name} vs {len(projects)} projects"
        else:
            sample = build_sample_workspace(Path(tmp) / "sample")
            incubator, projects = sample.incubator, list(sample.projects)
            label = "the demo's sample workspace"
        cache = args.cache_dir or Path(tmp) / "cache"
        site = Path(tmp) / "site"
        common = ["--cache-dir", cache, "--incubator", incubator]
        drift_only = ["--skip", "families", "--skip", "plan", "--skip", "debt"]
        full = command("report", *common, "--output", site, *projects)
        start = time.perf_counter()
        full()  # fills the cache
        first = time.perf_counter() - start
        drift = best(args.repeat, command("drift", "--format", "json", *common, *projects))
        fleet = best(args.repeat, command("report", *common, "--output", Path(tmp) / "fleet",
                                          *drift_only, *projects))  # fmt: skip
        everything = best(args.repeat, full)
        opened = Cache(cache)
        try:
            gathered = gather_site(incubator, projects, DEFAULT_PACKAGE_ROOT,
                                   SiteOptions(jobs=os.cpu_count() or 1), opened)  # fmt: skip
        finally:
            opened.close()
        files: dict[str, str] = {}

        def render() -> None:
            files.clear()
            files.update(render_site(gathered))

        rendering = best(args.repeat, render)
        out = Path(tmp) / "written"

        def write() -> None:
            shutil.rmtree(out, ignore_errors=True)
            for name, text in files.items():
                (out / name).parent.mkdir(parents=True, exist_ok=True)
                (out / name).write_text(text, encoding="utf-8")

        writing = best(args.repeat, write)
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        count = sum(1 for _ in site.rglob("*.html"))
        loads = load_times(site, args.repeat, args.screenshot)
    print(f"report benchmark: {label}")
    print(f"  {'first report (fills the cache: every operation cold)':56} {first:7.3f} s")
    print(f"  {'drift --format json, warm':56} {drift:7.3f} s")
    print(f"  {'report, fleet and copy pages only, warm':56} {fleet:7.3f} s"
          f"   (+{fleet - drift:.3f} s beside drift)")  # fmt: skip
    print(f"  {'report, every page, warm':56} {everything:7.3f} s")
    print(f"  {'rendering every page, in process':56} {rendering:7.3f} s")
    print(f"  {'writing every file':56} {writing:7.3f} s")
    print(f"  {'site':56} {count} pages, {size / 1e6:.2f} MB")
    for name, seconds in loads.items():
        print(f"  {'load in chromium: ' + name:56} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
