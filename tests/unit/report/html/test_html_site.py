"""report/html/__init__.py: the whole site from model objects, and its assets."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from pagecheck import read_page

import oslo_incubator.report.html as site_package
from oslo_incubator.model.debt import DebtReport
from oslo_incubator.model.drift import (
    CopyDrift,
    DriftReport,
    DriftStatus,
    ModuleDrift,
    ProjectDrift,
)
from oslo_incubator.model.plan import GraduationPlan
from oslo_incubator.model.scan import (
    Family,
    Grain,
    Member,
    ProjectScan,
    ScanOptions,
    ScanReport,
    UnitKind,
)
from oslo_incubator.report.debt import DEBT_SCHEMA
from oslo_incubator.report.drift import DRIFT_SCHEMA
from oslo_incubator.report.html import ASSETS, Site, asset_text, render_site
from oslo_incubator.report.plan import PLAN_SCHEMA
from oslo_incubator.report.scan import SCAN_SCHEMA

CD = "nova/openstack/common"
LOG = CopyDrift("log", f"{CD}/log.py", "openstack/common/log.py", DriftStatus.CURRENT, "a" * 40)
DRIFT = DriftReport(
    "/src/oslo-incubator",
    "f" * 40,
    (
        ProjectDrift(
            "nova",
            "/src/nova",
            "nova",
            (LOG,),
            missing=("uuidutils",),
            modules=(
                ModuleDrift("log", DriftStatus.CURRENT, (LOG,)),
                ModuleDrift("uuidutils", DriftStatus.MISSING, ()),
            ),
        ),
    ),
)
MEMBER = Member(
    "nova", f"{CD}/log.py", None, UnitKind.MODULE, 1, 9, 50, "k", 1.0, DriftStatus.CURRENT
)
SCAN = ScanReport(
    (ProjectScan("nova", "/src/nova", ("nova",), 3, 30, None),),
    (Family("F1", Grain.MODULE, (MEMBER,), None, MEMBER, "oldest", 9, 50),),
    (),
    (),
    None,
    ScanOptions(),
)


def _nav(html: str) -> list[str]:
    header = html.split('<header class="site">', 1)[1].split("</header>", 1)[0]
    return [part.split('"', 1)[0] for part in header.split('href="')[1:]]


def test_drift_alone_makes_the_fleet_copies_and_assets() -> None:
    files = render_site(Site(DRIFT))
    assert sorted(files) == [
        "assets/site.css",
        "assets/site.js",
        "copies/nova/log.html",
        "copies/nova/uuidutils.html",
        "index.html",
    ]
    assert _nav(files["index.html"]) == ["index.html"]
    assert _nav(files["copies/nova/log.html"]) == ["../../index.html"]
    assert read_page(files["index.html"]).schema == DRIFT_SCHEMA


def test_every_part_adds_its_page_and_navigation(
    plan: GraduationPlan, debt_report: DebtReport
) -> None:
    files = render_site(Site(DRIFT, scan=SCAN, plan=plan, debt=debt_report))
    assert {"families.html", "plan.html", "debt.html"} <= set(files)
    expected = ["index.html", "families.html", "plan.html", "debt.html"]
    for name in ("index.html", "families.html", "plan.html", "debt.html"):
        assert _nav(files[name]) == expected
    assert _nav(files["copies/nova/log.html"]) == [f"../../{n}" for n in expected]
    schemas = {name: read_page(files[name]).schema for name in expected}
    assert schemas == {
        "index.html": DRIFT_SCHEMA,
        "families.html": SCAN_SCHEMA,
        "plan.html": PLAN_SCHEMA,
        "debt.html": DEBT_SCHEMA,
    }


def test_families_link_scanned_copies_to_their_fleet_page() -> None:
    files = render_site(Site(DRIFT, scan=SCAN, scan_graph={"nodes": []}))
    families = files["families.html"]
    assert f'<a href="copies/nova/log.html"><code>nova: {CD}/log.py</code>' in families
    assert read_page(families).data["graph"] == {"nodes": []}


def test_commit_url_reaches_the_pages() -> None:
    files = render_site(Site(DRIFT, commit_url="https://git/{sha}"))
    assert f'href="https://git/{"f" * 40}"' in files["index.html"]
    assert f'href="https://git/{"a" * 40}"' in files["copies/nova/log.html"]


def test_every_page_links_only_to_files_of_the_site(
    plan: GraduationPlan, debt_report: DebtReport
) -> None:
    files = render_site(Site(DRIFT, scan=SCAN, plan=plan, debt=debt_report))
    for name, text in files.items():
        if not name.endswith(".html"):
            continue
        page = read_page(text)
        folder = posixpath.dirname(name)
        for href in page.links:
            target = href.split("#", 1)[0]
            if not target or target.startswith(("http:", "https:")):
                continue
            resolved = posixpath.normpath(posixpath.join(folder, target))
            assert resolved in files, f"{name} links to {href}"


@pytest.mark.parametrize("name", ASSETS)
def test_assets_are_the_package_data(name: str) -> None:
    text = asset_text(name)
    on_disk = Path(site_package.__file__).with_name(name).read_text(encoding="utf-8")
    assert text == on_disk
    assert render_site(Site(DRIFT))[f"assets/{name}"] == text
    assert len(text) > 100


def test_asset_text_of_an_unknown_name_fails() -> None:
    with pytest.raises(FileNotFoundError):
        asset_text("nothing.css")
