"""The ``searchkit`` command: a thin shell over :class:`searchkit.Engine`.

Each command parses its options, makes one library call and renders the result. Library
errors become one red line on stderr (with a hint) and exit status 2; Ctrl-C exits 130.
Heavy modules (Whoosh, pymorphy3, Rich) are imported inside the commands so that
``searchkit --help`` starts instantly.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from .library import Engine
    from .models import Results

EXIT_HITS, EXIT_NO_HITS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class Ctx:
    def __init__(self, home: str, color: bool | None, backend: str | None = None, url: str | None = None) -> None:
        self.home = home
        self.color = color
        self.backend = backend
        self.url = url
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            from .library import Engine

            self._engine = Engine(self.home, backend=self.backend, url=self.url)
        return self._engine

    def close(self) -> None:
        """Close the index files (the command is done)."""
        if self._engine is not None:
            self._engine.close()

    def console(self, *, stderr: bool = False) -> Console:
        """A console on stdout (or stderr): colours on a terminal unless NO_COLOR or
        ``--no-color``; ``--color`` forces them (and wins over NO_COLOR, being explicit)."""
        from rich.console import Console

        stream = sys.stderr if stderr else sys.stdout
        no_color = None if self.color is None else not self.color  # None: rich reads NO_COLOR
        force = True if self.color else None
        console = Console(file=stream, no_color=no_color, force_terminal=force, highlight=False,
                          emoji=False, markup=False)
        # Piped output: one line per paragraph, no hard wrapping at an imagined width.
        console.soft_wrap = not console.is_terminal
        return console

    def error_color(self) -> bool:
        if self.color is not None:
            return self.color
        return not os.environ.get("NO_COLOR") and sys.stderr.isatty()


def error_line(message: str, hint: str = "") -> str:
    """``Error: what went wrong — what to do`` (one line)."""
    return f"Error: {message}" + (f" — {hint}" if hint else "")


def fail(message: str, hint: str = "", code: int = EXIT_ERROR) -> NoReturn:
    """Print one (red on a terminal) error line on stderr and exit with ``code``."""
    ctx = click.get_current_context(silent=True)
    c = ctx.find_object(Ctx) if ctx else None
    color = c.error_color() if c else (not os.environ.get("NO_COLOR") and sys.stderr.isatty())
    line = error_line(message, hint)
    click.echo(click.style(line, fg="red") if color else line, err=True, color=color)
    sys.exit(code)


def _python_handles_ctrl_c() -> None:
    """Undo the start-up handler of ``searchkit/__init__.py``: from here on Ctrl-C is a
    KeyboardInterrupt, which the commands clean up after and report."""
    import signal

    handler = signal.getsignal(signal.SIGINT)
    if getattr(handler, "__name__", "") == "_interrupted_while_starting":
        signal.signal(signal.SIGINT, signal.default_int_handler)


class Group(click.Group):
    """Turns library errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import SearchkitError

        _python_handles_ctrl_c()
        try:
            return super().invoke(ctx)
        except SearchkitError as e:
            fail(str(e), e.hint)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # Output piped into `head`: not an error. Keep Python from complaining at exit.
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(0)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as e:  # disk full, a home on a read-only disk...
            where = f"{e.filename}: " if e.filename else ""
            fail(f"{where}{e.strerror or e}")
        except Exception as e:
            if os.environ.get("SEARCHKIT_DEBUG"):
                raise
            fail(f"unexpected {type(e).__name__}: {e}",
                 hint="this is a bug in searchkit; SEARCHKIT_DEBUG=1 shows the traceback")


#: Seconds between two plain progress lines (``--progress`` without a terminal).
PROGRESS_EVERY = 0.5


def _progress_lines(label: str) -> Callable[[int, int | None], None]:
    last = [0.0, -1.0]  # when the last line was printed, and its count

    def update(done: int, total: int | None) -> None:
        now = time.monotonic()
        if done != last[1] and (now - last[0] >= PROGRESS_EVERY or done == total):  # a stage's end shows
            last[0], last[1] = now, done
            of = f" of {total}" if total else ""
            click.echo(f"{label}: {done}{of} done", err=True)

    return update


Update = Callable[[int, int | None], None]


