"""Commands that read: ``show``, ``stats``, ``analyze`` and the terminal UI (``tui``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import echoed
from .group import main
from .shell import Ctx, fail


@main.command(short_help="Search as you type, with a reader and a timeline.",
              context_settings={"ignore_unknown_options": True})  # (a query may start with -word)
@click.argument("query", required=False, default="")
@click.pass_obj
def tui(c: Ctx, query: str) -> None:
    """Search interactively: results as you type, a reader, a timeline.

    \b
    Keys: type to search · Down/Tab into the results · j/k or arrows move ·
    Enter opens an article (n/N next/previous match, Esc back) · / back to the query ·
    s sort by relevance or date · f filters · F1 all keys (? too, outside the query
    box) · q or Ctrl+C quit (Ctrl+C or Ctrl+Q in the query box, where q and ? are typed).

    \b
    Examples:
      searchkit tui
      searchkit --home archive tui 'мовні табори'
    """
    eng = c.engine()  # first: a folder that is no home makes the advice below fail too
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("the terminal UI needs a terminal", "use `searchkit search QUERY` in scripts and pipes")
    from ..tui import SearchApp

    SearchApp(eng, query=query, import_command=c.advise("`searchkit import FILE…`").strip("`"),
              index_command=c.advise("`searchkit index`").strip("`")).run()


@main.command()
@click.argument("article_id", metavar="ID")
@click.option("-q", "--query", help="Highlight this query's matches (with --json: their offsets).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored article as JSON.")
@click.pass_obj
def show(c: Ctx, article_id: str, query: str | None, as_json: bool) -> None:
    """Print a whole article, with a query's matches highlighted.

    \b
    Examples:
      searchkit show sample-2016-movnyi-tabir-poltava -q 'мовні табори'
      searchkit show sample-2016-movnyi-tabir-poltava --json
      searchkit show sample-2016-movnyi-tabir-poltava --json -q 'мовні табори'
    """
    if query is not None and not query.strip():  # (``-q "$Q"`` with ``Q`` unset: it marked nothing, silently)
        fail(f"query {echoed(query)} is blank: it names nothing to mark", "give -q the words to mark, or leave -q out")
    eng = c.engine()
    article = eng.get(article_id)
    if as_json and query is None:
        click.echo(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
        return
    from ..errors import LexiconError

    try:
        title, body = eng.highlight(article, query)
    except LexiconError as e:  # the article can be read without its matches marked
        # a warning, not an error: the article is shown and the command succeeds
        click.echo(f"Warning: matches not marked: {c.advise(str(e))}" + (f" — {c.advise(e.hint)}" if e.hint else ""),
                   err=True)
        title, body = eng.highlight(article, None)
    if as_json:  # the stored article, and where the query's matches are in its title and text
        out = article.to_json()
        out["title_highlights"] = [[s.start, s.end] for s in title.stored]
        out["highlights"] = [[s.start, s.end] for s in body.spans]
        if body.marked_words is not None:
            out["marked_words"] = body.marked_words
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from ..render import article_view

    meta = [article.date.isoformat() if article.date else "undated"]
    meta += [x for x in (article.source, article.url) if x]
    # (every line of the view fits the width: cropping would only measure each again)
    c.console().print(article_view(article.id, title, body, meta), crop=False)


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
    from ..render import stats_view

    c.console().print(stats_view(s, advise=c.advise))


@main.command(short_help="Each word's normal form, lemmas and other spellings.")
@click.argument("words", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON list: an object per token.")
@click.pass_obj
def analyze(c: Ctx, words: tuple[str, ...], as_json: bool) -> None:
    """Show each token of WORDS (one text, as `search` joins its words), its normal form,
    its lemma(s) and the other spellings a search for it finds too (учитель: вчитель).

    Inside a searchkit home the home's lexicon.tsv applies, as it does to the index, and
    the other spellings are those its search finds there (the archive has them). Run
    outside a home, with no --home, it reads the words with the dictionary alone.

    \b
    Examples:
      searchkit analyze "політв'язні у таборах"
      searchkit analyze Байрактара --json
    """
    from ..library import Engine

    text = " ".join(words)
    # a home given (``--home``, SEARCHKIT_HOME) that is none is said as by any command; run
    # where there is no home, the dictionary alone reads the words, with no archive to ask
    if c.home_named or (Path(c.home) / "corpus").is_dir():
        words_of = c.engine().analyze(text)
    else:
        words_of = Engine.analyze_text(text)
    if not words_of:  # as every command that takes a query refuses an empty one
        fail(f"no words to analyze in {text!r}" if text.strip() else "nothing to analyze",
             "give a word or a text: `searchkit analyze 'мовні табори'`")
    if as_json:  # one document, as every command's --json (a list, as `duplicates` and `saved list`)
        tokens = [(w, w.token) for w in words_of]
        click.echo(json.dumps([{"token": text[t.start:t.end], "start": t.start, "end": t.end, "form": t.form,
                                "lemmas": list(t.lemmas), "known": t.known, "origin": w.origin,
                                "variants": list(w.spellings)} for w, t in tokens], ensure_ascii=False))
        return
    from ..render import analysis_view

    c.console().print(analysis_view([w.token for w in words_of], text, [w.origin for w in words_of],
                                    [w.spellings for w in words_of]))
