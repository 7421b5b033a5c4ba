"""Rich renderables shared by the CLI and the TUI.

Article text never goes through Rich markup (a ``[`` in a headline would be read as a tag):
every piece is a :class:`rich.text.Text` and matches are applied with ``stylize``.

Nor does it reach the terminal raw: titles, sources, ids and texts are untrusted, and an
escape sequence in one (``ESC [2J`` clears the screen, ``ESC ]0;…`` sets the window title)
would act on the reader's terminal. :func:`printable` (:mod:`searchkit.text.controls`)
shows every control character as a visible symbol (``␛``, ``␀``) one for one, so match
offsets stay valid; every view here and in the TUI passes untrusted text through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text

from .models import Article, Backlog, FacetCount, Hit, Results, SavedSearch, Snippet, Span, Stats
from .text.analysis import Token
from .text.controls import printable, quoted

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table

    from .query.explain import Explanation

__all__ = [
    "MATCH_STYLE",
    "fix_or_delete",
    "not_searchable",
    "printable",
    "unreadable_behind",
    "Hanging",
    "analysis_table",
    "article_view",
    "duplicates_view",
    "explain_view",
    "facets_view",
    "fill_months",
    "highlighted",
    "hit_view",
    "human_bytes",
    "local_time",
    "results_header",
    "results_notes",
    "results_view",
    "saved_table",
    "similar_view",
    "snippet_text",
    "stats_view",
    "timeline_bars",
    "timeline_view",
]

#: Facet values shown per facet in the terminal (JSON carries them all).
FACET_VALUES_SHOWN = 12

MATCH_STYLE = "bold black on yellow"


def _as_written(text: str) -> str:
    """What a view does with the commands it advises when told nothing of the home."""
    return text


def highlighted(text: str, spans: Iterable[Span], *, base: str = "", match: str = MATCH_STYLE,
                lines: bool = False) -> Text:
    """``text`` (made :func:`printable`) as a Rich Text with each span styled as a match."""
    t = Text(printable(text, lines=lines), style=base)
    for s in spans:
        t.stylize(match, s.start, s.end)
    return t


def snippet_text(snippet: Snippet) -> Text:
    return highlighted(snippet.text, snippet.spans, lines=True)


class Hanging:
    """``text`` wrapped to the width at hand, lines after the first indented by ``indent``.

    ``first`` indents the first line. With ``max_lines`` a long text stops there, the last
    line ending in ``…``. When the console soft-wraps (piped output) the text is one line,
    whole, so that ``grep`` sees every word of it.
    """

    def __init__(self, text: Text, *, indent: int = 4, first: int | None = None, max_lines: int | None = None) -> None:
        self.text = text
        self.indent = indent
        self.first = indent if first is None else first
        self.max_lines = max_lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.no_wrap:
            yield Text(" " * self.first) + self.text
            return
        width = max(10, options.max_width - max(self.indent, self.first))
        lines = list(self.text.wrap(console, width, overflow="fold"))
        if not lines:
            yield Text("")
            return
        if self.max_lines and len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last = lines[-1]
            last.rstrip()
            if last.cell_len >= width:  # make room for the ellipsis, at a word if one is near
                last.truncate(width - 1)
                space = last.plain.rfind(" ")
                if space > len(last.plain) - 15:
                    last.truncate(space)
                last.rstrip()
            if not last.plain.endswith("…"):
                last.append("…")
        for i, line in enumerate(lines):
            line.rstrip()
            line.end = "\n"
            yield Text(" " * (self.first if i == 0 else self.indent)) + line


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
        meta.append(f" · score {hit.score:.2f}", style="dim")
    if show_id:
        meta.append(f" · {printable(hit.id)}", style="dim")
    indent = 4 if hit.rank else 0
    parts: list[RenderableType] = [Hanging(head, indent=indent, first=0), Hanging(meta, indent=indent)]
    if hit.duplicates:
        first = f" (first published {hit.first_published.isoformat()})" if hit.first_published else ""
        parts.append(Hanging(Text(f"+{len(hit.duplicates)} similar{first}: " + printable(", ".join(hit.duplicates)),
                                  style="magenta"), indent=indent))
    if hit.shared:
        parts.append(Hanging(Text("shared: " + printable(", ".join(hit.shared)), style="green"), indent=indent))
    parts.append(Hanging(snippet_text(hit.snippet), indent=indent, max_lines=snippet_lines))
    return Group(*parts)


def results_header(results: Results, *, narrow: bool = True) -> Text:
    """``N matches (1–10 of N) in 12 ms``, or the no-match line; when cut short, says so,
    advising to narrow the query (not with ``narrow=False``: ``similar`` has none)."""
    if results.total == 0:
        out = Text(f"No matches for {quoted(results.query)}.", style="yellow")
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
            out.append(f"; {results.folded:,} near-duplicate{'s' if results.folded != 1 else ''} folded in "
                       "(--no-collapse lists them)", style="dim")
    if results.cut:
        out.append(f" — cut short to answer in time (see above){'; narrow the query' if narrow else ''}",
                   style="yellow")
    return out


def facets_view(facets: dict[str, tuple[FacetCount, ...]]) -> RenderableType:
    """One line per facet: ``source: Час Київщини 12 · Тест-новини 3 · … 4 more``."""
    lines = []
    for name, counts in facets.items():
        shown = counts[:FACET_VALUES_SHOWN]
        line = Text(f"{name}: ", style="bold")
        line.append(printable(" · ".join(f"{c.value if c.value is not None else '(none)'} {c.count}"
                                         for c in shown)) or "—")
        if len(counts) > len(shown):
            line.append(f" · … {len(counts) - len(shown)} more", style="dim")
        lines.append(line)
    return Group(*lines)


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
    for w in results.warnings:
        parts.append(Text(f"Note: {printable(w)}", style="dim yellow"))
    for w in results.cut:
        parts.append(Text(f"Cut short: {printable(w)}", style="yellow"))
    return parts


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
        if results.facets:
            yield facets_view(results.facets)
        if results.suggestion and not results.corrected_query:
            yield Text.assemble("Did you mean: ", (printable(results.suggestion), "bold"), "?", style="yellow")
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
        meta += f" · score {hit.score:.2f}"
    lines = [f"{hit.rank:>2}. {title}" if hit.rank else title, f"{indent}{meta} · {printable(hit.id)}"]
    if hit.duplicates:
        first = f" (first published {hit.first_published.isoformat()})" if hit.first_published else ""
        lines.append(f"{indent}+{len(hit.duplicates)} similar{first}: " + printable(", ".join(hit.duplicates)))
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
        return Text(f"── {results.partial} with a near spelling ({words}) ──", style="dim yellow")
    return Text(f"── {results.partial} with some of the words ──", style="dim yellow")


# -- timelines -------------------------------------------------------------------------------

_EIGHTHS = " ▏▎▍▌▋▊▉█"
_LEVELS = " ▁▂▃▄▅▆▇█"
BAR_STYLE = "cyan"


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fill_months(months: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every month from the first to the last of ``months``, with 0 for the missing ones."""
    if not months:
        return []
    counts = {_month_index(m): n for m, n in months}
    return [(_month_name(i), counts.get(i, 0)) for i in range(min(counts), max(counts) + 1)]


