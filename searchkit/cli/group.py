"""The ``searchkit`` group: the global options (``--home``, ``--color``, ``--backend``,
``--url``) and the context the commands share."""

from __future__ import annotations

import click

import searchkit

from .shell import Ctx, Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", envvar="SEARCHKIT_HOME", default=".", show_default=True, metavar="PATH",
              help="Folder that holds corpus/ and index/ (env SEARCHKIT_HOME).")
@click.option("--color/--no-color", default=None,
              help="Force or turn off colours (NO_COLOR is respected unless --color is given).")
@click.option("--backend", type=click.Choice(searchkit.BACKENDS), envvar="SEARCHKIT_BACKEND",
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

    Exit status of every command: 0 when done (each command's --help says what
    else it returns), 2 on error or a mistyped command line, 130 when
    interrupted (Ctrl-C), 141 when the program its output is piped into stops
    reading it.

    \b
    Examples:
      searchkit init archive
      searchkit --home archive import feed.jsonl
      searchkit --home archive search мовні табори
      searchkit --home archive tui
    """
    named = ctx.get_parameter_source("home") is not click.core.ParameterSource.DEFAULT
    ctx.obj = Ctx(home, color, backend, url, home_named=named)
    ctx.call_on_close(ctx.obj.close)
