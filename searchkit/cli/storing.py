"""Commands that change the home: ``init``, ``import``, ``index``, ``delete``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..advice import shell_word
from ..errors import ECHO_CHARS, DeleteInterrupted, ImportInterrupted, IndexInterrupted, ambiguous_ids, echoed
from ..models import STREAM_FORMATS, StreamFormat
from ..text.controls import printable
from .group import main
from .options import progress_option
from .progress import import_progress, progress_bar
from .shell import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_NO_HITS, Ctx, error_line, stdin_bytes, with_home


@main.command(short_help="Create an empty searchkit home.")
@click.argument("path", type=click.Path(file_okay=False), required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the home, whether it was created, articles.")
@click.pass_obj
def init(c: Ctx, path: str | None, as_json: bool) -> None:
    """Create an empty searchkit home at PATH (an existing one is left as it is); without
    PATH, the home given with --home or SEARCHKIT_HOME.

    With --backend/--url the choice is saved in PATH/searchkit.toml; an existing home
    moves to that index only once it answers (else nothing is changed).

    \b
    Examples:
      searchkit init archive && searchkit --home archive import feed.jsonl
      searchkit --home archive init
      searchkit --backend opensearch --url http://localhost:9200 init archive
    """
    from ..errors import IndexTaken, SearchkitError
    from ..library import Engine
    from ..render.failures import message_and_hint

    if path is None:
        if not c.home_named:  # (not the current folder: a home is made where it is named)
            raise click.MissingParameter(ctx=click.get_current_context(), param_type="argument", param_hint="'PATH'")
        path = c.home
    existed = (Path(path) / "corpus").is_dir()
    before = Engine.saved_config(path) if existed else None
    eng = Engine.init(path, backend=c.backend, url=c.url)
    if as_json:
        click.echo(json.dumps({"home": path, "created": not existed, "articles": eng.corpus.count_names()},
                              ensure_ascii=False))
    elif existed:
        n = eng.corpus.count_names()
        done = (f"its index is now {eng.config.place} ({eng.config.backend})"
                if eng.config != before else "nothing was changed")
        click.echo(printable(f"{path} is already a searchkit home ({n:,} article{'s' if n != 1 else ''} stored); "
                             f"{done}."))
    else:
        click.echo(printable(f"Created an empty searchkit home in {path} "
                             + with_home("(import articles with `searchkit import FILE`).", path)))
    try:  # a cluster that does not answer yet is worth saying now, not at the first import
        eng.index_state()
    except IndexTaken:
        eng.close()
        raise  # (every command would refuse it: an error now, with what to do)
    except SearchkitError as e:
        message, hint = message_and_hint(e)
        click.echo(printable(f"Warning: {message}" + (f" — {hint}" if hint else "") + "; the home is kept"), err=True)
    eng.close()


def _stdin_format_option(fmt: str) -> str:
    """How stdin's format is given on the command line."""
    return f"add --stdin-format {fmt}"


@main.command("import", short_help="Import articles from files, folders or stdin.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--no-index", is_flag=True, help="Only store the articles; index later with `searchkit index`.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--stdin-format", type=click.Choice(STREAM_FORMATS), default="jsonl", show_default=True,
              help="What PATH `-` (stdin) holds.")