def _hbar(value: float, width: int) -> str:
    """A horizontal bar ``value`` cells long (fractions in eighths)."""
    eighths = round(value * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else ""))[:width] or "▏"


def timeline_view(months: Sequence[tuple[str, int]], *, gap: int = 2) -> RenderableType:
    """A per-month histogram (one row per month) for plain output.

    Runs of more than ``gap`` empty months fold into one ``⋮`` row, so a story that broke
    twice, years apart, still fits on a screen.
    """
    if not months:
        return Text("Timeline: no dated matches.", style="dim")
    return _Histogram(list(months), gap)


class _Histogram:
    def __init__(self, months: list[tuple[str, int]], gap: int) -> None:
        self.months = months
        self.gap = gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        total = sum(n for _, n in self.months)
        peak = max(n for _, n in self.months)
        tops = [m for m, n in self.months if n == peak]
        # (the busiest month, when one is: "most in 2016-06" of four months of one match each misleads)
        most = f", most in {tops[0]} ({peak})" if len(tops) == 1 and len(self.months) > 1 else ""
        yield Text.assemble(("Timeline: ", "bold"), f"{total} dated match{'es' if total != 1 else ''}, "
                            f"{self.months[0][0]} … {self.months[-1][0]}{most}")
        width = max(10, min(options.max_width, 100) - 8 - len(str(peak)) - 1)
        prev: int | None = None
        for month, n in self.months:
            i = _month_index(month)
            if prev is not None and i - prev - 1 > self.gap:
                yield Text(f"{'⋮':>7}  {i - prev - 1} months without matches", style="dim")
            elif prev is not None:
                for j in range(prev + 1, i):
                    yield Text(f"{_month_name(j)} 0", style="dim")
            yield Text.assemble((month, "cyan"), " ", (_hbar(n / peak * width, width), BAR_STYLE), f" {n}")
            prev = i


