"""Search results as files for other tools: JSON Lines, CSV and Markdown (pure).

Each writer takes :class:`Results` (one per query) and returns text; the caller encodes it
as UTF-8. CSV follows RFC 4180 (CRLF line ends, quotes doubled); spreadsheet programs read
it as UTF-8 only when it starts with a byte order mark, hence ``bom=True``.

>>> from searchkit.models import Results
>>> to_csv([Results(query="мова", total=0, hits=())]).splitlines()[0]
'query,rank,id,title,date,first_published,source,score,duplicates,snippet,path,searched,shared'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable

from .models import Hit, Results
from .text.controls import printable
from .text.textdecode import BOM

__all__ = ["CSV_COLUMNS", "EXPORT_FORMATS", "to_csv", "to_jsonl", "to_markdown"]

EXPORT_FORMATS = ("jsonl", "csv", "md")
#: ``searched``: the corrected query the hits were found for ("showing results for"),
#: empty when the query was searched as typed; ``shared``: the key words a hit of
#: ``similar`` shares (new columns go last, so older readers keep theirs)
CSV_COLUMNS = ("query", "rank", "id", "title", "date", "first_published", "source", "score", "duplicates",
               "snippet", "path", "searched", "shared")
#: Between the items of a list in one cell: an id may hold spaces and commas, never a
#: line break (``str.split()`` still splits such a cell)
_ITEMS = "\n"


def to_jsonl(results: Iterable[Results]) -> str:
    """One JSON object per hit, with the query it answers (and ``searched``, the corrected
    query the hits were found for, when the query typed found nothing)."""
    lines = []
    for res in results:
        searched = {"searched": res.corrected_query} if res.corrected_query else {}
        for h in res.hits:
            lines.append(json.dumps({"query": res.query, **searched, "rank": h.rank, **h.to_json()},
                                    ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


#: A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """``text`` safe for a spreadsheet: a leading ``'`` keeps a would-be formula as text;
    and for a terminal that shows the file: control characters as symbols."""
    text = "'" + text if text.startswith(_FORMULA_START) else text
    return printable(text, lines=True)


def _csv_row(res: Results, h: Hit) -> list[str]:
    return [
        _cell(res.query), str(h.rank), _cell(h.id), _cell(h.title), h.date.isoformat() if h.date else "",
        h.first_published.isoformat() if h.first_published else "", _cell(h.source or ""),
        "" if h.score is None else f"{h.score:.4f}",
        _cell(_ITEMS.join(h.duplicates)), _cell(h.snippet.text), _cell(h.path), _cell(res.corrected_query or ""),
        _cell(_ITEMS.join(h.shared)),
    ]


def to_csv(results: Iterable[Results], *, bom: bool = False, header: bool = True) -> str:
    """A header row, then one row per hit; ``duplicates`` (ids) and ``shared`` (key
    words) hold one item per line. Text
    cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``...) start
    with ``'``."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n")
    if header:
        w.writerow(CSV_COLUMNS)
    for res in results:
        for h in res.hits:
            w.writerow(_csv_row(res, h))
    return buf.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_SPACE = re.compile(r"\s+")


def _md(text: str) -> str:
    """``text`` with Markdown's special characters escaped, line breaks flattened and
    control characters shown as symbols."""
    return printable(_MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text)))


def _md_snippet(h: Hit) -> str:
    out, pos = [], 0
    text = h.snippet.text
    for s in h.snippet.spans:
        out += [_md(text[pos : s.start]), "**" + _md(text[s.start : s.end]) + "**"]
        pos = s.end
    out.append(_md(text[pos:]))
    return "".join(out).strip()


def _code(text: str) -> str:
    return _md(text) if "`" in text else f"`{printable(text)}`"


def _page_of(res: Results) -> str:
    """Which of ``res.total`` hits the page lists, when not all of them (a page of an export
    must not read as the whole answer)."""
    if len(res.hits) == res.total:
        return ""
    if not res.hits:
        return f" (page {res.page} is empty)"
    first = res.hits[0].rank
    return f" ({first}–{first + len(res.hits) - 1} here)"


def to_markdown(results: Iterable[Results]) -> str:
    """A section per query: a numbered list of hits with their snippets, matches in bold."""
    parts = []
    for res in results:
        head = f"## {_md(res.query)}\n\n"
        if res.corrected_query:
            head += f"Showing results for {_md(res.corrected_query)}\n\n"
        head += f"{res.total} hit{'s' if res.total != 1 else ''}" + _page_of(res)
        if res.folded:
            head += f" ({res.matched} articles: {res.folded} near-duplicate{'s' if res.folded != 1 else ''} folded in)"
        parts.append(head + "\n")
        for name, counts in res.facets.items():
            values = ", ".join(f"{_md(c.value) if c.value else '(none)'} {c.count}" for c in counts)
            parts.append(f"- {name}: {values}")
        if res.facets:
            parts.append("")
        for h in res.hits:
            meta = [h.date.isoformat() if h.date else "undated"]
            if h.source:
                meta.append(_md(h.source))
            meta.append(_code(h.id))
            line = f"{h.rank}. **{_md(h.title or '(untitled)')}** — {' · '.join(meta)}"
            if h.duplicates:
                line += f" (+{len(h.duplicates)} similar: {', '.join(_code(d) for d in h.duplicates)})"
            if h.shared:
                line += f" · shared: {', '.join(_md(w) for w in h.shared)}"
            parts.append(line)
            if h.snippet.text:
                parts.append(f"   > {_md_snippet(h)}")
        parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"