@contextlib.contextmanager
def progress_bar(c: Ctx, *labels: str, show: bool | None = None) -> Iterator[list[Update | None]]:
    """One callback per label, each driving a Rich progress bar on stderr (counts, rate,
    ETA) when stderr is a terminal. Otherwise the callbacks are ``None`` (the library then
    skips the work of counting, and the command prints only its final summary), unless
    ``show=True`` asks for a plain line per stage every ``PROGRESS_EVERY`` seconds (for
    logs and scripts); ``show=False`` never shows progress."""
    if show is False or (not sys.stderr.isatty() and not show):
        yield [None for _ in labels]
        return
    if not sys.stderr.isatty():
        yield [_progress_lines(label) for label in labels]
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="cyan")

    # No auto-refresh thread: indexing forks helper processes, which is only safe while
    # this process runs a single thread. The bar redraws from the updates instead.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                  Rate(), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=c.console(stderr=True), transient=True, auto_refresh=False) as bar:
        shown = [0.0]

        def updater(label: str) -> Update:
            task: Any = None

            def update(done: int, total: int | None) -> None:
                nonlocal task
                if task is None:  # a stage's bar appears when the stage starts
                    task = bar.add_task(label, total=total)
                bar.update(task, completed=done, total=total)
                now = time.monotonic()
                if now - shown[0] >= 0.1:
                    shown[0] = now
                    bar.refresh()

            return update

        yield [updater(label) for label in labels]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", envvar="SEARCHKIT_HOME", default=".", show_default=True, metavar="PATH",
              help="Folder that holds corpus/ and index/ (env SEARCHKIT_HOME).")
@click.option("--color/--no-color", default=None, help="Force or turn off colours (NO_COLOR is respected).")
@click.option("--backend", type=click.Choice(["whoosh", "opensearch"]), envvar="SEARCHKIT_BACKEND",
              help="Where the index lives (default: the home's searchkit.toml, else whoosh in index/).")
@click.option("--url", envvar="SEARCHKIT_URL", metavar="URL",
              help="OpenSearch hosts and index alias: http://HOST:9200[,http://HOST2:9200][/ALIAS].")
@click.version_option(package_name="searchkit")
@click.pass_context
def main(ctx: click.Context, home: str, color: bool | None, backend: str | None, url: str | None) -> None:
    """Full-text search for Ukrainian news articles.

    Finds every inflected form of the words you type: `політв'язні` finds
    `політв’язнів` and `ПОЛІТВʼЯЗЕНЬ`.
    """
    ctx.obj = Ctx(home, color, backend, url)
    ctx.call_on_close(ctx.obj.close)


@main.command()
@click.argument("path", type=click.Path(file_okay=False))
@click.pass_obj
def init(c: Ctx, path: str) -> None:
    """Create an empty searchkit home at PATH.

    With --backend/--url the choice is saved in PATH/searchkit.toml.
    """
    from .library import Engine

    Engine.init(path, backend=c.backend, url=c.url)
    click.echo(f"Created an empty searchkit home in {path} (import articles with `searchkit --home {path} import`).")