@progress_option
@click.pass_obj
def import_(c: Ctx, paths: tuple[str, ...], no_index: bool, as_json: bool, stdin_format: StreamFormat,
            progress: bool | None) -> None:
    """Import articles from .txt, .jsonl (.ndjson), .json, .csv or .html (.htm) files,
    gzipped or not (feed.jsonl.gz), or folders of them.

    Articles are stored in corpus/ and the index is updated. Re-importing an
    article changes nothing; the same id with new content replaces the old one.
    Bad records are reported (file:line) and skipped; the exit status is 2 if any failed.
    PATH `-` reads stdin (JSON Lines unless --stdin-format says otherwise);
    JSON Lines and CSV are imported as they arrive, searchable batch by batch.

    Each record (a JSON Lines line, a .json object, a CSV row) needs "text";
    "id", "title", "date" (2024-05-01, 01.05.2024, 1 травня 2024), "source" and
    "url" may be given, and other fields are kept. CSV columns may be named in
    Ukrainian (текст, заголовок, дата, джерело, посилання). A .txt or .html file
    is one article, its id the file name; a .txt's first line is its title,
    after an optional line `date 2024-05-01`.

    \b
    Examples:
      searchkit import feed.jsonl articles/
      curl -s https://example.org/feed.jsonl | searchkit import -
      searchkit import --no-index dump.csv && searchkit index
    """
    eng = c.engine()
    named = [p for p in paths if p != "-"]
    batch = eng.import_batch() if not no_index else None
    try:
        with import_progress(c, show=progress, index=not no_index, batch=batch) as (reading, indexing):
            if "-" in paths:  # (stdin has no file name to change: its format is an option)
                report = eng.import_stream(stdin_bytes(), format=stdin_format, read_as=_stdin_format_option,
                                           paths=named, index=not no_index, progress=reading,
                                           index_progress=indexing)
            else:
                report = eng.import_paths(named, index=not no_index, progress=reading, index_progress=indexing)
    except ImportInterrupted as e:
        click.echo(c.advise(_interrupted(e)), err=True)
        sys.exit(EXIT_INTERRUPTED)
    for err in report.errors[:50]:
        click.echo(c.advise(error_line(err)), err=True)
    if report.failed > 50:
        click.echo(f"… and {report.failed - 50:,} more errors", err=True)
    for note in report.warnings:
        click.echo(printable(c.advise(f"Warning: {note}")), err=True)
    if as_json:
        click.echo(json.dumps(_advised(c, report.to_json()), ensure_ascii=False))
    else:
        # thousands grouped, as every other count the commands print
        click.echo(f"Imported: {report.added:,} added, {report.updated:,} updated, {report.unchanged:,} unchanged, "
                   f"{report.failed:,} failed.")
        for name, n in report.watched.items():
            click.echo(f"Saved search {name!r}: {n:,} new match{'es' if n != 1 else ''}"
                       + (c.advise(f" (`searchkit saved run {shell_word(name)} --new`)") if n else "."))
    sys.exit(EXIT_ERROR if report.failed else 0)


def _interrupted(e: ImportInterrupted) -> str:
    """What an interrupted import kept, and what to run next, in one line."""
    if not e.stored:
        if e.behind:
            from ..render.notes import behind_interrupted

            return behind_interrupted(e.behind)
        return "Interrupted: no article was added or changed."
    stored = f"{e.stored:,} article{'s' if e.stored != 1 else ''} stored"
    again = "the same import again, which skips what is stored"
    if not e.unindexed:
        return f"Interrupted: {stored}, searchable; run {again}, for the rest."
    which = "not yet searchable" if e.unindexed == e.stored else f"{e.unindexed:,} of them not yet searchable"
    return f"Interrupted: {stored}, {which}; run `searchkit index` (or {again})."


def _advised(c: Ctx, summary: dict[str, Any]) -> dict[str, Any]:
    """An import's or index run's JSON summary with its errors and warnings in the words
    of the command line, naming the home given, as the lines on stderr say them: they said
    "run `Engine.index()`" to someone who had typed `searchkit index`."""
    return {key: [c.advise(m) for m in value] if key in ("errors", "warnings") else value
            for key, value in summary.items()}


