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
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, cast

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
        # Piped output: one line per paragraph, no hard wrapping at an imagined width, and
        # no padding at the ends of table lines.
        console.soft_wrap = not console.is_terminal
        if not console.is_terminal:
            console.file = _NoTrailingSpaces(stream)  # type: ignore[assignment]
        return console

    def error_color(self) -> bool:
        if self.color is not None:
            return self.color
        return not os.environ.get("NO_COLOR") and sys.stderr.isatty()


class _NoTrailingSpaces:
    """A text stream that drops the spaces Rich pads table lines with (for pipes and files)."""

    _PAD = __import__("re").compile(r"[ \t]+(?=\n|\Z)")

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(self._PAD.sub("", text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


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


class Command(click.Command):
    """A command that refuses unknown ``--options`` even where dashed query words are
    allowed (``search Лукашенко -Путін``), and says where a global option belongs when it
    comes after the command (``searchkit search табір --color``)."""

    #: Marks a dashed query word while click parses (no argument can hold a NUL).
    WORD = "\0"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.ignore_unknown_options:  # dashed words pass, but a mistyped --option must not
            known = {o for p in self.get_params(ctx) for o in (*p.opts, *p.secondary_opts)}
            args = list(args)
            for i, arg in enumerate(args):
                if arg == "--":
                    break
                name = arg.split("=", 1)[0]
                if name.startswith("--") and len(name) > 2 and name not in known:
                    import difflib

                    raise self._no_such_option(ctx, name, difflib.get_close_matches(name, sorted(known), n=1),
                                               args[i + 1:i + 2] if "=" not in arg else [arg.split("=", 1)[1]])
                if self._dashed_word(arg, known):
                    args[i] = self.WORD + arg
        try:
            rest = super().parse_args(ctx, args)
        except click.NoSuchOption as e:
            raise self._no_such_option(ctx, e.option_name, e.possibilities or []) from None
        for key, value in ctx.params.items():
            if isinstance(value, str):
                ctx.params[key] = value.removeprefix(self.WORD)
            elif isinstance(value, tuple):
                ctx.params[key] = tuple(v.removeprefix(self.WORD) if isinstance(v, str) else v for v in value)
        return rest

    @staticmethod
    def _dashed_word(arg: str, known: set[str]) -> bool:
        """``-Путін``, ``-Putin``, ``-nato``: a word to exclude, not short options (``-n``,
        ``-n5`` stay options)."""
        if not arg.startswith("-") or arg.startswith("--") or len(arg) < 2 or arg[1:].replace(".", "", 1).isdigit():
            return False
        return arg[:2] not in known or not (len(arg) == 2 or arg[2:].isdigit())

    def _no_such_option(self, ctx: click.Context, name: str, possibilities: list[str],
                        after: list[str] | None = None) -> click.NoSuchOption:
        root = ctx.find_root()
        if root is not ctx:
            own = {o: p for p in root.command.params for o in (*p.opts, *p.secondary_opts)}
            if name in own:
                prog = root.info_name or "searchkit"
                rest = ctx.command_path.removeprefix(prog).strip()
                param = own[name]
                takes_value = isinstance(param, click.Option) and not param.is_flag
                value = ""
                if takes_value:  # keep the value in the advice, so it can be copied as it is
                    value = " " + (shlex.quote(after[0]) if after else (param.metavar or "VALUE"))
                return click.NoSuchOption(name, message=(
                    f"{name} is an option of `{prog}` itself, not of `{rest}`: put it before the command "
                    f"(`{prog} {name}{value} {rest} …`)"), ctx=ctx)
        return click.NoSuchOption(name, possibilities=possibilities, ctx=ctx)


def _python_handles_ctrl_c() -> None:
    """Undo the start-up handler of ``searchkit/__init__.py``: from here on Ctrl-C is a
    KeyboardInterrupt, which the commands clean up after and report."""
    import signal

    handler = signal.getsignal(signal.SIGINT)
    if getattr(handler, "__name__", "") == "_interrupted_while_starting":
        signal.signal(signal.SIGINT, signal.default_int_handler)


#: ``searchkit`` alone (or ``searchkit saved``): click shows the help, as it should (click
#: 8.2 and later raise this usage error for it; 8.1 shows the help without one).
_HELP_ASKED: tuple[type[Exception], ...] = (
    (click.exceptions.NoArgsIsHelpError,) if hasattr(click.exceptions, "NoArgsIsHelpError") else ())


def _usage_failed(e: click.exceptions.UsageError) -> NoReturn:
    """A mistyped command line as one error line (click would print its usage and a hint
    on two more lines), exit status 2 as click gives it."""
    if isinstance(e, _HELP_ASKED):
        raise e
    where = e.ctx.command_path if e.ctx is not None else "searchkit"
    fail(e.format_message(), f"`{where} --help` lists what it takes", code=e.exit_code)


class Group(click.Group):
    """Turns library errors and mistyped command lines into one line on stderr instead of
    a traceback or a usage text."""

    command_class = Command
    group_class = type  # subgroups (`saved`) are Groups too

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.UsageError as e:
            _usage_failed(e)

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import SearchkitError

        _python_handles_ctrl_c()
        try:
            return super().invoke(ctx)
        except click.exceptions.UsageError as e:
            _usage_failed(e)
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


def _rich_progress(c: Ctx) -> Any:
    """A Rich progress display on stderr: label, bar, counts, per cent, rate, elapsed, ETA."""
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

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                    Rate(), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=c.console(stderr=True), transient=True, auto_refresh=False)


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
    # No auto-refresh thread: indexing forks helper processes, which is only safe while
    # this process runs a single thread. The bar redraws from the updates instead.
    with _rich_progress(c) as bar:
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


class ImportProgress:
    """An import's progress as one count of records done, a record being done once it is
    stored and, when it changed, indexed: the two stages interleave (a batch of changed
    records is indexed at each commit, see :mod:`searchkit.ingest.schedule`), so neither alone
    gives a true ETA.

    While a batch is indexed, the records read up to it advance with the indexing; while
    records are read, at most ``batch`` of them wait to be indexed (the unchanged ones need
    nothing more; ``None``: all of them, for an import indexed in one build at its end).
    The total is the records counted before the import starts.
    """

    def __init__(self, *, index: bool = True, batch: int | None = 2000) -> None:
        self.index = index
        self.batch = batch
        self.total: int | None = None
        self.read = 0
        self.done = 0.0
        self._marks = (0, 0)  # records read when the previous and the current batch began indexing
        self._batch: tuple[int, int] | None = None  # (first count, total) the indexing gives the current batch

    def on_read(self, done: int, total: int | None) -> None:
        self.read = done
        if total is not None:
            self.total = max(self.total or 0, total)
        self._advance(done if not self.index else 0 if self.batch is None else max(0, done - self.batch))

    def on_index(self, done: int, total: int | None) -> None:
        if total is None:
            return
        if self._batch is None or self._batch[1] != total:  # a new batch is being indexed
            self._marks = (self._marks[1], self.read)
            self._batch = (min(done, self._batch[1] if self._batch else 0), total)
        first, last = self._batch
        share = (done - first) / (last - first) if last > first else 1.0
        before, upto = self._marks
        self._advance(before + (upto - before) * min(max(share, 0.0), 1.0))

    def finish(self) -> None:
        self._advance(self.total or self.read)

    def _advance(self, done: float) -> None:
        self.done = min(max(self.done, done), self.total if self.total is not None else done)


@contextlib.contextmanager
def import_progress(c: Ctx, *, show: bool | None, index: bool,
                    batch: int | None) -> Iterator[tuple[Update | None, Update | None]]:
    """``(reading, indexing)`` callbacks for an import: on a terminal one bar (records done
    of all, with an ETA from both stages, see :class:`ImportProgress`; ``batch`` as there), which says
    ``finishing`` without an ETA once every record is in while the index still commits and
    groups near-duplicates; else as :func:`progress_bar` gives them (a line per stage with
    ``--progress``)."""
    if show is False or not sys.stderr.isatty():
        with progress_bar(c, "Importing", "Indexing", show=show) as (reading, indexing):
            yield reading, indexing
        return
    label = "Importing and indexing" if index else "Importing"
    state = ImportProgress(index=index, batch=batch)
    with _rich_progress(c) as bar:
        task = bar.add_task(label, total=None, start=False)
        shown = [0.0]

        def draw(force: bool = False) -> None:
            if state.total is None:
                return
            if not bar.tasks[0].started:
                bar.start_task(task)
            if index and state.done >= state.total:  # the records are in; the index is finishing
                bar.update(task, description=f"{label}: finishing the index", completed=state.total - 1,
                           total=None)
            else:
                bar.update(task, description=label, completed=round(state.done), total=state.total)
            now = time.monotonic()
            if force or now - shown[0] >= 0.1:
                shown[0] = now
                bar.refresh()

        def reading(done: int, total: int | None) -> None:
            state.on_read(done, total)
            draw()

        def indexing(done: int, total: int | None) -> None:
            state.on_index(done, total)
            draw()

        yield reading, indexing
        state.finish()
        bar.update(task, description=label, completed=state.total or state.read, total=state.total or state.read)
        bar.refresh()


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
    `політв’язнів` and `ПОЛІТВʼЯЗЕНЬ`. Global options (--home, --color...) come
    before the command.

    \b
    Examples:
      searchkit init archive
      searchkit --home archive import feed.jsonl
      searchkit --home archive search мовні табори
      searchkit --home archive tui
    """
    ctx.obj = Ctx(home, color, backend, url)
    ctx.call_on_close(ctx.obj.close)


@main.command()
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the home, whether it was created, articles.")
@click.pass_obj
def init(c: Ctx, path: str, as_json: bool) -> None:
    """Create an empty searchkit home at PATH (an existing one is left as it is).

    With --backend/--url the choice is saved in PATH/searchkit.toml.

    \b
    Examples:
      searchkit init archive && searchkit --home archive import feed.jsonl
      searchkit --backend opensearch --url http://localhost:9200 init archive
    """
    from .errors import SearchkitError
    from .library import Engine

    existed = (Path(path) / "corpus").is_dir()
    eng = Engine.init(path, backend=c.backend, url=c.url)
    if as_json:
        click.echo(json.dumps({"home": path, "created": not existed, "articles": eng.corpus.count_names()},
                              ensure_ascii=False))
    elif existed:
        n = eng.corpus.count_names()
        done = "its index settings were saved" if c.backend or c.url else "nothing was changed"
        click.echo(f"{path} is already a searchkit home ({n:,} article{'s' if n != 1 else ''} stored); {done}.")
    else:
        click.echo(f"Created an empty searchkit home in {path} "
                   f"(import articles with `searchkit --home {path} import`).")
    try:  # a cluster that does not answer yet is worth saying now, not at the first import
        eng.index_state()
    except SearchkitError as e:
        click.echo(f"Warning: {e}" + (f" — {e.hint}" if e.hint else "") + "; the home is kept", err=True)
    eng.close()


_progress_option = click.option(
    "--progress/--no-progress", default=None,
    help="Show progress on stderr: a bar on a terminal, else a line every half second. [default: on a terminal]")


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--no-index", is_flag=True, help="Only store the articles; index later with `searchkit index`.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--stdin-format", type=click.Choice(["jsonl", "csv", "txt", "html"]), default="jsonl", show_default=True,
              help="What PATH `-` (stdin) holds.")
@_progress_option
@click.pass_obj
def import_(c: Ctx, paths: tuple[str, ...], no_index: bool, as_json: bool, stdin_format: str,
            progress: bool | None) -> None:
    """Import articles from .txt, .jsonl, .csv or .html files or folders of them.

    Articles are stored in corpus/ and the index is updated. Re-importing an
    article changes nothing; the same id with new content replaces the old one.
    Bad records are reported (file:line) and skipped; the exit status is 2 if any failed.
    PATH `-` reads stdin (JSON Lines unless --stdin-format says otherwise).

    \b
    Examples:
      searchkit import feed.jsonl articles/
      curl -s https://example.org/feed.jsonl | searchkit import -
      searchkit import --no-index dump.csv && searchkit index
    """
    eng = c.engine()
    with contextlib.ExitStack() as stack:
        named, stdin_name = list(paths), None
        if "-" in named:
            import hashlib
            import tempfile

            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="searchkit-stdin-"))
            raw = os.path.join(folder, "stdin")
            digest = hashlib.sha1()
            with open(raw, "wb") as out:
                source = cast("IO[bytes]", getattr(sys.stdin, "buffer", sys.stdin))
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            # A .txt or .html article takes its id from the file name: one named by the
            # content keeps two piped articles apart, and the same one piped twice one.
            stdin_name = os.path.join(folder, f"stdin-{digest.hexdigest()[:12]}.{stdin_format}")
            os.replace(raw, stdin_name)
            named = [stdin_name if p == "-" else p for p in named]
        batch = eng.import_batch() if not no_index else None
        with import_progress(c, show=progress, index=not no_index, batch=batch) as (reading, indexing):
            report = eng.import_paths(named, index=not no_index, progress=reading, index_progress=indexing)
    if stdin_name is not None:
        report.errors = [e.replace(stdin_name, "<stdin>") for e in report.errors]
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
    """Bring the index in line with corpus/ (new, changed and deleted articles).

    \b
    Examples:
      searchkit index              # after `import --no-index`, or an interrupted import
      searchkit index --rebuild    # from scratch; searches use the old index meanwhile
    """
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
    from .models import IndexStatus

    status = eng.index_state()
    if status is IndexStatus.CURRENT:
        return
    if status is not IndexStatus.MISSING:
        click.echo(f"Rebuilding the index: {eng.index_status()}.", err=True)
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
                     help="Search exactly what was typed: no spelling correction, no transliteration, no other "
                     "spellings, only articles with every word."),
        click.option("--all", "all_words", is_flag=True,
                     help="Only articles with every word (by default those with some of the words follow them)."),
        click.option("--no-collapse", is_flag=True, help="List near-duplicates (republished copies) as separate hits."),
        click.option("--facets", metavar="LIST", multiple=True,
                     help="Count every match per value of: source, year, month (comma-separated; "
                          "--facets source --facets year combine)."),
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
        # Shown on a terminal they must not carry an article's escape sequences to it.
        if sys.stdout.isatty():
            from .render import printable

            text = printable(text, lines=True)
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # pragma: no cover - a text-only stdout (embedded use)
            sys.stdout.write(text)
            return
        out.write(text.encode("utf-8"))
        out.flush()

    def results(self, results: Results, *, heading: str | None = None, view: Any = None, after: Any = None,
                extra: dict[str, Any] | None = None, source: str | None = None) -> None:
        """Write one query's results; ``view`` replaces the text rendering, ``after`` follows
        it (text only), ``extra`` adds keys to the JSON object; ``source`` is the source
        filter, echoed as the dates are."""
        from . import export

        first, self.started = not self.started, True
        if self.fmt == "json":
            echo = {"source_filter": source} if source else {}
            click.echo(json.dumps({**results.to_json(), **echo, **(extra or {})}, ensure_ascii=False))
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
            if source:
                out.print(f"Source: {source}", style="dim")
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
           source: str | None, sort: str, exact: bool, all_words: bool, no_collapse: bool,
           facets: tuple[str, ...], as_json: bool, fmt: str | None, bom: bool, timeline: bool) -> None:
    """Search the articles: those with all the words first, then those with most of them.

    \b
    Query language:
      words            in any inflection and spelling: політв'язні Білорусь
                       (учитель finds вчитель, проект finds проєкт)
      "a phrase"       words side by side:    "мовні табори"
      A OR B, A or B   either:                Київ OR Харків  (AND is the default)
      -word, NOT word  exclude:               Лукашенко -Путін
      title:word       in the title only      (also title:"a phrase")
      word*  word~     prefix; fuzzy (1 edit, word~2 for 2)
      вчора, минулого тижня, у березні 2022, з 24.02.2022 по 01.03.2022
                       date phrases filter by date ("quote" them to search the words)

    Articles with every word (in any form) rank first; after them come those with
    some of the words, more words first ("3 with all the words, 12 with some of
    them"); when no article has them all, a line says which word the best hits
    lack; one word that finds fewer than 10 is followed by its near spellings
    (крякнув: крекнув). --all lists only the first kind. Words in over 30% of the
    archive only rank beside rarer words (перша in перша медична допомога), as в,
    на, про do.

    A query that finds nothing because of a typo is searched with its correction
    (said on the first line), a misspelling that is another real word too (вчити
    хлопчика); Latin words also find the Cyrillic words they spell (Kyiv: Київ).
    --exact turns all of this off.

    Near-duplicates (one story republished with small edits) are one hit: "+N similar"
    lists the others; --no-collapse shows each. --facets source,year,month counts all
    matches per value. --format jsonl|csv|md exports the hits (--bom: CSV for spreadsheets).

    QUERY may be several arguments (joined by spaces), options anywhere among them.
    A word with one dash (-Путін) excludes it; a mistyped --option is refused (exit 2);
    after `--` everything is query. QUERY `-` reads one query per line from stdin
    (with --json: one JSON line each; a query that fails is reported and the rest run).
    Exit status: 0 with hits, 1 with none, 2 on error (with `-`: when any query failed).

    \b
    Examples:
      searchkit search мовні табори --since 2016 --sort date
      searchkit search 'Київ OR Харків' -Путін --facets source,year --json
      searchkit search 'санкції' --format csv --bom > hits.csv
      searchkit search - --json < queries.txt   # one query per line
    """
    from .errors import SearchkitError

    query = " ".join(words)
    output = Output(c, fmt, as_json, bom)
    _check_dates(since=since, until=until)
    eng = c.engine()
    ensure_index(c, eng)
    behind, stored = eng.unindexed()
    unindexed = {"unindexed": behind, "stored": stored} if behind else {}
    if query == "-":  # undecodable bytes must not stop a script's batch of queries
        stdin = getattr(sys.stdin, "buffer", None)
        lines = stdin if stdin is not None else (line.encode("utf-8", "surrogateescape") for line in sys.stdin)
        queries = [raw.decode("utf-8", "replace").strip() for raw in lines]
    else:
        queries = [query]
    any_hits = any_error = False
    for qtext in queries:
        if not qtext and query == "-":  # a blank line between queries
            continue
        try:
            results = eng.search(qtext, limit=limit, page=page, since=since, until=until, source=source, sort=sort,
                                 exact=exact, collapse=not no_collapse, facets=facets, partial=not all_words,
                                 months=timeline)
            months = list(results.months) if results.months is not None else None
        except SearchkitError as e:
            if query != "-":
                raise
            output.error(qtext, str(e))
            any_error = True
            continue
        any_hits = any_hits or results.total > 0
        after = None
        if months is not None and results.total and output.fmt == "text":
            from .render import timeline_view

            after = timeline_view(months)
        output.results(results, heading=f"# {qtext}" if len(queries) > 1 else None, after=after, source=source,
                       extra={**unindexed, **({"timeline": [list(m) for m in months]} if months is not None else {})})
    if behind:
        click.echo(unindexed_note(behind, stored), err=True)
    sys.exit(EXIT_ERROR if any_error else EXIT_HITS if any_hits else EXIT_NO_HITS)


def _check_dates(**values: str | None) -> None:
    """Refuse a --since/--until the date grammar cannot read, in the options' own words."""
    import datetime as dt

    from .text.dates import bound

    for name, value in values.items():
        if value:
            try:
                bound(value, end=name == "until", today=dt.date.today())
            except ValueError as e:
                fail(f"--{name}: {e}")


def unindexed_note(behind: int, stored: int) -> str:
    """The line that says some stored articles cannot be found yet, and what to do."""
    return (f"Note: {behind:,} of {stored:,} stored articles are not searchable yet (an import was interrupted "
            "or ran with --no-index): run `searchkit index`.")


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
    words of the article matched which query word, and what each added to the score.

    \b
    Examples:
      searchkit explain 'мовні табори' a2
      searchkit explain Kyiv a3 --json
    """
    _check_dates(since=since, until=until)
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

    \b
    Examples:
      searchkit tui
      searchkit --home archive tui 'мовні табори'
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

    \b
    Examples:
      searchkit similar a2
      searchkit similar a2 -n 20 --format md > like-a2.md
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

    \b
    Examples:
      searchkit duplicates
      searchkit duplicates a2 --json
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

    \b
    Examples:
      searchkit saved add табори 'мовні табори' --since 2016
      searchkit saved run табори --new
      searchkit saved list
    """


@saved.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--since", metavar="DATE", help="Only articles dated on or after (the forms `search --since` reads; "
              "a phrase is read again at each run).")
@click.option("--until", metavar="DATE", help="Only articles dated on or before (the same forms).")
@click.option("--source", metavar="NAME", help="Only articles from this source (case-insensitive).")
@click.option("--replace", is_flag=True, help="Overwrite a saved search of the same name.")
@click.option("--json", "as_json", is_flag=True, help="Print the saved search as one JSON object.")
@click.pass_obj
def saved_add(c: Ctx, name: str, query: str, since: str | None, until: str | None, source: str | None,
              replace: bool, as_json: bool) -> None:
    """Save QUERY (with its filters) as NAME; a query that cannot run is refused now.

    \b
    Examples:
      searchkit saved add табори 'мовні табори'
      searchkit saved add обстріли 'обстріл Харків' --since 'минулого тижня' --replace
    """
    _check_dates(since=since, until=until)
    s = c.engine().save_search(name, query, since=since, until=until, source=source, replace=replace)
    if as_json:
        click.echo(json.dumps(s.to_json(), ensure_ascii=False))
    else:
        click.echo(f"Saved {s.name!r}: {s.query}")


@saved.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per saved search, one per line.")
@click.pass_obj
def saved_list(c: Ctx, as_json: bool) -> None:
    """List the saved searches of this home.

    \b
    Examples:
      searchkit saved list
      searchkit saved list --json | jq -r .name
    """
    searches = c.engine().saved_searches()
    if as_json:
        for s in searches:
            click.echo(json.dumps(s.to_json(), ensure_ascii=False))
        return
    from .render import saved_table

    c.console().print(saved_table(searches))


@saved.command("remove")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print {\"removed\": NAME} as JSON.")
@click.pass_obj
def saved_remove(c: Ctx, name: str, as_json: bool) -> None:
    """Forget the saved search NAME.

    \b
    Example:
      searchkit saved remove табори
    """
    c.engine().remove_saved_search(name)
    if as_json:
        click.echo(json.dumps({"removed": name}, ensure_ascii=False))
    else:
        click.echo(f"Removed {name!r}.")


@saved.command("run")
@click.argument("name")
@click.option("--new", is_flag=True, help="Only articles that arrived (imported or changed) since it last ran.")
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Hits per page.")
@click.option("-p", "--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--no-collapse", is_flag=True, help="List near-duplicates as separate hits.")
@click.option("--facets", metavar="LIST", multiple=True,
              help="Count every match per value of: source, year, month (comma-separated; may repeat).")
@_output_options
@click.pass_obj
def saved_run(c: Ctx, name: str, new: bool, limit: int, page: int, sort: str, no_collapse: bool,
              facets: tuple[str, ...], as_json: bool, fmt: str | None, bom: bool) -> None:
    """Run the saved search NAME (and remember that it ran now).

    Exit status: 0 with hits, 1 with none, 2 on error.

    \b
    Examples:
      searchkit saved run табори
      searchkit saved run табори --new --json
    """
    output = Output(c, fmt, as_json, bom)
    eng = c.engine()
    ensure_index(c, eng)
    before = next((s for s in eng.saved_searches() if s.name == name), None)
    results = eng.run_saved_search(name, new=new, limit=limit, page=page, sort=sort, collapse=not no_collapse,
                                   facets=facets)
    source = before.source if before is not None else None
    if output.fmt == "text" and new and not results.total:
        since = "it last ran" if before is not None and before.last_run else "it was saved"
        click.echo(f"Nothing new for {name!r} since {since}.")
    else:
        output.results(results, source=source)
    sys.exit(EXIT_HITS if results.total else EXIT_NO_HITS)


@main.command()
@click.argument("article_id", metavar="ID")
@click.option("-q", "--query", help="Highlight this query's matches.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored article as JSON.")
@click.pass_obj
def show(c: Ctx, article_id: str, query: str | None, as_json: bool) -> None:
    """Print a whole article, with a query's matches highlighted.

    \b
    Examples:
      searchkit show a2 -q 'мовні табори'
      searchkit show a2 --json
    """
    eng = c.engine()
    article = eng.get(article_id)
    if as_json:
        click.echo(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
        return
    from .errors import LexiconError
    from .render import article_view

    try:
        title, body = eng.highlight(article, query)
    except LexiconError as e:  # the article can be read without its matches marked
        # a warning, not an error: the article is shown and the command succeeds
        click.echo(f"Warning: matches not marked: {e}" + (f" — {e.hint}" if e.hint else ""), err=True)
        title, body = eng.highlight(article, None)
    meta = [article.date.isoformat() if article.date else "undated"]
    meta += [x for x in (article.source, article.url) if x]
    c.console().print(article_view(article.id, title, body, meta))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def stats(c: Ctx, as_json: bool) -> None:
    """Article count, date range, sources, index size and freshness.

    \b
    Examples:
      searchkit stats
      searchkit stats --json
    """
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
    """Show each token of TEXT, its normal form, its lemma(s) and the other spellings a
    search for it finds too (учитель: вчитель).

    Inside a searchkit home the home's lexicon.tsv applies, as it does to the index.

    \b
    Examples:
      searchkit analyze "політв'язні у таборах"
      searchkit analyze Байрактара --json
    """
    from .errors import HomeError
    from .text.analysis import default_analyzer
    from .text.variants import spelling_variants

    try:
        analyzer = c.engine().analyzer
        tokens = c.engine().analyze(text)
    except HomeError:
        analyzer = default_analyzer()
        tokens = analyzer.analyze(text)
    spellings = [[v.form for v in spelling_variants(t.form, t.lemmas, t.known, lookup=analyzer.known)]
                 for t in tokens]
    if as_json:
        for t, other in zip(tokens, spellings, strict=True):
            click.echo(json.dumps({"token": text[t.start:t.end], "start": t.start, "end": t.end, "form": t.form,
                                   "lemmas": list(t.lemmas), "known": t.known, "origin": analyzer.origin(t.form),
                                   "variants": other}, ensure_ascii=False))
        return
    from .render import analysis_table

    c.console().print(analysis_table(tokens, text, [analyzer.origin(t.form) for t in tokens], spellings))


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--json", "as_json", is_flag=True, help='Print {"deleted": N, "requested": M} as JSON.')
@click.pass_obj
def delete(c: Ctx, ids: tuple[str, ...], as_json: bool) -> None:
    """Delete articles from corpus/ and the index.

    Exit status: 0 when every ID was there, 1 when some were not.

    \b
    Examples:
      searchkit delete a2 a3
      searchkit search 'тест' --format jsonl | jq -r .id | xargs searchkit delete
    """
    n = c.engine().delete(list(ids))
    if as_json:
        click.echo(json.dumps({"deleted": n, "requested": len(ids)}))
    else:
        click.echo(f"Deleted {n} of {len(ids)} article(s).")
    sys.exit(0 if n == len(ids) else EXIT_NO_HITS)


if __name__ == "__main__":  # pragma: no cover
    main()
