"""The site ``report`` writes, read as files: pages, links, embedded JSON, options."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from report_fixtures import Fleet, build_fleet, embedded, run_report, validate

from oslo_incubator.cli import main
from oslo_incubator.report.html import ASSETS
from oslo_incubator.report.html.fleet import side_by_side
from oslo_incubator.report.html.page import embed_json


class _Links(HTMLParser):
    """Every href and src of a page, and the cells of its matrix."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.cells: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for key in ("href", "src"):
            if found.get(key):
                self.links.append(str(found[key]))
        if tag == "td" and "cell" in (found.get("class") or "").split():
            self.cells.append(found)


def parse(page: str) -> _Links:
    parser = _Links()
    parser.feed(page)
    return parser


def drift_json(fleet: Fleet) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        main,
        ["drift", "--format", "json", "--no-cache", "--incubator", str(fleet.incubator)]
        + [str(p) for p in fleet.projects],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_site_has_a_fleet_page_a_page_per_module_copy_and_the_other_pages(
    fleet: Fleet,
) -> None:
    doc = drift_json(fleet)
    copies = sum(len(p["modules"]) for p in doc["projects"])
    pages = sorted(p.relative_to(fleet.site).as_posix() for p in fleet.site.rglob("*.html"))
    assert len([p for p in pages if p.startswith("copies/")]) == copies
    assert {"index.html", "families.html", "plan.html", "debt.html"} <= set(pages)
    assert sorted(p.name for p in (fleet.site / "assets").iterdir()) == sorted(ASSETS)
    assert f"{len(pages)} pages" in fleet.output


def test_the_matrix_has_one_cell_per_module_copy_with_its_status(fleet: Fleet) -> None:
    doc = drift_json(fleet)
    expected = sorted(
        (str(i), m["status"]) for i, p in enumerate(doc["projects"]) for m in p["modules"]
    )
    cells = parse(fleet.page("index.html")).cells
    found = sorted(
        (str(c["data-project"]), str(c["data-status"]))
        for c in cells
        if c["data-status"] != "none"
    )
    assert found == expected
    assert ("0", "missing") in found and ("0", "obsolete") in found


def test_every_page_embeds_the_json_its_command_prints(fleet: Fleet) -> None:
    schema, document = embedded(fleet.page("index.html"))
    assert schema == "oslo-incubator.drift/2"
    assert document == drift_json(fleet)
    for name, schema_file in [
        ("index.html", "drift"),
        ("copies/compute/log.html", "drift"),
        ("families.html", "scan"),
        ("plan.html", "plan"),
        ("debt.html", "debt"),
    ]:
        _, document = embedded(fleet.page(name))
        validate(document, schema_file)


def test_a_copy_page_embeds_the_drift_document_of_its_module_alone(fleet: Fleet) -> None:
    _, document = embedded(fleet.page("copies/compute/log.html"))
    (project,) = document["projects"]
    assert project["name"] == "compute"
    assert [m["module"] for m in project["modules"]] == ["log"]
    assert [c["copy_path"] for c in project["copies"]] == ["compute/openstack/common/log.py"]


def test_every_link_of_the_site_leads_to_a_file_of_the_site(fleet: Fleet) -> None:
    for page in fleet.site.rglob("*.html"):
        for link in parse(page.read_text(encoding="utf-8")).links:
            parts = urlsplit(link)
            if parts.scheme == "data" or (not parts.path and parts.fragment):
                continue
            assert not parts.scheme and not parts.netloc, f"{page}: {link} leaves the site"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page}: {link} leads nowhere"
            assert fleet.site.resolve() in target.parents


def test_a_diverged_copy_shows_its_hunks_side_by_side_and_marks_backports(fleet: Fleet) -> None:
    log = fleet.page("copies/compute/log.html")
    assert log.count('class="hunk backport"') == 1
    assert 'class="changed"' in log
    assert "def setup(product_name, version=&quot;unknown&quot;):" in log
    jsonutils = fleet.page("copies/compute/jsonutils.html")
    assert jsonutils.count('class="hunk"') == 1 and "hunk backport" not in jsonutils
    assert "never fail" in jsonutils


def test_a_missed_commit_is_listed_with_subject_and_date(fleet: Fleet) -> None:
    page = fleet.page("copies/imaging/log.html")
    assert "log: report the version at setup" in page
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page)


def test_commits_are_links_only_when_the_incubator_has_a_web_address(
    fleet: Fleet, tmp_path: Path
) -> None:
    assert 'class="commit"' not in fleet.page("copies/imaging/log.html")
    site = tmp_path / "site"
    code, out = run_report(
        "--incubator", fleet.incubator, "--output", site, "--no-cache",
        "--incubator-url", "https://example.org/oslo-incubator/",
        "--skip", "families", "--skip", "plan", "--skip", "debt", *fleet.projects,
    )  # fmt: skip
    assert code == 0, out
    page = (site / "copies/imaging/log.html").read_text()
    assert re.search(r'href="https://example.org/oslo-incubator/commit/[0-9a-f]{40}"', page)


