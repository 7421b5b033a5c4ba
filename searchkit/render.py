"""Rich renderables shared by the CLI and the TUI.

Article text never goes through Rich markup (a ``[`` in a headline would be read as a tag):
every piece is a :class:`rich.text.Text` and matches are applied with ``stylize``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .analysis import Token
from .models import Hit, Results, Snippet, Span, Stats

__all__ = [
    "MATCH_STYLE",
    "analysis_table",
    "article_view",
    "highlighted",
    "hit_view",
    "human_bytes",
    "results_header",
    "results_view",
    "stats_view",
]

MATCH_STYLE = "bold black on yellow"


def highlighted(text: str, spans: Iterable[Span], *, base: str = "", match: str = MATCH_STYLE) -> Text:
    """``text`` as a Rich Text with each span styled as a match."""
    t = Text(text, style=base)
    for s in spans:
        t.stylize(match, s.start, s.end)
    return t


def snippet_text(snippet: Snippet) -> Text:
    return highlighted(snippet.text, snippet.spans)


def hit_view(hit: Hit) -> RenderableType:
    """Title (bold), then date · source · score · id, then the snippet."""
    title = highlighted(hit.title or "(untitled)", hit.title_spans, base="bold", match=f"bold {MATCH_STYLE}")
    head = Text.assemble((f"{hit.rank:>2}. ", "dim"), title)
    meta = [hit.date.isoformat() if hit.date else "undated"]
    if hit.source:
        meta.append(hit.source)
    meta.append(f"score {hit.score:.2f}")
    meta.append(hit.id)
    line = Text("    " + " · ".join(meta), style="dim cyan")
    body = Text("    ") + snippet_text(hit.snippet)
    return Group(head, line, body, Text(""))


def results_header(results: Results) -> Text:
    if results.total == 0:
        out = Text(f"No matches for {results.query!r}.", style="yellow")
    else:
        first = (results.page - 1) * results.limit + 1
        last = first + len(results.hits) - 1
        shown = f"{first}–{last} of {results.total}" if results.hits else f"page {results.page} is empty"
        out = Text(f"{results.total} match{'es' if results.total != 1 else ''} ({shown}) in "
                   f"{results.elapsed_ms:.0f} ms", style="green")
    return out


def results_view(results: Results) -> RenderableType:
    parts: list[RenderableType] = []
    if results.corrected_query:
        parts.append(Text.assemble("Showing results for ", (results.corrected_query, "bold"),
                                   f" (no matches for {results.query!r})", style="yellow"))
    if results.searched_as:
        parts.append(Text("Searched as: " + ", ".join(results.searched_as), style="dim"))
    for w in results.warnings:
        parts.append(Text(f"Note: {w}", style="dim yellow"))
    parts.append(results_header(results))
    if results.suggestion and not results.corrected_query:
        parts.append(Text.assemble("Did you mean: ", (results.suggestion, "bold"), "?", style="yellow"))
    parts.append(Text(""))
    parts.extend(hit_view(h) for h in results.hits)
    return Group(*parts)


def article_view(article_id: str, title: Snippet, body: Snippet, meta: Sequence[str]) -> RenderableType:
    head = highlighted(title.text, title.spans, base="bold", match=f"bold {MATCH_STYLE}")
    info = Text(" · ".join([*meta, article_id]), style="dim cyan")
    return Group(head, info, Text(""), snippet_text(body))


def analysis_table(tokens: Sequence[Token], text: str) -> Table:
    table = Table(box=None, header_style="bold")
    table.add_column("token")
    table.add_column("normal form")
    table.add_column("lemma(s)")
    table.add_column("known", justify="center")
    for t in tokens:
        table.add_row(Text(text[t.start : t.end]), Text(t.form), Text(", ".join(t.lemmas)),
                      "yes" if t.known else Text("guess", style="yellow"))
    return table


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def stats_view(stats: Stats) -> RenderableType:
    t = Table(box=None, show_header=False)
    t.add_column(style="bold")
    t.add_column()
    t.add_row("articles", f"{stats.articles} indexed, {stats.corpus_articles} in corpus/")
    span = "—"
    if stats.first_date and stats.last_date:
        span = f"{stats.first_date.isoformat()} … {stats.last_date.isoformat()}"
    if stats.undated:
        span += f" ({stats.undated} undated)"
    t.add_row("dates", span)
    t.add_row("index", human_bytes(stats.index_bytes))
    t.add_row("up to date", Text("yes", style="green") if stats.index_up_to_date
              else Text("no: run `searchkit index`", style="yellow"))
    if stats.sources:
        top = list(stats.sources.items())[:15]
        more = len(stats.sources) - len(top)
        lines = "\n".join(f"{n:>6}  {s}" for s, n in top) + (f"\n  … and {more} more" if more else "")
        t.add_row("sources", Text(lines))
    return t
