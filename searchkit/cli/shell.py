"""The shell's plumbing: the context every command gets (the home, colours, one Engine),
errors as one line on stderr with exit status 2, and click's command and group classes that
refuse mistyped options and turn library errors and Ctrl-C into that line."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from ..advice import in_command_words, shell_word
from ..store.gcmode import one_command
from ..text.controls import printable
from .stdout import write_whole

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from ..library import Engine

EXIT_HITS, EXIT_NO_HITS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Output piped into a program that stopped reading it (``| head -1``): the status a shell
#: reports for ``cat``, ``grep`` or ``yes`` there, killed by SIGPIPE (128 + 13). Not 0, which
#: says that every line was written (and for a search, that it matched), nor 1 ("no matches").
EXIT_BROKEN_PIPE = 141
#: The width of piped output: wider than any line, so that nothing is wrapped.
UNWRAPPED = 1_000_000


@functools.cache
def _console_class() -> type[Console]:
    """rich's Console, but output piped into a program that stops reading (``| head``) is
    the BrokenPipeError :class:`Group` handles (:data:`EXIT_BROKEN_PIPE`), not rich's exit
    status 1, which says that nothing matched."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console


class Ctx:
    def __init__(self, home: str, color: bool | None, backend: str | None = None, url: str | None = None, *,
                 home_named: bool = True) -> None:
        self.home = home
        #: whether the home was given (``--home`` or ``SEARCHKIT_HOME``), not the default folder
        self.home_named = home_named
        self.color = color
        self.backend = backend
        self.url = url
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            from ..library import Engine

            self._engine = Engine(self.home, backend=self.backend, url=self.url)
        return self._engine

    def advise(self, text: str) -> str:
        """``text`` with each command it advises naming this home (see :func:`with_home`)."""
        return with_home(text, self.home)

    def close(self) -> None:
        """Close the index files (the command is done)."""
        if self._engine is not None:
            self._engine.close()

    def console(self, *, stderr: bool = False) -> Console:
        """A console on stdout (or stderr): colours on a terminal unless NO_COLOR or
        ``--no-color``; ``--color`` forces them (and wins over NO_COLOR, being explicit)."""
        stream = sys.stderr if stderr else sys.stdout
        no_color = None if self.color is None else not self.color  # None: rich reads NO_COLOR
        force = True if self.color else None
        console = _console_class()(file=stream, no_color=no_color, force_terminal=force, highlight=False,
                          emoji=False, markup=False)
        # Piped output: one line per paragraph, no hard wrapping at an imagined width, and
        # no padding at the ends of table lines. Forced colours (``--color``, FORCE_COLOR)
        # make Rich take any stream for a terminal: the layout asks the stream itself.
        piped = not console.is_terminal or not _isatty(stream)
        console.soft_wrap = piped
        if piped:
            # nor in tables: each row on one line, however long its cells (`grep` sees them)
            console.width = UNWRAPPED
            console.file = _NoTrailingSpaces(stream)  # type: ignore[assignment]
        return console

    def error_color(self) -> bool:
        if self.color is not None:
            return self.color
        return not os.environ.get("NO_COLOR") and sys.stderr.isatty()


def _isatty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (``False`` for a closed or detached one)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


_STYLE_CODE = re.compile(r"\x1b\[[0-9;]*m")


def _without_trailing_spaces(line: str) -> str:
    """``line`` without the spaces at its end, those before the style codes that end it
    too (a padded cell in colour: ``yes   \x1b[0m``)."""
    line = line.rstrip(" \t")
    codes = ""
    while line.endswith("m") and (start := line.rfind("\x1b[")) >= 0 and _STYLE_CODE.fullmatch(line, start):
        codes = line[start:] + codes
        line = line[:start].rstrip(" \t")
    return line + codes


