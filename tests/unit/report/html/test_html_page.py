"""report/html/page.py: the frame every page shares, escaping, the embedded JSON,
status badges, commit links, tables and small helpers."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from pagecheck import read_page

from oslo_incubator.model.drift import DriftStatus
from oslo_incubator.model.lifecycle import ACTIVE, Lifecycle, LifecycleState
from oslo_incubator.report.html.page import (
    ASSETS,
    DATA_ID,
    GENERATOR,
    NavItem,
    commit_link,
    definition_list,
    embed_json,
    esc,
    lifecycle_text,
    plural,
    render_page,
    status_badge,
    table,
)

NAV = [NavItem("fleet", "Fleet", "index.html"), NavItem("debt", "Debt & <co>", "debt.html")]


def test_esc_escapes_markup_and_quotes() -> None:
    assert esc('<a href="x">&\'</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;&lt;/a&gt;"
    assert esc(3) == "3"
    assert esc("é ☃") == "é ☃"


def test_embed_json_cannot_end_its_script_and_reads_back() -> None:
    doc = {"text": "</script><!-- & \u2028\u2029 é", "n": [1, None]}
    text = embed_json(doc)
    assert "</script>" not in text and "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert "é" in text  # not ASCII-escaped
    assert json.loads(text) == doc


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_embed_json_round_trips_any_document(doc: object) -> None:
    text = embed_json(doc)
    assert "<" not in text
    assert json.loads(text) == doc


def test_render_page_frame() -> None:
    html = render_page(
        title="Debt <x>",
        heading="Deprecation <em>debt</em>",
        current="debt",
        root="../../",
        nav=NAV,
        body="<p>body</p>",
        data={"schema": "s/1", "bad": "</script>"},
        schema="s/1",
        crumbs=[("Fleet", "index.html"), ("nova", "index.html#project-0")],
    )
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert f'<meta name="generator" content="{GENERATOR}">' in html
    assert '<link rel="stylesheet" href="../../assets/site.css">' in html
    assert '<script src="../../assets/site.js" defer></script>' in html
    assert '<a href="../../debt.html" aria-current="page">Debt &amp; &lt;co&gt;</a>' in html
    assert '<a href="../../index.html">Fleet</a>' in html
    assert '<nav class="crumbs" aria-label="Breadcrumb">' in html
    assert "<h1>Deprecation <em>debt</em></h1>" in html  # the heading is HTML
    page = read_page(html)
    assert page.title == "Debt <x> · oslo-incubator report"
    assert page.data == {"schema": "s/1", "bad": "</script>"}
    assert page.schema == "s/1"
    assert "main" in page.ids
    assert page.links.count("../../index.html") == 2  # navigation and breadcrumb


def test_render_page_without_crumbs_at_the_root() -> None:
    html = render_page(
        title="t", heading="h", current="none", root="", nav=NAV, body="", data=[], schema="x"
    )
    assert "crumbs" not in html
    assert "aria-current" not in html
    assert 'href="assets/site.css"' in html
    assert read_page(html).data == []
    assert f'id="{DATA_ID}"' in html


def test_status_badge() -> None:
    assert status_badge(DriftStatus.BEHIND) == '<span class="status s-behind">behind</span>'
    assert status_badge("diverged", "3") == '<span class="status s-diverged">diverged 3</span>'
    assert status_badge(None) == '<span class="status s-none">-</span>'
    assert status_badge('"x') == '<span class="status s-&quot;x">&quot;x</span>'


def test_lifecycle_text() -> None:
    assert lifecycle_text(ACTIVE) == ""
    assert lifecycle_text(Lifecycle(LifecycleState.DEPRECATED)) == "deprecated"
    assert lifecycle_text(Lifecycle(LifecycleState.OBSOLETE, "oslo.log")) == "obsolete → oslo.log"


def test_commit_link() -> None:
    sha = "0123456789" + "a" * 30
    assert commit_link(None, None) == "-"
    assert commit_link("", "https://x/{sha}") == "-"
    assert commit_link(sha, None) == f'<code title="{sha}">01234567</code>'
    assert commit_link(sha, "https://git/commit/{sha}?a=1&b=2") == (
        f'<a class="commit" href="https://git/commit/{sha}?a=1&amp;b=2">'
        f'<code title="{sha}">01234567</code></a>'
    )


def test_table() -> None:
    html = table(
        [("name", "text"), ("lines", "number")],
        ["<tr><td>a</td><td>1</td></tr>"],
        caption="Files <b>here</b>",
        table_id="files",
        filterable=True,
    )
    assert '<table id="files" class="data" data-filter="text">' in html
    assert '<caption id="files-caption">Files <b>here</b></caption>' in html
    assert '<th scope="col" data-sort="number">lines</th>' in html
    assert 'aria-labelledby="files-caption"' in html
    assert "<tbody><tr><td>a</td><td>1</td></tr></tbody>" in html
    plain = table([("a", "text")], [], caption="c", table_id="t")
    assert "data-filter" not in plain
    assert "<tbody></tbody>" in plain


def test_plural() -> None:
    assert plural(1, "copy", "copies") == "1 copy"
    assert plural(0, "copy", "copies") == "0 copies"
    assert plural(2, "file") == "2 files"
    assert plural(1, "file") == "1 file"


def test_definition_list_escapes_terms_not_values() -> None:
    assert definition_list([("a<b", "<code>x</code>"), ("c", "d")]) == (
        '<dl class="facts"><dt>a&lt;b</dt><dd><code>x</code></dd><dt>c</dt><dd>d</dd></dl>'
    )
    assert definition_list([]) == '<dl class="facts"></dl>'


def test_assets_are_named() -> None:
    assert ASSETS == ("site.css", "site.js")
