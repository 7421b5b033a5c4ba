"""Commands that search: ``search``, ``explain``, ``similar``, ``duplicates``; and what
they do before a search (build the index, refuse wrong dates, say what is not indexed yet)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import click

from ..models import Sort, group_order
from ..text.controls import printable
from .group import main
from .options import filter_options, output_options, paged, search_options
from .output import Output
from .progress import bar_shown, progress_bar
from .shell import EXIT_ERROR, EXIT_HITS, EXIT_NO_HITS, Ctx, fail, stdin_bytes

if TYPE_CHECKING:  # pragma: no cover
    from ..library import Engine
    from ..models import Backlog, Results


def ensure_index(c: Ctx, eng: Engine) -> None:
    """Build or rebuild the index before a search, saying why when it is not the first use,
    and off a terminal, where no progress bar shows, that it builds: a script running the
    first search would seem to hang."""
    from ..models import IndexStatus

    status = eng.index_state()
    if status is IndexStatus.CURRENT:
        return
    if status is IndexStatus.NEWER:  # refused, not rebuilt: the error says what to do
        eng.ensure_index()
    if status is not IndexStatus.MISSING:
        click.echo(f"Rebuilding the index: {eng.index_status()}.", err=True)
    elif not bar_shown() and not eng.writer_at_work() and (stored := eng.unindexed()[1]):
        # (counting costs little beside a build that reads every file; a writer at work is
        # building the index itself: the search waits for it, and says so if it must stop)
        click.echo(f"Indexing {stored:,} article{'s' if stored != 1 else ''} before searching…", err=True)
    with progress_bar(c, "Building the index") as (update,):
        eng.ensure_index(progress=update)


@main.command(short_help="Search the articles: all the words first, then some.",
              context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, metavar="QUERY")
@search_options
@click.option("--timeline", is_flag=True,
              help="Add the dated matches with all the words (if none, those with some) per month "
                   "(with --json: a \"timeline\" key).")
@click.pass_obj
def search(c: Ctx, words: tuple[str, ...], limit: int, page: int, since: str | None, until: str | None,
           source: str | None, sort: Sort, exact: bool, all_words: bool, no_collapse: bool,
           facets: tuple[str, ...], as_json: bool, fmt: str | None, bom: bool, timeline: bool) -> None:
    """Search the articles: those with all the words first, then those with most of them.

    \b
    Query language:
      words            in any inflection and spelling: політв'язні Білорусь
                       (учитель finds вчитель, проект finds проєкт)
      "a phrase"       words side by side:    "мовні табори"
      A OR B, A or B   either:                Київ OR Харків  (AND is the default)
      -word, NOT word  exclude:               Лукашенко -Путін
      +word            in every result:       +санкції Крим ембарго
      title:word       in the title only      (also title:"a phrase")
      заголовок:word   the same, in Ukrainian (назва: too; текст: the text)
      word*  word~     prefix; fuzzy (1 edit, word~2 for 2)
      вчора, минулого тижня, у березні 2022, з 24.02.2022 по 01.03.2022
                       date phrases filter by date ("quote" them to search the words)

    Articles with every word (in any form) rank first; after them come those with
    some of the words, more words first ("3 with all the words, 12 with some of
    them"); within each, the first 30 are ordered by how close each article is to
    the query's subject too (its other words, by the archive's topic model). When
    no article has them all, a line says which word the best hits
    lack; one word that finds fewer than 10 is followed by its near spellings
    (крякнув: крекнув). --all lists only the first kind, and so do --sort date,
    saved searches, a quoted phrase and a search where 1,000 articles or more
    hold every word (nobody pages that far). Words
    in over 25% of the archive only rank beside rarer words (перша in перша
    медична допомога), as в, на, про do; a word in over 5% makes no partial
    match alone unless the first page would be short (then one in up to 10% does).

    A query that finds nothing because of a typo is searched with its correction
    (said on the first line), a misspelling that is another real word too (вчити
    хлопчика); Latin words also find the Cyrillic words they spell (Kyiv: Київ).
    --exact turns all of this off.

    Near-duplicates (one story republished with small edits) are one hit: "+N similar"
    lists the others; --no-collapse shows each. --facets source,year,month counts the
    articles with every word (if none, those with some), near-duplicates included, per
    value. --format jsonl|csv|md exports the hits (--bom: CSV for spreadsheets).

    QUERY may be several arguments (joined by spaces), options anywhere among them.
    A word with one dash (-Путін) excludes it; a mistyped --option is refused (exit 2);
    after `--` everything is query. QUERY `-` reads one query per line from stdin
    (with --json: one JSON line each; a query that fails is reported and the rest run).
    Exit status: 0 when articles match (a page past the last too), 1 when none do,
    2 on error (with `-`: when any query failed).

    \b
    Examples:
      searchkit search мовні табори --since 2016 --sort date
      searchkit search 'Київ OR Харків' -Путін --facets source,year --json
      searchkit search 'санкції' --format csv --bom > hits.csv
      searchkit search - --json < queries.txt   # one query per line
    """
    query = " ".join(words)
    output = Output(c, fmt, as_json, bom)
    refuse_with_export(output, timeline=timeline, facets=facets)
    request = SearchRequest(limit=limit, page=page, since=since, until=until, source=source, sort=sort, exact=exact,
                            collapse=not no_collapse, facets=facets, partial=not all_words, months=timeline,
                            snippets="all" if output.exports else True)
    eng = engine_for_dates(c, since, until)
    backlog = eng.backlog()
    # (why a query found nothing is the query's only where every stored article is searchable)
    outcome = run_queries(eng, query, request, output, extra=backlog_fields(backlog),
                          why=bool(backlog.stored) and not backlog.behind)
    note_backlog(c, eng, backlog, found=outcome.hits)
    sys.exit(outcome.exit_status)


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """The options of one ``search`` command, the same for each of its queries."""

    limit: int
    page: int
    since: str | None
    until: str | None
    source: str | None
    sort: Sort
    exact: bool
    collapse: bool
    facets: tuple[str, ...]
    partial: bool
    months: bool
    snippets: bool | Literal["all"]

    def run(self, eng: Engine, query: str) -> Results:
        """``query`` searched with these options."""
        return eng.search(query, limit=self.limit, page=self.page, since=self.since, until=self.until,
                          source=self.source, sort=self.sort, exact=self.exact, collapse=self.collapse,
                          facets=self.facets, partial=self.partial, months=self.months, snippets=self.snippets)


@dataclass(slots=True)
class Outcome:
    """What the queries of one ``search`` came to: its exit status."""

    hits: bool = False  # some query found articles
    failed: bool = False  # some query of a batch (``-``) was refused

    @property
    def exit_status(self) -> int:
        return EXIT_ERROR if self.failed else EXIT_HITS if self.hits else EXIT_NO_HITS


def refuse_with_export(output: Output, *, timeline: bool, facets: tuple[str, ...]) -> None:
    """Refuse --timeline and --facets with an export format: an export is one row per hit."""
    for flag, given in (("--timeline", timeline), ("--facets", facets)):
        if given and output.fmt not in ("text", "json"):
            fail(f"{flag} has no place in --format {output.fmt}: use --json, or the text output")


def engine_for_dates(c: Ctx, since: str | None, until: str | None) -> Engine:
    """The home's engine with its index built, once the dates are known to be right (a wrong
    one is refused before a long build)."""
    from .. import date_bounds

    date_bounds(since, until, names=DATE_OPTIONS)
    eng = c.engine()
    ensure_index(c, eng)
    return eng


def backlog_fields(backlog: Backlog) -> dict[str, int]:
    """What a JSON result says of the articles a search cannot find (nothing when all can)."""
    behind, stored = backlog.behind, backlog.stored
    fields = {"unindexed": behind, "stored": stored} if behind else {}
    if backlog.unreadable:  # (none of them can be read: `index` does not help)
        fields["unreadable"] = backlog.unreadable
    if backlog.deleted:  # (left out of the hits and the totals; each search's notes say so)
        fields.update(deleted=backlog.deleted, stored=stored)
    return fields


def run_queries(eng: Engine, query: str, request: SearchRequest, output: Output, *,
                extra: dict[str, int], why: bool = True) -> Outcome:
    """Search ``query``, or with ``-`` each line of stdin, and write each one's results
    (``why``: a query that finds nothing says why, as far as the query tells)."""
    piped = query == "-"
    if piped:
        from .. import read_queries  # (its decoding rules: only for a batch piped in)

        queries = read_queries(stdin_bytes())
    else:
        queries = [query]
    outcome = Outcome()
    asked = False  # a query was read (``-``: stdin may hold none, said, not a silent exit 1)
    for qtext in queries:
        if piped and not qtext:  # a blank line between queries
            continue
        asked = True
        results = run_query(eng, qtext, request, output, piped=piped)
        if results is None:
            outcome.failed = True
            continue
        outcome.hits = outcome.hits or results.total > 0
        heading = f"# {printable(qtext)}" if len(queries) > 1 else None
        write_results(output, results, heading=heading, source=request.source, extra=extra, why=why)
    if piped and not asked:
        click.echo("Note: standard input held no query (one a line); nothing was searched", err=True)
    return outcome


def run_query(eng: Engine, qtext: str, request: SearchRequest, output: Output, *, piped: bool) -> Results | None:
    """The results of one query; ``None`` when a query of a batch (``piped``) failed, which
    is reported and the batch goes on (a single query's error stops the command)."""
    from ..errors import SearchkitError

    if piped and "\ufffd" in qtext:  # (searched, its � would find nothing and say nothing)
        output.error(qtext, "the line is not UTF-8 text: save the queries as UTF-8")
        return None
    try:
        return request.run(eng, qtext)
    except SearchkitError as e:
        if not piped:
            raise
        output.error(shortened(qtext), output.c.advise(str(e)))
        return None


def note_backlog(c: Ctx, eng: Engine, backlog: Backlog, *, found: bool) -> None:
    """Say on stderr, after the results, what the search could not find and what to run."""
    from ..render import backlog_note

    if note := backlog_note(backlog, at_work=eng.writer_at_work, found=found):
        click.echo(c.advise(f"Note: {note}"), err=True)


def write_results(output: Output, results: Results, *, heading: str | None, source: str | None,
                  extra: dict[str, int], why: bool = True) -> None:
    """Write one query's results, with its timeline when one was asked for: a chart after
    the text, a ``"timeline"`` key in JSON; with none, in the text, why (:func:`why_no_match`),
    unless ``why`` is false (a home with no articles, or some not searchable yet: the note
    after the results says so) or dates or a source filter were searched (said above)."""
    months = list(results.months) if results.months is not None else None
    after: Any = None
    if months is not None and results.total and output.fmt == "text":
        from ..render import timeline_view

        after = timeline_view(months)
    elif not results.total and output.fmt == "text" and why and results.date_range is None and not source:
        # (as the TUI says it: "No matches" alone left a phrase's or a -word's searcher guessing)
        from rich.text import Text

        from ..render import why_no_match

        after = Text(why_no_match(results.query), style="dim")
    timeline = {"timeline": [list(m) for m in months]} if months is not None else {}
    output.results(results, heading=heading, after=after, source=source, extra={**extra, **timeline})


def shortened(query: str) -> str:
    """A query as an error echoes it: one over the length limit by its start only."""
    from .. import MAX_QUERY_CHARS
    from ..errors import clipped

    return query if len(query) <= MAX_QUERY_CHARS else clipped(query, 61)


#: How the command line names the dates a search is narrowed to: a command refuses wrong
#: ones (``date_bounds``) before it opens or builds the index, in these words.
DATE_OPTIONS = ("--since", "--until")


@main.command(short_help="Why article ID matches QUERY, or does not.",
              context_settings={"ignore_unknown_options": True})  # (a query may start with -word)
@click.argument("query")
@click.argument("article_id", metavar="ID")
@filter_options[0]
@filter_options[1]
@filter_options[2]
@click.option("--exact", is_flag=True, help="Explain the query exactly as typed (no correction, no transliteration).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def explain(c: Ctx, query: str, article_id: str, since: str | None, until: str | None, source: str | None,
            exact: bool, as_json: bool) -> None:
    """Why article ID matches QUERY (or does not): how the query was understood, which
    words of the article matched which query word, and what each added to the score.

    Exit status: 0 when article ID is among the results of QUERY, 1 when it is
    not, 2 on error (no article ID, a query that cannot run).

    \b
    Examples:
      searchkit explain 'мовні табори' sample-2016-movnyi-tabir-poltava
      searchkit explain Kyiv sample-2022-obstrily-enerhetyky --json
    """
    eng = engine_for_dates(c, since, until)
    ex = eng.explain(query, article_id, since=since, until=until, source=source, exact=exact)
    if ex.warnings:  # (each command a note advises names the home given)
        import dataclasses

        ex = dataclasses.replace(ex, warnings=tuple(c.advise(w) for w in ex.warnings))
    if as_json:
        click.echo(json.dumps(ex.to_json(), ensure_ascii=False))
    else:
        from ..render import explain_view

        c.console().print(explain_view(ex))
    sys.exit(EXIT_HITS if ex.rank is not None else EXIT_NO_HITS)


@main.command()
@click.argument("article_id", metavar="ID")
@paged
@output_options
@click.pass_obj
def similar(c: Ctx, article_id: str, limit: int, page: int, as_json: bool, fmt: str | None, bom: bool) -> None:
    """Articles about the same thing as article ID.

    Made from ID's most distinctive words (frequent in it, rare elsewhere); ID's own
    near-duplicates are left out. Each hit shows the key words it shares.
    Exit status: 0 with hits, 1 with none, 2 on error.

    \b
    Examples:
      searchkit similar sample-2022-sanktsii-swift
      searchkit similar sample-2022-sanktsii-swift -n 20 --format md > like.md
    """
    output = Output(c, fmt, as_json, bom)
    eng = c.engine()
    ensure_index(c, eng)  # (as a search does: a bar on a terminal, a line off one)
    results = eng.similar(article_id, limit=limit, page=page)
    view = None
    if output.fmt == "text":
        from ..render import similar_view

        view = similar_view(eng.get(article_id), output.advised(results))
    output.results(results, view=view)
    sys.exit(EXIT_HITS if results.total else EXIT_NO_HITS)


@main.command(short_help="Groups of near-duplicates (republished copies).")
@click.argument("article_id", metavar="[ID]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Groups as JSON: a list of lists of ids.")
@click.pass_obj
def duplicates(c: Ctx, article_id: str | None, as_json: bool) -> None:
    """List groups of near-duplicates (republished copies), or the group of article ID.

    Exit status: 0 when there are some, 1 when there are none (ID has no
    near-duplicates), 2 on error (no article ID).

    \b
    Examples:
      searchkit duplicates
      searchkit duplicates sample-2014-sanktsii-yes --json
    """
    eng = c.engine()
    ensure_index(c, eng)
    if article_id is not None:  # ("" is an id no article has, not "every group")
        group = eng.duplicate_group(article_id)
        groups = [group] if group else []
    else:
        groups = eng.duplicate_groups()
    if as_json:
        click.echo(json.dumps([list(g) for g in groups], ensure_ascii=False))
    else:
        from ..render import duplicates_view

        articles = [group_order(eng.stored(g)) for g in groups]
        c.console().print(duplicates_view(articles))
    sys.exit(EXIT_HITS if groups else EXIT_NO_HITS)
