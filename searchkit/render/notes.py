"""The sentences the shells say of a home: articles not searchable (yet), damaged
files, an empty home, an article too long to mark whole, an index build interrupted."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..models import Backlog

if TYPE_CHECKING:  # pragma: no cover
    from ..errors import IndexInterrupted


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
    articles (:data:`EMPTY_HOME`; while a writer is at work, that it makes them searchable
    when it is done). ``None``: nothing to say."""
    from ..ingest.sync import AT_WORK  # (the words stats says it in too)

    behind, stored = backlog.behind, backlog.stored
    if not behind:
        if found or stored:
            return None
        if at_work():  # (an import still reading its files has stored none yet: asking for one misleads)
            return f"this home holds no articles yet: {AT_WORK.format('its articles')}."
        return EMPTY_HOME
    it, was, them = ("it", "was", "it") if behind == 1 else ("they", "were", "them")
    if at_work():
        return f"{not_searchable(behind, stored)}: {AT_WORK.format(them)}."
    if backlog.unreadable:
        return f"{unreadable_behind(behind, stored)}."
    return (f"{not_searchable(behind, stored)} (an import was interrupted or ran with --no-index), or changed since "
            f"{it} {was} indexed (a search finds {them} as {it} {was}; in a copied home indexed by an older version "
            "every file looks changed): run `searchkit index`.")


def fix_or_delete(files: int) -> str:
    """The advice for ``files`` damaged article files (``index`` names each, and skips it)."""
    them = "them" if files > 1 else "it"
    return f"fix or delete {them} (`searchkit index` names {them})"


#: What to run when the index is behind ``corpus/`` (an update stopped, by Ctrl-C or otherwise).
UPDATE_TODO = "`searchkit index` to bring it up to date"


def behind_interrupted(behind: int) -> str:
    """What an import stopped while it indexed ``behind`` articles an earlier one stored
    (before it stored any) says: the same as an interrupted ``index``, with how many."""
    return (f"Interrupted: no article was added or changed; {behind:,} article{'s' if behind != 1 else ''} "
            f"stored earlier {'are' if behind != 1 else 'is'} not searchable yet (the index as it was still "
            f"answers searches); run {UPDATE_TODO}.")


def index_interrupted(e: IndexInterrupted, *, searching: bool = False) -> str:
    """What an interrupted index run kept, and what to run next, in one line; ``searching``:
    the build a command does before it searches, which the next search does again."""
    again = " (or search again)" if searching else ""
    if not e.answers:
        return ("Interrupted: no index was built, so there is none to search yet (corpus/ is untouched); "
                f"run `searchkit index` to build it{again}.")
    if searching:  # (an outdated index: the next search, or `index`, rebuilds it first)
        return ("Interrupted: the rebuild stopped; the index as it was is kept, and corpus/ is untouched; "
                f"run `searchkit index` to rebuild it{again}.")
    todo = "`searchkit index --rebuild` to rebuild it" if e.rebuild else UPDATE_TODO
    if e.behind and not e.rebuild:  # (an update commits in batches: those done stay, the next run does the rest)
        n = e.behind
        return (f"Interrupted: the update stopped with {n:,} stored article{'s' if n != 1 else ''} not searchable "
                f"yet (what it indexed before stays searchable), and corpus/ is untouched; run {todo}.")
    return (f"Interrupted: the {'rebuild' if e.rebuild else 'update'} stopped; the index as it was still answers "
            f"searches, and corpus/ is untouched; run {todo}.")


def marked_note(words: int) -> str:
    """What ``show`` and the reader say of an article too long to mark all its matches."""
    return f"the article is too long to mark whole; matches are marked in its first {words:,} words only"
