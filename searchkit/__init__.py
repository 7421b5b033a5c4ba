"""searchkit: full-text search for Ukrainian news articles.

>>> from searchkit import Engine
>>> eng = Engine(".")                               # doctest: +SKIP
>>> for hit in eng.search("політв'язні"):          # doctest: +SKIP
...     print(hit.title, hit.snippet.marked())
"""

# First of all, before any other import (each was a moment when Ctrl-C printed a
# traceback: ``typing`` took 5 ms), and importing nothing that Python's start-up has not
# loaded: see searchkit.interrupts.
from .interrupts import command_line_starting as _command_line_starting

if _command_line_starting():
    # The command line starting (``python -m searchkit`` while the package is located, or
    # the ``searchkit`` script): Ctrl-C before the command's own handler is in place
    # says "Interrupted." instead of a traceback of whatever was being imported. The CLI
    # puts Python's handler back as soon as it runs (see ``cli.Group``).
    # (A process started with SIGINT ignored keeps it ignored: see searchkit.interrupts.)
    import _signal  # not `signal`: its enums take a while to build, Ctrl-C may come meanwhile
    import os as _os

    from .interrupts import take_ctrl_c as _take_ctrl_c

    def _interrupted_while_starting(signum: int, frame: object) -> None:
        _os.write(2, b"Interrupted.\n")
        _os._exit(130)

    _take_ctrl_c(_interrupted_while_starting, instead_of=_signal.default_int_handler)

from typing import TYPE_CHECKING

from .errors import (
    ArticleAmbiguous,
    ArticleDamaged,
    ArticleNotFound,
    DeleteInterrupted,
    EngineClosed,
    HomeError,
    ImportInterrupted,
    IndexBusy,
    IndexDamaged,
    IndexError_,
    IndexFromNewer,
    IndexInterrupted,
    IndexTaken,
    InputError,
    LexiconError,
    NoIndex,
    QueryError,
    SavedSearchBadName,
    SavedSearchError,
    SavedSearchExists,
    SavedSearchNotFound,
    SearchkitError,
)
from .models import (
    Article,
    Backlog,
    DateRange,
    Deletion,
    FacetCount,
    Hit,
    ImportReport,
    IndexReport,
    IndexStatus,
    Results,
    SavedSearch,
    Snippet,
    Sort,
    Span,
    Staged,
    Stats,
    StreamFormat,
)
from .query.explain import Contribution, Explanation, QueryWord

if TYPE_CHECKING:  # pragma: no cover
    from .backends import BACKENDS
    from .library import Engine
    from .query.batch import read_queries
    from .query.parse import MAX_QUERY_CHARS, clean_query_text
    from .query.request import date_bounds
    from .query.resolve import WordAnalysis

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # Engine pulls in Whoosh and the index code (~0.2 s): imported on first use, so
    # `searchkit --help` and the light modules start instantly.
    if name == "Engine":
        from .library import Engine

        globals()["Engine"] = Engine
        return Engine
    if name == "WordAnalysis":  # (what Engine.analyze gives: imported with it, or on first use)
        from .query.resolve import WordAnalysis

        globals()["WordAnalysis"] = WordAnalysis
        return WordAnalysis
    if name == "BACKENDS":  # (the names a home's index may live in: a shell's choices for --backend)
        from .backends import BACKENDS

        globals()["BACKENDS"] = BACKENDS
        return BACKENDS
    if name in _QUERY_RULES:  # (the query's rules, for a caller that checks before it searches)
        import importlib

        value = getattr(importlib.import_module(f".query.{_QUERY_RULES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'searchkit' has no attribute {name!r}")


#: The rules every search follows, for a caller that applies them before it searches (no
#: Engine needed): ``date_bounds(since, until, names=...)`` the days ``since``/``until``
#: name, or the QueryError a search of them raises (in the caller's own names for the
#: two); ``clean_query_text(text)`` a query as a search reads it and echoes it (control
#: characters out, fullwidth Latin ASCII), for a box that shows what is searched;
#: ``MAX_QUERY_CHARS`` the longest query a search takes; ``read_queries(stream)`` a batch
#: of queries, one a line, from bytes in the encoding their byte-order mark names.
_QUERY_RULES = {"MAX_QUERY_CHARS": "parse", "clean_query_text": "parse", "date_bounds": "request",
                "read_queries": "batch"}


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"BACKENDS", "Engine", "WordAnalysis", *_QUERY_RULES})

__all__ = [
    "Article",
    "ArticleAmbiguous",
    "ArticleNotFound",
    "BACKENDS",
    "Backlog",
    "Contribution",
    "DateRange",
    "Deletion",
    "DeleteInterrupted",
    "Engine",
    "EngineClosed",
    "Explanation",
    "FacetCount",
    "Hit",
    "HomeError",
    "ImportInterrupted",
    "ImportReport",
    "IndexBusy",
    "IndexDamaged",
    "IndexError_",
    "IndexFromNewer",
    "IndexInterrupted",
    "IndexReport",
    "IndexStatus",
    "IndexTaken",
    "InputError",
    "MAX_QUERY_CHARS",
    "ArticleDamaged",
    "LexiconError",
    "NoIndex",
    "QueryError",
    "QueryWord",
    "Results",
    "SavedSearch",
    "SavedSearchBadName",
    "SavedSearchError",
    "SavedSearchExists",
    "SavedSearchNotFound",
    "SearchkitError",
    "Snippet",
    "Sort",
    "Span",
    "Staged",
    "Stats",
    "StreamFormat",
    "WordAnalysis",
    "__version__",
    "clean_query_text",
    "date_bounds",
    "read_queries",
]