class _NoTrailingSpaces:
    """A text stream that drops the spaces Rich pads table lines with (for pipes and files)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        # line by line: the regular expression tries every space of the text (0.15 s of 6 MB)
        self.stream.write("\n".join(_without_trailing_spaces(line) for line in text.split("\n")))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def error_line(message: str, hint: str = "") -> str:
    """``Error: what went wrong — what to do`` (one line, whatever line breaks the message
    held: a library's exception text may have some)."""
    line = f"Error: {message}" + (f" — {hint}" if hint else "")
    # (a file's or a folder's name, an id or a source typed, may hold a terminal's escape
    # sequence: `import` of a folder with a file so named sent it to the terminal)
    return printable(" ".join(part.strip() for part in line.splitlines() if part.strip()))


def with_home(text: str, home: str) -> str:
    """``text`` (the library's words: see :mod:`searchkit.advice`) with each thing it tells
    the user to do as a command (`` `searchkit index --rebuild` ``), given the home the user
    named, so that running it as shown acts on that home, not the folder it is run in."""
    text = in_command_words(text)
    if not text or os.path.abspath(home) == os.path.abspath("."):
        return text
    # (``init`` takes its home as an argument; a command may name one already)
    return re.sub(r"`searchkit (?!init\b|--home\b)", lambda _m: f"`searchkit --home {shell_word(home)} ", text)


def fail(message: str, hint: str = "", code: int = EXIT_ERROR) -> NoReturn:
    """Print one (red on a terminal) error line on stderr and exit with ``code``."""
    ctx = click.get_current_context(silent=True)
    c = ctx.find_object(Ctx) if ctx else None
    color = c.error_color() if c else (not os.environ.get("NO_COLOR") and sys.stderr.isatty())
    home = c.home if c else "."
    line = error_line(with_home(message, home), with_home(hint, home))
    click.echo(click.style(line, fg="red") if color else line, err=True, color=color)
    sys.exit(code)


def reader_gone() -> NoReturn:
    """End a command whose output a program stopped reading (``searchkit search … | head -1``)
    as the common Unix tools end there: exit status :data:`EXIT_BROKEN_PIPE`, nothing on
    stderr. Standard output is pointed at the null device first, so that what is still
    buffered for it is dropped at exit rather than written to the closed pipe again
    (Python's "Exception ignored ... BrokenPipeError" line)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # (no descriptor: a stand-in)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)
    sys.exit(EXIT_BROKEN_PIPE)


def stdin_bytes() -> IO[bytes]:
    """Standard input as bytes (``-`` for a file or a query list); refused when the process
    has none (started with it closed, ``<&-``)."""
    stream = sys.stdin
    if stream is None:
        fail("standard input is closed", "pipe something in, or name a file instead of -")
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)
    return buffer if buffer is not None else io.BytesIO(stream.read().encode("utf-8", "surrogateescape"))


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
        except click.UsageError as e:
            # (click leaves out the command of "--source requires an argument": its hint
            # would name `searchkit --help`, not `searchkit search --help`)
            e.ctx = e.ctx or ctx
            raise
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
                    value = " " + (shell_word(after[0]) if after else (param.metavar or "VALUE"))
                return click.NoSuchOption(name, message=(
                    f"{name} is an option of `{prog}` itself, not of `{rest}`: put it before the command "
                    f"(`{prog} {name}{value} {rest} …`)"), ctx=ctx)
        return click.NoSuchOption(name, possibilities=possibilities, ctx=ctx)


def _python_handles_ctrl_c() -> None:
    """Undo the start-up handler of ``searchkit/__init__.py``: from here on Ctrl-C is a
    KeyboardInterrupt, which the commands clean up after and report (unless SIGINT is
    ignored: see :mod:`searchkit.interrupts`)."""
    import signal

    import searchkit

    from ..interrupts import take_ctrl_c

    starting = getattr(searchkit, "_interrupted_while_starting", None)  # (set only when the command line starts)
    if starting is not None:
        take_ctrl_c(signal.default_int_handler, instead_of=starting)


def _usage_failed(e: click.exceptions.UsageError) -> NoReturn:
    """A mistyped command line as one error line (click would print its usage and a hint
    on two more lines), exit status 2 as click gives it."""
    where = e.ctx.command_path if e.ctx is not None else "searchkit"
    group = e.ctx.command if e.ctx is not None else None
    home = e.ctx.params.get("home") if e.ctx is not None else None
    if isinstance(e, click.exceptions.NoSuchCommand) and isinstance(group, click.Group) and home in group.commands:
        # ``searchkit --home search мова``: the command was taken for the home
        fail(e.format_message().rstrip("."), f"--home took {home!r} as the home: give it the home's folder "
             f"(`{where} --home archive {home} …`)", code=e.exit_code)
    if isinstance(e, click.exceptions.NoSuchOption) and not e.option_name.lstrip("-").isascii():
        # ``searchkit search --Крим``: query text, not an option; after ``--`` it is the query
        fail(e.format_message().rstrip("."), f"to search it, put -- before the query (`{where} -- "
             f"{shell_word(e.option_name)}`)", code=e.exit_code)
    # (click's message ends in a full stop: the hint after the dash would follow two)
    fail(e.format_message().rstrip("."), f"`{where} --help` lists what it takes", code=e.exit_code)


class Group(click.Group):
    """Turns library errors and mistyped command lines into one line on stderr instead of
    a traceback or a usage text."""

    command_class = Command
    group_class = type  # subgroups (`saved`) are Groups too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            # ``searchkit`` (or ``searchkit saved``) alone asks for the help: on stdout, exit
            # status 0, as ``--help`` gives it (click 8.2 and later say it on stderr, status 2,
            # as a usage error; 8.1 did this)
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit()
        return super().parse_args(ctx, args)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.UsageError as e:
            _usage_failed(e)
        except BrokenPipeError:  # (`searchkit --help | head -1`: the help is printed while parsing)
            reader_gone()

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        if args is None:  # the program itself (its arguments from sys.argv): it ends with this command
            one_command()
            if sys.stderr is None:  # closed (`2>&-`): its lines go nowhere, the exit status stays the command's
                sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
                # (each error line met no stream and raised AttributeError: exit status 1, which
                # says "no matches", for a bad query, a missing home or a bad option alike)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import IndexInterrupted

        try:
            try:
                # (inside: a Ctrl-C just after the start-up's handler is put back is this
                # command's, said as one, as is one while its engine closes below)
                _python_handles_ctrl_c()
                write_whole()
                return super().invoke(ctx)
            finally:
                try:
                    sys.stdout.flush()  # a full disk met by the output's last bytes is said as any other
                finally:
                    if ctx.parent is None:  # the command's engine closed here, not after click's own Ctrl-C
                        ctx.close()         # handling ("Aborted!", exit status 1) has taken over
        except click.exceptions.UsageError as e:
            _usage_failed(e)
        except IndexInterrupted as e:  # the build a command does before it searches (`index` says its own)
            from ..render.notes import index_interrupted

            c = ctx.find_object(Ctx)
            click.echo(with_home(index_interrupted(e, searching=True), c.home if c else "."), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # output piped into `head`
            reader_gone()
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as e:  # a library error, a full disk, a read-only home... or a bug
            from ..render.failures import debugging, is_bug, message_and_hint

            if is_bug(e) and debugging():
                raise
            fail(*message_and_hint(e))
