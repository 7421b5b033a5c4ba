"""What the workers and widgets tell the screens: a search's results, the months, the
engine ready, an article loaded, keys that may act; and the errors the workers caught,
told as the CLI tells them (:func:`~searchkit.render.failures.message_and_hint`)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..errors import ArticleAmbiguous, ArticleNotFound
from ..models import Article, Backlog, FacetCount, Results, Snippet, Sort
from ..render.failures import debugging, is_bug, message_and_hint
from .dialogs import NO_FILTERS, Filters


@dataclass(frozen=True, slots=True)
class SavedRun:
    """A saved search run from the list of them (its pages are runs of it, as
    ``searchkit saved run NAME [--new]`` runs it): ``new``, only what arrived since it last
    ran; ``ran_before``, whether it had run before (else "new" is since it was saved)."""

    name: str
    new: bool = False
    ran_before: bool = False


@dataclass(frozen=True, slots=True)
class Request:
    """One search as the user last asked for it (``saved``: a run of a saved search,
    until the query or the filters are changed)."""

    query: str
    sort: Sort = "relevance"
    filters: Filters = Filters()
    page: int = 1
    saved: SavedRun | None = None


class Settle(Message, bubble=False):
    """Sent to the query box behind the keys typed into it: when it arrives, they are in."""


class SearchDone(Message):
    """A worker finished a request: results, or an error to show (the months of a new
    query follow in a :class:`MonthsDone`, so the hits need not wait for them)."""

    def __init__(self, request: Request, results: Results | None = None,
                 error: Exception | None = None, unindexed: Backlog | None = None) -> None:
        super().__init__()
        self.request = request
        self.results = results
        self.error = error
        self.unindexed = unindexed  # counted again while the index is behind corpus/


class MonthsDone(Message):
    """The timeline (and the counts per source and year) of a request whose results were
    sent before."""

    def __init__(self, request: Request, months: list[tuple[str, int]],
                 facets: dict[str, tuple[FacetCount, ...]] | None = None) -> None:
        super().__init__()
        self.request = request
        self.months = months
        self.facets = facets or {}


class Ready(Message):
    """The index is there: how many articles it holds, and their sources."""

    def __init__(self, count: int, sources: list[str], error: Exception | None = None,
                 unindexed: Backlog | None = None) -> None:
        super().__init__()
        self.count = count
        self.sources = sources
        self.error = error
        self.unindexed = unindexed or Backlog(0, 0)


class HomeChanged(Message):
    """The home holds another number of articles than the screen knew (an import or a
    delete run elsewhere while the app is open): how many now, and their sources."""

    def __init__(self, count: int, sources: list[str]) -> None:
        super().__init__()
        self.count = count
        self.sources = sources


class BuildProgress(Message):
    """How far the first build of the index is: ``done`` of ``total`` articles, or in the
    stage ``what`` (``learning topics``: see :func:`searchkit.backends.base.stage_progress`)
    ``done`` of ``total`` of what it counts (``total`` ``None``: nothing counted)."""

    def __init__(self, done: int, total: int | None, what: str = "") -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.what = what


class ArticleLoaded(Message):
    """An article and its marked title and text, ready for the reader (or why not)."""

    def __init__(self, loaded: tuple[Article, Snippet, Snippet] | None = None,
                 error: Exception | None = None, *, query: str = "", filters: Filters = NO_FILTERS) -> None:
        super().__init__()
        self.loaded = loaded
        self.error = error
        self.query, self.filters = query, filters  # (the search that marked it)


class ReleaseKeys(Message):
    """The keys that waited may act now."""


def caught(e: Exception) -> Exception:
    """``e``, which a worker caught, to be shown: whatever it is, it must not take the app
    down. Only a bug under SEARCHKIT_DEBUG is raised again, to end the app with its
    traceback, as the hint of a bug says."""
    if is_bug(e) and debugging():
        raise e
    return e


def said(e: Exception) -> str:
    """``e`` in one line, as the CLI's error line says it (for a notification). The app
    opens only the ids it listed: one it cannot find was deleted since (the CLI's hint,
    that `searchkit search WORDS` lists ids, sent the reader of a hit to another program)."""
    message, hint = message_and_hint(e)
    if isinstance(e, ArticleNotFound) and not isinstance(e, ArticleAmbiguous):
        return f"{message}: it was deleted since it was listed"
    return f"{message} — {hint}" if hint else message
