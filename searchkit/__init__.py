"""searchkit: full-text search for Ukrainian news articles.

>>> from searchkit import Engine
>>> eng = Engine(".")                               # doctest: +SKIP
>>> for hit in eng.search("політв'язні"):          # doctest: +SKIP
...     print(hit.title, hit.snippet.marked())
"""

from typing import TYPE_CHECKING

from .errors import (
    ArticleNotFound,
    HomeError,
    IndexBusy,
    IndexDamaged,
    InputError,
    LexiconError,
    NoIndex,
    QueryError,
    SearchkitError,
)
from .explain import Contribution, Explanation, QueryWord
from .models import (
    Article,
    DateRange,
    FacetCount,
    Hit,
    ImportReport,
    IndexReport,
    Results,
    SavedSearch,
    Snippet,
    Span,
    Stats,
)

if TYPE_CHECKING:  # pragma: no cover
    from .library import Engine

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # Engine pulls in Whoosh and the index code (~0.2 s): imported on first use, so
    # `searchkit --help` and the light modules start instantly.
    if name == "Engine":
        from .library import Engine

        globals()["Engine"] = Engine
        return Engine
    raise AttributeError(f"module 'searchkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"Engine"})

__all__ = [
    "Article",
    "ArticleNotFound",
    "Contribution",
    "DateRange",
    "Engine",
    "Explanation",
    "FacetCount",
    "Hit",
    "HomeError",
    "ImportReport",
    "IndexBusy",
    "IndexDamaged",
    "IndexReport",
    "InputError",
    "LexiconError",
    "NoIndex",
    "QueryError",
    "QueryWord",
    "Results",
    "SavedSearch",
    "SearchkitError",
    "Snippet",
    "Span",
    "Stats",
    "__version__",
]