@main.command(short_help="Bring the index in line with corpus/.")
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch; the old index serves until the new one is done.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@progress_option
@click.pass_obj
def index(c: Ctx, rebuild: bool, as_json: bool, progress: bool | None) -> None:
    """Bring the index in line with corpus/ (new, changed and deleted articles).

    An index a newer searchkit made is refused here and by searches and imports,
    not rebuilt: upgrade searchkit, or --rebuild it with this version.

    \b
    Examples:
      searchkit index              # after `import --no-index`, or an interrupted import
      searchkit index --rebuild    # from scratch; searches use the old index meanwhile
    """
    eng = c.engine()
    try:
        with progress_bar(c, "Indexing", show=progress) as (update,):
            report = eng.index(rebuild=rebuild, progress=update)
    except IndexInterrupted as e:
        from ..render.notes import index_interrupted

        click.echo(c.advise(index_interrupted(e)), err=True)
        sys.exit(EXIT_INTERRUPTED)
    for err in report.errors[:50]:
        click.echo(c.advise(error_line(err)), err=True)
    if as_json:
        click.echo(json.dumps(_advised(c, report.to_json()), ensure_ascii=False))
    elif report.rebuilt:
        click.echo(f"Index rebuilt: {report.indexed:,} article{'' if report.indexed == 1 else 's'}.")
    else:
        click.echo(f"Index updated: {report.indexed:,} added or changed, {report.deleted:,} removed.")
    sys.exit(EXIT_ERROR if report.failed else 0)


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"deleted": N, "requested": M, "not_found": [IDS]} as JSON (and "ambiguous": '
                   '{ID: [IDS]} when an ID could mean several articles).')
@click.pass_obj
def delete(c: Ctx, ids: tuple[str, ...], as_json: bool) -> None:
    """Delete articles from corpus/ and the index.

    Exit status: 0 when every ID was there, 1 when some were not, or could
    mean several articles (an ID typed with another apostrophe, where two ids
    differ only in theirs: none of them is deleted), 2 on error.

    \b
    Examples:
      searchkit delete feed-0042 feed-0043
      searchkit search 'тест' --exact --no-collapse -n 1000 --format jsonl \\
        | jq -r .id | tr '\\n' '\\0' | xargs -0r searchkit delete
      (the articles with the word itself, each copy apart, 1,000 at a time; an id may
      hold an apostrophe or a space, which plain xargs would split or refuse; -r runs
      nothing when the search finds nothing)
    """
    try:
        done = c.engine().delete_ids(ids)  # (an id given twice, however spelt, is one article)
    except DeleteInterrupted as e:
        click.echo(c.advise(_delete_interrupted(e)), err=True)
        sys.exit(EXIT_INTERRUPTED)
    if as_json:
        click.echo(json.dumps(done.to_json(), ensure_ascii=False))
    else:
        # an id that would not read as one (empty, spaced, with a comma) is quoted, a long one cut
        shown = [echoed(i) if not i or i != i.strip() or "," in i or len(i) > ECHO_CHARS else i
                 for i in done.not_found]
        click.echo(printable(f"Deleted {len(done.deleted)} of {done.requested} article"
                             f"{'s' if done.requested != 1 else ''}."
                             + (f" Not found: {', '.join(shown)}." if done.not_found else "")
                             + "".join(f" Ambiguous: {echoed(i)} could be {ambiguous_ids(ids)}; give the id as listed."
                                       for i, ids in done.ambiguous)))
    sys.exit(EXIT_NO_HITS if done.not_found or done.ambiguous else 0)


def _delete_interrupted(e: DeleteInterrupted) -> str:
    """What an interrupted delete deleted, and what to run next, in one line."""
    if not e.deleted:
        return "Interrupted: no article was deleted."
    them = "them" if e.deleted != 1 else "it"
    unreached = (f", and {e.unreached:,} ID{'s' if e.unreached != 1 else ''} not gone through" if e.unreached
                 else "")
    return (f"Interrupted: {e.deleted:,} article{'s' if e.deleted != 1 else ''} deleted, which searches leave out "
            f"already{unreached}; run `searchkit index` to drop {them} from the index too (the next import or delete "
            f"does it as well){', and the delete again for the rest' if e.unreached else ''}.")
