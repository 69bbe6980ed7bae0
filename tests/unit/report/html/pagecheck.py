"""Read a rendered page back: its embedded JSON document, its elements' balance and ids,
and its visible text, with the standard library's HTML parser."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from oslo_incubator.report.html.page import DATA_ID

VOID = {"meta", "link", "input", "br", "img", "col", "hr", "source", "wbr"}


@dataclass
class Page:
    """What a page holds, as a browser would read it."""

    ids: list[str] = field(default_factory=list)
    text: str = ""
    links: list[str] = field(default_factory=list)
    data: Any = None
    schema: str | None = None
    title: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        self.texts: list[str] = []
        self.in_data = False
        self.in_title = False
        self.data_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "id" in values and values["id"] is not None:
            self.page.ids.append(values["id"])
        if tag == "a" and values.get("href"):
            self.page.links.append(values["href"] or "")
        if tag == "script" and values.get("id") == DATA_ID:
            self.in_data = True
            self.page.schema = values.get("data-schema")
        if tag == "title" and "svg" not in self.stack:
            self.in_title = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "id" in values and values["id"] is not None:
            self.page.ids.append(values["id"])

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()
        if tag == "script":
            self.in_data = False
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_data:
            self.data_text += data
        elif self.in_title:
            self.page.title += data
        elif "script" not in self.stack and "style" not in self.stack:
            self.texts.append(data)


def read_page(html: str) -> Page:
    """Parse ``html``; fail when an element is left open or closed out of order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.stack == [], f"left open: {reader.stack}"
    page = reader.page
    page.text = re.sub(r"\s+", " ", "".join(reader.texts)).strip()
    page.data = json.loads(reader.data_text)
    return page