_progress_option = click.option(
    "--progress/--no-progress", default=None,
    help="Show progress on stderr: a bar on a terminal, else a line every half second. [default: on a terminal]")


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--no-index", is_flag=True, help="Only store the articles; index later with `searchkit index`.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@_progress_option
@click.pass_obj
def import_(c: Ctx, paths: tuple[str, ...], no_index: bool, as_json: bool, progress: bool | None) -> None:
    """Import articles from .txt, .jsonl, .csv or .html files or folders of them.

    Articles are stored in corpus/ and the index is updated. Re-importing an
    article changes nothing; the same id with new content replaces the old one.
    Bad records are reported (file:line) and skipped; the exit status is 2 if any failed.
    """
    eng = c.engine()
    with progress_bar(c, "Importing", "Indexing", show=progress) as (reading, indexing):
        report = eng.import_paths(list(paths), index=not no_index, progress=reading, index_progress=indexing)
    for err in report.errors[:50]:
        click.echo(error_line(err), err=True)
    if report.failed > 50:
        click.echo(f"… and {report.failed - 50} more errors", err=True)
    for note in report.warnings:
        click.echo(f"Warning: {note}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        click.echo(f"Imported: {report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
                   f"{report.failed} failed.")
        for name, n in report.watched.items():
            click.echo(f"Saved search {name!r}: {n} new match{'es' if n != 1 else ''}"
                       + (f" (`searchkit saved run {_shell_word(name)} --new`)" if n else "."))
    sys.exit(EXIT_ERROR if report.failed else 0)


def _shell_word(word: str) -> str:
    import shlex

    return shlex.quote(word)


@main.command()
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch; the old index serves until the new one is done.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@_progress_option
@click.pass_obj
def index(c: Ctx, rebuild: bool, as_json: bool, progress: bool | None) -> None:
    """Bring the index in line with corpus/ (new, changed and deleted articles)."""
    eng = c.engine()
    with progress_bar(c, "Indexing", show=progress) as (update,):
        report = eng.index(rebuild=rebuild, progress=update)
    for err in report.errors[:50]:
        click.echo(error_line(err), err=True)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    elif report.rebuilt:
        click.echo(f"Index rebuilt: {report.indexed} articles.")
    else:
        click.echo(f"Index updated: {report.indexed} added or changed, {report.deleted} removed.")
    sys.exit(EXIT_ERROR if report.failed else 0)


def ensure_index(c: Ctx, eng: Engine) -> None:
    """Build or rebuild the index before a search, saying why when it is not the first use."""
    from .engine import NO_INDEX_YET

    reason = eng.index_status()
    if reason is None:
        return
    if reason != NO_INDEX_YET:
        click.echo(f"Rebuilding the index: {reason}.", err=True)
    with progress_bar(c, "Building the index") as (update,):
        eng.ensure_index(progress=update)


_filter_options = [
    click.option("--since", metavar="DATE", help="Only articles dated on or after: YYYY-MM-DD, DD.MM.YYYY or a "
                 "phrase like 'вчора', 'минулого тижня', 'у березні 2022'."),
    click.option("--until", metavar="DATE", help="Only articles dated on or before (same forms as --since)."),
    click.option("--source", metavar="NAME", help="Only articles from this source (case-insensitive)."),
]


def _search_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
                     help="Hits per page."),
        click.option("-p", "--page", default=1, show_default=True, type=click.IntRange(1), help="Page number."),
        *_filter_options,
        click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True),
        click.option("--exact", is_flag=True,
                     help="Search exactly what was typed: no spelling correction, no transliteration."),
        click.option("--no-collapse", is_flag=True, help="List near-duplicates (republished copies) as separate hits."),
        click.option("--facets", metavar="LIST",
                     help="Count every match per value of: source, year, month (comma-separated)."),
    ]
    f = _output_options(f)
    for opt in reversed(opts):
        f = opt(f)
    return f


FORMATS = ("text", "json", "jsonl", "csv", "md")


def _output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option("--json", "as_json", is_flag=True, help="One JSON object per query (same as --format json)."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="text (default); json: one object per query; jsonl: one hit per line; csv; md (Markdown)."),
        click.option("--bom", is_flag=True, help="Start CSV with a UTF-8 byte order mark, for spreadsheet programs."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


class Output:
    """Writes :class:`Results` in the chosen format; several queries make one CSV table."""

    def __init__(self, c: Ctx, fmt: str | None, as_json: bool, bom: bool) -> None:
        if as_json and fmt not in (None, "json"):
            fail(f"--json and --format {fmt} contradict each other: give one")
        self.fmt = "json" if as_json else (fmt or "text")
        if bom and self.fmt != "csv":
            fail("--bom applies to --format csv only")
        self.c = c
        self.bom = bom
        self.started = False

    def _write(self, text: str) -> None:
        # Exports are UTF-8 whatever the terminal's locale says: they are files for tools.
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # pragma: no cover - a text-only stdout (embedded use)
            sys.stdout.write(text)
            return
        out.write(text.encode("utf-8"))
        out.flush()

    def results(self, results: Results, *, heading: str | None = None, view: Any = None, after: Any = None,
                extra: dict[str, Any] | None = None) -> None:
        """Write one query's results; ``view`` replaces the text rendering, ``after`` follows
        it (text only), ``extra`` adds keys to the JSON object."""
        from . import export

        first, self.started = not self.started, True
        if self.fmt == "json":
            click.echo(json.dumps({**results.to_json(), **(extra or {})}, ensure_ascii=False))
        elif self.fmt == "jsonl":
            self._write(export.to_jsonl([results]))
        elif self.fmt == "csv":
            self._write(export.to_csv([results], bom=self.bom and first, header=first))
        elif self.fmt == "md":
            self._write(("" if first else "\n") + export.to_markdown([results]))
        else:
            from .render import results_view

            out = self.c.console()
            if heading:
                out.print(heading, style="bold magenta")
            out.print(view if view is not None else results_view(results))
            if after is not None:
                out.print(after)
                out.print()

    def error(self, query: str, message: str) -> None:
        if self.fmt in ("json", "jsonl"):
            click.echo(json.dumps({"query": query, "error": message}, ensure_ascii=False))
        else:
            click.echo(error_line(f"{query!r}: {message}"), err=True)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, metavar="QUERY")
