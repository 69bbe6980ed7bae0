"""The static HTML site of ``oslo-incubator report``: model objects in, pages out.

:func:`render_site` returns every file of the site as text, by its path relative to
the site's root; the CLI writes them. Pages:

``index.html``
    The fleet: modules by projects (see :mod:`.fleet`).
``copies/<project>/<module>.html``
    One module copied into one project: files, base, missed commits, hunks.
``families.html``, ``plan.html``, ``debt.html``
    From ``scan``, ``graduate plan`` and ``debt``, when they ran.
``assets/site.css``, ``assets/site.js``
    Package data of this package (``site.css`` and ``site.js`` beside this file, listed
    in ``package_data`` of setup.cfg); nothing is fetched when a page is viewed.

Each page embeds, in ``<script type="application/json" id="report-data">``, the
document its command prints with ``--format json`` (a copy page: the drift document
cut down to its module of its project). Reading the two assets from the installed
package is the only file this renderer reads; it reads none of the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from oslo_incubator.model.debt import DebtReport
from oslo_incubator.model.drawing import Drawing
from oslo_incubator.model.drift import DriftReport
from oslo_incubator.model.plan import GraduationPlan
from oslo_incubator.model.scan import ScanReport
from oslo_incubator.report.html.debt import render_debt_page
from oslo_incubator.report.html.families import render_families_page
from oslo_incubator.report.html.fleet import copy_pages_of, render_copy_page, render_fleet_page
from oslo_incubator.report.html.page import ASSETS, NavItem
from oslo_incubator.report.html.plan import render_plan_page

__all__ = ["ASSETS", "Site", "asset_text", "render_site"]


@dataclass(frozen=True)
class Site:
    """What the site shows. Only ``drift`` is required; a page whose part is ``None``
    is left out of the site and its navigation.

    ``scan_graph`` is the copy graph in node-link form (embedded with the scan as
    ``scan --format json`` prints it); ``families`` and ``plan_drawing`` are the laid
    out graphs; ``commit_url`` a template with ``{sha}`` for links to master commits.
    """

    drift: DriftReport
    scan: ScanReport | None = None
    scan_graph: dict[str, Any] | None = None
    families: Drawing | None = None
    plan: GraduationPlan | None = None
    plan_drawing: Drawing | None = None
    debt: DebtReport | None = None
    commit_url: str | None = None


def render_site(site: Site) -> dict[str, str]:
    """Every file of the site (pages and assets) by its path from the site's root."""
    nav = [NavItem("fleet", "Fleet", "index.html")]
    if site.scan is not None:
        nav.append(NavItem("families", "Families", "families.html"))
    if site.plan is not None:
        nav.append(NavItem("plan", "Plan", "plan.html"))
    if site.debt is not None:
        nav.append(NavItem("debt", "Debt", "debt.html"))
    pages = copy_pages_of(site.drift)
    files = {"index.html": render_fleet_page(site.drift, pages, nav, site.commit_url)}
    for page in pages.values():
        files[page.path] = render_copy_page(site.drift, page, nav, site.commit_url)
    if site.scan is not None:
        by_copy = {
            (site.drift.projects[page.project].name, copy.copy_path): page.path
            for page in pages.values()
            for module in site.drift.projects[page.project].modules
            if module.module == page.module
            for copy in module.copies
        }
        files["families.html"] = render_families_page(
            site.scan, site.scan_graph, site.families, by_copy, nav
        )
    if site.plan is not None:
        files["plan.html"] = render_plan_page(site.plan, site.plan_drawing, nav)
    if site.debt is not None:
        files["debt.html"] = render_debt_page(site.debt, nav)
    for name in ASSETS:
        files[f"assets/{name}"] = asset_text(name)
    return files


def asset_text(name: str) -> str:
    """The text of one of :data:`ASSETS`, from this package's data."""
    return (resources.files(__package__) / name).read_text(encoding="utf-8")