def test_skipped_pages_are_left_out_of_the_site_and_its_navigation(
    fleet: Fleet, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    code, out = run_report(
        "--incubator", fleet.incubator, "--output", site, "--no-cache",
        "--skip", "plan", "--skip", "debt", *fleet.projects,
    )  # fmt: skip
    assert code == 0, out
    assert not (site / "plan.html").exists() and not (site / "debt.html").exists()
    index = (site / "index.html").read_text()
    assert 'href="families.html"' in index and "plan.html" not in index


def test_report_refuses_a_directory_it_did_not_write(fleet: Fleet, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out = run_report("--incubator", fleet.incubator, "--output", tmp_path, *fleet.projects)
    assert code == 2
    assert "not a site this command wrote" in out
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_report_replaces_the_site_it_wrote_before(fleet: Fleet, tmp_path: Path) -> None:
    site = tmp_path / "site"
    args = ["--incubator", fleet.incubator, "--output", site, "--no-cache", "--skip", "plan",
            "--skip", "debt", "--skip", "families"]  # fmt: skip
    assert run_report(*args, *fleet.projects)[0] == 0
    stale = site / "copies/compute/gone.html"
    stale.write_text("old")
    assert run_report(*args, *fleet.projects[1:])[0] == 0
    assert not stale.exists() and not (site / "copies/compute").exists()
    assert (site / "copies/imaging/log.html").is_file()


def test_an_invalid_incubator_url_is_bad_usage(fleet: Fleet, tmp_path: Path) -> None:
    code, out = run_report(
        "--incubator", fleet.incubator, "--output", tmp_path / "s",
        "--incubator-url", "ftp://example.org/x", *fleet.projects,
    )  # fmt: skip
    assert code == 2
    assert "not an http:// or https:// address" in out


def test_the_incubator_url_may_be_configured_in_the_project(tmp_path: Path) -> None:
    incubator, projects = build_fleet(tmp_path)
    compute = projects[0]
    conf = compute / "openstack-common.conf"
    conf.write_text(conf.read_text() + "incubator-url = https://example.org/c/{sha}\n")
    site = tmp_path / "site"
    code, out = run_report(
        "--incubator", incubator, "--output", site, "--no-cache", "--skip", "families",
        "--skip", "plan", "--skip", "debt", compute,
    )  # fmt: skip
    assert code == 0, out
    assert re.search(
        r'href="https://example.org/c/[0-9a-f]{40}"', (site / "index.html").read_text()
    )
    conf.write_text(conf.read_text() + "incubator-url = gopher://x\n")
    code, out = run_report("--incubator", incubator, "--output", site, compute)
    assert code == 2
    assert "openstack-common.conf" in out and "incubator-url" in out


def test_report_help_names_every_page() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    for word in ("--output", "--incubator-url", "--skip", "file://", "fleet", "plan", "debt"):
        assert word in result.output
    assert "report" in CliRunner().invoke(main, ["--help"]).output


def test_embedded_json_cannot_end_its_script_element() -> None:
    document = {"subject": "</script><script>alert(1)</script> & <!--", "s": "\u2028"}
    text = embed_json(document)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == document


def test_side_by_side_faces_removed_lines_with_the_added_ones() -> None:
    diff = (
        "--- master\n+++ copy\n@@ -10,4 +10,5 @@\n a\n-b\n-c\n+B\n+C\n+D\n e\n"
        "@@ -20,0 +22,1 @@\n+new\n"
    )
    rows = [(r.kind, r.left, r.left_text, r.right, r.right_text) for r in side_by_side(diff)]
    assert rows == [
        ("context", 10, "a", 10, "a"),
        ("changed", 11, "b", 11, "B"),
        ("changed", 12, "c", 12, "C"),
        ("added", None, None, 13, "D"),
        ("context", 13, "e", 14, "e"),
        ("added", None, None, 22, "new"),
    ]


def test_a_removed_line_that_starts_with_dashes_is_not_a_file_header() -> None:
    rows = side_by_side("--- master\n+++ copy\n@@ -1 +1 @@\n--- x\n++++ y\n")
    assert [(r.kind, r.left_text, r.right_text) for r in rows] == [("changed", "-- x", "+++ y")]


@pytest.mark.parametrize("name", ["index.html", "families.html", "plan.html", "debt.html"])
def test_pages_load_nothing_from_the_network(fleet: Fleet, name: str) -> None:
    page = fleet.page(name)
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', page)
    assert "@import" not in (fleet.site / "assets/site.css").read_text()
    assert "fetch(" not in (fleet.site / "assets/site.js").read_text()