@_search_options
@click.option("--timeline", is_flag=True, help="Add matches per month over all hits (with --json: a \"timeline\" key).")
@click.pass_obj
def search(c: Ctx, words: tuple[str, ...], limit: int, page: int, since: str | None, until: str | None,
           source: str | None, sort: str, exact: bool, no_collapse: bool, facets: str | None, as_json: bool,
           fmt: str | None, bom: bool, timeline: bool) -> None:
    """Search the articles. All words must match (use OR for either).

    \b
    Query language:
      words            all must match, in any inflection: політв'язні Білорусь
      "a phrase"       words side by side:    "мовні табори"
      A OR B           either:                Київ OR Харків
      -word, NOT word  exclude:               Лукашенко -Путін
      title:word       in the title only      (also title:"a phrase")
      word*  word~     prefix; fuzzy (1 edit, word~2 for 2)
      вчора, минулого тижня, у березні 2022, з 24.02.2022 по 01.03.2022
                       date phrases filter by date ("quote" them to search the words)

    A query that finds nothing because of a typo is searched with its correction
    (said on the first line); Latin words also find the Cyrillic words they spell
    (Kyiv: Київ). --exact turns both off.

    Near-duplicates (one story republished with small edits) are one hit: "+N similar"
    lists the others; --no-collapse shows each. --facets source,year,month counts all
    matches per value. --format jsonl|csv|md exports the hits (--bom: CSV for spreadsheets).

    QUERY may be several arguments (joined by spaces); put `--` before a query
    that starts with a dash. QUERY `-` reads one query per line from stdin
    (with --json: one JSON line each). Exit status: 0 with hits, 1 with none, 2 on error.
    """
    from .errors import SearchkitError

    query = " ".join(words)
    output = Output(c, fmt, as_json, bom)
    eng = c.engine()
    ensure_index(c, eng)
    if query == "-":  # undecodable bytes must not stop a script's batch of queries
        stdin = getattr(sys.stdin, "buffer", None)
        lines = stdin if stdin is not None else (line.encode("utf-8", "surrogateescape") for line in sys.stdin)
        queries = [raw.decode("utf-8", "replace").strip() for raw in lines]
    else:
        queries = [query]
    any_hits = False
    for qtext in queries:
        if not qtext:
            continue
        try:
            results = eng.search(qtext, limit=limit, page=page, since=since, until=until, source=source, sort=sort,
                                 exact=exact, collapse=not no_collapse, facets=[facets] if facets else ())
            months = (eng.timeline(qtext, since=since, until=until, source=source, exact=exact)
                      if timeline else None)
        except SearchkitError as e:
            if query != "-":
                raise
            output.error(qtext, str(e))
            continue
        any_hits = any_hits or results.total > 0
        after = None
        if months is not None and results.total and output.fmt == "text":
            from .render import timeline_view

            after = timeline_view(months)
        output.results(results, heading=f"# {qtext}" if len(queries) > 1 else None, after=after,
                       extra={"timeline": [list(m) for m in months]} if months is not None else None)
    sys.exit(EXIT_HITS if any_hits else EXIT_NO_HITS)


