"""``searchkit saved``: add, list, remove and run saved searches."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from ..errors import SearchkitError
from ..models import FACETS_COVER, SORTS, Sort
from ..text.controls import printable
from .group import main
from .options import output_options, paged, source_option
from .output import Output
from .searching import DATE_OPTIONS, backlog_fields, ensure_index, note_backlog
from .shell import EXIT_HITS, EXIT_NO_HITS, Ctx

if TYPE_CHECKING:  # pragma: no cover
    from ..library import Engine


@main.group(short_help="Saved searches, and what is new for them.")
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


@saved.command("add", short_help="Save QUERY (with its filters) as NAME.",
               context_settings={"ignore_unknown_options": True})  # (a query may start with -word)
@click.argument("name")
@click.argument("query")
@click.option("--since", metavar="DATE", help="Only articles dated on or after (the forms `search --since` reads; "
              "a phrase is read again at each run).")
@click.option("--until", metavar="DATE", help="Only articles dated on or before (the same forms; a year or a "
              "month up to its last day).")
@source_option
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
    from .. import date_bounds

    date_bounds(since, until, names=DATE_OPTIONS)
    s = c.engine().save_search(name, query, since=since, until=until, source=source, replace=replace)
    if as_json:
        click.echo(json.dumps(s.to_json(), ensure_ascii=False))
    else:
        from ..render.saved import saved_filters

        filters = saved_filters(s)  # (as the list shows them)
        click.echo(f"Saved {s.name!r}: {printable(s.query)}" + (f" ({printable(filters)})" if filters else ""))
        for note in s.notes:  # (JSON carries them as "notes")
            click.echo(f"Note: {printable(note)}")


@saved.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON list: an object per saved search ([] if none).")
@click.pass_obj
def saved_list(c: Ctx, as_json: bool) -> None:
    """List the saved searches of this home.

    \b
    Examples:
      searchkit saved list
      searchkit saved list --json | jq -r '.[].name'
    """
    engine = c.engine()
    searches = engine.saved_searches()
    new = {s.name: _new_count(engine, s.name) for s in searches}
    if as_json:  # one document, `[]` when none are saved: a script parses it either way
        click.echo(json.dumps([{**s.to_json(), "new": new[s.name]} for s in searches], ensure_ascii=False))
        return
    from ..render import saved_table

    c.console().print(saved_table(searches, advise=c.advise, new=new))


def _new_count(engine: Engine, name: str) -> int | None:
    """How many articles `saved run NAME --new` would list; ``None`` for a search that
    cannot run now (its run says why), which the list still shows, to be removed."""
    try:
        return engine.count_new_matches(name)
    except SearchkitError:
        return None


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
@click.option("--new", is_flag=True, help="Only articles that arrived (imported or changed) since a run of it "
              "last listed its last page.")
@paged
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="date: newest first, one day's articles by id, undated last.")
@click.option("--no-collapse", is_flag=True, help="List near-duplicates as separate hits.")
@click.option("--facets", metavar="LIST", multiple=True,
              help=f"Count {FACETS_COVER}, per value of: source, year, month (comma-separated; may repeat).")
@output_options
@click.pass_obj
def saved_run(c: Ctx, name: str, new: bool, limit: int, page: int, sort: Sort, no_collapse: bool,
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
    before = eng.saved_search(name)  # (however its name is spelt: the run finds it so)
    results = eng.run_saved_search(name, new=new, limit=limit, page=page, sort=sort, collapse=not no_collapse,
                                   facets=facets)
    # (articles stored and not indexed, as `import --no-index` leaves them, are new matches
    # the run cannot see yet: said as `search` says it, not "nothing new")
    backlog = eng.backlog()
    if output.fmt == "text" and new and not results.total:
        from ..render import nothing_new

        click.echo(nothing_new(before.name, ran_before=before.last_run is not None).plain)
    else:
        output.results(results, source=before.source, extra=backlog_fields(backlog))
    note_backlog(c, eng, backlog, found=bool(results.total))
    sys.exit(EXIT_HITS if results.total else EXIT_NO_HITS)
