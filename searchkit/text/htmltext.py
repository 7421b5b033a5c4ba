"""The readable text of an HTML page (pure, standard library only).

Scripts, styles, navigation and other non-content elements are dropped; block elements
become paragraph breaks; the ``<title>`` (or the first ``<h1>``) is the title; a
publication date is taken from the usual ``<meta>`` tags.

>>> page = extract("<title>Новини</title><p>Київ.<script>x()</script></p><p>Львів.</p>")
>>> page.title, page.text
('Новини', 'Київ.\\n\\nЛьвів.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["HtmlPage", "declared_charset", "extract"]

# Never text for a reader: code, styling, embedded objects, menus.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
                   "nav", "select", "button"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
                    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                    "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "td", "th",
                    "tr", "ul"})
_DATE_META = ("article:published_time", "datepublished", "date", "pubdate", "dc.date", "dcterms.created")
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True, slots=True)
class HtmlPage:
    title: str
    text: str
    date: str | None = None


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset=...>``), if any."""
    m = _CHARSET.search(head[:4096])
    return m.group(1).decode("ascii") if m else None


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_head = False
        self.in_title = False
        self.in_h1 = False
        self.pre = 0
        self.title: list[str] = []
        self.h1: list[str] = []
        self.date: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and a.get("content") and self.date is None:
                self.date = a["content"].strip()
        if tag == "h1" and not self.h1:
            self.in_h1 = True
        if tag == "pre":
            self.pre += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "head":
            self.in_head = False
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_h1 = False
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <meta .../>: never opens an element, so it must not count as entering one
        if tag == "meta":
            self.handle_starttag(tag, attrs)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip or self.in_head:
            return
        if self.in_h1:
            self.h1.append(data)
        # Line breaks in HTML source are spaces; only <pre> keeps them.
        self.parts.append(data if self.pre else data.replace("\n", " "))


def _clean(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    paragraphs: list[str] = []
    for line in lines:
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def extract(html: str) -> HtmlPage:
    """Title, text and date of a page; empty strings when it has none."""
    p = _Extractor()
    p.feed(html)
    p.close()
    title = " ".join("".join(p.title).split()) or " ".join("".join(p.h1).split())
    return HtmlPage(title=title, text=_clean("".join(p.parts)), date=p.date)
