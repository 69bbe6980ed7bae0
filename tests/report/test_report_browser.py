"""The site in a real headless browser: Debian's chromium driven by Playwright.

Every page is opened from file:// with the network switched off (and any request that
is not for a file aborted and recorded). Skipped, with the reason, when Playwright or
chromium is missing; .ci/run installs chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import Fleet

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (test-requirements)"
)


def _chromium() -> str | None:
    for candidate in (os.environ.get("OSLO_INCUBATOR_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM = _chromium()
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no chromium found (apt-get install chromium chromium-driver; .ci/run does)",
    ),
    pytest.mark.slow,
]


class Visit:
    """A browser context with the network off, recording errors and requests."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self.context = browser.new_context(offline=True, **options)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on(
            "console", lambda m: self.errors.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        return self.page


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    opened = Visit(browser)
    yield opened
    opened.context.close()


def drift_of(page: Any) -> dict[str, Any]:
    return page.evaluate(  # type: ignore[no-any-return]
        "JSON.parse(document.getElementById('report-data').textContent)"
    )


def test_every_page_loads_offline_without_an_error_or_a_request_out(
    fleet: Fleet, visit: Visit
) -> None:
    pages = sorted(fleet.site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        visit.open(path)
        assert visit.page.locator("h1").is_visible(), path
    assert visit.errors == []
    assert visit.blocked == []
    assert all(url.startswith(("file:", "data:")) for url in visit.requests)


def test_the_matrix_has_one_cell_per_module_copy_with_its_status_in_words(
    fleet: Fleet, visit: Visit
) -> None:
    page = visit.open(fleet.site / "index.html")
    document = drift_of(page)
    expected = {
        (str(i), m["module"]): m["status"]
        for i, p in enumerate(document["projects"])
        for m in p["modules"]
    }
    cells = page.locator("#matrix td.cell:not(.none)")
    assert cells.count() == len(expected) == 19
    found = {}
    for n in range(cells.count()):
        cell = cells.nth(n)
        module = cell.locator("xpath=..").get_attribute("data-module")
        found[(cell.get_attribute("data-project"), module)] = cell.locator(".status").inner_text()
    assert found == expected


def test_filtering_by_status_hides_the_other_cells(fleet: Fleet, visit: Visit) -> None:
    page = visit.open(fleet.site / "index.html")
    form = page.locator("#fleet-filters")
    assert form.is_visible()
    for box in form.locator('input[name="status"]').all():
        if box.get_attribute("value") != "diverged":
            box.uncheck()
    cells = page.locator("#matrix td.cell:not(.none)")
    shown = 0
    for n in range(cells.count()):
        cell = cells.nth(n)
        link = cell.locator("a")
        if cell.get_attribute("data-status") == "diverged":
            assert link.is_visible()
            shown += 1
        else:
            assert not link.is_visible()
    assert shown == 3
    assert page.locator("#filter-count").inner_text() == "3 of 19 module copies shown"
    assert page.locator('#matrix tr[data-module="timeutils"]').is_hidden()
    assert page.locator('#matrix tr[data-module="log"]').is_visible()


def test_filtering_by_module_and_project(fleet: Fleet, visit: Visit) -> None:
    page = visit.open(fleet.site / "index.html")
    page.locator("#filter-module").fill("utils")
    visible = page.locator("#matrix tbody tr:visible")
    names = [visible.nth(n).get_attribute("data-module") for n in range(visible.count())]
    assert names == ["gettextutils", "jsonutils", "network_utils", "sqlutils", "timeutils",
                     "uuidutils"]  # fmt: skip
    page.locator("#filter-project").select_option(label="storage")
    assert page.locator('#matrix thead th[data-project="0"]').is_hidden()
    assert page.locator('#matrix thead th[data-project="2"]').is_visible()
    visible = page.locator("#matrix tbody tr:visible")
    names = [visible.nth(n).get_attribute("data-module") for n in range(visible.count())]
    assert names == ["gettextutils", "network_utils", "timeutils"]


def test_clicking_a_cell_opens_that_copys_page_with_its_hunks(fleet: Fleet, visit: Visit) -> None:
    page = visit.open(fleet.site / "index.html")
    page.locator('#matrix tr[data-module="log"] td[data-project="0"] a').click()
    page.wait_for_url("**/copies/compute/log.html")
    assert page.locator("h1").inner_text() == "log in compute"
    hunks = page.locator("section.hunk")
    assert hunks.count() == 1
    assert hunks.first.locator(".badge").inner_text() == "backport"
    rows = hunks.first.locator("table.diff tbody tr.changed")
    assert rows.count() == 2
    assert "version" in rows.first.locator("td.add").inner_text()
    assert page.locator("table.data caption", has_text="master commits since the base").count()
    assert visit.errors == []


def test_the_copy_graph_has_one_node_per_family_member(fleet: Fleet, visit: Visit) -> None:
    page = visit.open(fleet.site / "families.html")
    scan = drift_of(page)
    members = sum(len(f["members"]) for f in scan["families"])
    nodes = page.locator("svg#copy-graph .node.member")
    assert nodes.count() == members
    assert page.locator("svg#copy-graph .node.master").count() == sum(
        1 for f in scan["families"] if f["master"]
    )
    page.locator('svg#copy-graph a:has(g[data-path="compute/openstack/common/log.py"])').click()
    page.wait_for_url("**/copies/compute/log.html")


def test_sorting_a_column_reorders_its_rows(fleet: Fleet, visit: Visit) -> None:
    page = visit.open(fleet.site / "index.html")
    header = page.locator("#matrix thead th").first
    modules = page.locator("#matrix tbody tr")

    def order() -> list[str | None]:
        return [modules.nth(n).get_attribute("data-module") for n in range(modules.count())]

    before = order()
    header.locator("button").click()
    assert order() == sorted(before) and header.get_attribute("aria-sort") == "ascending"
    header.locator("button").press("Enter")
    assert order() == sorted(before, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    compute = page.locator('#matrix thead th[data-project="0"] button')
    compute.click()
    compute.click()  # worst status first: missing, then obsolete ...
    assert order()[:2] == ["uuidutils", "context"]


def test_the_keyboard_reaches_a_cell_and_opens_it(fleet: Fleet, visit: Visit) -> None:
    page = visit.open(fleet.site / "index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#matrix td.cell')"):
            break
    else:
        pytest.fail("no matrix cell within 60 tabs")
    page.keyboard.press("Enter")
    page.wait_for_url("**/copies/**")
    assert page.locator("h1").is_visible()


def test_the_tables_read_without_javascript(fleet: Fleet, browser: Any) -> None:
    visit = Visit(browser, java_script_enabled=False)
    try:
        page = visit.open(fleet.site / "index.html")
        assert page.locator("#matrix td.cell:not(.none) .status").count() == 19
        assert page.locator("#fleet-filters").is_hidden()
        assert page.locator("#matrix th button").count() == 0
        page = visit.open(fleet.site / "debt.html")
        assert page.locator("#deprecations .removal", has_text="OVERDUE").is_visible()
    finally:
        visit.context.close()


def test_pages_reflow_at_200_percent_zoom(fleet: Fleet, browser: Any) -> None:
    # 200% zoom of a 1280 x 900 window: 640 x 450 CSS pixels at two device pixels each.
    visit = Visit(browser, viewport={"width": 640, "height": 450}, device_scale_factor=2)
    try:
        for name in ("index.html", "copies/compute/log.html", "families.html", "plan.html",
                     "debt.html"):  # fmt: skip
            page = visit.open(fleet.site / name)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{name} scrolls sideways by {overflow}px"
            assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
        assert visit.errors == []
    finally:
        visit.context.close()


def test_a_library_in_the_plan_graph_leads_to_its_section(fleet: Fleet, visit: Visit) -> None:
    page = visit.open(fleet.site / "plan.html")
    libraries = page.locator("svg#plan-graph .node.library")
    assert libraries.count() == page.locator("section.library").count() > 0
    page.locator('svg#plan-graph a[href="#lib-1"]').click()
    assert page.url.endswith("#lib-1")
    assert page.locator("#lib-1 h2").is_visible()
