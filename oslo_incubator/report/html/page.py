"""What every page of the site shares: the frame, the navigation, escaping, the
embedded JSON, status badges and commit links.

Pages are plain HTML5 that reads without its script: tables are rendered here, the
script (``assets/site.js``) only sorts and filters them. Links are relative, so the
site works from ``file://`` and from any web server path.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState

#: Stylesheet and script, package data of ``oslo_incubator.report.html``, copied to
#: ``assets/`` of every site.
ASSETS = ("site.css", "site.js")
#: The id of the ``<script type="application/json">`` element holding a page's data.
DATA_ID = "report-data"
GENERATOR = "oslo-incubator report"


@dataclass(frozen=True)
class NavItem:
    """A page of the navigation bar: its key, its words and its path from the root."""

    key: str
    label: str
    path: str


def esc(value: object) -> str:
    """Text escaped for HTML element content and quoted attribute values."""
    return html.escape(str(value), quote=True)


def embed_json(document: Any) -> str:
    """``document`` as compact JSON that is safe inside ``<script>``: ``<``, ``>`` and
    ``&`` are written as JSON escapes, so no ``</script>`` can end it early and the
    text still parses to the same document."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_page(
    *,
    title: str,
    heading: str,
    current: str,
    root: str,
    nav: Sequence[NavItem],
    body: str,
    data: Any,
    schema: str,
    crumbs: Sequence[tuple[str, str]] = (),
) -> str:
    """A whole page.

    Args:
        title: the document title (the site's name is added).
        heading: the page's ``<h1>``, as HTML.
        current: the key of the navigation item this page belongs to.
        root: the relative path from this page to the site root (``""``, ``"../../"``).
        nav: the site's pages.
        body: the main content, as HTML.
        data: the JSON document the page embeds (what ``--format json`` prints).
        schema: that document's schema name, also stated on the element.
        crumbs: (label, path from the root) links before the heading.
    """
    links = "".join(
        f'<li><a href="{esc(root + item.path)}"'
        + (' aria-current="page"' if item.key == current else "")
        + f">{esc(item.label)}</a></li>"
        for item in nav
    )
    trail = ""
    if crumbs:
        parts = "".join(f'<li><a href="{esc(root + path)}">{esc(label)}</a></li>'
                        for label, path in crumbs)  # fmt: skip
        trail = f'<nav class="crumbs" aria-label="Breadcrumb"><ol>{parts}</ol></nav>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        # An empty icon: no request for /favicon.ico, which file:// cannot answer.
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)} · oslo-incubator report</title>\n"
        f'<link rel="stylesheet" href="{esc(root)}assets/site.css">\n'
        f'<script src="{esc(root)}assets/site.js" defer></script>\n'
        "</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to content</a>\n'
        f'<header class="site"><nav aria-label="Report pages"><ul>{links}</ul></nav></header>\n'
        f'<main id="main" tabindex="-1">\n{trail}<h1>{heading}</h1>\n{body}\n</main>\n'
        f'<script type="application/json" id="{DATA_ID}" data-schema="{esc(schema)}">'
        f"{embed_json(data)}</script>\n"
        "</body>\n</html>\n"
    )


def status_badge(status: DriftStatus | str | None, extra: str = "") -> str:
    """A drift status in words, coloured by its class (never colour alone)."""
    if status is None:
        return '<span class="status s-none">-</span>'
    value = status.value if isinstance(status, DriftStatus) else status
    tail = f" {extra}" if extra else ""
    return f'<span class="status s-{esc(value)}">{esc(value)}{esc(tail)}</span>'


def lifecycle_text(lifecycle: Lifecycle) -> str:
    """``deprecated → oslo.log``; empty for an active module."""
    if lifecycle.state is LifecycleState.ACTIVE:
        return ""
    state: str = lifecycle.state.value
    return state + (f" → {lifecycle.library}" if lifecycle.library else "")


def commit_link(sha: str | None, commit_url: str | None, root: str = "") -> str:
    """A commit's short sha, linked to its web page when the incubator has a URL."""
    if not sha:
        return "-"
    short = f'<code title="{esc(sha)}">{esc(sha[:8])}</code>'
    if not commit_url:
        return short
    return f'<a class="commit" href="{esc(commit_url.replace("{sha}", sha))}">{short}</a>'


def table(
    headers: Sequence[tuple[str, str]],
    rows: Iterable[str],
    *,
    caption: str,
    table_id: str,
    filterable: bool = False,
) -> str:
    """A sortable table: ``headers`` are (words, sort type: ``text`` or ``number``);
    ``rows`` are ``<tr>`` elements. With ``filterable`` the script adds a text filter."""
    head = "".join(f'<th scope="col" data-sort="{esc(kind)}">{esc(label)}</th>'
                   for label, kind in headers)  # fmt: skip
    attrs = ' data-filter="text"' if filterable else ""
    return (
        f'<div class="scroll" role="region" aria-labelledby="{esc(table_id)}-caption" '
        f'tabindex="0"><table id="{esc(table_id)}" class="data"{attrs}>'
        f'<caption id="{esc(table_id)}-caption">{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 copy``, ``3 copies``."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def definition_list(items: Sequence[tuple[str, str]]) -> str:
    """A ``<dl>`` of (term, HTML) pairs, the terms escaped."""
    body = "".join(f"<dt>{esc(term)}</dt><dd>{value}</dd>" for term, value in items)
    return f'<dl class="facts">{body}</dl>'