def timeline_bars(months: Sequence[tuple[str, int]], width: int, *, height: int = 2) -> Text:
    """A bar chart ``height`` rows high and at most ``width`` cells wide, oldest month on the
    left, then a row of labels: first month, the busiest month, last month.

    Months without matches keep their place, so the gaps show; when there are more months
    than cells, neighbouring months share a bar.
    """
    filled = fill_months(months)
    if not filled or width < 8:
        return Text("")
    per_bar = -(-len(filled) // width)  # ceil: months in one bar
    bars = [sum(n for _, n in filled[i : i + per_bar]) for i in range(0, len(filled), per_bar)]
    cols = max(1, min(3, width // len(bars)))  # cells per bar: wider bars when few months
    peak = max(bars)
    levels = [round(b / peak * height * 8) if b else 0 for b in bars]
    levels = [max(lv, 1) if b else 0 for lv, b in zip(levels, bars, strict=True)]  # any match shows
    out = Text()
    for row in range(height, 0, -1):
        floor = (row - 1) * 8
        out.append("".join(_LEVELS[min(8, max(0, lv - floor))] * cols for lv in levels), style=BAR_STYLE)
        out.append("\n")
    first, last = filled[0][0], filled[-1][0]
    busiest = max(filled, key=lambda mn: mn[1])
    chart = len(bars) * cols
    middle = f"most {busiest[0]}: {busiest[1]}"
    gap = chart - len(first) - len(last)
    if first == last:
        labels = f"{first}: {busiest[1]}"
    elif gap >= len(middle) + 2:  # under the bars: first month, busiest month, last month
        left = (gap - len(middle)) // 2
        labels = f"{first}{' ' * left}{middle}{' ' * (gap - len(middle) - left)}{last}"
    else:  # a narrow chart: say it in a line
        labels = f"{first} … {last} · {middle}"
    out.append(labels[:width], style="dim")
    return out
def similar_view(article: Article, results: Results) -> RenderableType:
    """Articles like ``article``: its key words, then the hits with the words each shares."""
    head = Text.assemble("Like ", (printable(article.title or article.id), "bold"), f" ({printable(article.id)})")
    parts: list[RenderableType] = [head]
    if results.searched_as:
        parts.append(Text("key words: " + printable(", ".join(results.searched_as)), style="dim"))
    for w in results.warnings:
        parts.append(Text(f"Note: {printable(w)}", style="dim yellow"))
    for w in results.cut:
        parts.append(Text(f"Cut short: {printable(w)}", style="yellow"))
    if results.total == 0:
        parts.append(Text("No similar articles.", style="yellow"))
    else:
        parts.append(results_header(results, narrow=False))
    parts.append(Text(""))
    for h in results.hits:
        parts += [hit_view(h), Text("")]
    return Group(*parts)


def duplicates_view(groups: Sequence[Sequence[Article]]) -> RenderableType:
    """Groups of near-duplicates, oldest first within each: date · source · id · title."""
    if not groups:
        return Text("No near-duplicates.", style="yellow")
    parts: list[RenderableType] = [Text(f"{len(groups)} group{'s' if len(groups) != 1 else ''} of near-duplicates",
                                        style="green"), Text("")]
    for n, group in enumerate(groups, 1):
        parts.append(Text(f"{n:>3}. {len(group)} articles", style="bold"))
        for a in group:
            meta = " · ".join([a.date.isoformat() if a.date else "undated", a.source or "—", a.id])
            parts.append(Text.assemble("     ", (printable(meta), "dim cyan"), "  ", printable(a.title)))
    return Group(*parts)


def local_time(timestamp: str) -> str:
    """An ISO timestamp as this machine's local time, to the minute (``2025-06-01 14:32``):
    a date as the CLI shows one, and the time of day; text that is no timestamp as it is."""
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def saved_table(searches: Sequence[SavedSearch], *, advise: Callable[[str], str] = _as_written) -> RenderableType:
    """The saved searches; ``advise`` as for :func:`stats_view`."""
    from rich.table import Table  # only the commands that print tables load it

    if not searches:
        return Text(advise("No saved searches (add one with `searchkit saved add NAME QUERY`)."), style="yellow")
    table = Table(box=None, header_style="bold")
    for col in ("name", "query", "filters", "last run"):
        table.add_column(col)
    for s in searches:
        filters = [f"since {s.since}" if s.since else "", f"until {s.until}" if s.until else "",
                   f"source {s.source}" if s.source else ""]
        table.add_row(Text(printable(s.name)), Text(printable(s.query)),
                      Text(printable(", ".join(f for f in filters if f)) or "—"),
                      Text(printable(local_time(s.last_run) if s.last_run else "never")))
    return table


def article_view(article_id: str, title: Snippet, body: Snippet, meta: Sequence[str]) -> RenderableType:
    head = highlighted(title.text, title.spans, base="bold", match=f"bold {MATCH_STYLE}")
    info = Text(printable(" · ".join([*meta, article_id])), style="dim cyan")
    parts: list[RenderableType] = [head, info]
    if body.marked_words is not None:
        parts.append(Text(f"Note: {marked_note(body.marked_words)}", style="dim yellow"))
    return Group(*parts, Text(""), _ArticleText(body))


#: Characters Rich gives one cell each (tests/test_render.py checks them against it), and
#: which none of its wrapping rules treats apart: Latin, Greek and Cyrillic letters,
#: spaces, the usual punctuation and signs, :func:`printable`'s symbols for controls.
_ONE_CELL = re.compile(r"[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2000-\u200a"
                       r"\u2010-\u2027\u202f-\u205f\u20a0-\u20c0\u2100-\u214f\u2190-\u21ff\u2200-\u22ff"
                       r"\u2400-\u2426\ufffd]*")
_NOT_SPACE = re.compile(r"\S")
_UP_TO_LAST_SPACE = re.compile(r".*\s", re.DOTALL)


def _line_starts(paragraph: str, width: int) -> list[int] | None:
    """Where Rich's word wrap starts each line after the first of ``paragraph`` (one-cell
    characters only), found a line at a time rather than a word at a time; ``None`` where
    a word is longer than a line, which Rich folds.

    Rich puts a word on the line while its letters end within ``width`` (the spaces after
    it may run past), so a line starting at ``start`` ends before the word that holds or
    follows the character at ``start + width``."""
    starts: list[int] = []
    start = 0
    lead = len(paragraph) - len(paragraph.lstrip())  # (counted with the first word)
    while start + width < len(paragraph):
        edge = start + width
        if paragraph[edge].isspace():
            if start == 0 and lead >= width:
                return None
            word = _NOT_SPACE.search(paragraph, edge)
            if word is None:  # only spaces to the end: they stay on this line
                break
            start = word.start()
        else:
            space = _UP_TO_LAST_SPACE.match(paragraph, start, edge)
            if space is None or space.end() <= (lead if start == 0 else start):
                return None
            start = space.end()
        starts.append(start)
    return starts


class _ArticleText:
    """An article's text with its matches marked: what :func:`highlighted` text prints, in
    Rich's layout, but laid out a paragraph at a time and (for the usual characters)
    without Rich. Rich wraps word by word and strips its own control codes again from
    every piece it cuts, and its console splits a piece of many lines at each line
    anew: an article of 6 MB took 2 s piped and 18 s on a terminal. A paragraph that
    holds a tab, a character of another width or a word longer than a line is Rich's
    to lay out, as is any layout but the plain one. Every line fits the width: the
    console need not crop them (``print(..., crop=False)`` spares it measuring each)."""

    #: Unmarked lines put out in one piece: few pieces for the console to pass on, and
    #: none so long that splitting it into lines (when the console crops) copies much.
    LINES_A_PIECE = 64

    def __init__(self, body: Snippet) -> None:
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        overflow, justify = options.overflow or "fold", options.justify or "default"
        wrap = overflow != "ignore"
        if justify != "default" or (wrap and (options.no_wrap or overflow != "fold")):
            yield snippet_text(self.body)
            return
        text = printable(self.body.text, lines=True)
        width = options.max_width
        match = console.get_style(MATCH_STYLE)
        marks = _Marks(self.body.spans)
        plain: list[str] = []  # unmarked lines not yet put out, each ending in a newline

        def pending() -> Iterator[Segment]:
            if plain:
                yield Segment("".join(plain))
                plain.clear()

        offset = 0
        for paragraph in text.split("\n"):
            end = offset + len(paragraph)
            starts: list[int] | None = []  # where its lines after the first start (None: Rich's to lay out)
            if "\t" in paragraph:  # (Rich expands tabs by column)
                starts = None
            elif wrap:
                starts = _line_starts(paragraph, width) if _ONE_CELL.fullmatch(paragraph) else None
            if starts is None:
                yield from pending()
                yield Text(paragraph, end="\n", spans=[
                    RichSpan(max(s.start, offset) - offset, min(s.end, end) - offset, MATCH_STYLE)
                    for s in marks.within(offset, end)])
                offset = end + 1
                continue
            marked = marks.any_within(offset, end)
            for a, b in zip([0, *starts], [*starts, len(paragraph)], strict=True):
                if wrap and b - a > width:  # Rich drops the spaces that end past the width
                    b = max(a + width, a + len(paragraph[a:b].rstrip()))
                here = marks.within(offset + a, offset + b) if marked else None
                if here:
                    yield from pending()
                    yield from _marked(text, offset + a, offset + b, here, match)
                    yield Segment("\n")
                else:
                    plain.append(paragraph[a:b] + "\n")
                    if len(plain) >= self.LINES_A_PIECE:
                        yield from pending()
            offset = end + 1
        yield from pending()


class _Marks:
    """The spans that meet each of a run of stretches of a text, asked in order: each
    span is looked at while it is open, not again for every line."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted((s for s in spans if s.start < s.end), key=lambda s: (s.start, s.end))  # (as stylize)
        self.next = 0  # spans[next:] start after the stretches asked so far
        self.open: list[Span] = []

    def any_within(self, start: int, end: int) -> bool:
        self.open = [s for s in self.open if s.end > start]
        return bool(self.open) or (self.next < len(self.spans) and self.spans[self.next].start < end)

    def within(self, start: int, end: int) -> list[Span]:
        while self.next < len(self.spans) and self.spans[self.next].start < end:
            self.open.append(self.spans[self.next])
            self.next += 1
        self.open = [s for s in self.open if s.end > start]
        return [s for s in self.open if s.start < end]


def _marked(text: str, start: int, end: int, spans: Sequence[Span], match: Style) -> Iterator[Segment]:
    """``text[start:end]`` as Rich renders it with ``spans`` styled ``match``: a piece from
    each span's start or end to the next, so that spans that meet are marked apart."""
    opened: dict[int, int] = {}  # spans opened (closed: negative) at each cut
    for s in spans:
        a, b = max(start, s.start), min(end, s.end)
        opened[a], opened[b] = opened.get(a, 0) + 1, opened.get(b, 0) - 1
    cuts = sorted({start, end, *opened})
    depth = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        depth += opened.get(a, 0)
        yield Segment(text[a:b], match if depth else None)


def not_searchable(behind: int, stored: int, *, yet: bool = True) -> str:
    """``1 of 5 stored articles is not searchable yet``: the noun counts the stored
    articles, the verb those behind (``yet=False``: indexing will not change it)."""
    return (f"{behind:,} of {stored:,} stored article{'s' if stored != 1 else ''} "
            f"{'is' if behind == 1 else 'are'} not searchable{' yet' if yet else ''}")


def unreadable_behind(behind: int, stored: int) -> str:
    """What a search says when the articles it cannot find are all files that cannot be
    read (``1 of 5 stored articles is not searchable: its file ...``): indexing again
    leaves them out, so :func:`fix_or_delete` is the advice."""
    return (f"{not_searchable(behind, stored, yet=False)}: "
            f"{'its file' if behind == 1 else 'their files'} in corpus/ cannot be read; {fix_or_delete(behind)}")


#: What a search that found nothing says of a home with no articles (:func:`backlog_note`).
EMPTY_HOME = "this home holds no articles yet: `searchkit import FILE` adds some."


def backlog_note(backlog: Backlog, *, at_work: Callable[[], bool], found: bool) -> str | None:
    """What a search says of the stored articles it cannot find, the CLI's and the TUI's
    alike (commands in backticks, for a shell to name the home in them): how many are not
    indexed yet and what makes them searchable (an import or index run at work on the home
    will: ``at_work()``, asked only then; damaged files, which only fixing them does; else
    `searchkit index`), or, when the search ``found`` nothing, that the home holds no
    articles (:data:`EMPTY_HOME`). ``None``: nothing to say."""
    from .ingest.sync import AT_WORK  # (the words stats says it in too)

    behind, stored = backlog.behind, backlog.stored
    if not behind:
        return None if found or stored else EMPTY_HOME
    if at_work():
        return f"{not_searchable(behind, stored)}: {AT_WORK.format('them')}."
    if backlog.unreadable:
        return f"{unreadable_behind(behind, stored)}."
    return (f"{not_searchable(behind, stored)} (an import was interrupted or ran with --no-index), or changed since "
            "they were indexed (a search finds them as they were; in a copied home indexed by an older version every "
            "file looks changed): run `searchkit index`.")


def fix_or_delete(files: int) -> str:
    """The advice for ``files`` damaged article files (``index`` names each, and skips it)."""
    them = "them" if files > 1 else "it"
    return f"fix or delete {them} (`searchkit index` names {them})"


def marked_note(words: int) -> str:
    """What ``show`` and the reader say of an article too long to mark all its matches."""
    return f"the article is too long to mark whole; matches are marked in its first {words:,} words only"


def analysis_table(tokens: Sequence[Token], text: str, origins: Sequence[str] = (),
                   spellings: Sequence[Sequence[str]] = ()) -> Table:
    """One row per token; ``origins`` (per token: ``uk``, ``ru``, ``lexicon``) adds a column,
    ``spellings`` (per token: its other spellings) another."""
    from rich.table import Table  # only the commands that print tables load it

    table = Table(box=None, header_style="bold")
    table.add_column("token")
    table.add_column("normal form")
    table.add_column("lemma(s)")
    table.add_column("known", justify="center")
    if origins:
        table.add_column("from")
    if any(spellings):
        table.add_column("other spellings")
    for i, t in enumerate(tokens):
        row: list[RenderableType] = [Text(printable(text[t.start : t.end])), Text(printable(t.form)),
                                     Text(printable(", ".join(t.lemmas))),
                                     "yes" if t.known else Text("guess", style="yellow")]
        if origins:
            row.append(Text(_ORIGINS.get(origins[i], origins[i])))
        if any(spellings):
            row.append(Text(", ".join(spellings[i])))
        table.add_row(*row)
    return table


_ORIGINS = {"uk": "uk dictionary", "ru": "ru dictionary", "lexicon": "lexicon.tsv", "": "as written"}


def explain_view(ex: Explanation) -> RenderableType:
    """``searchkit explain``: the query as understood, then the article's score by part."""
    from rich.table import Table  # only the commands that print tables load it

    parts: list[RenderableType] = [Text.assemble(("Query ", "bold"), printable(ex.query))]
    if ex.corrected_query:
        parts.append(Text.assemble("Explained as ", (printable(ex.corrected_query), "bold"),
                                   " (the query finds nothing)", style="yellow"))
    words = Table(box=None, header_style="bold", padding=(0, 1))
    for col in ("word", "normal form", "lemma(s)", "from", "role"):
        words.add_column(col)
    for w in ex.words:
        role = w.role + (f" ({w.field})" if w.field else "") + (", excluded" if w.negated else "")
        origin = _ORIGINS.get(w.origin, w.origin) + ("" if w.known or w.origin in ("", "lexicon") else ", guess")
        lemmas = ", ".join(w.lemmas) + (f"; searched as {', '.join(w.searched_as)}" if w.searched_as else "")
        words.add_row(Text(printable(w.text)), Text(printable(w.form)), Text(printable(lemmas)), Text(origin),
                      Text(role))
    parts.append(words)
    for label, values in (("Synonyms", ex.synonyms), ("Searched as", ex.searched_as)):
        if values:
            parts.append(Text(f"{label}: " + printable("; ".join(values)), style="dim"))
    if ex.date_range is not None:
        rng = ex.date_range
        inside = "" if ex.in_date_range else " — the article's date is outside it"
        parts.append(Text(f"Dates: {rng}" + (f" ({rng.phrase})" if rng.phrase else "") + inside, style="dim"))
    for note in ex.warnings:
        parts.append(Text(f"Note: {printable(note)}", style="dim yellow"))
    parts += [Text("Query tree", style="bold"), Text(printable(ex.tree, lines=True), style="dim"), Text("")]
    parts.append(Text.assemble(("Article ", "bold"), (printable(ex.title or "(untitled)"), "bold"),
                               f"  ({printable(ex.article_id)})"))
    if ex.rank is not None:
        verdict = Text(f"matches: rank {ex.rank}, score {ex.score:.2f}", style="green")
    elif ex.matches_query:
        verdict = Text(f"matches the words (score {ex.score:.2f}) but the filters leave it out", style="yellow")
    else:
        verdict = Text("does not match the query", style="yellow")
    parts.append(verdict)
    if ex.topic is not None and ex.matches_query:
        parts.append(Text(f"topic: cosine {ex.topic:.2f} with the query's; in the first {ex.topic_window} results "
                          f"the score counts × {ex.topic_factor:.2f} to order them (the rank above is by score)",
                          style="dim"))
    if ex.missing:
        parts.append(Text("not in the article: " + printable(", ".join(ex.missing)), style="yellow"))
    if ex.excluded:
        parts.append(Text("holds what the query leaves out: " + printable(", ".join(ex.excluded)), style="yellow"))
    if ex.contributions:
        table = Table(box=None, header_style="bold", padding=(0, 1))
        for col, justify in (("score", "right"), ("query word", "left"), ("matched as", "left"),
                             ("field", "left"), ("in the article", "left")):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        for c in ex.contributions:
            table.add_row(f"+{c.score:.2f}", Text(printable(c.query_word or "—")),
                          Text(printable(f"{c.kind} {c.term}")), c.field, Text(printable(", ".join(c.found))))
        parts.append(table)
    if ex.matched:
        parts.append(Text("matched: " + printable(", ".join(f"{form} ← {term}" for form, term in ex.matched)),
                          style="dim"))
    return Group(*parts)


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def stats_view(stats: Stats, *, advise: Callable[[str], str] = _as_written) -> RenderableType:
    """What a home holds; ``advise`` gives each command it advises the home it names (the
    CLI's ``--home``)."""
    from rich.table import Table  # only the commands that print tables load it

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
    why = stats.index_outdated_reason or ""
    # (while another process builds it, its reason says so: nothing to run meanwhile)
    todo = ("" if stats.index_building else fix_or_delete(stats.unreadable) if stats.unreadable
            else "run `searchkit index`")
    t.add_row("up to date", Text("yes", style="green") if stats.index_up_to_date
              else Text(advise(f"no: {'; '.join(filter(None, (why, todo)))}"), style="yellow"))
    if stats.articles:
        from .text import topics  # (NumPy: only `stats` needs the threshold)

        t.add_row("topics", f"learnt from {stats.topics_learnt_from:,} articles" if stats.topics_learnt_from else
                  advise("none yet: not learnt from its articles (`searchkit index` learns it)")
                  if stats.topics_due else
                  f"none yet (learnt once the archive holds {topics.MIN_ARTICLES} articles)"
                  if stats.articles < topics.MIN_ARTICLES else
                  advise("none: its articles share too few words (`searchkit index --rebuild` tries again)"))
    if stats.lexicon_error:
        t.add_row("lexicon", Text(f"cannot be read: {stats.lexicon_error} (search and index refuse until fixed)",
                                  style="red"))
    if stats.sources:
        top = list(stats.sources.items())[:15]
        more = len(stats.sources) - len(top)
        lines = "\n".join(f"{n:>6}  {printable(s)}" for s, n in top) + (f"\n  … and {more} more" if more else "")
        t.add_row("sources", Text(lines))
    return t
