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
from .explain import Explanation
from .models import Hit, Results, Snippet, Span, Stats

__all__ = [
    "MATCH_STYLE",
    "analysis_table",
    "article_view",
    "explain_view",
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
    if results.synonyms:
        parts.append(Text("Synonyms: " + "; ".join(results.synonyms), style="dim"))
    if results.date_range is not None:
        rng = results.date_range
        parts.append(Text(f"Dates: {rng}" + (f" ({rng.phrase})" if rng.phrase else ""), style="dim"))
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


def analysis_table(tokens: Sequence[Token], text: str, origins: Sequence[str] = ()) -> Table:
    """One row per token; ``origins`` (per token: ``uk``, ``ru``, ``lexicon``) adds a column."""
    table = Table(box=None, header_style="bold")
    table.add_column("token")
    table.add_column("normal form")
    table.add_column("lemma(s)")
    table.add_column("known", justify="center")
    if origins:
        table.add_column("from")
    for i, t in enumerate(tokens):
        row: list[RenderableType] = [Text(text[t.start : t.end]), Text(t.form), Text(", ".join(t.lemmas)),
                                     "yes" if t.known else Text("guess", style="yellow")]
        if origins:
            row.append(Text(_ORIGINS.get(origins[i], origins[i])))
        table.add_row(*row)
    return table


_ORIGINS = {"uk": "uk dictionary", "ru": "ru dictionary", "lexicon": "lexicon.tsv", "": "as written"}


def explain_view(ex: Explanation) -> RenderableType:
    """``searchkit explain``: the query as understood, then the article's score by part."""
    parts: list[RenderableType] = [Text.assemble(("Query ", "bold"), ex.query)]
    if ex.corrected_query:
        parts.append(Text.assemble("Explained as ", (ex.corrected_query, "bold"), " (the query finds nothing)",
                                   style="yellow"))
    words = Table(box=None, header_style="bold", padding=(0, 1))
    for col in ("word", "normal form", "lemma(s)", "from", "role"):
        words.add_column(col)
    for w in ex.words:
        role = w.role + (f" ({w.field})" if w.field else "") + (", excluded" if w.negated else "")
        origin = _ORIGINS.get(w.origin, w.origin) + ("" if w.known or w.origin in ("", "lexicon") else ", guess")
        lemmas = ", ".join(w.lemmas) + (f"; searched as {', '.join(w.searched_as)}" if w.searched_as else "")
        words.add_row(Text(w.text), Text(w.form), Text(lemmas), Text(origin), Text(role))
    parts.append(words)
    for label, values in (("Synonyms", ex.synonyms), ("Searched as", ex.searched_as)):
        if values:
            parts.append(Text(f"{label}: " + "; ".join(values), style="dim"))
    if ex.date_range is not None:
        rng = ex.date_range
        inside = "" if ex.in_date_range else " — the article's date is outside it"
        parts.append(Text(f"Dates: {rng}" + (f" ({rng.phrase})" if rng.phrase else "") + inside, style="dim"))
    for note in ex.warnings:
        parts.append(Text(f"Note: {note}", style="dim yellow"))
    parts += [Text("Query tree", style="bold"), Text(ex.tree, style="dim"), Text("")]
    parts.append(Text.assemble(("Article ", "bold"), (ex.title or "(untitled)", "bold"), f"  ({ex.article_id})"))
    if ex.rank is not None:
        verdict = Text(f"matches: rank {ex.rank}, score {ex.score:.2f}", style="green")
    elif ex.matches_query:
        verdict = Text(f"matches the words (score {ex.score:.2f}) but the filters leave it out", style="yellow")
    else:
        verdict = Text("does not match the query", style="yellow")
    parts.append(verdict)
    if ex.missing:
        parts.append(Text("not in the article: " + ", ".join(ex.missing), style="yellow"))
    if ex.contributions:
        table = Table(box=None, header_style="bold", padding=(0, 1))
        for col, justify in (("score", "right"), ("query word", "left"), ("matched as", "left"),
                             ("field", "left"), ("in the article", "left")):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        for c in ex.contributions:
            table.add_row(f"+{c.score:.2f}", Text(c.query_word or "—"), Text(f"{c.kind} {c.term}"),
                          c.field, Text(", ".join(c.found)))
        parts.append(table)
    if ex.matched:
        parts.append(Text("matched: " + ", ".join(f"{form} ← {term}" for form, term in ex.matched), style="dim"))
    return Group(*parts)


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
    why = f"{stats.index_outdated_reason}; " if stats.index_outdated_reason else ""
    t.add_row("up to date", Text("yes", style="green") if stats.index_up_to_date
              else Text(f"no: {why}run `searchkit index`", style="yellow"))
    if stats.sources:
        top = list(stats.sources.items())[:15]
        more = len(stats.sources) - len(top)
        lines = "\n".join(f"{n:>6}  {s}" for s, n in top) + (f"\n  … and {more} more" if more else "")
        t.add_row("sources", Text(lines))
    return t
