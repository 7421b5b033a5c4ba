"""Search results: each hit, the header and notes above them, the facet counts, the
line between the hits with all the words and those with some, and similar articles."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from ..models import FACETS_COVER, SCORE_DECIMALS, Article, FacetCount, Hit, Results
from ..query.budget import snippets_cut
from ..query.parse import words_only
from ..text.controls import QUOTED_MAX, printable, quoted
from ._common import MATCH_STYLE, Hanging, highlighted, snippet_text, told

#: Facet values shown per facet in the terminal (JSON carries them all).
FACET_VALUES_SHOWN = 12

#: Ids of a hit's near-duplicates shown on its "+N similar" line on a terminal and in the
#: TUI (the exports carry them all): a story with hundreds of copies filled the screen.
SIMILAR_IDS_SHOWN = 5


def no_matches(query: str, *, limit: int = QUOTED_MAX, style: str = "") -> Text:
    """``No matches for 'QUERY'.``: what both shells say first of a search that found
    nothing, the query quoted as a message quotes it (``repr``: where it starts and ends is
    seen), in bold, cut to ``limit`` characters (the TUI, whose query box shows it whole
    above, says its start)."""
    return Text.assemble("No matches for ", (quoted(query, limit), "bold"), ".", style=style)


def nothing_new(name: str, *, ran_before: bool) -> Text:
    """``Nothing new for 'NAME' since it last ran.`` (or ``since it was saved``, before its
    first run): what both shells say of a saved search's run of only the new matches that
    found none."""
    return Text.assemble("Nothing new for ", (quoted(name), "bold"),
                         f" since it {'last ran' if ran_before else 'was saved'}.")


def why_no_match(query: str) -> str:
    """What a search of ``query`` that found nothing says of why, as far as the query tells
    (the shells say first what a date range, a filter or articles not searchable yet have to
    do with it): words alone are in no article, in any form; a phrase, a field, a minus or a
    ``+`` may be what leaves none, its words in some all the same."""
    if words_only(query):
        return ("No article has any of the words, in any form or spelling. Try other words, `word*` for a prefix "
                "or `word~` for a misspelling.")
    return ("No article matches the query as written, though its words may be in some: try it without the quotes "
            "of a phrase, the field (title:, заголовок:), the -words or the +.")


def similar_line(hit: Hit) -> str:
    """``+N similar (first published DATE): a, b, c, d, e … and M more`` for a hit with
    near-duplicates folded in: the first :data:`SIMILAR_IDS_SHOWN` ids, best-ranked first."""
    first = f" (first published {hit.first_published.isoformat()})" if hit.first_published else ""
    shown = hit.duplicates[:SIMILAR_IDS_SHOWN]
    more = len(hit.duplicates) - len(shown)
    return (f"+{len(hit.duplicates):,} similar{first}: " + printable(", ".join(shown))
            + (f" … and {more:,} more" if more else ""))


def hit_view(hit: Hit, *, snippet_lines: int | None = 2, show_id: bool = True) -> RenderableType:
    """Title (bold), then date · source · score (none when sorted by date) and id, then the
    snippet with matches marked.

    On a terminal the snippet takes at most ``snippet_lines`` lines of the console's width.
    """
    title = highlighted(hit.title or "(untitled)", hit.title_spans, base="bold", match=f"bold {MATCH_STYLE}")
    head = Text.assemble((f"{hit.rank:>2}. ", "dim"), title) if hit.rank else title
    meta = Text.assemble((hit.date.isoformat() if hit.date else "undated", "cyan"))
    if hit.source:
        meta.append(" · ", style="dim")
        meta.append(printable(hit.source), style="cyan")
    if hit.score is not None:  # sorted by date: no score to show
        meta.append(f" · score {hit.score:.{SCORE_DECIMALS}f}", style="dim")
    if show_id:
        meta.append(f" · {printable(hit.id)}", style="dim")
    indent = 4 if hit.rank else 0
    parts: list[RenderableType] = [Hanging(head, indent=indent, first=0), Hanging(meta, indent=indent)]
    if hit.duplicates:
        parts.append(Hanging(Text(similar_line(hit), style="magenta"), indent=indent))
    if hit.shared:
        parts.append(Hanging(Text("shared: " + printable(", ".join(hit.shared)), style="green"), indent=indent))
    parts.append(Hanging(snippet_text(hit.snippet), indent=indent, max_lines=snippet_lines))
    return Group(*parts)


def results_header(results: Results, *, narrow: bool = True, collapsible: bool = True) -> Text:
    """``N matches (1–10 of N) in 12 ms``, or the no-match line; when cut short, says so,
    with the advice for each cause (see :func:`_cut_said`). ``collapsible=False``: the
    command has no ``--no-collapse`` to offer (``similar``), so the folded copies are only
    counted (each hit's ``+N similar`` line names them)."""
    if results.total == 0:
        out = no_matches(results.query, style="yellow")
    else:
        first = (results.page - 1) * results.limit + 1
        last = first + len(results.hits) - 1
        # thousands grouped as in the counts after it (``1,593 matches: 493 with all the words, 1,100 ...``)
        shown = f"{first:,}–{last:,} of {results.total:,}" if results.hits else f"page {results.page} is empty"
        out = Text(f"{results.total:,} match{'es' if results.total != 1 else ''} ({shown}) in "
                   f"{results.elapsed_ms:.0f} ms", style="green")
        if results.partial:
            out.append(f": {tiers(results)}", style="green")
        if results.folded:
            out.append(f"; {results.folded:,} near-duplicate{'s' if results.folded != 1 else ''} folded in"
                       + (" (--no-collapse lists them)" if collapsible else ""), style="dim")
    if results.cut:
        out.append(_cut_said(results.cut, narrow=narrow), style="yellow")
    return out


def _cut_said(cut: tuple[str, ...], *, narrow: bool = True) -> str:
    """What the header says of the notes ``cut``, as the notes above it advise: a search
    stopped early is narrowed (not with ``narrow=False``: ``similar`` has no query), a long
    page's snippets left out call for fewer hits, as the matches are all there."""
    snippets = sum(map(snippets_cut, cut))
    if snippets == len(cut):
        return " — snippets cut short to answer in time (see above); ask for fewer hits for every snippet"
    advice = ("; narrow the query" if narrow else "") + ("; ask for fewer hits for every snippet" if snippets else "")
    return f" — cut short to answer in time (see above){advice}"


def facets_cover(*, cut: bool = False) -> Text:
    """The line over the counts that says what they cover (:data:`FACETS_COVER`); ``cut``:
    as :func:`facets_view` cuts its lines."""
    return Text(f"Counts of {FACETS_COVER}:", style="dim", no_wrap=cut, overflow="ellipsis" if cut else None)


def facets_view(facets: dict[str, tuple[FacetCount, ...]], *, cut: bool = False) -> RenderableType:
    """One line per facet: ``source: Час Київщини 12 · Тест-новини 3 · … 4 more``;
    ``cut``: a line wider than the screen ends in ``…`` instead of wrapping (one row a facet)."""
    lines = []
    for name, counts in facets.items():
        shown = counts[:FACET_VALUES_SHOWN]
        line = Text(f"{name}: ", style="bold", no_wrap=cut, overflow="ellipsis" if cut else None)
        line.append(printable(" · ".join(f"{c.value if c.value is not None else '(none)'} {c.count}"
                                         for c in shown)) or "—")
        if len(counts) > len(shown):
            line.append(f" · … {len(counts) - len(shown)} more", style="dim")
        lines.append(line)
    return Group(*lines)


def topic_order_line() -> Text:
    """The line that says why a page's scores are not in order, where they are not
    (:attr:`Results.topic_order`)."""
    from ..answers.topical import WINDOW  # (the shells' start-up need not load the answers)

    return Text(f"Scores not in order: the first {WINDOW} results are ordered by topic as well", style="dim")


def results_notes(results: Results, *, dates: bool = True) -> list[Text]:
    """What the engine made of the query: corrections, the words searched, parser notes;
    ``dates=False`` leaves out the date range searched (a screen that shows its own
    filter's dates says them once)."""
    parts: list[Text] = []
    if results.corrected_query:
        parts.append(Text.assemble("Showing results for ", (printable(results.corrected_query), "bold"),
                                   f" (no matches for {quoted(results.query)})", style="yellow"))
    if results.searched_as:
        parts.append(Text("Searched as: " + printable(", ".join(results.searched_as)), style="dim"))
    if results.synonyms:
        parts.append(Text("Synonyms: " + printable("; ".join(results.synonyms)), style="dim"))
    if results.missing:
        parts.append(Text.assemble("No article has all the words; without: ",
                                   (printable(", ".join(results.missing)), "bold"), style="yellow"))
    if results.date_range is not None and (dates or results.date_range.phrase):
        rng = results.date_range
        parts.append(Text(f"Dates: {rng}" + (f" ({rng.phrase})" if rng.phrase else ""), style="dim"))
    parts += told(results.warnings, results.cut)
    return parts


def suggestion_line(results: Results) -> Text | None:
    """``Did you mean: політв'язні?``, the one wording of a query's suggestion, as the CLI
    and the TUI say it; ``None`` when there is none, or the query was searched corrected
    (its first line says so)."""
    if not results.suggestion or results.corrected_query:
        return None
    return Text.assemble("Did you mean: ", (printable(results.suggestion), "bold"), "?", style="yellow")


def results_view(results: Results, *, snippet_lines: int | None = 2) -> RenderableType:
    """The header line (and facet counts), then every hit with a blank line after it."""
    return _ResultsView(results, snippet_lines)


class _ResultsView:
    """What :func:`results_view` shows. Where the console prints no styles and breaks no
    lines (output piped without colours: no colour system, and soft wrapping), each hit
    goes out as the plain text its styled view would print, character for character,
    without building and laying out the styled pieces: those took about 0.15 s of a page
    of 1,000 hits. A hit holding a tab (which Rich expands by column) takes the styled way."""

    def __init__(self, results: Results, snippet_lines: int | None) -> None:
        self.results = results
        self.snippet_lines = snippet_lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        results = self.results
        yield from results_notes(results)
        yield results_header(results)
        if results.topic_order:  # (beside the hits, whose scores it speaks of, not among the query's notes)
            yield topic_order_line()
        if results.facets:
            yield facets_cover()
            yield facets_view(results.facets)
        if (suggested := suggestion_line(results)) is not None:
            yield suggested
        yield Text("")
        plain = console.color_system is None and options.no_wrap
        pending: list[str] = []  # plain hits, written in one piece
        for h in results.hits:
            if results.partial and results.matched_all and h.rank == results.matched_all + 1:
                if pending:
                    yield Segment("".join(pending))
                    pending = []
                yield partial_rule(results)
                yield Text("")
            text = _plain_hit(h) if plain else None
            if text is not None:
                pending.append(text)
                continue
            if pending:
                yield Segment("".join(pending))
                pending = []
            yield hit_view(h, snippet_lines=self.snippet_lines)
            yield Text("")
        if pending:
            yield Segment("".join(pending))


def _plain_hit(hit: Hit) -> str | None:
    """:func:`hit_view` of ``hit`` and the blank line after it as an unwrapped console
    prints them without styles; ``None`` when a tab makes the layout Rich's to do."""
    indent = " " * (4 if hit.rank else 0)
    title = printable(hit.title or "(untitled)")
    meta = hit.date.isoformat() if hit.date else "undated"
    if hit.source:
        meta += " · " + printable(hit.source)
    if hit.score is not None:
        meta += f" · score {hit.score:.{SCORE_DECIMALS}f}"
    lines = [f"{hit.rank:>2}. {title}" if hit.rank else title, f"{indent}{meta} · {printable(hit.id)}"]
    if hit.duplicates:
        lines.append(indent + similar_line(hit))
    if hit.shared:
        lines.append(f"{indent}shared: " + printable(", ".join(hit.shared)))
    lines.append(indent + printable(hit.snippet.text, lines=True))
    text = "\n".join(lines) + "\n\n"
    return None if "\t" in text else text


def tiers(results: Results, *, short: bool = False) -> str:
    """How the hits split: ``12 with all the words, 30 with some of them``, or for a
    one-word query that found few, ``3 with крякнув, 41 with a near spelling: крекнув, …``."""
    if results.near:
        # the word the first hits hold, as searched (not the brackets, quotes or dates typed)
        return (f"{results.matched_all:,} with {printable(results.near_to)}, {results.partial:,} with a near "
                f"spelling{'' if short else ': ' + ', '.join(printable(w) for w in results.near)}")
    return f"{results.matched_all:,} with all the words, {results.partial:,} with some{'' if short else ' of them'}"


def partial_rule(results: Results) -> Text:
    """The line between the hits with all the query words and those with some of them
    (or, for one word, with a near spelling of it)."""
    if results.near:
        words = ", ".join(printable(w) for w in results.near)
        return Text(f"── {results.partial:,} with a near spelling ({words}) ──", style="dim yellow")
    return Text(f"── {results.partial:,} with some of the words ──", style="dim yellow")


def similar_view(article: Article, results: Results) -> RenderableType:
    """Articles like ``article``: its key words, then the hits with the words each shares."""
    parts = similar_head(article, results)
    parts.append(Text(""))
    for h in results.hits:
        parts += [hit_view(h), Text("")]
    return Group(*parts)


def similar_head(article: Article, results: Results) -> list[RenderableType]:
    """What :func:`similar_view` says over the hits: ``Like TITLE (ID)``, its key words, the
    notes, and how many are similar (or that none is)."""
    head = Text.assemble("Like ", (printable(article.title or article.id), "bold"), f" ({printable(article.id)})")
    parts: list[RenderableType] = [head]
    if results.searched_as:
        parts.append(Text("key words: " + printable(", ".join(results.searched_as)), style="dim"))
    parts += told(results.warnings, results.cut)
    if results.total == 0:
        parts.append(Text("No similar articles.", style="yellow"))
    else:
        parts.append(results_header(results, narrow=False, collapsible=False))
    return parts