@main.command()
@click.argument("query")
@click.argument("article_id", metavar="ID")
@_filter_options[0]
@_filter_options[1]
@_filter_options[2]
@click.option("--exact", is_flag=True, help="Explain the query exactly as typed (no correction, no transliteration).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def explain(c: Ctx, query: str, article_id: str, since: str | None, until: str | None, source: str | None,
            exact: bool, as_json: bool) -> None:
    """Why article ID matches QUERY (or does not): how the query was understood, which
    words of the article matched which query word, and what each added to the score."""
    eng = c.engine()
    ensure_index(c, eng)
    ex = eng.explain(query, article_id, since=since, until=until, source=source, exact=exact)
    if as_json:
        click.echo(json.dumps(ex.to_json(), ensure_ascii=False))
    else:
        from .render import explain_view

        c.console().print(explain_view(ex))
    sys.exit(EXIT_HITS if ex.rank is not None else EXIT_NO_HITS)


@main.command()
@click.argument("query", required=False, default="")
@click.pass_obj
def tui(c: Ctx, query: str) -> None:
    """Search interactively: results as you type, a reader, a timeline.

    \b
    Keys: type to search · Down/Tab into the results · j/k or arrows move ·
    Enter opens an article (n/N next/previous match, Esc back) · / back to the query ·
    s sort by relevance or date · f filters · ? all keys · q quit.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("the terminal UI needs a terminal", "use `searchkit search QUERY` in scripts and pipes")
    from .tui import SearchApp

    SearchApp(c.engine(), query=query).run()


@main.command()
@click.argument("article_id", metavar="ID")
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Hits per page.")
@click.option("-p", "--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@_output_options
@click.pass_obj
def similar(c: Ctx, article_id: str, limit: int, page: int, as_json: bool, fmt: str | None, bom: bool) -> None:
    """Articles about the same thing as article ID.

    Made from ID's most distinctive words (frequent in it, rare elsewhere); ID's own
    near-duplicates are left out. Each hit shows the key words it shares.
    Exit status: 0 with hits, 1 with none, 2 on error.
    """
    output = Output(c, fmt, as_json, bom)
    eng = c.engine()
    results = eng.similar(article_id, limit=limit, page=page)
    view = None
    if output.fmt == "text":
        from .render import similar_view

        view = similar_view(eng.get(article_id), results)
    output.results(results, view=view)
    sys.exit(EXIT_HITS if results.total else EXIT_NO_HITS)


@main.command()
@click.argument("article_id", metavar="[ID]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Groups as JSON: a list of lists of ids.")
@click.pass_obj
def duplicates(c: Ctx, article_id: str | None, as_json: bool) -> None:
    """List groups of near-duplicates (republished copies), or the group of article ID.

    Exit status: 0 when there are some, 1 when there are none.
    """
    eng = c.engine()
    if article_id:
        others = eng.duplicates(article_id)
        groups = [(article_id, *others)] if others else []
    else:
        groups = eng.duplicate_groups()
    if as_json:
        click.echo(json.dumps([list(g) for g in groups], ensure_ascii=False))
    else:
        from .render import duplicates_view

        articles = [sorted((eng.get(i) for i in g), key=lambda a: (a.date is None, a.date, a.id)) for g in groups]
        c.console().print(duplicates_view(articles))
    sys.exit(EXIT_HITS if groups else EXIT_NO_HITS)


# -- saved searches --------------------------------------------------------------------------


@main.group()
def saved() -> None:
    """Saved searches: named queries, and what is new for them since they last ran.

    Kept in saved-searches.json in SEARCHKIT_CONFIG_DIR (else $XDG_CONFIG_HOME/searchkit,
    else ~/.config/searchkit), per home. After each import the summary says how many of
    the imported articles each saved search matches.
    """


@saved.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--since", metavar="YYYY-MM-DD", help="Only articles dated on or after.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only articles dated on or before.")
@click.option("--source", metavar="NAME", help="Only articles from this source (case-insensitive).")
@click.option("--replace", is_flag=True, help="Overwrite a saved search of the same name.")
@click.pass_obj
def saved_add(c: Ctx, name: str, query: str, since: str | None, until: str | None, source: str | None,
              replace: bool) -> None:
    """Save QUERY (with its filters) as NAME."""
    s = c.engine().save_search(name, query, since=since, until=until, source=source, replace=replace)
    click.echo(f"Saved {s.name!r}: {s.query}")


@saved.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per saved search, one per line.")
@click.pass_obj
def saved_list(c: Ctx, as_json: bool) -> None:
    """List the saved searches of this home."""
    searches = c.engine().saved_searches()
    if as_json:
        for s in searches:
            click.echo(json.dumps(s.to_json(), ensure_ascii=False))
        return
    from .render import saved_table

    c.console().print(saved_table(searches))


@saved.command("remove")
@click.argument("name")
@click.pass_obj
def saved_remove(c: Ctx, name: str) -> None:
    """Forget the saved search NAME."""
    c.engine().remove_saved_search(name)
    click.echo(f"Removed {name!r}.")


@saved.command("run")
@click.argument("name")
@click.option("--new", is_flag=True, help="Only articles that arrived (imported or changed) since it last ran.")
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Hits per page.")
@click.option("-p", "--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--no-collapse", is_flag=True, help="List near-duplicates as separate hits.")
@click.option("--facets", metavar="LIST", help="Count every match per value of: source, year, month.")
@_output_options
@click.pass_obj
def saved_run(c: Ctx, name: str, new: bool, limit: int, page: int, sort: str, no_collapse: bool,
              facets: str | None, as_json: bool, fmt: str | None, bom: bool) -> None:
    """Run the saved search NAME (and remember that it ran now).

    Exit status: 0 with hits, 1 with none, 2 on error.
    """
    output = Output(c, fmt, as_json, bom)
    eng = c.engine()
    ensure_index(c, eng)
    results = eng.run_saved_search(name, new=new, limit=limit, page=page, sort=sort, collapse=not no_collapse,
                                   facets=[facets] if facets else ())
    if output.fmt == "text" and new and not results.total:
        click.echo(f"Nothing new for {name!r} since it last ran.")
    else:
        output.results(results)
    sys.exit(EXIT_HITS if results.total else EXIT_NO_HITS)


@main.command()
@click.argument("article_id", metavar="ID")
@click.option("-q", "--query", help="Highlight this query's matches.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored article as JSON.")
@click.pass_obj
def show(c: Ctx, article_id: str, query: str | None, as_json: bool) -> None:
    """Print a whole article, with a query's matches highlighted."""
    eng = c.engine()
    article = eng.get(article_id)
    if as_json:
        click.echo(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
        return
    from .render import article_view

    title, body = eng.highlight(article, query)
    meta = [article.date.isoformat() if article.date else "undated"]
    meta += [x for x in (article.source, article.url) if x]
    c.console().print(article_view(article.id, title, body, meta))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def stats(c: Ctx, as_json: bool) -> None:
    """Article count, date range, sources, index size and freshness."""
    s = c.engine().stats()
    if as_json:
        click.echo(json.dumps(s.to_json(), ensure_ascii=False))
        return
    from .render import stats_view

    c.console().print(stats_view(s))


@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per token, one per line.")
@click.pass_obj
def analyze(c: Ctx, text: str, as_json: bool) -> None:
    """Show each token of TEXT, its normal form and its lemma(s).

    Inside a searchkit home the home's lexicon.tsv applies, as it does to the index.
    """
    from .analysis import default_analyzer
    from .errors import HomeError

    try:
        analyzer = c.engine().analyzer
        tokens = c.engine().analyze(text)
    except HomeError:
        analyzer = default_analyzer()
        tokens = analyzer.analyze(text)
    if as_json:
        for t in tokens:
            click.echo(json.dumps({"token": text[t.start:t.end], "start": t.start, "end": t.end, "form": t.form,
                                   "lemmas": list(t.lemmas), "known": t.known, "origin": analyzer.origin(t.form)},
                                  ensure_ascii=False))
        return
    from .render import analysis_table

    c.console().print(analysis_table(tokens, text, [analyzer.origin(t.form) for t in tokens]))


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.pass_obj
def delete(c: Ctx, ids: tuple[str, ...]) -> None:
    """Delete articles from corpus/ and the index."""
    n = c.engine().delete(ids)
    click.echo(f"Deleted {n} of {len(ids)} article(s).")
    sys.exit(0 if n == len(ids) else EXIT_NO_HITS)


if __name__ == "__main__":  # pragma: no cover
    main()
